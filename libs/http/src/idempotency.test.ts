import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '@edd/logger';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp, HttpError, idempotency, serve, type RunningServer } from './index';

const logger = createLogger({ service: 'test', stream: new Writable({ write: (_c, _e, done) => done() }) });
const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
let running: RunningServer;
let base: string;
let created = 0;
let failNext = false;

beforeAll(async () => {
  const guard = idempotency({
    redis,
    keyPrefix: `test:http:idem:${randomBytes(6).toString('hex')}:`,
    scopeOf: (req) => req.get('x-user'),
  });
  const app = createServiceApp({ service: 'test', logger, domain: 'cloud.localhost' }, (a) => {
    a.post('/api/things', guard, (req, res) => {
      if (failNext) {
        failNext = false;
        throw new HttpError('unavailable');
      }
      created += 1;
      res.status(201).json({ id: created, name: (req.body as { name?: string }).name });
    });
  });
  running = await serve(app, { port: 0, host: '127.0.0.1', logger, handleSignals: false, graceMs: 100 });
  base = `http://127.0.0.1:${running.port}`;
});
afterAll(async () => {
  await running.close();
  redis.disconnect();
});

const create = (user: string, key: string | undefined, body: unknown) =>
  fetch(`${base}/api/things`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user': user, ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });

describe('Idempotency-Key', () => {
  it('a retry with the same key gets the first answer and creates nothing more', async () => {
    const first = await create('alice', 'retry-1', { name: 'a' });
    expect(first.status).toBe(201);
    const before = created;
    const again = await create('alice', 'retry-1', { name: 'a' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    expect(created).toBe(before);
  });

  it('the same key with another body is 422; another user with the same key gets their own thing', async () => {
    await create('alice', 'retry-2', { name: 'b' });
    const other = await create('alice', 'retry-2', { name: 'c' });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ code: 'idempotency_key_reused' });
    const bob = await create('bob', 'retry-2', { name: 'b' });
    expect(bob.headers.get('idempotent-replayed')).toBeNull();
    expect(bob.status).toBe(201);
  });

  it('does not keep a server error: the retry runs', async () => {
    failNext = true;
    expect((await create('alice', 'retry-3', { name: 'd' })).status).toBe(503);
    const retry = await create('alice', 'retry-3', { name: 'd' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('without a key every POST creates; a malformed key is 400', async () => {
    const before = created;
    await create('alice', undefined, { name: 'e' });
    await create('alice', undefined, { name: 'e' });
    expect(created).toBe(before + 2);
    expect((await create('alice', 'has space', { name: 'e' })).status).toBe(400);
  });
});

describe('what Idempotency-Key leaves in Redis', () => {
  it('keeps the answer sealed: neither the key nor the body is readable there', async () => {
    const secretName = `s3cret-${randomBytes(4).toString('hex')}`;
    const res = await create('carol', 'sealed-key', { name: secretName });
    expect(res.status).toBe(201);
    const keys = await redis.keys('test:http:idem:*idempotency:*');
    const values = await Promise.all(keys.map((k) => redis.get(k)));
    expect(keys.join()).not.toContain('sealed-key');
    expect(values.join()).not.toContain(secretName);
  });
});
