import { Router } from 'express';
import { loginRequestSchema } from '@edd/api-contracts';
import { HttpError, parseBody } from '@edd/http';
import type { AuthContext } from '../context';
import { insertAuditEntry } from '../data/audit-log';
import { revokeSession } from '../data/sessions';
import { findUserByUsername } from '../data/users';
import { verifyAgainstDummy, verifyPassword } from '../domain/password';
import { isValidUsername, normalizeUsername } from '../domain/usernames';
import { clientIp } from '../http/client-info';
import { SESSION_COOKIE, sessionCookieOptions } from '../http/cookies';
import { enforceLoginLimit, recordLoginFailure } from '../security/login-rate-limiter';
import { enqueueAuthEvents } from '../events/auth-events';
import { invalidatedEvents, startSession } from '../services/session-service';

/** POST /api/login, POST /api/logout, GET /api/session. */
export function loginRoutes(ctx: AuthContext): Router {
  const router = Router();

  router.post('/api/login', async (req, res) => {
    const body = parseBody(loginRequestSchema, req.body);
    const username = normalizeUsername(body.username);
    const ip = clientIp(req);
    const knownFormat = isValidUsername(username);
    const audited: Record<string, string> = knownFormat ? { username } : {};

    try {
      await enforceLoginLimit(ctx.limiter, ctx.logger, ip, username);
    } catch (error) {
      if (error instanceof HttpError && error.code === 'rate_limited')
        await insertAuditEntry(ctx.db, {
          actor: null,
          action: 'login',
          ip,
          outcome: 'denied',
          details: { ...audited, reason: 'rate_limited' },
        });
      throw error;
    }

    const user = knownFormat ? await findUserByUsername(ctx.db, username) : undefined;
    // Unknown users cost the same scrypt work as known ones: the answer time does not reveal which usernames exist.
    const valid = user ? await verifyPassword(body.password, user.passwordHash) : await verifyAgainstDummy(body.password);
    if (!user || !valid) {
      await recordLoginFailure(ctx.limiter, ctx.logger, username);
      await insertAuditEntry(ctx.db, {
        actor: null,
        action: 'login',
        target: user?.publicId ?? null,
        ip,
        outcome: 'failure',
        details: { ...audited, reason: user ? 'wrong_password' : 'unknown_user' },
      });
      throw new HttpError('invalid_login');
    }

    await ctx.limiter.recordSuccess(ip, username);
    const { token, isAdmin } = await startSession(ctx, user, req);
    // An audit entry of the log service (kept in its archive, shown live on the dashboard's Logs page).
    req.log.info('signed in', { username: user.username, audit: 'true' });
    res.cookie(SESSION_COOKIE, token, sessionCookieOptions(req, ctx.config.EDD_DOMAIN, ctx.config.SESSION_TTL));
    res.json({ user_id: user.publicId, username: user.username, display_name: user.displayName, is_admin: isAdmin, token });
  });

  router.post('/api/logout', async (req, res) => {
    const session = await ctx.sessions.authenticate(req);
    if (session) {
      await ctx.db.tx(async (client) => {
        const row = await revokeSession(client, session.sessionId, 'logout');
        if (!row) return;
        await insertAuditEntry(client, {
          actor: session.user.publicId,
          action: 'logout',
          target: session.sessionId,
          ip: clientIp(req),
          outcome: 'success',
        });
        await enqueueAuthEvents(client, invalidatedEvents([row.id], session.user.publicId, 'logout'));
      });
    }
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(req, ctx.config.EDD_DOMAIN));
    res.json({ status: 'ok' });
  });

  router.get('/api/session', async (req, res) => {
    const { user, isAdmin, sessionId, expiresAt } = await ctx.sessions.require(req);
    res.json({
      user_id: user.publicId,
      username: user.username,
      display_name: user.displayName,
      is_admin: isAdmin,
      session_id: sessionId,
      expires_at: expiresAt.toISOString(),
    });
  });

  return router;
}
