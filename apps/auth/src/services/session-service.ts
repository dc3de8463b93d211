import type { Request } from 'express';
import type { AuthContext } from '../context';
import { insertAuditEntry } from '../data/audit-log';
import { insertSession, type RevokeReason } from '../data/sessions';
import type { UserRow } from '../data/users';
import { isAdminUser } from '../domain/admin';
import { ID_LENGTH, randomId } from '../domain/ids';
import { enqueueAuthEvents, type AuthEvent } from '../events/auth-events';
import { noticeIfNewDevice } from '../events/auth-notices';
import { clientIp, userAgent } from '../http/client-info';
import { signSessionJwt } from '../keys/session-jwt';

/** Records a session, audits the login and queues `auth.session.<id>.created` in one transaction; returns the signed JWT. */
export async function startSession(ctx: AuthContext, user: UserRow, req: Request) {
  const expiresAt = new Date(Date.now() + ctx.config.SESSION_TTL);
  const isAdmin = isAdminUser(user, ctx.config.ADMIN_USERNAME);
  const ip = clientIp(req);
  const session = await ctx.db.tx(async (client) => {
    await noticeIfNewDevice(client, user, userAgent(req));
    const row = await insertSession(client, { id: randomId(ID_LENGTH.session), userId: user.id, expiresAt, ip, userAgent: userAgent(req) });
    await insertAuditEntry(client, {
      actor: user.publicId,
      action: 'login',
      target: user.publicId,
      ip,
      outcome: 'success',
      details: { session_id: row.id },
    });
    await enqueueAuthEvents(client, [
      { type: 'auth.session.created', data: { sessionId: row.id, userId: user.publicId, expiresAt: row.expiresAt.toISOString() } },
    ]);
    return row;
  });
  const token = await signSessionJwt(
    ctx.keys,
    { userId: user.publicId, sessionId: session.id, username: user.username, displayName: user.displayName, isAdmin },
    session.expiresAt,
  );
  return { token, session, isAdmin };
}

/** `auth.session.<id>.invalidated` events for sessions revoked in a transaction. */
export function invalidatedEvents(sessionIds: readonly string[], userPublicId: string, reason: RevokeReason): AuthEvent[] {
  return sessionIds.map((sessionId) => ({
    type: 'auth.session.invalidated' as const,
    data: { sessionId, userId: userPublicId, reason },
  }));
}
