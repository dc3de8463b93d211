import { httpErrors, parseBody, requireServiceKey } from '@edd/http';
import { Router, type Request } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { AuthContext } from '../context';
import { findTokenCredential } from '../data/api-tokens';
import { TicketStore, type TicketGrant } from '../data/tickets';
import { looksLikeApiToken, parseApiToken, secretMatches } from '../domain/api-token-format';
import { isExpired } from '../domain/token-expiry';
import { presentedCredential } from '../security/session-auth';

const issueBody = z.object({
  audience: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/, 'a service name')
    .optional(),
});
// 32 random bytes in base64url are 43 characters; anything much longer is not ours.
const redeemBody = z.object({ ticket: z.string().min(1).max(128) });

/**
 * `POST /api/tickets` (session or API token): a single-use ticket valid 30 s, for `?ticket=` on a WebSocket
 * upgrade or an EventSource. `POST /internal/tickets/redeem` (X-Service-Key): the ticket's principal, once.
 */
export function ticketRoutes(ctx: AuthContext, redis: Redis): Router {
  const router = Router();
  const tickets = new TicketStore(redis, ctx.config.REDIS_KEY_PREFIX);

  router.post('/api/tickets', async (req, res) => {
    const principal = await callerGrant(ctx, req);
    if (!principal) throw httpErrors.unauthorized('not logged in');
    const { audience } = parseBody(issueBody, req.body);
    const { ticket, expiresAt } = await tickets.issue({ ...principal, ...(audience ? { audience } : {}) });
    res.status(201).json({ ticket, expires_at: expiresAt.toISOString() });
  });

  router.post('/internal/tickets/redeem', requireServiceKey(ctx.config.SERVICE_API_KEY), async (req, res) => {
    const { ticket } = parseBody(redeemBody, req.body);
    const grant = await tickets.redeem(ticket);
    if (!grant) return void res.status(401).json({ valid: false, error: 'invalid or expired ticket' });
    res.json({ valid: true, ...grant });
  });

  return router;
}

/** Who asks for a ticket: a live session, or a valid API token with its current scopes (as the token check answers). */
async function callerGrant(ctx: AuthContext, req: Request): Promise<TicketGrant | undefined> {
  const credential = presentedCredential(req);
  if (!credential) return undefined;
  if (!looksLikeApiToken(credential)) {
    const session = await ctx.sessions.authenticate(req);
    if (!session) return undefined;
    return {
      user_id: session.user.publicId,
      username: session.user.username,
      is_admin: session.isAdmin,
      kind: 'session',
      session_id: session.sessionId,
    };
  }
  const parsed = parseApiToken(credential);
  const token = parsed ? await findTokenCredential(ctx.db, parsed.id) : undefined;
  if (!parsed || !token || !secretMatches(parsed.secret, token.secretHash) || token.revokedAt || isExpired(token.expiresAt)) {
    return undefined;
  }
  return {
    user_id: token.ownerPublicId,
    username: token.ownerUsername,
    is_admin: false,
    kind: token.serviceAccountId ? 'service_account' : 'api_token',
    token_id: token.id,
    ...(token.serviceAccountId ? { service_account_id: token.serviceAccountId } : {}),
    scopes: token.scopes,
  };
}
