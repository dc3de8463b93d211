import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '@edd/events';
import { connectTestBus, uniqueDurable, waitFor } from '@edd/events/testing';
import type { Stoppable } from '@edd/events';
import { purgeDeletingNamespaces } from '../src/services/purge';
import { consumeUserDeletions } from '../src/services/user-deleted';
import { call, createNamespace, outboxEvents, startStorage, uniqueName, type Storage } from './harness';

let storage: Storage;
let bus: EventBus;
let consumer: Stoppable;
beforeAll(async () => {
  storage = await startStorage('life');
  bus = await connectTestBus('storage-test');
  consumer = await consumeUserDeletions({ ...storage.deps, bus }, uniqueDurable('storage_user_deleted'));
});
afterAll(async () => {
  await consumer?.stop();
  await bus?.close();
  await storage?.close();
});

describe('share links', () => {
  it('lets anyone with the URL download the file as an attachment until the link is revoked', async () => {
    const alice = await storage.user('alice');
    const bob = await storage.user('bob');
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    await call(storage.url, 'POST', `/storage/${ns}/report.txt`, { token: alice.token, raw: 'shared bytes' });
    expect(
      (
        await call(storage.url, 'POST', '/storage/shares', {
          token: bob.token,
          json: { namespace: ns, path: 'report.txt', expires_in: 3600 },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call(storage.url, 'POST', '/storage/shares', {
          token: alice.token,
          json: { namespace: ns, path: 'report.txt', expires_in: 5 },
        })
      ).status,
    ).toBe(400);
    const made = await call<{ id: string; url: string }>(storage.url, 'POST', '/storage/shares', {
      token: alice.token,
      json: { namespace: ns, path: 'report.txt', expires_in: 3600 },
    });
    expect(made.status).toBe(201);
    const link = new URL(made.body.url);
    const anonymous = await call(storage.url, 'GET', `${link.pathname}${link.search}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.text).toBe('shared bytes');
    expect(anonymous.headers.get('content-disposition')).toMatch(/^attachment/);
    expect((await call(storage.url, 'GET', `${link.pathname}?t=wrong`)).status).toBe(404);

    const listed = await call<{ shares: Array<{ id: string; url: string }> }>(storage.url, 'GET', '/storage/shares', {
      token: alice.token,
    });
    expect(listed.body.shares.map((s) => s.id)).toEqual([made.body.id]);
    expect(listed.body.shares[0]?.url).not.toContain('?t=');
    const { rows } = await storage.db.query<{ secret_hash: string }>('SELECT secret_hash FROM shares WHERE id = $1', [made.body.id]);
    expect(made.body.url).not.toContain(rows[0]!.secret_hash);

    expect((await call(storage.url, 'DELETE', `/storage/shares/${made.body.id}`, { token: bob.token })).status).toBe(404);
    expect((await call(storage.url, 'DELETE', `/storage/shares/${made.body.id}`, { token: alice.token })).status).toBe(204);
    expect((await call(storage.url, 'GET', `${link.pathname}${link.search}`)).status).toBe(404);
  });
});

describe('listing', () => {
  it('pages with a cursor and rolls sub-folders up with delimiter=/', async () => {
    const alice = await storage.user('alice');
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    for (const path of ['a.txt', 'b.txt', 'docs/1.txt', 'docs/2.txt', 'docs/deep/3.txt', 'pics/x.png', 'z.txt'])
      await call(storage.url, 'POST', `/storage/${ns}/${path}`, { token: alice.token, raw: path });
    type Page = { files: Array<{ path: string }>; folders: string[]; next_cursor: string | null };
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page } = await call<Page>(
        storage.url,
        'GET',
        `/storage/files?namespace=${ns}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { token: alice.token },
      );
      seen.push(...page.body.files.map((f) => f.path));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['a.txt', 'b.txt', 'docs/1.txt', 'docs/2.txt', 'docs/deep/3.txt', 'pics/x.png', 'z.txt']);

    const root = await call<Page>(storage.url, 'GET', `/storage/files?namespace=${ns}&delimiter=/`, { token: alice.token });
    expect(root.body).toMatchObject({ folders: ['docs/', 'pics/'], next_cursor: null });
    expect(root.body.files.map((f) => f.path)).toEqual(['a.txt', 'b.txt', 'z.txt']);
    const docs = await call<Page>(storage.url, 'GET', `/storage/files?namespace=${ns}&delimiter=/&prefix=docs/`, { token: alice.token });
    expect(docs.body.files.map((f) => f.path)).toEqual(['docs/1.txt', 'docs/2.txt']);
    expect(docs.body.folders).toEqual(['docs/deep/']);
    const firstTwo = await call<Page>(storage.url, 'GET', `/storage/files?namespace=${ns}&delimiter=/&limit=3`, { token: alice.token });
    expect(firstTwo.body.files.map((f) => f.path)).toEqual(['a.txt', 'b.txt']);
    expect(firstTwo.body.folders).toEqual(['docs/']);
    const rest = await call<Page>(
      storage.url,
      'GET',
      `/storage/files?namespace=${ns}&delimiter=/&limit=3&cursor=${firstTwo.body.next_cursor}`,
      { token: alice.token },
    );
    expect(rest.body.folders).toEqual(['pics/']);
    expect(rest.body.files.map((f) => f.path)).toEqual(['z.txt']);
  });
});

describe('user deletion', () => {
  it('removes the user’s namespaces, files, shares and blobs on auth.user.deleted, once', async () => {
    const dana = await storage.user('dana');
    const ns = uniqueName();
    await createNamespace(storage.url, dana.token, ns);
    await call(storage.url, 'POST', `/storage/${ns}/f.txt`, { token: dana.token, raw: 'bye' });
    await call(storage.url, 'POST', '/storage/shares', { token: dana.token, json: { namespace: ns, path: 'f.txt', expires_in: 600 } });
    const nsId = (await storage.db.query<{ id: string }>('SELECT id FROM namespaces WHERE name = $1', [ns])).rows[0]!.id;
    const blobsOf = async () => {
      let n = 0;
      for await (const _ of storage.blobs.list(`${nsId}/`)) n += 1;
      return n;
    };
    expect(await blobsOf()).toBe(1);
    const eventId = randomUUID();
    await bus.publish('auth.user.deleted', { userId: dana.userId, username: dana.userId }, { eventId });
    await waitFor(async () => (await storage.db.query('SELECT 1 FROM namespaces WHERE owner_id = $1', [dana.userId])).rowCount === 0);
    expect((await storage.db.query('SELECT 1 FROM shares WHERE owner_id = $1', [dana.userId])).rowCount).toBe(0);
    const { rows } = await storage.db.query<{ id: string }>('SELECT id FROM namespaces WHERE name = $1', [ns]);
    expect(rows).toEqual([]);
    const deleted = (await outboxEvents(storage.db)).filter((e) => e.type === 'storage.namespace.deleted' && e.data['namespace'] === ns);
    expect(deleted).toHaveLength(1);
    expect((await call(storage.url, 'GET', `/storage/${ns}/f.txt`, { token: dana.token })).status).toBe(404);
    expect(await blobsOf()).toBe(0);
  });
});

describe('a deletion cut short by a restart', () => {
  it('is finished at start-up: a namespace flagged deleting loses its bytes and rows, and its name is free again', async () => {
    const gina = await storage.user('gina');
    const ns = uniqueName();
    await createNamespace(storage.url, gina.token, ns);
    expect((await call(storage.url, 'POST', `/storage/${ns}/kept.txt`, { token: gina.token, raw: 'still here' })).status).toBe(201);
    const nsId = (await storage.db.query<{ id: string }>('SELECT id FROM namespaces WHERE name = $1', [ns])).rows[0]!.id;
    // What a process killed after the deletion's transaction and before the purge leaves behind.
    await storage.db.query('UPDATE namespaces SET deleting = true WHERE id = $1', [nsId]);
    expect((await call(storage.url, 'GET', `/storage/${ns}/kept.txt`, { token: gina.token })).status).toBe(404);
    expect(await purgeDeletingNamespaces(storage.db, storage.blobs, storage.deps.logger)).toBeGreaterThanOrEqual(1);
    expect((await storage.db.query('SELECT 1 FROM namespaces WHERE id = $1', [nsId])).rowCount).toBe(0);
    expect((await storage.db.query('SELECT 1 FROM files WHERE namespace_id = $1', [nsId])).rowCount).toBe(0);
    let blobs = 0;
    for await (const _ of storage.blobs.list(`${nsId}/`)) blobs += 1;
    expect(blobs).toBe(0);
    await createNamespace(storage.url, gina.token, ns);
  });
});

describe('progress', () => {
  it('streams an upload’s progress to its owner over SSE, and refuses the id to anyone else', async () => {
    const erin = await storage.user('erin');
    const mallory = await storage.user('mallory');
    const ns = uniqueName();
    await createNamespace(storage.url, erin.token, ns);
    const id = `t${randomUUID().replace(/-/g, '')}`;
    const sse = await fetch(`${storage.url}/sse/progress?id=${id}`, { headers: { authorization: `Bearer ${erin.token}` } });
    expect(sse.status).toBe(200);
    // The id is bound to erin from her subscription on: mallory can neither watch it nor start a transfer with it.
    expect((await fetch(`${storage.url}/sse/progress?id=${id}`, { headers: { authorization: `Bearer ${mallory.token}` } })).status).toBe(
      404,
    );
    expect((await call(storage.url, 'POST', `/storage/${ns}/m.bin?id=${id}`, { token: mallory.token, raw: 'x' })).status).toBe(404);
    const progress = readProgress(sse);
    await subscribed(id);
    const size = 300 * 1024;
    const up = await call(storage.url, 'POST', `/storage/${ns}/big.bin`, {
      token: erin.token,
      raw: Buffer.alloc(size),
      headers: { 'x-transfer-id': id },
    });
    expect(up.status).toBe(201);
    const events = await progress;
    expect(events[0]).toMatchObject({ direction: 'upload', bytes: 0, total: size, done: false });
    expect(events[events.length - 1]).toMatchObject({ bytes: size, total: size, done: true });
  });

  it('reaches the SSE stream of one replica from a transfer on another, both ways', async () => {
    const frank = await storage.user('frank');
    const other = await storage.replica();
    const ns = uniqueName();
    await createNamespace(storage.url, frank.token, ns);
    const size = 200 * 1024;
    const upId = `t${randomUUID().replace(/-/g, '')}`;
    const upStream = await fetch(`${other.url}/sse/progress?id=${upId}`, { headers: { authorization: `Bearer ${frank.token}` } });
    expect(upStream.status).toBe(200);
    const upProgress = readProgress(upStream);
    await subscribed(upId);
    const up = await call(storage.url, 'POST', `/storage/${ns}/far.bin`, {
      token: frank.token,
      raw: Buffer.alloc(size, 7),
      headers: { 'x-transfer-id': upId },
    });
    expect(up.status).toBe(201);
    expect((await upProgress).at(-1)).toMatchObject({ direction: 'upload', bytes: size, total: size, done: true });

    const downId = `t${randomUUID().replace(/-/g, '')}`;
    const downStream = await fetch(`${storage.url}/sse/progress?id=${downId}`, { headers: { authorization: `Bearer ${frank.token}` } });
    const downProgress = readProgress(downStream);
    await subscribed(downId);
    const down = await call(other.url, 'GET', `/storage/${ns}/far.bin?id=${downId}`, { token: frank.token });
    expect(down.status).toBe(200);
    expect((await downProgress).at(-1)).toMatchObject({ direction: 'download', bytes: size, total: size, done: true });
  });
});

type ProgressEvent = { bytes: number; total: number; done: boolean; direction: string };

/** The progress events of an SSE response, up to the one with `done`. */
async function readProgress(sse: Response): Promise<ProgressEvent[]> {
  const events: ProgressEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of sse.body!) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    for (const line of buffer.split('\n')) if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)));
    buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    if (events.some((e) => e.done)) break;
  }
  return events;
}

/** The subscription is live once a server holds it in Redis: waits for the transfer's channel to have a subscriber. */
async function subscribed(id: string): Promise<void> {
  await waitFor(async () => {
    const counts = (await storage.redis.pubsub('NUMSUB', `${storage.deps.redisPrefix}progress:${id}`)) as [string, number];
    return Number(counts[1]) > 0;
  });
}
