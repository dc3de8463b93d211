import { createHash } from 'node:crypto';
import { generateEd25519Pair } from '@edd/ssh-keys';
import { waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, outboxEvents, startCompute, type Compute, type TestUser } from './harness';

let compute: Compute;
beforeAll(async () => {
  compute = await startCompute('idempotency');
});
afterAll(async () => compute?.close());

const create = (user: TestUser, json: Record<string, unknown>, key?: string) =>
  call<Record<string, unknown> & { id: string }>(compute.url, 'POST', '/compute/containers', {
    token: user.token,
    json,
    headers: key ? { 'idempotency-key': key } : {},
  });

const containersOf = async (user: TestUser) =>
  (await call<{ containers: Array<{ id: string; name: string }> }>(compute.url, 'GET', '/compute/containers', { token: user.token })).body
    .containers;

/** Issue 14 item 6: a POST answered 504 may have run; its retry must not create a second container. */
describe('Idempotency-Key on container creation', () => {
  it('the same key and body twice creates one container and replays the first answer', async () => {
    const alice = await compute.user('alice');
    const first = await create(alice, { name: 'web' }, 'create-web-1');
    expect(first.status, first.text).toBe(201);
    const again = await create(alice, { name: 'web' }, 'create-web-1');
    expect(again.status, again.text).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await containersOf(alice)).map((c) => c.id)).toEqual([first.body.id]);
    // The runtime was asked for that one container only.
    await waitFor(() => compute.runtime.applied.some((s) => s.id === first.body.id));
    const { rows } = await compute.db.query('SELECT count(*)::int AS n FROM containers WHERE owner_id = $1', [alice.userId]);
    expect(rows[0]).toEqual({ n: 1 });
  });

  it('the same key with another body is 422 idempotency_key_reused and creates nothing', async () => {
    const bob = await compute.user('bob');
    expect((await create(bob, { name: 'one' }, 'create-2')).status).toBe(201);
    const other = await create(bob, { name: 'two' }, 'create-2');
    expect(other.status, other.text).toBe(422);
    expect(other.body).toMatchObject({ code: 'idempotency_key_reused' });
    expect((await containersOf(bob)).map((c) => c.name)).toEqual(['one']);
  });

  it("one user's key never answers another's request", async () => {
    const [carol, dave] = [await compute.user('carol'), await compute.user('dave')];
    const mine = await create(carol, { name: 'box' }, 'shared-key');
    const theirs = await create(dave, { name: 'box' }, 'shared-key');
    expect(theirs.status, theirs.text).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(await containersOf(dave)).toHaveLength(1);
  });

  it('without a key, each POST creates a container', async () => {
    const erin = await compute.user('erin');
    // Names are unique per user: the same body twice would be a 409, not a second container.
    expect((await create(erin, { name: 'a' })).status).toBe(201);
    expect((await create(erin, { name: 'b' })).status).toBe(201);
    expect(await containersOf(erin)).toHaveLength(2);
  });

  it('an SSH key added twice with one Idempotency-Key is one key, answered twice alike', async () => {
    const frank = await compute.user('frank');
    const json = { name: 'laptop', public_key: generateEd25519Pair().publicKey };
    const headers = { 'idempotency-key': 'add-laptop' };
    const first = await call(compute.url, 'POST', '/compute/ssh-keys', { token: frank.token, json, headers });
    const again = await call(compute.url, 'POST', '/compute/ssh-keys', { token: frank.token, json, headers });
    expect(first.status, first.text).toBe(201);
    expect(again.status, again.text).toBe(201);
    expect(again.body).toEqual(first.body);
  });

  it('an ingress rule added twice with one Idempotency-Key is added once, answered twice alike; another body is 422', async () => {
    const grace = await compute.user('grace');
    const { id } = (await create(grace, { name: 'site' })).body;
    const ingress = (json: Record<string, unknown>) =>
      call(compute.url, 'POST', `/compute/containers/${id}/ingress`, {
        token: grace.token,
        json,
        headers: { 'idempotency-key': 'open-8080' },
      });
    const updates = async () =>
      (await outboxEvents(compute.db)).filter((e) => e.type === 'compute.container.updated' && e.data['containerId'] === id);

    const first = await ingress({ port: 8080, target_port: 3000 });
    expect(first.status, first.text).toBe(201);
    const updatesAfterFirst = (await updates()).length;
    // Without the key the retry would upsert again: 200 (not 201) and a second `updated` event.
    const again = await ingress({ port: 8080, target_port: 3000 });
    expect(again.status, again.text).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await updates()).toHaveLength(updatesAfterFirst);

    const other = await ingress({ port: 8080, target_port: 4000 });
    expect(other.status, other.text).toBe(422);
    expect(other.body).toMatchObject({ code: 'idempotency_key_reused' });
    const rules = await call<{ rules: Array<{ port: number; target_port: number }> }>(
      compute.url,
      'GET',
      `/compute/containers/${id}/ingress`,
      {
        token: grace.token,
      },
    );
    expect(rules.body.rules).toMatchObject([{ port: 8080, target_port: 3000 }]);
    expect(await updates()).toHaveLength(updatesAfterFirst);
  });

  it('keeps the answer in the transaction that creates: a crash between the commit and the answer cannot lose it', async () => {
    const heidi = await compute.user('heidi');
    const json = { name: 'desk', public_key: generateEd25519Pair().publicKey };
    const added = await call<{ id: string }>(compute.url, 'POST', '/compute/ssh-keys', {
      token: heidi.token,
      json,
      headers: { 'idempotency-key': 'add-desk' },
    });
    expect(added.status, added.text).toBe(201);
    // xmin is the transaction that wrote a row: the key's row and its kept answer must share it (a key row is never
    // updated afterwards). The store's key is a hash of the caller and the Idempotency-Key (@edd/http).
    const storeKey = createHash('sha256').update(`${heidi.userId}\0add-desk`).digest('hex');
    const written = await compute.db.query(
      `SELECT (SELECT xmin::text FROM ssh_keys WHERE id = $1) AS key_tx,
              (SELECT xmin::text FROM idempotency_keys WHERE key = $2 AND status = 201) AS answer_tx`,
      [added.body.id, storeKey],
    );
    const { key_tx: keyTx, answer_tx: answerTx } = written.rows[0] as { key_tx: string | null; answer_tx: string | null };
    expect(keyTx).not.toBeNull();
    expect(answerTx).toBe(keyTx);
  });
});
