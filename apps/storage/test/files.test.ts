import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@edd/events/testing';
import { call, createNamespace, outboxEvents, startStorage, uniqueName, type Storage, type TestUser } from './harness';

let storage: Storage;
let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  storage = await startStorage('files', { STORAGE_QUOTA_BYTES: String(64 * 1024), STORAGE_MAX_FILE_BYTES: String(48 * 1024) });
  alice = await storage.user('alice');
  bob = await storage.user('bob');
});
afterAll(async () => storage?.close());

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

async function blobCount(): Promise<number> {
  let n = 0;
  for await (const _ of storage.blobs.list('')) n += 1;
  return n;
}

describe('upload and download', () => {
  it('stores a raw body, serves it back with its type, ETag, Last-Modified and the content-safety headers', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const up = await call(storage.url, 'POST', `/storage/${ns}/docs/hello.txt`, {
      token: alice.token,
      raw: 'hello world',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({
      namespace: ns,
      path: 'docs/hello.txt',
      name: 'hello.txt',
      size: 11,
      content_type: 'text/plain; charset=utf-8',
      sha256: sha('hello world'),
    });

    const down = await call(storage.url, 'GET', `/storage/${ns}/docs/hello.txt`, { token: alice.token });
    expect(down.status).toBe(200);
    expect(down.text).toBe('hello world');
    expect(down.headers.get('etag')).toBe(`"${sha('hello world')}"`);
    expect(down.headers.get('x-content-type-options')).toBe('nosniff');
    expect(down.headers.get('content-security-policy')).toBe('sandbox');
    expect(down.headers.get('content-disposition')).toMatch(/^inline/);

    const attachment = await call(storage.url, 'GET', `/storage/download/${ns}/docs/hello.txt`, { token: alice.token });
    expect(attachment.headers.get('content-disposition')).toMatch(/^attachment; filename="hello.txt"/);

    const notModified = await call(storage.url, 'GET', `/storage/${ns}/docs/hello.txt`, {
      token: alice.token,
      headers: { 'if-none-match': down.headers.get('etag')! },
    });
    expect(notModified.status).toBe(304);
    const sinceThen = await call(storage.url, 'GET', `/storage/${ns}/docs/hello.txt`, {
      token: alice.token,
      headers: { 'if-modified-since': down.headers.get('last-modified')! },
    });
    expect(sinceThen.status).toBe(304);

    const head = await call(storage.url, 'HEAD', `/storage/${ns}/docs/hello.txt`, { token: alice.token });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('11');
    expect(head.text).toBe('');
  });

  it('honours Range: one range is a 206, several a multipart/byteranges, none overlapping a 416', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    await call(storage.url, 'POST', `/storage/${ns}/abc.txt`, { token: alice.token, raw: 'abcdefghij' });
    const one = await call(storage.url, 'GET', `/storage/${ns}/abc.txt`, { token: alice.token, headers: { range: 'bytes=2-4' } });
    expect(one.status).toBe(206);
    expect(one.text).toBe('cde');
    expect(one.headers.get('content-range')).toBe('bytes 2-4/10');
    const many = await call(storage.url, 'GET', `/storage/${ns}/abc.txt`, { token: alice.token, headers: { range: 'bytes=0-0,8-' } });
    expect(many.status).toBe(206);
    expect(many.headers.get('content-type')).toMatch(/^multipart\/byteranges; boundary=/);
    expect(many.text).toContain('Content-Range: bytes 0-0/10');
    expect(many.text).toContain('Content-Range: bytes 8-9/10\r\n\r\nij');
    const none = await call(storage.url, 'GET', `/storage/${ns}/abc.txt`, { token: alice.token, headers: { range: 'bytes=50-60' } });
    expect(none.status).toBe(416);
    expect(none.headers.get('content-range')).toBe('bytes */10');
    expect(none.body).toMatchObject({ code: 'range_not_satisfiable' });
  });

  it('serves an uploaded HTML page only under the sandbox, and never sniffs', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns, 'public');
    await call(storage.url, 'POST', `/storage/${ns}/evil.html`, {
      token: alice.token,
      raw: '<script>fetch("//auth")</script>',
      headers: { 'content-type': 'text/html' },
    });
    const page = await call(storage.url, 'GET', `/storage/${ns}/evil.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe('sandbox');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // An .html uploaded without a type is bytes, not a page.
    await call(storage.url, 'POST', `/storage/${ns}/untyped.html`, {
      token: alice.token,
      raw: '<b>x</b>',
      headers: { 'content-type': '' },
    });
    const untyped = await call(storage.url, 'GET', `/storage/${ns}/untyped.html`);
    expect(untyped.headers.get('content-type')).toBe('application/octet-stream');
    expect(untyped.headers.get('content-disposition')).toMatch(/^attachment/);
  });

  it('stores a .json body as bytes (the JSON parser leaves uploads alone)', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const body = JSON.stringify({ a: 1 });
    const up = await call(storage.url, 'POST', `/storage/${ns}/data.json`, {
      token: alice.token,
      raw: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(up.status).toBe(201);
    expect((await call(storage.url, 'GET', `/storage/${ns}/data.json`, { token: alice.token })).text).toBe(body);
  });

  it('accepts multipart/form-data: the `file` part, named by its filename when the URL is a folder', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const form = new FormData();
    form.append('note', 'ignored');
    form.append('file', new Blob(['multipart bytes'], { type: 'text/plain' }), 'm.txt');
    const up = await call(storage.url, 'POST', `/storage/${ns}/inbox/`, { token: alice.token, raw: form });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ path: 'inbox/m.txt', size: 15, content_type: 'text/plain' });
    const none = new FormData();
    none.append('other', 'x');
    expect((await call(storage.url, 'POST', `/storage/${ns}/inbox/`, { token: alice.token, raw: none })).status).toBe(400);
  });

  it('without overwrite an existing path is a 409; with it the file is replaced and the old bytes removed', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const path = `/storage/${ns}/a.txt`;
    await call(storage.url, 'POST', path, { token: alice.token, raw: 'one' });
    const before = await blobCount();
    const clash = await call(storage.url, 'POST', path, { token: alice.token, raw: 'two' });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ code: 'conflict' });
    const replaced = await call(storage.url, 'POST', `${path}?overwrite=true`, { token: alice.token, raw: 'two!' });
    expect(replaced.status).toBe(201);
    expect((await call(storage.url, 'GET', path, { token: alice.token })).text).toBe('two!');
    expect(await blobCount()).toBe(before);
    const types = (await outboxEvents(storage.db)).filter((e) => e.data['namespace'] === ns).map((e) => [e.type, e.data['sha256']]);
    expect(types).toEqual([
      ['storage.namespace.created', undefined],
      ['storage.file.uploaded', sha('one')],
      ['storage.file.uploaded', sha('two!')],
    ]);
  });

  it('refuses bad paths with a 400 that names the problem', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const cases: Array<[string, RegExp]> = [
      ['a//b.txt', /empty folder name/],
      ['a/%2E%2E%2Fb.txt', /".." segment/],
      ['a%5Cb.txt', /backslash/],
      ['a%00b.txt', /NUL/],
      [`${'x'.repeat(200)}/${'y'.repeat(200)}/${'z'.repeat(200)}/${'w'.repeat(200)}/${'v'.repeat(200)}/${'u'.repeat(100)}`, /1024 bytes/],
    ];
    for (const [path, message] of cases) {
      const res = await call<{ error: string }>(storage.url, 'POST', `/storage/${ns}/${path}`, { token: alice.token, raw: 'x' });
      expect(res.status, path).toBe(400);
      expect(res.body.error, path).toMatch(message);
    }
  });

  it('lets only the owner write: another user gets 404 on a private namespace, 403 on a public one', async () => {
    const priv = uniqueName();
    const pub = uniqueName();
    await createNamespace(storage.url, alice.token, priv);
    await createNamespace(storage.url, alice.token, pub, 'public');
    await call(storage.url, 'POST', `/storage/${priv}/f.txt`, { token: alice.token, raw: 'secret' });
    await call(storage.url, 'POST', `/storage/${pub}/f.txt`, { token: alice.token, raw: 'open' });

    expect((await call(storage.url, 'POST', `/storage/${priv}/g.txt`, { token: bob.token, raw: 'x' })).status).toBe(404);
    expect((await call(storage.url, 'POST', `/storage/${priv}/f.txt?overwrite=true`, { token: bob.token, raw: 'x' })).status).toBe(404);
    expect((await call(storage.url, 'DELETE', `/storage/${priv}/f.txt`, { token: bob.token })).status).toBe(404);
    expect((await call(storage.url, 'GET', `/storage/${priv}/f.txt`, { token: bob.token })).status).toBe(404);
    expect((await call(storage.url, 'GET', `/storage/files?namespace=${priv}`, { token: bob.token })).status).toBe(404);
    expect((await call(storage.url, 'GET', `/storage/${priv}/f.txt`)).status).toBe(404);
    expect((await call(storage.url, 'POST', `/storage/${pub}/f.txt?overwrite=true`, { token: bob.token, raw: 'x' })).status).toBe(403);
    expect((await call(storage.url, 'DELETE', `/storage/${pub}/f.txt`, { token: bob.token })).status).toBe(403);
    expect((await call(storage.url, 'POST', `/storage/${pub}/g.txt`, { raw: 'x' })).status).toBe(401);
    // Public: readable by anyone, listable by anyone with the name.
    expect((await call(storage.url, 'GET', `/storage/${pub}/f.txt`)).text).toBe('open');
    expect((await call(storage.url, 'GET', `/storage/files?namespace=${pub}`)).status).toBe(200);
    expect((await call(storage.url, 'GET', `/storage/${pub}/f.txt`, { token: alice.token })).text).toBe('open');
    // Unknown namespace: 404 like a private one.
    expect((await call(storage.url, 'GET', `/storage/${uniqueName()}/f.txt`, { token: alice.token })).status).toBe(404);
  });

  it('checks API token scopes on files: per namespace, per action', async () => {
    const ns = uniqueName();
    const other = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    await createNamespace(storage.url, alice.token, other);
    const reader = alice.apiToken({ [`storage.${alice.userId}.files.${ns}`]: ['read'] });
    const writer = alice.apiToken({ [`storage.${alice.userId}.files.${ns}`]: ['create', 'read', 'delete'] });
    expect((await call(storage.url, 'POST', `/storage/${ns}/t.txt`, { token: reader, raw: 'x' })).status).toBe(403);
    expect((await call(storage.url, 'POST', `/storage/${ns}/t.txt`, { token: writer, raw: 'x' })).status).toBe(201);
    expect((await call(storage.url, 'POST', `/storage/${ns}/t.txt?overwrite=true`, { token: writer, raw: 'y' })).status).toBe(403);
    expect((await call(storage.url, 'POST', `/storage/${other}/t.txt`, { token: writer, raw: 'x' })).status).toBe(403);
    expect((await call(storage.url, 'GET', `/storage/${ns}/t.txt`, { token: reader })).text).toBe('x');
    expect((await call(storage.url, 'GET', `/storage/${other}/t.txt`, { token: reader })).status).toBe(403);
    expect((await call(storage.url, 'DELETE', `/storage/${ns}/t.txt`, { token: reader })).status).toBe(403);
    expect((await call(storage.url, 'DELETE', `/storage/${ns}/t.txt`, { token: writer })).status).toBe(204);
    const events = (await outboxEvents(storage.db)).filter((e) => e.data['namespace'] === ns).map((e) => e.type);
    expect(events).toContain('storage.file.deleted');
  });

  it('refuses an upload over the quota or the file limit before storing it (413 saying how much is left)', async () => {
    const carol = await storage.user('carol');
    const ns = uniqueName();
    await createNamespace(storage.url, carol.token, ns);
    await call(storage.url, 'POST', `/storage/${ns}/big.bin`, { token: carol.token, raw: Buffer.alloc(40 * 1024) });
    const before = await blobCount();
    // Announced: refused before a byte is read.
    const announced = await call<{ error: string }>(storage.url, 'POST', `/storage/${ns}/more.bin`, {
      token: carol.token,
      raw: 'tiny',
      headers: { 'x-file-size': String(30 * 1024) },
    });
    expect(announced.status).toBe(413);
    expect(announced.body.error).toMatch(/24576 of 65536 bytes left/);
    // Not announced (chunked): refused while streaming.
    const streamed = await call<{ error: string }>(storage.url, 'POST', `/storage/${ns}/more.bin`, {
      token: carol.token,
      raw: new Blob([Buffer.alloc(30 * 1024)]).stream(),
    });
    expect(streamed.status).toBe(413);
    const tooBig = await call<{ error: string }>(storage.url, 'POST', `/storage/${uniqueName()}/x.bin`, { token: carol.token, raw: 'x' });
    expect(tooBig.status).toBe(404);
    const dave = await storage.user('dave');
    const davesNs = uniqueName();
    await createNamespace(storage.url, dave.token, davesNs);
    const overFileLimit = await call<{ error: string }>(storage.url, 'POST', `/storage/${davesNs}/huge.bin`, {
      token: dave.token,
      raw: 'x',
      headers: { 'x-file-size': String(50 * 1024) },
    });
    expect(overFileLimit.status).toBe(413);
    expect(overFileLimit.body.error).toMatch(/limit per file/);
    expect(await blobCount()).toBe(before);
    const { rows } = await storage.db.query("SELECT path FROM files WHERE path LIKE 'more%' OR path LIKE 'huge%'");
    expect(rows).toEqual([]);
  });

  it('leaves no row and no blob when the client disconnects mid-upload', async () => {
    const ns = uniqueName();
    await createNamespace(storage.url, alice.token, ns);
    const before = await blobCount();
    const url = new URL(`${storage.url}/storage/${ns}/cut.bin`);
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${alice.token}`, 'content-length': String(32 * 1024) } });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(8 * 1024));
    // Wait until the server has started writing the blob (its temporary file exists), then cut the connection.
    await waitFor(async () => (await incompleteCount()) > 0);
    req.destroy();
    await waitFor(async () => (await incompleteCount()) === 0);
    expect(await blobCount()).toBe(before);
    const { rows } = await storage.db.query('SELECT path FROM files WHERE path = $1', ['cut.bin']);
    expect(rows).toEqual([]);
  });
});

async function incompleteCount(): Promise<number> {
  const { readdir } = await import('node:fs/promises');
  const { join } = await import('node:path');
  try {
    return (await readdir(join(storage.deps.config.STORAGE_DIR, 'incomplete'))).length;
  } catch {
    return 0;
  }
}
