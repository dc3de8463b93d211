import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '@edd/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp, HttpError, idempotency, serve, type RunningServer } from '../index';
import { describeIdempotencyStore } from './idempotency-store.contract';
import { postgresTestStore, redisTestStore, type TestStore } from './test-stores';

const logger = createLogger({ service: 'test', stream: new Writable({ write: (_c, _e, done) => done() }) });

const engines: Array<[string, () => TestStore | Promise<TestStore>]> = [
  ['redis', redisTestStore],
  ['postgres', postgresTestStore],
];

describe.each(engines)('Idempotency-Key on %s', (engine, open) => {
  let testStore: TestStore;
  let running: RunningServer;
  let base: string;
  let created = 0;
  let failNext = false;

  beforeAll(async () => {
    testStore = await open();
    const guard = idempotency({ store: testStore.store, scopeOf: (req) => req.get('x-user') });
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
    await testStore.close();
  });

  describeIdempotencyStore(engine, () => testStore.store);

  const create = (user: string, key: string | undefined, body: unknown) =>
    fetch(`${base}/api/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user': user, ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });

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

  it('keeps the answer sealed: neither the key nor the body is readable in the store', async () => {
    const secretName = `s3cret-${randomBytes(4).toString('hex')}`;
    const res = await create('carol', 'sealed-key', { name: secretName });
    expect(res.status).toBe(201);
    const dump = await testStore.dump();
    expect(dump).toMatch(/[0-9a-f]{64}/);
    expect(dump).not.toContain('sealed-key');
    expect(dump).not.toContain(secretName);
  });
});
