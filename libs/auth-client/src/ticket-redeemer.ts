import type { Logger } from '@edd/logger';
import { isScopeAction } from '@edd/scopes';
import { z } from 'zod';
import { authErrors } from './errors';
import { postJson } from './fetch-json';
import type { Principal } from './principal';

// `POST /internal/tickets/redeem` (X-Service-Key): the principal a ticket was issued to, exactly once.
const redeemResponse = z.object({
  valid: z.literal(true),
  user_id: z.string().min(1),
  username: z.string(),
  is_admin: z.boolean(),
  kind: z.enum(['session', 'api_token', 'service_account']),
  session_id: z.string().min(1).optional(),
  token_id: z.string().min(1).optional(),
  service_account_id: z.string().min(1).optional(),
  scopes: z.record(z.string(), z.array(z.unknown())).optional(),
  audience: z.string().optional(),
});

export interface RedeemedTicket {
  principal: Principal;
  /** The service the ticket was issued for; undefined = any. */
  audience?: string;
}

// 32 random bytes in base64url: anything else is refused without asking auth.
const TICKET_SHAPE = /^[A-Za-z0-9_-]{20,128}$/;

export async function redeemTicket(
  options: { authBaseUrl: string; serviceKey: string; timeoutMs: number; logger?: Logger },
  ticket: string,
): Promise<RedeemedTicket> {
  if (!TICKET_SHAPE.test(ticket)) throw authErrors.invalidCredential('invalid or expired ticket');
  const { status, body } = await postJson(
    `${options.authBaseUrl}/internal/tickets/redeem`,
    { 'x-service-key': options.serviceKey },
    { ticket },
    options.timeoutMs,
  );
  if (status === 401 && (body as { valid?: unknown } | undefined)?.valid === false) {
    throw authErrors.invalidCredential('invalid or expired ticket');
  }
  const parsed = redeemResponse.safeParse(body);
  if (status !== 200 || !parsed.success) {
    // Our service key refused, or an unexpected answer: a deployment problem, never the caller's 401.
    options.logger?.error('auth ticket redeem failed: check SERVICE_API_KEY and that authBaseUrl is the auth service itself', { status });
    throw authErrors.unavailable();
  }
  const data = parsed.data;
  const principal: Principal = {
    userId: data.user_id,
    username: data.username,
    // As for token checks: only a session may ever act as admin.
    isAdmin: data.kind === 'session' && data.is_admin,
    kind: data.kind,
    ...(data.session_id ? { sessionId: data.session_id } : {}),
    ...(data.token_id ? { tokenId: data.token_id } : {}),
    ...(data.service_account_id ? { serviceAccountId: data.service_account_id } : {}),
    ...(data.kind === 'session'
      ? {}
      : {
          scopes: Object.fromEntries(Object.entries(data.scopes ?? {}).map(([scope, actions]) => [scope, actions.filter(isScopeAction)])),
        }),
  };
  return { principal, ...(data.audience ? { audience: data.audience } : {}) };
}
