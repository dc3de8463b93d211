import type { PoolClient } from 'pg';
import type { AuthContext } from '../context';
import { insertToken, type TokenRow } from '../data/api-tokens';
import { insertAuditEntry } from '../data/audit-log';
import type { ScopeMap } from '../data/queryable';
import { mintApiToken } from '../domain/api-token-format';
import { tokenExpiry, type ExpiresIn } from '../domain/token-expiry';

export interface IssueTokenInput {
  owner: { id: number; publicId: string };
  name: string;
  expiresIn: ExpiresIn;
  /** Personal tokens carry scopes; service-account tokens inherit (scopes null). */
  scopes: ScopeMap | null;
  serviceAccountId: string | null;
  ip: string | null;
  /**
   * Runs inside the transaction that stores the token, after it is stored: where the route keeps its
   * Idempotency-Key answer (answerWithinTransaction), so the answer commits with the token or not at all.
   */
  withinTransaction?: (client: PoolClient, issued: { row: TokenRow; token: string }) => Promise<void>;
}

/** Mints and stores a token; the returned `token` string exists only in this response. */
export async function issueToken(ctx: AuthContext, input: IssueTokenInput): Promise<{ row: TokenRow; token: string }> {
  const minted = mintApiToken();
  const row = await ctx.db.tx(async (client) => {
    const stored = await insertToken(client, {
      id: minted.id,
      ownerId: input.owner.id,
      serviceAccountId: input.serviceAccountId,
      name: input.name,
      secretHash: minted.secretHash,
      scopes: input.scopes,
      expiresAt: tokenExpiry(input.expiresIn),
    });
    await insertAuditEntry(client, {
      actor: input.owner.publicId,
      action: 'token.issue',
      target: minted.id,
      ip: input.ip,
      outcome: 'success',
      details: { service_account_id: input.serviceAccountId, expires_in: input.expiresIn },
    });
    await input.withinTransaction?.(client, { row: stored, token: minted.token });
    return stored;
  });
  return { row, token: minted.token };
}
