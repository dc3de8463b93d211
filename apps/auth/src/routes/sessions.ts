import { Router } from 'express';
import { httpErrors } from '@edd/http';
import type { AuthContext } from '../context';
import { insertAuditEntry } from '../data/audit-log';
import { findActiveSession, listActiveSessionsForUser, revokeSession } from '../data/sessions';
import { isPublicId } from '../domain/ids';
import { clientIp, param } from '../http/client-info';
import { sessionView } from '../http/views';
import { enqueueAuthEvents } from '../events/auth-events';
import { invalidatedEvents } from '../services/session-service';

/** GET /api/sessions (own active sessions), DELETE /api/sessions/:id (end one of them). */
export function sessionRoutes(ctx: AuthContext): Router {
  const router = Router();

  router.get('/api/sessions', async (req, res) => {
    const session = await ctx.sessions.require(req);
    const rows = await listActiveSessionsForUser(ctx.db, session.user.id);
    res.json(rows.map((row) => sessionView(row, session.sessionId)));
  });

  router.delete('/api/sessions/:id', async (req, res) => {
    const session = await ctx.sessions.require(req);
    const id = param(req, 'id');
    const target = isPublicId(id) ? await findActiveSession(ctx.db, id) : undefined;
    // Someone else's session answers exactly like a missing one.
    if (!target || target.userId !== session.user.id) throw httpErrors.notFound('session not found');
    await ctx.db.tx(async (client) => {
      const row = await revokeSession(client, id, 'logout');
      if (row) {
        await insertAuditEntry(client, {
          actor: session.user.publicId,
          action: 'session.revoke',
          target: id,
          ip: clientIp(req),
          outcome: 'success',
        });
        await enqueueAuthEvents(client, invalidatedEvents([id], session.user.publicId, 'logout'));
      }
    });
    res.json({ status: 'ok' });
  });

  return router;
}
