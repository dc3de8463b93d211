import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Upload } from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@edd/events/testing';
import { TUS_EXPIRATION_MS } from '../src/uploads/tus-uploads';
import { call, createNamespace, startStorage, uniqueName, type Storage, type TestUser } from './harness';
import { metadataHeader, runUpload, sha, tusHeaders } from './tus-client';

const MIB = 1024 * 1024;
let storage: Storage;
let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  storage = await startStorage('tus', { STORAGE_QUOTA_BYTES: String(16 * MIB) });
  alice = await storage.user('alice');
  bob = await storage.user('bob');
});
afterAll(async () => storage?.close());

/** Creates an upload with a raw tus POST (no body); returns the answer and its absolute URL. */
async function createUpload(token: string, length: number, metadata: Record<string, string>) {
  const res = await call(storage.url, 'POST', '/storage/uploads', {
    token,
    headers: tusHeaders(token, { 'upload-length': String(length), 'upload-metadata': metadataHeader(metadata) }),
  });
  const location = res.headers.get('location');
  return { res, url: location ? new URL(location, storage.url).toString() : undefined };
}

async function tusParts(): Promise<string[]> {
  return readdir(join(storage.deps.config.STORAGE_DIR, '.tus')).catch(() => []);
}

/** The parts' bytes only (a finished upload keeps its `<id>.json` record as a tombstone until it expires). */
async function partBytes(): Promise<string[]> {
  return (await tusParts()).filter((name) => !name.endsWith('.json'));
}

describe('tus resumable uploads', () => {
  it('resumes an upload cut after its first chunk on a new connection, and the finished file lists with its sha256', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const data = randomBytes(3 * MIB + 123);
    const common = {
      endpoint: `${storage.url}/storage/uploads`,
      chunkSize: 256 * 1024,
      headers: { authorization: `Bearer ${alice.token}` },
      metadata: { namespace: ns, path: 'big/data.bin', filetype: 'application/x-test' },
    };
    // First client: stops (without terminating) once one chunk is stored, like a dropped connection.
    const uploadUrl = await new Promise<string>((resolve, reject) => {
      const first: Upload = new Upload(data, {
        ...common,
        retryDelays: null,
        onChunkComplete: () => {
          void first.abort(false).then(() => (first.url ? resolve(first.url) : reject(new Error('no upload URL'))));
        },
        onError: reject,
      });
      first.start();
    });
    const head = await call(storage.url, 'HEAD', new URL(uploadUrl).pathname, { token: alice.token, headers: tusHeaders(alice.token) });
    expect(head.status).toBe(200);
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(data.length);
    // Not visible before it is finished.
    const before = await call<{ files: unknown[] }>(storage.url, 'GET', `/storage/files?namespace=${ns}`, { token: alice.token });
    expect(before.body.files).toEqual([]);

    // Second client: a new Upload pointed at the same URL continues from the server's offset.
    let resumedFrom = -1;
    await runUpload(data, {
      ...common,
      uploadUrl,
      onProgress: (sent) => {
        if (resumedFrom < 0) resumedFrom = sent;
      },
    });
    expect(resumedFrom).toBeGreaterThanOrEqual(offset);

    const list = await call<{ files: Array<Record<string, unknown>> }>(storage.url, 'GET', `/storage/files?namespace=${ns}`, {
      token: alice.token,
    });
    expect(list.body.files).toEqual([
      expect.objectContaining({ path: 'big/data.bin', size: data.length, sha256: sha(data), content_type: 'application/x-test' }),
    ]);
    const down = await fetch(`${storage.url}/storage/${ns}/big/data.bin`, { headers: { authorization: `Bearer ${alice.token}` } });
    expect(sha(Buffer.from(await down.arrayBuffer()))).toBe(sha(data));
    // The part's bytes are gone once the file is stored.
    expect(await partBytes()).toEqual([]);
  });

  it('stores a small file sent with its creation (creation-with-upload)', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const res = await call(storage.url, 'POST', '/storage/uploads', {
      token: alice.token,
      raw: 'hello tus',
      headers: tusHeaders(alice.token, {
        'upload-length': '9',
        'upload-metadata': metadataHeader({ namespace: ns, path: 'hello.txt' }),
        'content-type': 'application/offset+octet-stream',
      }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('upload-offset')).toBe('9');
    const file = await call(storage.url, 'GET', `/storage/${ns}/hello.txt`, { token: alice.token });
    expect(file.text).toBe('hello tus');
    const id = new URL(res.headers.get('location')!, storage.url).pathname.split('/').pop()!;
    await waitFor(async () => (await partBytes()).every((name) => !name.startsWith(id)));
  });

  it('hides an upload from everyone but its creator: HEAD, PATCH and DELETE by another user are 404', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const { res, url } = await createUpload(alice.token, 10, { namespace: ns, path: 'mine.txt' });
    expect(res.status).toBe(201);
    const path = new URL(url!).pathname;
    const head = await call(storage.url, 'HEAD', path, { token: bob.token, headers: tusHeaders(bob.token) });
    expect(head.status).toBe(404);
    const patch = await call(storage.url, 'PATCH', path, {
      token: bob.token,
      raw: '0123456789',
      headers: tusHeaders(bob.token, { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }),
    });
    expect(patch.status).toBe(404);
    expect(patch.body).toMatchObject({ code: 'not_found' });
    const del = await call(storage.url, 'DELETE', path, { token: bob.token, headers: tusHeaders(bob.token) });
    expect(del.status).toBe(404);
    const anonymous = await call(storage.url, 'HEAD', path, { headers: { 'tus-resumable': '1.0.0' } });
    expect(anonymous.status).toBe(401);
    // Still intact for its owner.
    const own = await call(storage.url, 'HEAD', path, { token: alice.token, headers: tusHeaders(alice.token) });
    expect(own.status).toBe(200);
    expect(own.headers.get('upload-offset')).toBe('0');
  });

  it('refuses at creation, before a byte is stored: another user’s namespace, bad names, a token without scope, over quota', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const partsBefore = await tusParts();

    const foreign = await createUpload(bob.token, 10, { namespace: ns, path: 'x.txt' });
    expect(foreign.res.status).toBe(404);

    const badPath = await createUpload(alice.token, 10, { namespace: ns, path: 'a/../b.txt' });
    expect(badPath.res.status).toBe(400);
    expect(badPath.res.body).toMatchObject({ code: 'invalid_request', error: expect.stringContaining('..') });
    const badNamespace = await createUpload(alice.token, 10, { namespace: 'Not Valid', path: 'x.txt' });
    expect(badNamespace.res.status).toBe(400);

    const readOnly = alice.apiToken({ [`storage.${alice.userId}.files`]: ['read'] });
    const unscoped = await createUpload(readOnly, 10, { namespace: ns, path: 'x.txt' });
    expect(unscoped.res.status).toBe(403);
    expect(unscoped.res.body).toMatchObject({ code: 'scope_missing' });
    const writer = alice.apiToken({ [`storage.${alice.userId}.files`]: ['create'] });
    expect((await createUpload(writer, 10, { namespace: ns, path: 'scoped.txt' })).res.status).toBe(201);

    const tooBig = await createUpload(alice.token, 17 * MIB, { namespace: ns, path: 'huge.bin' });
    expect(tooBig.res.status).toBe(413);
    expect(tooBig.res.body).toMatchObject({ code: 'payload_too_large', error: expect.stringMatching(/quota|limit/) });
    expect(tooBig.url).toBeUndefined();
    // Only the scoped token's upload made a part (an id and its .json).
    expect((await tusParts()).length - partsBefore.length).toBe(2);
  });

  it('terminates an upload: DELETE removes its part, and it is gone', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const { url } = await createUpload(alice.token, 10, { namespace: ns, path: 'doomed.txt' });
    const path = new URL(url!).pathname;
    const id = path.split('/').pop()!;
    expect(await tusParts()).toContain(id);
    const del = await call(storage.url, 'DELETE', path, { token: alice.token, headers: tusHeaders(alice.token) });
    expect(del.status).toBe(204);
    expect((await tusParts()).filter((name) => name.startsWith(id))).toEqual([]);
    const head = await call(storage.url, 'HEAD', path, { token: alice.token, headers: tusHeaders(alice.token) });
    expect(head.status).toBe(404);
  });

  it('expires an unfinished upload: Upload-Expires announces when, and the sweep then removes it', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const created = await createUpload(alice.token, 10, { namespace: ns, path: 'late.txt' });
    expect(created.res.status).toBe(201);
    const expires = Date.parse(created.res.headers.get('upload-expires') ?? '');
    expect(expires - Date.now()).toBeGreaterThan(TUS_EXPIRATION_MS - 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(TUS_EXPIRATION_MS);
    const path = new URL(created.url!).pathname;
    const id = path.split('/').pop()!;
    const patch = await call(storage.url, 'PATCH', path, {
      token: alice.token,
      raw: Buffer.from('abcd'),
      headers: tusHeaders(alice.token, { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }),
    });
    expect(patch.status).toBe(204);
    expect(patch.headers.get('upload-expires')).toBeTruthy();
    // A fresh upload survives the sweep; one created longer ago than the expiry does not.
    await storage.sweepExpiredUploads(60_000);
    expect(await tusParts()).toContain(id);
    const recordPath = join(storage.deps.config.STORAGE_DIR, '.tus', `${id}.json`);
    const record = JSON.parse(await readFile(recordPath, 'utf8')) as { creation_date: string };
    record.creation_date = new Date(Date.now() - TUS_EXPIRATION_MS - 60_000).toISOString();
    await writeFile(recordPath, JSON.stringify(record));
    await storage.sweepExpiredUploads(60_000);
    expect((await tusParts()).filter((name) => name.startsWith(id))).toEqual([]);
    const head = await call(storage.url, 'HEAD', path, { token: alice.token, headers: tusHeaders(alice.token) });
    expect([404, 410]).toContain(head.status);
  });

  it('answers 409 when the path was taken meanwhile and overwrite was not asked for, leaving the file as it was', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const { url } = await createUpload(alice.token, 10, { namespace: ns, path: 'taken.txt' });
    const path = new URL(url!).pathname;
    const plain = await call(storage.url, 'POST', `/storage/${ns}/taken.txt`, { token: alice.token, raw: 'first one' });
    expect(plain.status).toBe(201);

    const patch = await call(storage.url, 'PATCH', path, {
      token: alice.token,
      raw: '0123456789',
      headers: tusHeaders(alice.token, { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }),
    });
    expect(patch.status).toBe(409);
    expect(patch.body).toMatchObject({ code: 'conflict' });
    const file = await call(storage.url, 'GET', `/storage/${ns}/taken.txt`, { token: alice.token });
    expect(file.text).toBe('first one');
    // The refused upload is over: resuming it finds nothing.
    const head = await call(storage.url, 'HEAD', path, { token: alice.token, headers: tusHeaders(alice.token) });
    expect(head.status).toBe(404);

    // With overwrite the same kind of upload replaces it.
    await runUpload(Buffer.from('replaced!!'), {
      endpoint: `${storage.url}/storage/uploads`,
      headers: { authorization: `Bearer ${alice.token}` },
      metadata: { namespace: ns, path: 'taken.txt', overwrite: 'true' },
    });
    expect((await call(storage.url, 'GET', `/storage/${ns}/taken.txt`, { token: alice.token })).text).toBe('replaced!!');
  });
  it('completes an upload whose file was stored just before a crash that left it unmarked: the repeated PATCH answers its end, nothing stored twice', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const { url } = await createUpload(alice.token, 10, { namespace: ns, path: 'crash.txt' });
    const path = new URL(url!).pathname;
    const id = path.split('/').pop()!;
    const patch = (offset: number, raw: string) =>
      call(storage.url, 'PATCH', path, {
        token: alice.token,
        raw,
        headers: tusHeaders(alice.token, { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }),
      });
    const uploadedEvents = async () =>
      (
        await storage.deps.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM event_outbox WHERE type = 'storage.file.uploaded' AND data->>'namespace' = $1",
          [ns],
        )
      ).rows[0]?.n;
    expect((await patch(0, '012345678')).status).toBe(204);
    const recordPath = join(storage.deps.config.STORAGE_DIR, '.tus', `${id}.json`);
    const unfinishedRecord = await readFile(recordPath, 'utf8');
    expect((await patch(9, '9')).status).toBe(204);
    expect(await uploadedEvents()).toBe(1);

    // What a crash after storeFile's commit and before markFinished leaves: every byte in the part, the record unmarked.
    await writeFile(join(storage.deps.config.STORAGE_DIR, '.tus', id), '0123456789');
    await writeFile(recordPath, unfinishedRecord);

    // tus-js-client resuming: HEAD says every byte is there, the client's PATCH at the end asks for completion.
    const head = await call(storage.url, 'HEAD', path, { token: alice.token, headers: tusHeaders(alice.token) });
    expect(head.headers.get('upload-offset')).toBe('10');
    const again = await patch(10, '');
    expect(again.status, again.text).toBe(204);
    expect(again.headers.get('upload-offset')).toBe('10');
    expect(await uploadedEvents()).toBe(1);
    const listing = await call<{ files: Array<{ path: string }> }>(storage.url, 'GET', `/storage/files?namespace=${ns}`, {
      token: alice.token,
    });
    expect(listing.body.files.map((f) => f.path)).toEqual(['crash.txt']);
    expect((await call(storage.url, 'GET', `/storage/${ns}/crash.txt`, { token: alice.token })).text).toBe('0123456789');
    // Marked finished now: its bytes are gone, its record answers "complete".
    expect(await partBytes()).not.toContain(id);
    const after = await call(storage.url, 'HEAD', path, { token: alice.token, headers: tusHeaders(alice.token) });
    expect(after.status).toBe(200);
    expect(after.headers.get('upload-offset')).toBe('10');
  });
  it('after the same crash, tus-js-client resuming (HEAD at the end, no PATCH) succeeds and the upload is marked finished', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const data = Buffer.from('resumed after a crash');
    const { url } = await createUpload(alice.token, data.length, { namespace: ns, path: 'resumed.txt' });
    const id = new URL(url!).pathname.split('/').pop()!;
    const recordPath = join(storage.deps.config.STORAGE_DIR, '.tus', `${id}.json`);
    const unfinishedRecord = await readFile(recordPath, 'utf8');
    await runUpload(data, { uploadUrl: url!, headers: { authorization: `Bearer ${alice.token}` } });
    // The crash state: every byte in the part, the record unmarked.
    await writeFile(join(storage.deps.config.STORAGE_DIR, '.tus', id), data);
    await writeFile(recordPath, unfinishedRecord);

    await runUpload(data, { uploadUrl: url!, headers: { authorization: `Bearer ${alice.token}` } });
    expect(await partBytes()).not.toContain(id);
    expect((JSON.parse(await readFile(recordPath, 'utf8')) as { metadata: Record<string, string> }).metadata['finished']).toBe('true');
    expect((await call(storage.url, 'GET', `/storage/${ns}/resumed.txt`, { token: alice.token })).text).toBe(data.toString());
  });

  it('forgets that an upload became a file once its record has expired (the sweep)', async () => {
    const id = randomBytes(16).toString('hex');
    await storage.deps.db.query("INSERT INTO tus_finished_uploads (upload_id, finished_at) VALUES ($1, now() - interval '25 hours')", [id]);
    const fresh = randomBytes(16).toString('hex');
    await storage.deps.db.query('INSERT INTO tus_finished_uploads (upload_id) VALUES ($1)', [fresh]);
    await storage.sweepExpiredUploads(60_000);
    const { rows } = await storage.deps.db.query<{ upload_id: string }>(
      'SELECT upload_id FROM tus_finished_uploads WHERE upload_id = ANY($1)',
      [[id, fresh]],
    );
    expect(rows.map((r) => r.upload_id)).toEqual([fresh]);
  });
});

describe('tus from the dashboard’s origin', () => {
  it('lets a platform origin preflight the tus headers, and exposes Location and Upload-Offset with credentials', async () => {
    const origin = `http://dashboard.${storage.deps.config.EDD_DOMAIN}`;
    const preflight = await fetch(`${storage.url}/storage/uploads`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'tus-resumable, upload-length, upload-metadata',
      },
    });
    expect(preflight.status).toBe(204);
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const header of ['tus-resumable', 'upload-length', 'upload-metadata', 'upload-offset']) expect(allowed).toContain(header);
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const created = await call(storage.url, 'POST', '/storage/uploads', {
      token: alice.token,
      headers: tusHeaders(alice.token, { origin, 'upload-length': '3', 'upload-metadata': metadataHeader({ namespace: ns, path: 'x' }) }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBe(origin);
    expect(created.headers.get('access-control-allow-credentials')).toBe('true');
    expect((created.headers.get('access-control-expose-headers') ?? '').toLowerCase()).toContain('location');
  });
});
