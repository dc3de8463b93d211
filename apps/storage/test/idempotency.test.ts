import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createNamespace, startStorage, uniqueName, type Storage } from './harness';

let storage: Storage;
beforeAll(async () => {
  storage = await startStorage('idempotency');
});
afterAll(async () => storage?.close());

/** Issue 14 item 6: a POST answered 504 may have run; its retry with the same key must not create a second thing. */
describe('Idempotency-Key on storage creates', () => {
  it('a namespace: the same key and body twice is one namespace, answered alike; another body is 422', async () => {
    const alice = await storage.user('alice');
    const name = uniqueName();
    const post = (json: unknown) =>
      call(storage.url, 'POST', '/storage/namespaces', { token: alice.token, json, headers: { 'idempotency-key': 'ns-1' } });
    const first = await post({ name });
    const again = await post({ name });
    expect(first.status, first.text).toBe(201);
    // Without the key the second POST would be a 409 (the name is taken): here it is the first answer again.
    expect(again.status, again.text).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await post({ name: uniqueName() });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'idempotency_key_reused' });
    const listed = await call<{ namespaces: unknown[] }>(storage.url, 'GET', '/storage/namespaces', { token: alice.token });
    expect(listed.body.namespaces).toHaveLength(1);
  });

  it('a share link: the same key twice is one link; no key, one link per POST', async () => {
    const bob = await storage.user('bob');
    const ns = uniqueName();
    await createNamespace(storage.url, bob.token, ns);
    await call(storage.url, 'POST', `/storage/${ns}/f.txt`, { token: bob.token, raw: 'bytes' });
    const json = { namespace: ns, path: 'f.txt', expires_in: 3600 };
    const share = (headers: Record<string, string>) =>
      call<{ id: string }>(storage.url, 'POST', '/storage/shares', { token: bob.token, json, headers });
    const first = await share({ 'idempotency-key': 'share-1' });
    const again = await share({ 'idempotency-key': 'share-1' });
    expect(first.status, first.text).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const [a, b] = [await share({}), await share({})];
    expect(new Set([first.body.id, a.body.id, b.body.id]).size).toBe(3);
  });

  it('keeps each answer in the transaction that creates: a crash between the commit and the answer cannot lose it', async () => {
    const carol = await storage.user('carol');
    const name = uniqueName();
    const created = await call<{ id: string }>(storage.url, 'POST', '/storage/namespaces', {
      token: carol.token,
      json: { name },
      headers: { 'idempotency-key': 'ns-tx' },
    });
    expect(created.status, created.text).toBe(201);
    await call(storage.url, 'POST', `/storage/${name}/f.txt`, { token: carol.token, raw: 'bytes' });
    const share = await call<{ id: string }>(storage.url, 'POST', '/storage/shares', {
      token: carol.token,
      json: { namespace: name, path: 'f.txt', expires_in: 60 },
      headers: { 'idempotency-key': 'share-tx' },
    });
    expect(share.status, share.text).toBe(201);
    // xmin is the transaction that wrote a row: each created row and its kept answer must share it. The store's key
    // is a hash of the caller and the Idempotency-Key (@edd/http).
    const storeKey = (key: string) => createHash('sha256').update(`${carol.userId}\0${key}`).digest('hex');
    const written = await storage.db.query(
      `SELECT (SELECT xmin::text FROM namespaces WHERE name = $1) AS ns_tx,
              (SELECT xmin::text FROM idempotency_keys WHERE key = $2 AND status = 201) AS ns_answer_tx,
              (SELECT xmin::text FROM shares WHERE id = $3) AS share_tx,
              (SELECT xmin::text FROM idempotency_keys WHERE key = $4 AND status = 201) AS share_answer_tx`,
      [name, storeKey('ns-tx'), share.body.id, storeKey('share-tx')],
    );
    const row = written.rows[0] as Record<string, string | null>;
    expect(row['ns_tx']).not.toBeNull();
    expect(row['ns_answer_tx']).toBe(row['ns_tx']);
    expect(row['share_tx']).not.toBeNull();
    expect(row['share_answer_tx']).toBe(row['share_tx']);
  });
});
