import type { Request } from 'express';
import { HttpError, httpErrors } from '@edd/http';
import type { Queryable } from '../data/queryable';
import { findActiveSession, touchSession } from '../data/sessions';
import { findUserByPublicId, type UserRow } from '../data/users';
import { isAdminUser } from '../domain/admin';
import { looksLikeApiToken } from '../domain/api-token-format';
import { readCookie, SESSION_COOKIE } from '../http/cookies';
import { verifySessionJwt } from '../keys/session-jwt';
import type { SigningKeyRing } from '../keys/signing-key-ring';

export interface AuthenticatedSession {
  sessionId: string;
  expiresAt: Date;
  user: UserRow;
  isAdmin: boolean;
}

/** The credential a request carries: the Authorization bearer wins over the cookie. */
export function presentedCredential(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (match) return match[1];
  return readCookie(req.headers.cookie, SESSION_COOKIE) || undefined;
}

/**
 * Session checks inside auth itself: the JWT must verify AND its sessions row must still be active, so logout,
 * password change and admin deletion take effect here immediately (other services learn it from events).
 */
export class SessionAuth {
  constructor(
    private readonly db: Queryable,
    private readonly keys: SigningKeyRing,
    private readonly adminUsername: string,
  ) {}

  async authenticate(req: Request): Promise<AuthenticatedSession | undefined> {
    const credential = presentedCredential(req);
    if (!credential || looksLikeApiToken(credential)) return undefined;
    const claims = await verifySessionJwt(this.keys, credential);
    if (!claims) return undefined;
    const session = await findActiveSession(this.db, claims.sessionId);
    if (!session) return undefined;
    const user = await findUserByPublicId(this.db, claims.userId);
    if (!user || user.id !== session.userId) return undefined;
    await touchSession(this.db, session.id);
    return { sessionId: session.id, expiresAt: session.expiresAt, user, isAdmin: isAdminUser(user, this.adminUsername) };
  }

  /** 401 without a live session; 403 for API tokens, which never manage identity (session only, by design). */
  async require(req: Request): Promise<AuthenticatedSession> {
    const credential = presentedCredential(req);
    if (credential && looksLikeApiToken(credential))
      throw new HttpError('session_required', 'this endpoint requires a session; API tokens are not accepted');
    const session = await this.authenticate(req);
    if (!session) throw httpErrors.unauthorized('not logged in');
    return session;
  }

  async requireAdmin(req: Request): Promise<AuthenticatedSession> {
    const session = await this.require(req);
    if (!session.isAdmin) throw new HttpError('admin_required', 'admin only');
    return session;
  }
}
