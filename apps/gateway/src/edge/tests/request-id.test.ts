import { isValidRequestId } from '@edd/config';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startTestEdge, startUpstream, type TestEdge } from './harness';

/** Issue 14 item 9: the id a service logs must be the id the gateway logged and answered with. */
describe('edge request ids', () => {
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let gw: TestEdge;
  let seen: IncomingHttpHeaders = {};

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      // A query keeps every answer out of the response cache: each request must reach us.
      seen = req.headers;
      res.end('ok');
    });
    gw = await startTestEdge([{ host: 'cloud.localhost', pathPrefix: '/', target: upstream.url, stripPrefix: false }]);
  });
  afterAll(async () => {
    await gw.close();
    await upstream.close();
  });

  it('keeps an id every service keeps', async () => {
    const res = await get(gw.edge.ports.http, 'cloud.localhost', '/?kept', { headers: { 'x-request-id': 'abc-1.2:3_x' } });
    expect(res.headers['x-request-id']).toBe('abc-1.2:3_x');
    expect(seen['x-request-id']).toBe('abc-1.2:3_x');
  });

  it('replaces an id the services would replace (/ + = @), so every hop logs the same id', async () => {
    for (const sent of ['a/b', 'a+b', 'YWJj==', 'user@host', 'x'.repeat(129)]) {
      const res = await get(gw.edge.ports.http, 'cloud.localhost', `/?${encodeURIComponent(sent)}`, { headers: { 'x-request-id': sent } });
      const forwarded = String(seen['x-request-id']);
      expect(forwarded, sent).not.toBe(sent);
      expect(isValidRequestId(forwarded), forwarded).toBe(true);
      expect(res.headers['x-request-id']).toBe(forwarded);
    }
  });
});
