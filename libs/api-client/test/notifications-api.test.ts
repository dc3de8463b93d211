import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createNotificationsApi } from '../src';

// A real HTTP server on port 0 plays the notifications service and records each request with its body.
let server: Server;
let baseUrl: string;
const seen: Array<{ method: string; url: string; body: string; authorization: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body, authorization: req.headers.authorization });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.url === '/api/notifications/404/read') return json(404, { error: 'no such notification', code: 'not_found' });
      if (req.method === 'DELETE' && req.url === '/api/notifications/7') return void res.writeHead(204).end();
      if (req.url === '/api/notifications/unread-count') return json(200, { count: 3 });
      if (req.url?.startsWith('/api/notifications/mutes') && req.method === 'GET') return json(200, [{ category: 'storage', scope: '' }]);
      if (req.url?.startsWith('/api/notifications?') || req.url === '/api/notifications') return json(200, [{ id: 9 }]);
      json(200, { status: 'ok' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('notifications client', () => {
  it('sends each call to its path and method, with paging, mute bodies and the bearer token', async () => {
    const api = createNotificationsApi({ baseUrl, token: 'tok' });
    seen.length = 0;
    expect(await api.list()).toEqual([{ id: 9 }]);
    await api.list({ limit: 20, cursor: 41 });
    expect(await api.unreadCount()).toBe(3);
    await api.markRead(5);
    await api.markAllRead();
    await api.remove(7);
    expect(await api.listMutes()).toEqual([{ category: 'storage', scope: '' }]);
    await api.mute('storage');
    await api.unmute('compute', 'c-1');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/notifications',
      'GET /api/notifications?limit=20&cursor=41',
      'GET /api/notifications/unread-count',
      'POST /api/notifications/5/read',
      'POST /api/notifications/read-all',
      'DELETE /api/notifications/7',
      'GET /api/notifications/mutes',
      'PUT /api/notifications/mutes',
      'DELETE /api/notifications/mutes',
    ]);
    expect(JSON.parse(seen[7]?.body ?? '')).toEqual({ category: 'storage', scope: '' });
    expect(JSON.parse(seen[8]?.body ?? '')).toEqual({ category: 'compute', scope: 'c-1' });
    expect(new Set(seen.map((s) => s.authorization))).toEqual(new Set(['Bearer tok']));
  });

  it('turns an error answer into an ApiError with its code', async () => {
    const error = await createNotificationsApi({ baseUrl })
      .markRead(404)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
  });
});
