import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createNotificationsApi } from '../src';
import { json, startFakeService, type FakeService } from './support/fake-service';

// A real HTTP server on port 0 plays the notifications service and records each request with its body.
let service: FakeService;
let baseUrl: string;
const seen: Array<{ method: string; url: string; body: string; authorization: string | undefined }> = [];

beforeAll(async () => {
  service = await startFakeService(({ method, url, headers, body }, res) => {
    seen.push({ method, url, body, authorization: headers.authorization });
    if (url === '/api/notifications/404/read') return json(res, 404, { error: 'no such notification', code: 'not_found' });
    if (method === 'DELETE' && url === '/api/notifications/7') return void res.writeHead(204).end();
    if (url === '/api/notifications/unread-count') return json(res, 200, { count: 3 });
    if (url.startsWith('/api/notifications/mutes') && method === 'GET') return json(res, 200, [{ category: 'storage', scope: '' }]);
    if (url.startsWith('/api/notifications?') || url === '/api/notifications') return json(res, 200, [{ id: 9 }]);
    json(res, 200, { status: 'ok' });
  });
  baseUrl = service.url;
});
afterAll(() => service.close());

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
