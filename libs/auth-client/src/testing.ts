// Test helpers of @edd/auth-client, for this lib's tests and for libs built on it (@edd/live).
import { randomBytes } from 'node:crypto';
import type { ScopeGrants } from '@edd/scopes';
import type { FakeAuth } from './testing/fake-auth-server';

export { randomId, startFakeAuth } from './testing/fake-auth-server';
export type { FakeAuth, SessionUser, TicketGrantOptions } from './testing/fake-auth-server';

export interface TestUser {
  userId: string;
  username: string;
  /** A session token of this user. */
  token: string;
  /** An API token of this user with exactly these grants. */
  apiToken(scopes: ScopeGrants): string;
}

/**
 * Signs in new users on `auth`: each call makes one with a fresh id (`name`, a count, random hex), so tests sharing
 * a database never meet. `mixedCase` puts an uppercase letter in every id (case bugs hide behind lowercase ids).
 */
export function testUsers(auth: FakeAuth, options: { mixedCase?: boolean } = {}) {
  let count = 0;
  return async (name = 'user', { isAdmin = false }: { isAdmin?: boolean } = {}): Promise<TestUser> => {
    count += 1;
    const userId = `${name}${count}${options.mixedCase ? 'X' : ''}${randomBytes(3).toString('hex')}`;
    const who = { userId, username: userId, isAdmin };
    const { token } = await auth.issueSession(who);
    return { userId, username: userId, token, apiToken: (scopes) => auth.createToken(who, scopes).token };
  };
}
