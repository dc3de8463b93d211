import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '@edd/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp, MAX_REQUEST_HEADER_LINES, requireServiceKey, serve, type RunningServer } from './index';

const logger = createLogger({ service: 'test', stream: new Writable({ write: (_c, _e, done) => done() }) });
const KEY = 'internal-guard-key';
let running: RunningServer;

beforeAll(async () => {
  const app = createServiceApp({ service: 'test', logger, domain: 'cloud.localhost' }, (a) => {
    a.get('/internal/thing', requireServiceKey(KEY), (_req, res) => void res.json({ ok: true }));
    a.get('/lines', (req, res) => void res.json({ lines: req.rawHeaders.length / 2, last: req.headers['x-last'] ?? null }));
  });
  running = await serve(app, { port: 0, host: '127.0.0.1', logger, handleSignals: false, graceMs: 100 });
});
afterAll(() => running.close());

/** Raw socket: the head goes out exactly as listed (Host first), one line each; answers carry Content-Length. */
function get(path: string, headers: Array<[string, string]>): Promise<{ status: number; body: Record<string, unknown> }> {
  const head = [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headers.map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(running.port, '127.0.0.1', () => socket.write(head));
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      raw += chunk;
      const headEnd = raw.indexOf('\r\n\r\n');
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(raw)?.[1] ?? -1);
      if (headEnd === -1 || length < 0 || Buffer.byteLength(raw.slice(headEnd + 4)) < length) return;
      socket.destroy();
      const body = JSON.parse(raw.slice(headEnd + 4)) as Record<string, unknown>;
      resolve({ status: Number(raw.slice(9, 12)), body });
    });
  });
}

const padding = (count: number): Array<[string, string]> => Array.from({ length: count }, (_, i) => [`x-pad-${i}`, 'x']);

describe('header lines', () => {
  it('keeps every line up to the limit, the last one included', async () => {
    // Host is the first line.
    const res = await get('/lines', [...padding(MAX_REQUEST_HEADER_LINES - 2), ['x-last', 'seen']]);
    expect(res).toEqual({ status: 200, body: { lines: MAX_REQUEST_HEADER_LINES, last: 'seen' } });
  });

  it('refuses one line more with 431 instead of dropping it', async () => {
    const res = await get('/lines', [...padding(MAX_REQUEST_HEADER_LINES - 1), ['x-last', 'seen']]);
    expect(res.status).toBe(431);
    expect(res.body['code']).toBe('headers_too_large');
  });
});

describe('requireServiceKey', () => {
  it('answers a direct caller presenting the key', async () => {
    expect((await get('/internal/thing', [['x-service-key', KEY]])).status).toBe(200);
  });

  it('refuses a missing or wrong key with 401', async () => {
    expect((await get('/internal/thing', [])).body['code']).toBe('invalid_service_key');
    expect((await get('/internal/thing', [['x-service-key', 'nope']])).status).toBe(401);
  });

  it.each(['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'forwarded'])(
    'refuses the right key when %s shows the gateway proxied the request',
    async (name) => {
      const res = await get('/internal/thing', [['x-service-key', KEY], ...padding(MAX_REQUEST_HEADER_LINES - 3), [name, '198.51.100.7']]);
      expect(res).toMatchObject({ status: 403, body: { code: 'internal_only' } });
    },
  );
});
