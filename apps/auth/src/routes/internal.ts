import type { ErrorCode } from '@edd/api-contracts';
import { requireServiceKey } from '@edd/http';
import { Router, type Response } from 'express';
import type { AuthContext } from '../context';
import { findTokenCredential, touchToken } from '../data/api-tokens';
import { listAllServiceAccounts } from '../data/service-accounts';
import { listUsers } from '../data/users';
import { isAdminUser } from '../domain/admin';
import { parseApiToken, secretMatches } from '../domain/api-token-format';
import { isExpired } from '../domain/token-expiry';
import { param } from '../http/client-info';
import { userView } from '../http/views';
import { presentedCredential } from '../security/session-auth';

/** A refused token: the token check's own 401 shape, with the catalogue code every refusal carries. */
function invalid(res: Response, error: string): void {
  res.status(401).json({ valid: false, error, code: 'invalid_credential' satisfies ErrorCode });
}

/**
 * Service-to-service endpoints, all under `/internal/` (X-Service-Key, refused through the gateway; see @edd/http's
 * requireServiceKey).
 * The token check is the single place API tokens are validated: services never see token hashes or scopes otherwise.
 */
export function internalRoutes(ctx: AuthContext): Router {
  const router = Router();
  const guard = requireServiceKey(ctx.config.SERVICE_API_KEY);

  router.get('/internal/tokens/:id/check', guard, async (req, res) => {
    const credential = presentedCredential(req);
    const parsed = credential ? parseApiToken(credential) : undefined;
    if (!parsed) return invalid(res, 'missing or malformed API token');
    if (parsed.id !== param(req, 'id')) return invalid(res, 'token id does not match the token');
    const token = await findTokenCredential(ctx.db, parsed.id);
    // Unknown id and wrong secret answer alike.
    if (!token || !secretMatches(parsed.secret, token.secretHash)) return invalid(res, 'invalid token');
    if (token.revokedAt) return invalid(res, 'token revoked');
    if (isExpired(token.expiresAt)) return invalid(res, 'token expired');
    await touchToken(ctx.db, token.id);
    res.json({
      valid: true,
      token_id: token.id,
      user_id: token.ownerPublicId,
      username: token.ownerUsername,
      kind: token.serviceAccountId ? 'service_account' : 'user',
      ...(token.serviceAccountId ? { service_account_id: token.serviceAccountId } : {}),
      scopes: token.scopes,
      expires_at: token.expiresAt ? token.expiresAt.toISOString() : null,
    });
  });

  router.get('/internal/users', guard, async (_req, res) => {
    res.json((await listUsers(ctx.db)).map((user) => userView(user, isAdminUser(user, ctx.config.ADMIN_USERNAME))));
  });

  router.get('/internal/identity-permissions', guard, async (_req, res) => {
    res.json(
      (await listAllServiceAccounts(ctx.db)).map((account) => ({
        service_account_id: account.id,
        owner_id: account.ownerPublicId,
        name: account.name,
        scopes: account.scopes,
      })),
    );
  });

  return router;
}
