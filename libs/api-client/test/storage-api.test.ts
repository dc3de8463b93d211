import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, createStorageApi, encodeFilePath, isAbortError, tusUploadMetadata, type FileEntry, type UploadProgress } from '../src';
import { fileListPath, uploadPath } from '../src/storage/storage-paths';
import { parseHeaders } from '../src/storage/upload-transport';
import { json, startFakeService, unreachableUrl, type FakeService, type Seen } from './support/fake-service';

// A real HTTP server on port 0 plays the storage service; each test sets how it answers.
type Responder = (seen: Seen, res: ServerResponse) => void;

let service: FakeService;
let baseUrl: string;
let responder: Responder;
let seen: Seen[];

beforeAll(async () => {
  service = await startFakeService((entry, res) => {
    seen.push(entry);
    responder(entry, res);
  });
  baseUrl = service.url;
});
afterAll(() => service.close());
beforeEach(() => {
  seen = [];
  responder = (_seen, res) => res.writeHead(204).end();
});

const entry: FileEntry = {
  namespace: 'docs',
  path: 'a b/c#1.txt',
  name: 'c#1.txt',
  size: 5,
  content_type: 'text/plain',
  sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
  created_at: '2025-01-01T00:00:00.000Z',
  modified_at: '2025-01-01T00:00:00.000Z',
};

describe('storage URLs', () => {
  it('encodes each path segment and keeps the folder separators', () => {
    expect(encodeFilePath('a b/c#1.txt')).toBe('a%20b/c%231.txt');
    expect(encodeFilePath('x/y?z=1/%')).toBe('x/y%3Fz%3D1/%25');
  });

  it('builds file, download and progress URLs on the service origin', () => {
    const api = createStorageApi({ baseUrl: `${baseUrl}/` });
    expect(api.fileUrl('docs', 'a b/c.txt')).toBe(`${baseUrl}/storage/docs/a%20b/c.txt`);
    expect(api.downloadUrl('docs', 'a b/c.txt')).toBe(`${baseUrl}/storage/download/docs/a%20b/c.txt`);
    expect(api.progressUrl('t-123456')).toBe(`${baseUrl}/sse/progress?id=t-123456`);
    expect(api.tusEndpoint).toBe(`${baseUrl}/storage/uploads`);
  });

  it('lists with only the parameters given', () => {
    expect(fileListPath({ namespace: 'docs' })).toBe('/storage/files?namespace=docs');
    expect(fileListPath({ namespace: 'docs', prefix: 'a b/', delimiter: '/', cursor: 'c&1', limit: 50 })).toBe(
      '/storage/files?namespace=docs&prefix=a+b%2F&delimiter=%2F&cursor=c%261&limit=50',
    );
  });

  it('puts overwrite and the transfer id in the upload query', () => {
    expect(uploadPath('docs', 'a.txt')).toBe('/storage/docs/a.txt');
    expect(uploadPath('docs', 'a.txt', { overwrite: true, transferId: 'abc12345' })).toBe('/storage/docs/a.txt?overwrite=true&id=abc12345');
  });

  it('makes tus metadata with string values only', () => {
    expect(tusUploadMetadata('docs', 'a/b.bin')).toEqual({ namespace: 'docs', path: 'a/b.bin' });
    expect(tusUploadMetadata('docs', 'a/b.bin', { contentType: 'image/png', overwrite: true })).toEqual({
      namespace: 'docs',
      path: 'a/b.bin',
      filetype: 'image/png',
      overwrite: 'true',
    });
  });

  it('reads XMLHttpRequest header text', () => {
    const headers = parseHeaders('content-type: application/json\r\nx-request-id: r1\r\n\r\nbroken line\r\n');
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('x-request-id')).toBe('r1');
  });
});

describe('createStorageApi requests', () => {
  it('unwraps the namespace list and sends the create body', async () => {
    const ns = { name: 'docs', visibility: 'private', owner_id: 'u1', file_count: 0, bytes: 0, created_at: '2025-01-01T00:00:00Z' };
    responder = (s, res) => (s.method === 'GET' ? json(res, 200, { namespaces: [ns] }) : json(res, 201, ns));
    const api = createStorageApi({ baseUrl, token: 'jwt' });
    expect(await api.listNamespaces()).toEqual([ns]);
    expect(await api.createNamespace({ name: 'docs' })).toEqual(ns);
    expect(seen[1]).toMatchObject({ method: 'POST', url: '/storage/namespaces' });
    expect(JSON.parse(seen[1]!.body.toString())).toEqual({ name: 'docs' });
    expect(seen[1]!.headers.authorization).toBe('Bearer jwt');
  });

  it('encodes names and paths in update, delete and revoke', async () => {
    responder = (s, res) => (s.method === 'PUT' ? json(res, 200, {}) : res.writeHead(204).end());
    const api = createStorageApi({ baseUrl });
    await api.updateNamespace('docs', { visibility: 'public' });
    await expect(api.deleteFile('docs', 'a b/c#1.txt')).resolves.toBeUndefined();
    await api.revokeShare('s/1');
    await api.deleteNamespace('docs');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'PUT /storage/namespaces/docs',
      'DELETE /storage/docs/a%20b/c%231.txt',
      'DELETE /storage/shares/s%2F1',
      'DELETE /storage/namespaces/docs',
    ]);
  });

  it('uploads the raw bytes with their content type and reports start and end', async () => {
    responder = (_s, res) => json(res, 201, entry);
    const progress: UploadProgress[] = [];
    const api = createStorageApi({ baseUrl, token: 'jwt' });
    const body = new Blob(['hello'], { type: 'text/plain' });
    const result = await api.upload('docs', 'a b/c#1.txt', body, {
      overwrite: true,
      transferId: 'abc12345',
      onProgress: (p) => progress.push(p),
    });
    expect(result).toEqual(entry);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/storage/docs/a%20b/c%231.txt?overwrite=true&id=abc12345' });
    expect(seen[0]!.body.toString()).toBe('hello');
    expect(seen[0]!.headers['content-type']).toBe('text/plain');
    expect(seen[0]!.headers.authorization).toBe('Bearer jwt');
    expect(progress).toEqual([
      { loaded: 0, total: 5 },
      { loaded: 5, total: 5 },
    ]);
  });

  it('sends octet-stream when the Blob has no type, and throws the server error with its code', async () => {
    responder = (_s, res) => json(res, 409, { error: 'a file already exists at a.bin', code: 'conflict' });
    const error = await createStorageApi({ baseUrl })
      .upload('docs', 'a.bin', new Blob([new Uint8Array([1, 2])]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'conflict', message: 'a file already exists at a.bin' });
    expect(seen[0]!.headers['content-type']).toBe('application/octet-stream');
  });

  it('rejects with an AbortError when the upload is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await createStorageApi({ baseUrl })
      .upload('docs', 'a.bin', new Blob(['x']), { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(seen).toEqual([]);
  });

  it('reports an unreachable service as status 0', async () => {
    const error = await createStorageApi({ baseUrl: await unreachableUrl() })
      .upload('docs', 'a.bin', new Blob(['x']))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0 });
  });
});
