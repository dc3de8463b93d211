import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@edd/events/testing';
import { call, createNamespace, outboxEvents, startStorage, uniqueName, type Storage, type TestUser } from './harness';
import { metadataHeader, runUpload, sha, tusHeaders } from './tus-client';

const KIB = 1024;
/** Uploads over this notify their owner here (STORAGE_NOTIFY_MIN_BYTES), so the test moves kilobytes, not 100 MB. */
const NOTIFY_MIN = 64 * KIB;
let storage: Storage;
let alice: TestUser;
beforeAll(async () => {
  storage = await startStorage('tusmore', { STORAGE_NOTIFY_MIN_BYTES: String(NOTIFY_MIN) });
  alice = await storage.user('alice');
});
afterAll(async () => storage?.close());

const transferId = () => `t${randomUUID().replace(/-/g, '')}`;

async function createUpload(token: string, length: number, metadata: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await call(storage.url, 'POST', '/storage/uploads', {
    token,
    headers: tusHeaders(token, { 'upload-length': String(length), 'upload-metadata': metadataHeader(metadata), ...headers }),
  });
  return { res, path: res.headers.get('location') ?? undefined };
}

function patch(token: string, path: string, offset: number, body: Buffer) {
  return call(storage.url, 'PATCH', path, {
    token,
    raw: body,
    headers: tusHeaders(token, { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }),
  });
}

const uploadedEvents = async (ns: string, path: string) =>
  (await outboxEvents(storage.db)).filter(
    (e) => e.type === 'storage.file.uploaded' && e.data['namespace'] === ns && e.data['path'] === path,
  );

type Progress = { id: string; direction: string; bytes: number; total: number; done: boolean; error?: string };

/** Opens `/sse/progress?id=` as `token` and collects its events until `done`; resolves once the server subscribed. */
async function watchProgress(token: string, id: string): Promise<{ events: Progress[]; ended: Promise<void> }> {
  const sse = await fetch(`${storage.url}/sse/progress?id=${id}`, { headers: { authorization: `Bearer ${token}` } });
  expect(sse.status).toBe(200);
  const events: Progress[] = [];
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of sse.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      const complete = buffer.slice(0, buffer.lastIndexOf('\n') + 1);
      buffer = buffer.slice(complete.length);
      for (const line of complete.split('\n')) if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as Progress);
      if (events.some((e) => e.done)) break;
    }
  })();
  await waitFor(async () => {
    const counts = (await storage.redis.pubsub('NUMSUB', `${storage.deps.redisPrefix}progress:${id}`)) as [string, number];
    return Number(counts[1]) > 0;
  });
  return { events, ended };
}

describe('tus: the last PATCH’s answer is lost and the client asks again', () => {
  it('answers "complete" to HEAD and to an empty PATCH at the end, 409 to the old offset, and stores the file once', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const data = randomBytes(10 * KIB);
    const { res, path } = await createUpload(alice.token, data.length, { namespace: ns, path: 'once.bin' });
    expect(res.status).toBe(201);
    expect((await patch(alice.token, path!, 0, data.subarray(0, 4 * KIB))).status).toBe(204);
    const last = await patch(alice.token, path!, 4 * KIB, data.subarray(4 * KIB));
    expect(last.status).toBe(204);
    expect(last.headers.get('upload-offset')).toBe(String(data.length));
    // ...and the client never saw that answer. Asking again:
    const head = await call(storage.url, 'HEAD', path!, { token: alice.token, headers: tusHeaders(alice.token) });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(data.length));
    expect(head.headers.get('upload-length')).toBe(String(data.length));
    const resent = await patch(alice.token, path!, 4 * KIB, data.subarray(4 * KIB));
    expect(resent.status).toBe(409);
    const atEnd = await patch(alice.token, path!, data.length, Buffer.alloc(0));
    expect(atEnd.status).toBe(204);
    expect(atEnd.headers.get('upload-offset')).toBe(String(data.length));
    // A tus client resuming the URL learns it is complete without sending a byte.
    const methods: string[] = [];
    await runUpload(data, {
      uploadUrl: new URL(path!, storage.url).toString(),
      endpoint: `${storage.url}/storage/uploads`,
      headers: { authorization: `Bearer ${alice.token}` },
      onBeforeRequest: (req) => void methods.push(req.getMethod()),
    });
    expect(methods).toEqual(['HEAD']);

    const list = await call<{ files: Array<Record<string, unknown>> }>(storage.url, 'GET', `/storage/files?namespace=${ns}`, {
      token: alice.token,
    });
    expect(list.body.files).toEqual([expect.objectContaining({ path: 'once.bin', size: data.length, sha256: sha(data) })]);
    expect(await uploadedEvents(ns, 'once.bin')).toHaveLength(1);
    // Still the creator's alone, finished or not.
    const bob = await storage.user('bob');
    expect((await call(storage.url, 'HEAD', path!, { token: bob.token, headers: tusHeaders(bob.token) })).status).toBe(404);
  });
});

describe('tus progress on /sse/progress', () => {
  it('streams a tus-js-client upload started with X-Transfer-Id: growing bytes, then done at the total', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const id = transferId();
    const { events, ended } = await watchProgress(alice.token, id);
    const data = randomBytes(1024 * KIB + 7);
    await runUpload(data, {
      endpoint: `${storage.url}/storage/uploads`,
      chunkSize: 256 * KIB,
      headers: { authorization: `Bearer ${alice.token}`, 'x-transfer-id': id },
      metadata: { namespace: ns, path: 'watched.bin' },
    });
    await ended;
    expect(events.length).toBeGreaterThanOrEqual(4); // one per stored chunk at least, then done
    for (const event of events) expect(event).toMatchObject({ id, direction: 'upload', total: data.length });
    const bytes = events.map((e) => e.bytes);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(events.slice(0, -1).every((e) => !e.done && e.bytes < data.length)).toBe(true);
    expect(events.at(-1)).toEqual({ id, direction: 'upload', bytes: data.length, total: data.length, done: true });
  });

  it('takes the transfer id from the metadata too, and refuses one another user holds (409, nothing created)', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const id = transferId();
    const { events, ended } = await watchProgress(alice.token, id);
    const data = randomBytes(3 * KIB);
    await runUpload(data, {
      endpoint: `${storage.url}/storage/uploads`,
      uploadDataDuringCreation: true,
      headers: { authorization: `Bearer ${alice.token}` },
      metadata: { namespace: ns, path: 'meta.bin', transfer_id: id },
    });
    await ended;
    expect(events.at(-1)).toEqual({ id, direction: 'upload', bytes: data.length, total: data.length, done: true });

    const mallory = await storage.user('mallory');
    const theirs = uniqueName();
    await createNamespace(storage.url, mallory.token, theirs);
    const stolen = await createUpload(mallory.token, 5, { namespace: theirs, path: 'x.bin' }, { 'x-transfer-id': id });
    expect(stolen.res.status).toBe(409);
    expect(stolen.path).toBeUndefined();
    const bad = await createUpload(alice.token, 5, { namespace: ns, path: 'y.bin', transfer_id: 'no!' });
    expect(bad.res.status).toBe(400);
    expect(bad.res.body).toMatchObject({ code: 'invalid_request', error: expect.stringContaining('transfer_id') });
  });
});

describe('notify when a large upload completes', () => {
  const notifications = async (userId: string) =>
    (await outboxEvents(storage.db)).filter((e) => e.type === 'notify' && e.data['userId'] === userId).map((e) => e.data);

  it('notifies the owner for a raw upload and a tus upload over STORAGE_NOTIFY_MIN_BYTES, not for one at or under it', async () => {
    const carol = await storage.user('carol');
    const ns = uniqueName();
    await createNamespace(storage.url, carol.token, ns);
    const small = await call(storage.url, 'POST', `/storage/${ns}/small.bin`, { token: carol.token, raw: randomBytes(NOTIFY_MIN) });
    expect(small.status).toBe(201);
    expect(await notifications(carol.userId)).toEqual([]);

    const raw = await call(storage.url, 'POST', `/storage/${ns}/raw.bin`, { token: carol.token, raw: randomBytes(NOTIFY_MIN + 1) });
    expect(raw.status).toBe(201);
    await runUpload(randomBytes(NOTIFY_MIN + 10), {
      endpoint: `${storage.url}/storage/uploads`,
      chunkSize: 32 * KIB,
      headers: { authorization: `Bearer ${carol.token}` },
      metadata: { namespace: ns, path: 'tus.bin' },
    });
    const sent = await notifications(carol.userId);
    expect(sent).toEqual([
      expect.objectContaining({
        userId: carol.userId,
        category: 'storage',
        source: 'storage',
        message: expect.stringContaining('raw.bin'),
      }),
      expect.objectContaining({
        userId: carol.userId,
        category: 'storage',
        source: 'storage',
        message: expect.stringContaining('tus.bin'),
      }),
    ]);
    expect(new Set(sent.map((n) => n['notificationId'])).size).toBe(2);
  });
});
