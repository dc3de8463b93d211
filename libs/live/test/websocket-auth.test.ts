// Authentication and origin rules of the WebSocket upgrade, on real sockets against the stand-in auth service.
import { startFakeAuth } from '@edd/auth-client/testing';
import { describe, expect, it } from 'vitest';
import { expectOpen, expectRefused } from './support/clients';
import { alice, liveTestSession } from './support/session';

const live = liveTestSession();

describe('WebSocket authentication', () => {
  it('accepts a session JWT as bearer or cookie, an API token as bearer, and a ticket', async () => {
    const svc = await live.start();
    const { token } = await live.auth.issueSession(alice);
    const apiToken = live.auth.createToken(alice, { [`notifications.${alice.userId}`]: ['read'] });

    const byBearer = await expectOpen(svc.wsUrl(), { authorization: `Bearer ${token}` });
    expect(byBearer.hello).toEqual({ hello: alice.userId, kind: 'session', topic: 'news' });
    const byCookie = await expectOpen(svc.wsUrl(), { cookie: `theme=dark; token=${token}`, origin: 'https://cloud.localhost' });
    expect(byCookie.hello).toMatchObject({ hello: alice.userId, kind: 'session' });
    const byToken = await expectOpen(svc.wsUrl(), { authorization: `Bearer ${apiToken.token}` });
    expect(byToken.hello).toMatchObject({ hello: alice.userId, kind: 'api_token' });
    // A browser on another platform origin, which cannot set headers on a WebSocket.
    const ticket = live.auth.issueTicket(alice, { audience: 'notifications' });
    const byTicket = await expectOpen(svc.wsUrl(`/api/live/news?ticket=${ticket}`), { origin: 'https://dashboard.cloud.localhost' });
    expect(byTicket.hello).toMatchObject({ hello: alice.userId, kind: 'session' });
    // The ticket wins over a stale cookie: it is the explicit credential.
    const second = live.auth.issueTicket(alice);
    expect((await expectOpen(svc.wsUrl(`/api/live/news?ticket=${second}`), { cookie: 'token=stale' })).hello).toMatchObject({
      hello: alice.userId,
    });
    for (const { ws } of [byBearer, byCookie, byToken, byTicket]) ws.terminate();
    expect(svc.logs.join('')).not.toContain(ticket);
  });

  it('refuses without a credential, with a bad one, and never reads ?token=', async () => {
    const svc = await live.start();
    const { token } = await live.auth.issueSession(alice);
    const none = await expectRefused(svc.wsUrl());
    expect(none).toMatchObject({ status: 401, body: { error: 'authentication required' } });
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect((await expectRefused(svc.wsUrl(), { authorization: 'Bearer not-a-jwt' })).status).toBe(401);
    expect((await expectRefused(svc.wsUrl(), { authorization: 'Basic abc' })).status).toBe(401);
    expect((await expectRefused(svc.wsUrl(), { cookie: 'token=expired.or.forged' })).status).toBe(401);
    expect((await expectRefused(svc.wsUrl(`/api/live/news?token=${token}`))).status).toBe(401);
  });

  it('refuses missing, invalid, expired, reused and foreign-audience tickets', async () => {
    const svc = await live.start();
    expect((await expectRefused(svc.wsUrl('/api/live/news?ticket='))).status).toBe(401);
    expect((await expectRefused(svc.wsUrl('/api/live/news?ticket=never-issued-ticket-0000000000'))).status).toBe(401);

    const expired = live.auth.issueTicket(alice);
    live.auth.expireTicket(expired);
    expect(await expectRefused(svc.wsUrl(`/api/live/news?ticket=${expired}`))).toMatchObject({
      status: 401,
      body: { error: 'invalid or expired ticket' },
    });

    const once = live.auth.issueTicket(alice);
    (await expectOpen(svc.wsUrl(`/api/live/news?ticket=${once}`))).ws.terminate();
    expect((await expectRefused(svc.wsUrl(`/api/live/news?ticket=${once}`))).status).toBe(401);

    const forCompute = live.auth.issueTicket(alice, { audience: 'compute' });
    expect(await expectRefused(svc.wsUrl(`/api/live/news?ticket=${forCompute}`))).toMatchObject({
      status: 401,
      body: { error: 'ticket issued for another service' },
    });
    const two = [live.auth.issueTicket(alice), live.auth.issueTicket(alice)];
    expect((await expectRefused(svc.wsUrl(`/api/live/news?ticket=${two[0]}&ticket=${two[1]}`))).status).toBe(401);
  });

  it('refuses a browser of a foreign origin even with a valid cookie (cross-site WebSocket hijacking)', async () => {
    const svc = await live.start();
    const { token } = await live.auth.issueSession(alice);
    for (const origin of ['https://evil.example', 'null', 'https://x.y.cloud.localhost', 'https://cloud.localhost.evil.example']) {
      expect(await expectRefused(svc.wsUrl(), { cookie: `token=${token}`, origin })).toMatchObject({
        status: 403,
        body: { error: 'origin not allowed' },
      });
    }
    const ticket = live.auth.issueTicket(alice);
    expect((await expectRefused(svc.wsUrl(`/api/live/news?ticket=${ticket}`), { origin: 'https://evil.example' })).status).toBe(403);
    // The refused attempt did not burn the ticket.
    (await expectOpen(svc.wsUrl(`/api/live/news?ticket=${ticket}`))).ws.terminate();
  });

  it('answers 404 for a path no endpoint serves and 403 when authorize says no', async () => {
    const svc = await live.start();
    const { token } = await live.auth.issueSession(alice);
    const bearer = { authorization: `Bearer ${token}` };
    expect(await expectRefused(svc.wsUrl('/api/elsewhere'), bearer)).toMatchObject({ status: 404, body: { error: 'not found' } });
    expect(await expectRefused(svc.wsUrl('/api/live/forbidden'), bearer)).toMatchObject({ status: 403, body: { error: 'forbidden' } });
  });

  it('answers 503 when the auth service cannot be reached', async () => {
    const down = await startFakeAuth();
    const svc = await live.start({ auth: down });
    const { token } = await down.issueSession(alice);
    await down.close();
    const refused = await expectRefused(svc.wsUrl(), { authorization: `Bearer ${token}` });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
  });
});
