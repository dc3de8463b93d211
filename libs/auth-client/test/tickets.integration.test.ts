// Tickets against a real (stand-in) auth service over real sockets: single use, expiry, refusal mapping.
import { describe, expect, it } from 'vitest';
import { AuthError, createAuthClient } from '../src/index';
import { MemoryBus } from './support/memory-bus';
import { alice, root, useTestEnv } from './support/test-env';

const env = useTestEnv();
const client = (overrides: { serviceKey?: string; authBaseUrl?: string; bus?: MemoryBus } = {}) =>
  createAuthClient({ authBaseUrl: env.auth.url, serviceKey: env.auth.serviceKey, timeoutMs: 1_000, ...overrides });

async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return { status: (error as AuthError).status, message: (error as AuthError).message };
}

describe('redeemTicket', () => {
  it('answers the principal and the audience once, then refuses the replay', async () => {
    const ticket = env.auth.issueTicket(alice, { sessionId: 'sess0000001', audience: 'notifications' });
    const auth = client();
    expect(await auth.redeemTicket(ticket)).toEqual({
      principal: { userId: alice.userId, username: 'alice', isAdmin: false, kind: 'session', sessionId: 'sess0000001' },
      audience: 'notifications',
    });
    expect(await refusal(auth.redeemTicket(ticket))).toEqual({ status: 401, message: 'invalid or expired ticket' });
  });

  it('keeps only known actions of a token ticket, and never makes a token an admin', async () => {
    const scopes = { [`storage.${alice.userId}.files`]: ['read', 'fly'] as never };
    const ticket = env.auth.issueTicket(root, { kind: 'api_token', tokenId: 'tok0000001', isAdmin: true, scopes });
    const { principal } = await client().redeemTicket(ticket);
    expect(principal).toMatchObject({ kind: 'api_token', isAdmin: false, tokenId: 'tok0000001' });
    expect(principal.scopes).toEqual({ [`storage.${alice.userId}.files`]: ['read'] });
  });

  it('refuses expired and malformed tickets (a malformed one without asking auth)', async () => {
    const ticket = env.auth.issueTicket(alice);
    env.auth.expireTicket(ticket);
    expect((await refusal(client().redeemTicket(ticket))).status).toBe(401);
    const before = env.auth.calls.redeem;
    expect((await refusal(client().redeemTicket('a b'))).status).toBe(401);
    expect((await refusal(client().redeemTicket(''))).status).toBe(401);
    expect(env.auth.calls.redeem).toBe(before);
  });

  it('refuses a ticket of a session revoked by an event since it was issued', async () => {
    const bus = new MemoryBus();
    const auth = client({ bus });
    await auth.ready();
    const ticket = env.auth.issueTicket(alice, { sessionId: 'sessRevoked1' });
    bus.emit('auth.session.invalidated', { sessionId: 'sessRevoked1', userId: alice.userId, reason: 'logout' });
    expect((await refusal(auth.redeemTicket(ticket))).status).toBe(401);
    await auth.close();
  });

  it('a refused service key or an unreachable auth is 503, never the caller’s 401', async () => {
    const ticket = env.auth.issueTicket(alice);
    expect((await refusal(client({ serviceKey: 'wrong' }).redeemTicket(ticket))).status).toBe(503);
    expect((await refusal(client({ authBaseUrl: 'http://127.0.0.1:1' }).redeemTicket(ticket))).status).toBe(503);
    // Neither attempt consumed it.
    expect((await client().redeemTicket(ticket)).principal.userId).toBe(alice.userId);
  });
});
