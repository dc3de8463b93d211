import { Writable } from 'node:stream';
import { createLogger } from '@edd/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp, httpErrors, parseBody, serve } from './index';
import type { RunningServer } from './index';

const lines: string[] = [];
const logger = createLogger({
  service: 'test',
  stream: new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  }),
});

let ready = true;
let engine = true;
let running: RunningServer | undefined;
/** `/slow` tells the test it has the request, then answers when the test lets it. */
let slowArrived: () => void = () => undefined;
let slowRelease: Promise<void> = Promise.resolve();
afterEach(async () => {
  await running?.close();
  running = undefined;
  ready = true;
  engine = true;
});

async function start(): Promise<string> {
  const app = createServiceApp(
    {
      service: 'test',
      logger,
      domain: 'cloud.localhost',
      bodyLimit: '1kb',
      readiness: [
        {
          name: 'database',
          check: async () => {
            if (!ready) throw new Error('down');
          },
        },
        {
          name: 'engine',
          advisory: true,
          check: async () => {
            if (!engine) throw new Error('no engine here: install one');
          },
        },
      ],
    },
    (app) => {
      app.post('/echo', (req, res) => {
        const body = parseBody(z.object({ name: z.string().min(1).max(10) }), req.body);
        res.json(body);
      });
      app.get('/limited', () => {
        throw httpErrors.tooManyRequests(7);
      });
      app.get('/crash', async () => {
        throw new Error('secret internal detail');
      });
      app.get('/ip', (req, res) => {
        res.json({ ip: req.ip });
      });
      app.get('/items/:id', (req, res) => {
        res.json({ id: req.params['id'] });
      });
      app.get('/slow', async (_req, res) => {
        slowArrived();
        await slowRelease;
        res.json({ done: true });
      });
    },
  );
  running = await serve(app, { port: 0, host: '127.0.0.1', logger, handleSignals: false, graceMs: 2_000 });
  return `http://127.0.0.1:${running.port}`;
}

describe('createServiceApp over a real socket', () => {
  it('answers health and readiness, 503 naming the failing dependency', async () => {
    const base = await start();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    ready = false;
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ checks: { database: 'failing' } });
  });

  it('stays ready when an advisory check fails, reporting it as degraded with its reason', async () => {
    const base = await start();
    engine = false;
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      service: 'test',
      checks: { database: 'ok', engine: 'degraded' },
      details: { engine: 'no engine here: install one' },
    });
    ready = false;
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  });

  it('reflects only platform origins, with credentials, and answers preflights', async () => {
    const base = await start();
    const own = await fetch(`${base}/healthz`, { headers: { Origin: 'https://cloud.localhost' } });
    expect(own.headers.get('access-control-allow-origin')).toBe('https://cloud.localhost');
    expect(own.headers.get('access-control-allow-credentials')).toBe('true');

    // An https platform (the default entry point) trusts no plain-http page and no other port of its hosts.
    for (const origin of ['http://cloud.localhost', 'http://auth.cloud.localhost:18080', 'https://cloud.localhost:8443']) {
      const other = await fetch(`${base}/healthz`, { headers: { Origin: origin } });
      expect(other.headers.get('access-control-allow-origin'), origin).toBeNull();
    }

    const foreign = await fetch(`${base}/healthz`, { headers: { Origin: 'http://evil.localhost' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.headers.get('access-control-allow-credentials')).toBeNull();

    const preflight = await fetch(`${base}/echo`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://auth.cloud.localhost', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');

    const foreignPreflight = await fetch(`${base}/echo`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.localhost', 'Access-Control-Request-Method': 'POST' },
    });
    expect(foreignPreflight.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('keeps a valid X-Request-ID, mints one otherwise', async () => {
    const base = await start();
    const kept = await fetch(`${base}/healthz`, { headers: { 'X-Request-ID': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    const minted = await fetch(`${base}/healthz`, { headers: { 'X-Request-ID': 'bad id\twith spaces' } });
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers bad input with JSON errors and the right status', async () => {
    const base = await start();
    const post = (body: string) => fetch(`${base}/echo`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const malformed = await post('{"name":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'malformed JSON body', code: 'invalid_request' });
    const invalid = await post('{"name":""}');
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: string }).error).toMatch(/^name: /);
    const huge = await post(JSON.stringify({ name: 'x'.repeat(5000) }));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({ error: 'request body too large', code: 'payload_too_large' });
    expect(await (await post('{"name":"ok"}')).json()).toEqual({ name: 'ok' });

    const limited = await fetch(`${base}/limited`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');

    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not found', code: 'not_found' });
  });

  it('takes the client address from the gateway hop, not from what the client wrote into X-Forwarded-For', async () => {
    const base = await start();
    const ipFor = async (forwarded: string) =>
      ((await (await fetch(`${base}/ip`, { headers: { 'X-Forwarded-For': forwarded } })).json()) as { ip: string }).ip;
    // The gateway (loopback, trusted) appends the address it saw; the client's own entries come before it.
    expect(await ipFor('203.0.113.7')).toBe('203.0.113.7');
    expect(await ipFor('6.6.6.6, 203.0.113.7')).toBe('203.0.113.7');
  });

  it('answers a malformed escape in a path parameter with 400, not 500', async () => {
    const base = await start();
    const res = await fetch(`${base}/items/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad request', code: 'invalid_request' });
  });

  it('never shows internal errors to the client', async () => {
    const base = await start();
    const res = await fetch(`${base}/crash`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toBe('{"error":"internal server error","code":"internal"}');
    expect(lines.some((l) => l.includes('secret internal detail'))).toBe(true);
  });

  it('drains in-flight requests on close', async () => {
    const base = await start();
    let release: () => void = () => undefined;
    slowRelease = new Promise((resolve) => (release = resolve));
    const arrived = new Promise<void>((resolve) => (slowArrived = resolve));
    const inFlight = fetch(`${base}/slow`);
    await arrived;
    const closing = running!.close();
    // Closing has begun (no new connection is accepted) while the request is still in the handler.
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    release();
    const res = await inFlight;
    expect(await res.json()).toEqual({ done: true });
    await closing;
    running = undefined;
  });
});
