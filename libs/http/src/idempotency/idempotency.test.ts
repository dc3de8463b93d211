import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '@edd/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerWithinTransaction, createServiceApp, HttpError, idempotency, serve, type RunningServer } from '../index';
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
      // Creates in a transaction that also keeps the answer; `crash` ends the connection after the commit instead
      // of answering, as a process that dies there would; `rollback` fails the transaction after keeping it.
      a.post('/api/things-tx', guard, async (req, res) => {
        const { name, crash, rollback } = req.body as { name?: string; crash?: boolean; rollback?: boolean };
        const transaction = testStore.transaction;
        if (!transaction) throw new HttpError('unavailable', 'no transactions in this store');
        const answer = await transaction(async (db) => {
          const answer = { id: created + 1, name };
          await answerWithinTransaction(res, db, 201, answer);
          if (rollback) throw new HttpError('conflict', 'rolled back after keeping the answer');
          return answer;
        });
        created += 1;
        if (crash) res.socket?.destroy();
        else res.status(201).json(answer);
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

  const createInTransaction = (key: string, body: Record<string, unknown>) =>
    fetch(`${base}/api/things-tx`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user': 'dave', 'idempotency-key': key },
      body: JSON.stringify(body),
    });

  // Redis cannot join a SQL transaction: there the answer is kept when it is sent, as the tests above show.
  if (engine !== 'postgres') return;

  it('an answer kept in the creating transaction is replayed after a crash before it was sent, and creates nothing more', async () => {
    await expect(createInTransaction('tx-1', { name: 'f', crash: true })).rejects.toThrow();
    const before = created;
    const retry = await createInTransaction('tx-1', { name: 'f', crash: true });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual({ id: before, name: 'f' });
    expect(created).toBe(before);
  });

  it('a kept answer rolled back with its transaction is not replayed: the error is', async () => {
    const first = await createInTransaction('tx-2', { name: 'g', rollback: true });
    expect(first.status).toBe(409);
    const retry = await createInTransaction('tx-2', { name: 'g', rollback: true });
    expect(retry.status).toBe(409);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });

  it('answered normally, a transaction-kept answer is sent once and replayed as sent', async () => {
    const first = await createInTransaction('tx-3', { name: 'h' });
    expect(first.status).toBe(201);
    const retry = await createInTransaction('tx-3', { name: 'h' });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(await first.json());
  });
});
