// Revocations through the real event bus (NATS JetStream at NATS_URL): refused within a second.
import type { EventBus } from '@edd/events';
import { connectTestBus, randomToken, waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAuth } from '../src/testing';
import type { FakeAuth } from '../src/testing';
import { call, startProtectedService } from './support/protected-service';
import type { ProtectedService } from './support/protected-service';

let auth: FakeAuth;
let publisher: EventBus;
let subscriberBus: EventBus;
let svc: ProtectedService;
const user = { userId: randomToken('u').replace('-', ''), username: 'nats-user' };

beforeAll(async () => {
  auth = await startFakeAuth();
  publisher = await connectTestBus('auth-client-test-publisher');
  subscriberBus = await connectTestBus('auth-client-test-subscriber');
  // Long cache TTLs: only the events can make these refusals happen within a second.
  svc = await startProtectedService({
    authBaseUrl: auth.url,
    serviceKey: auth.serviceKey,
    bus: subscriberBus,
    tokenCacheTtlMs: 10 * 60_000,
    sessionCheckTtlMs: 10 * 60_000,
  });
});

afterAll(async () => {
  await svc?.close();
  await subscriberBus?.close();
  await publisher?.close();
  await auth?.close();
});

describe('revocation events over NATS', () => {
  it('refuses a revoked API token within a second', async () => {
    const { token, id } = auth.createToken(user, { [`storage.${user.userId}.files`]: ['read'] });
    expect((await call(`${svc.url}/files/${user.userId}/ns`, { bearer: token })).status).toBe(200);
    auth.revokeToken(id);
    await publisher.publish('auth.token.revoked', { tokenId: id, userId: user.userId });
    await waitFor(async () => (await call(`${svc.url}/files/${user.userId}/ns`, { bearer: token })).status === 401, 1_000, 20);
  });

  it('refuses an invalidated session within a second', async () => {
    const { token, sessionId } = await auth.issueSession(user);
    expect((await call(`${svc.url}/me`, { bearer: token })).status).toBe(200);
    auth.revokeSession(sessionId);
    await publisher.publish('auth.session.invalidated', { sessionId, userId: user.userId, reason: 'logout' });
    await waitFor(async () => (await call(`${svc.url}/me`, { bearer: token })).status === 401, 1_000, 20);
  });
});
