import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './testing';

// Answers with what it received, as JSON, or as plain text on /text.
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.url === '/text') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('plain words');
        return;
      }
      const echo = {
        method: req.method,
        authorization: req.headers.authorization ?? null,
        type: req.headers['content-type'] ?? null,
        body,
      };
      res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'x-seen': 'yes' }).end(JSON.stringify(echo));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('call', () => {
  it('sends `json` as JSON with the token as a bearer, and parses the JSON reply', async () => {
    const res = await call(base, 'POST', '/x', { json: { a: 1 }, token: 'tok' });
    expect([res.status, res.headers.get('x-seen')]).toEqual([201, 'yes']);
    expect(res.body).toEqual({ method: 'POST', authorization: 'Bearer tok', type: 'application/json', body: '{"a":1}' });
    expect(JSON.parse(res.text)).toEqual(res.body);
  });

  it('sends `raw` as it is, with no content-type of its own; a content-type in `headers` wins over the JSON one', async () => {
    expect((await call(base, 'PUT', '/x', { raw: new Uint8Array([104, 105]) })).body).toMatchObject({ type: null, body: 'hi' });
    const typed = await call(base, 'PUT', '/x', { json: 'x', headers: { 'content-type': 'text/plain' } });
    expect(typed.body).toMatchObject({ type: 'text/plain', body: '"x"' });
  });

  it('leaves the body empty when the reply is not JSON, and sends no authorization without a token', async () => {
    expect(await call(base, 'GET', '/text')).toMatchObject({ status: 200, body: {}, text: 'plain words' });
    expect((await call(base, 'GET', '/x')).body).toMatchObject({ method: 'GET', authorization: null, body: '' });
  });
});
