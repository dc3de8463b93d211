// Test helpers of @edd/auth-client, for this lib's tests and for libs built on it (@edd/live).
export { randomId, startFakeAuth } from './testing/fake-auth-server';
export type { FakeAuth, SessionUser, TicketGrantOptions } from './testing/fake-auth-server';
