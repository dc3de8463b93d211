import { Router } from 'express';
import { passwordChangeSchema, profileUpdateSchema } from '@edd/api-contracts';
import { HttpError, httpErrors, parseBody } from '@edd/http';
import type { AuthContext } from '../context';
import { insertAuditEntry } from '../data/audit-log';
import { revokeUserSessions } from '../data/sessions';
import { updateDisplayName, updatePasswordHash } from '../data/users';
import { hashPassword, passwordProblem, verifyPassword } from '../domain/password';
import { clientIp } from '../http/client-info';
import { weakPassword } from '../http/weak-password';
import { enforceLoginLimit, recordLoginFailure } from '../security/login-rate-limiter';
import { enqueueAuthEvents } from '../events/auth-events';
import { invalidatedEvents } from '../services/session-service';

/** PUT /api/settings/profile, PUT /api/settings/password. */
export function settingsRoutes(ctx: AuthContext): Router {
  const router = Router();

  router.put('/api/settings/profile', async (req, res) => {
    const session = await ctx.sessions.require(req);
    const body = parseBody(profileUpdateSchema, req.body);
    const user = await ctx.db.tx(async (client) => {
      const row = await updateDisplayName(client, session.user.id, body.display_name);
      if (row)
        await enqueueAuthEvents(client, [
          {
            type: 'auth.user.updated',
            data: { userId: row.publicId, username: row.username, displayName: row.displayName, isAdmin: session.isAdmin },
          },
        ]);
      return row;
    });
    if (!user) throw httpErrors.unauthorized('not logged in');
    res.json({ user_id: user.publicId, username: user.username, display_name: user.displayName });
  });

  /** Changing the password ends every other session of the user (the current one stays logged in). */
  router.put('/api/settings/password', async (req, res) => {
    const session = await ctx.sessions.require(req);
    const body = parseBody(passwordChangeSchema, req.body);
    const ip = clientIp(req);
    // A stolen session must not become a password-guessing oracle: the login limits apply here too.
    await enforceLoginLimit(ctx.limiter, ctx.logger, ip, session.user.username);
    if (!(await verifyPassword(body.current_password, session.user.passwordHash))) {
      await recordLoginFailure(ctx.limiter, ctx.logger, session.user.username);
      await insertAuditEntry(ctx.db, {
        actor: session.user.publicId,
        action: 'password.change',
        target: session.user.publicId,
        ip,
        outcome: 'failure',
      });
      throw new HttpError('wrong_password');
    }
    const problem = passwordProblem(body.new_password);
    if (problem) throw weakPassword('new_password', problem);
    await ctx.limiter.recordSuccess(ip, session.user.username);

    const passwordHash = await hashPassword(body.new_password);
    const ended = await ctx.db.tx(async (client) => {
      await updatePasswordHash(client, session.user.id, passwordHash);
      const ids = await revokeUserSessions(client, session.user.id, 'password_change', session.sessionId);
      await insertAuditEntry(client, {
        actor: session.user.publicId,
        action: 'password.change',
        target: session.user.publicId,
        ip,
        outcome: 'success',
        details: { sessions_ended: ids.length },
      });
      await enqueueAuthEvents(client, invalidatedEvents(ids, session.user.publicId, 'password_change'));
      return ids;
    });
    res.json({ status: 'ok', sessions_ended: ended.length });
  });

  return router;
}
