import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../control/testing';
import { ComputeSshAuthorizer } from './authorizer';

const query = { containerId: 'abcd1234', login: 'root', fingerprint: `SHA256:${'A'.repeat(43)}` };
const grant = { address: '10.0.0.2', port: 22, hostKey: 'ssh-ed25519 AAAA', platformPrivateKey: 'k', user: 'root', ownerId: 'u1' };

describe('ComputeSshAuthorizer', () => {
  let server: Server;
  let url = '';
  let answer: { status: number; body: unknown } = { status: 200, body: { allow: true, ...grant } };
  let calls = 0;
  const seenKeys: Array<string | undefined> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      calls++;
      seenKeys.push(req.headers['x-service-key'] as string | undefined);
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const make = (cacheMs: number, maxEntries?: number) =>
    new ComputeSshAuthorizer({ baseUrl: url, serviceKey: 'svc-key', logger: memoryLogger(), cacheMs, maxEntries });

  it('asks compute with the service key and caches the answer for the period', async () => {
    answer = { status: 200, body: { allow: true, ...grant } };
    const authorizer = make(60_000);
    const before = calls;
    expect(await authorizer.authorize(query)).toEqual({ allow: true, grant });
    expect(await authorizer.authorize(query)).toEqual({ allow: true, grant });
    expect(calls - before).toBe(1);
    expect(seenKeys.at(-1)).toBe('svc-key');
  });

  it('asks again once the period is over, and always with a period of 0', async () => {
    const authorizer = make(0);
    const before = calls;
    await authorizer.authorize(query);
    await authorizer.authorize(query);
    expect(calls - before).toBe(2);
  });

  it('refuses (uncached) when compute fails, answers an error or an invalid body', async () => {
    const authorizer = make(60_000);
    answer = { status: 500, body: { error: 'internal' } };
    expect(await authorizer.authorize(query)).toMatchObject({ allow: false, reason: expect.stringMatching(/^compute answered 500/) });
    answer = { status: 200, body: { allow: true } };
    expect(await authorizer.authorize(query)).toMatchObject({
      allow: false,
      reason: expect.stringMatching(/^compute sent an invalid answer/),
    });
    answer = { status: 200, body: 'not json' };
    expect(await authorizer.authorize(query)).toMatchObject({ allow: false });
    const unreachable = new ComputeSshAuthorizer({ baseUrl: 'http://127.0.0.1:1', logger: memoryLogger(), cacheMs: 60_000 });
    expect(await unreachable.authorize(query)).toMatchObject({ allow: false, reason: expect.stringMatching(/^compute unreachable/) });
    // None of those stuck: a healthy compute is asked at the next login.
    answer = { status: 200, body: { allow: false, reason: 'no such container' } };
    expect(await authorizer.authorize(query)).toEqual({ allow: false, reason: 'no such container' });
  });

  it('keeps at most maxEntries answers, dropping the oldest', async () => {
    answer = { status: 200, body: { allow: true, ...grant } };
    const authorizer = make(60_000, 2);
    const before = calls;
    for (const containerId of ['aaaa0001', 'aaaa0002', 'aaaa0003', 'aaaa0001']) await authorizer.authorize({ ...query, containerId });
    expect(calls - before).toBe(4);
  });
});
