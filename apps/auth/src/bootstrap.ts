import type { AuthContext } from './context';
import { countUsers, findUserByUsername, insertUser } from './data/users';
import { insertAuditEntry } from './data/audit-log';
import { DEV_DEFAULTS } from './config';
import { ID_LENGTH, randomId } from './domain/ids';
import { hashPassword, passwordProblem } from './domain/password';
import { isValidUsername } from './domain/usernames';
import { enqueueAuthEvents } from './events/auth-events';
import { userEventData } from './services/user-service';

/**
 * First start: when the users table is empty, creates DEFAULT_USERNAME (an admin) with DEFAULT_PASSWORD.
 * Replicas starting together create it once (advisory lock + re-check). Logs how to log in either way.
 */
export async function seedDefaultUser(ctx: AuthContext): Promise<void> {
  const { DEFAULT_USERNAME: username, DEFAULT_PASSWORD: password, EDD_DOMAIN } = ctx.config;
  const dashboard = `http://${EDD_DOMAIN}:18080`; // the dashboard, through the dev gateway
  // Never the password itself, not even the development default: log lines end up in files and in the log service.
  const shownPassword =
    password === DEV_DEFAULTS.defaultPassword ? 'the development default (docs/development.md)' : 'the DEFAULT_PASSWORD value';

  if ((await countUsers(ctx.db)) === 0) {
    if (!password) {
      ctx.logger.warn('no users exist and DEFAULT_PASSWORD is not set: nobody can log in until it is set and auth restarts');
      return;
    }
    const problem = passwordProblem(password);
    if (problem || !isValidUsername(username))
      throw new Error(`cannot create the default user: ${problem ?? 'DEFAULT_USERNAME is not a valid username'}`);
    const passwordHash = await hashPassword(password);
    const created = await ctx.db.tx(async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('auth.default_user'))`);
      if ((await countUsers(client)) > 0) return undefined;
      const user = await insertUser(client, {
        publicId: randomId(ID_LENGTH.user),
        username,
        displayName: username,
        passwordHash,
        isAdmin: true,
      });
      if (user) {
        await insertAuditEntry(client, {
          actor: null,
          action: 'user.create',
          target: user.publicId,
          outcome: 'success',
          details: { reason: 'default_user' },
        });
        await enqueueAuthEvents(client, [{ type: 'auth.user.created', data: userEventData(user, ctx.config.ADMIN_USERNAME) }]);
      }
      return user;
    });
    if (created) {
      ctx.logger.info(`created the default admin user: log in at ${dashboard} as "${username}" with password ${shownPassword}`);
      return;
    }
  }
  if (ctx.config.NODE_ENV !== 'production' && (await findUserByUsername(ctx.db, username)))
    ctx.logger.info(`login hint: ${dashboard} as "${username}" with password ${shownPassword}, unless it was changed`);
}
