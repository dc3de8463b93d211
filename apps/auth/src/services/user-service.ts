import { HttpError, httpErrors } from '@edd/http';
import type { AuthContext } from '../context';
import { listLiveTokenIds } from '../data/api-tokens';
import { insertAuditEntry } from '../data/audit-log';
import { listServiceAccountIdsForOwner } from '../data/service-accounts';
import { revokeUserSessions } from '../data/sessions';
import { deleteUser, insertUser, type UserRow } from '../data/users';
import { isAdminUser } from '../domain/admin';
import { ID_LENGTH, randomId } from '../domain/ids';
import { hashPassword } from '../domain/password';
import { enqueueAuthEvents, type AuthEvent } from '../events/auth-events';
import { invalidatedEvents } from './session-service';

export interface NewUserInput {
  username: string;
  password: string;
  displayName: string;
  isAdmin: boolean;
}

export function userEventData(user: UserRow, adminUsername: string) {
  return { userId: user.publicId, username: user.username, displayName: user.displayName, isAdmin: isAdminUser(user, adminUsername) };
}

/** Creates a user (409 when the username is taken) and queues `auth.user.<id>.created` with it. */
export async function createUser(
  ctx: AuthContext,
  input: NewUserInput,
  audit: { actor: string | null; ip: string | null },
): Promise<UserRow> {
  const passwordHash = await hashPassword(input.password);
  const user = await ctx.db.tx(async (client) => {
    const row = await insertUser(client, {
      publicId: randomId(ID_LENGTH.user),
      username: input.username,
      displayName: input.displayName,
      passwordHash,
      isAdmin: input.isAdmin,
    });
    if (row) {
      await insertAuditEntry(client, {
        actor: audit.actor,
        action: 'user.create',
        target: row.publicId,
        ip: audit.ip,
        outcome: 'success',
        details: { is_admin: input.isAdmin },
      });
      await enqueueAuthEvents(client, [{ type: 'auth.user.created', data: userEventData(row, ctx.config.ADMIN_USERNAME) }]);
    }
    return row;
  });
  if (!user) throw new HttpError('username_taken');
  return user;
}

/**
 * Deletes a user with everything they own. Sessions are revoked (not just cascaded away) inside the same transaction
 * so the events tell every service which sessions, tokens and identities died with the user.
 */
export async function removeUser(ctx: AuthContext, user: UserRow, audit: { actor: string; ip: string | null }): Promise<void> {
  const gone = await ctx.db.tx(async (client) => {
    const sessionIds = await revokeUserSessions(client, user.id, 'user_deleted');
    const tokenIds = await listLiveTokenIds(client, { ownerId: user.id });
    const accountIds = await listServiceAccountIdsForOwner(client, user.id);
    if (!(await deleteUser(client, user.id))) return false;
    await insertAuditEntry(client, { actor: audit.actor, action: 'user.delete', target: user.publicId, ip: audit.ip, outcome: 'success' });
    await enqueueAuthEvents(client, [
      ...invalidatedEvents(sessionIds, user.publicId, 'user_deleted'),
      ...tokenIds.map((tokenId): AuthEvent => ({ type: 'auth.token.revoked', data: { tokenId, userId: user.publicId } })),
      ...accountIds.map((serviceAccountId): AuthEvent => ({
        type: 'auth.identity.deleted',
        data: { serviceAccountId, ownerId: user.publicId },
      })),
      { type: 'auth.user.deleted', data: { userId: user.publicId, username: user.username } },
    ]);
    return true;
  });
  if (!gone) throw httpErrors.notFound('user not found');
}
