import { Writable } from 'node:stream';
import { createLogger } from '@edd/logger';
import express from 'express';
import { Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceApp, serve } from './index';
import type { RunningServer, ServiceAppOptions } from './index';

const quiet = createLogger({ service: 'metrics-test', stream: new Writable({ write: (_c, _e, done) => done() }) });
const KEY = 'metrics-test-service-key';
const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
});

async function start(overrides: Partial<ServiceAppOptions> = {}): Promise<string> {
  const app = createServiceApp(
    { service: 'metrics-test', logger: quiet, domain: 'cloud.localhost', metricsKey: KEY, ...overrides },
    (app) => {
      app.get('/items/:id', (req, res) => {
        res.json({ id: req.params['id'] });
      });
      app.get('/crash', () => {
        throw new Error('boom');
      });
      const files = express.Router();
      files.get('/:name', (_req, res) => {
        res.status(201).json({});
      });
      app.use('/files', files);
    },
  );
  const server = await serve(app, { port: 0, host: '127.0.0.1', logger: quiet, handleSignals: false, graceMs: 500 });
  running.push(server);
  return `http://127.0.0.1:${server.port}`;
}

async function scrape(base: string): Promise<string> {
  const res = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${KEY}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

/** The value of one sample line, e.g. sample(text, 'http_requests_total', '{method="GET",...}'). */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('/metrics', () => {
  it('counts requests by route pattern and status, never by raw path', async () => {
    const base = await start();
    for (const id of ['a', 'b', 'c']) await fetch(`${base}/items/${id}`);
    await fetch(`${base}/files/report.pdf`);
    await fetch(`${base}/crash`);
    await fetch(`${base}/no/such/${Math.random()}`);

    const text = await scrape(base);
    expect(sample(text, 'http_requests_total', '{method="GET",route="/items/:id",status="200"}')).toBe(3);
    expect(sample(text, 'http_requests_total', '{method="GET",route="/files/:name",status="201"}')).toBe(1);
    expect(sample(text, 'http_requests_total', '{method="GET",route="/crash",status="500"}')).toBe(1);
    expect(sample(text, 'http_requests_total', '{method="GET",route="(unmatched)",status="404"}')).toBe(1);
    expect(text).not.toContain('/items/a');
    expect(text).not.toContain('report.pdf');
    expect(sample(text, 'http_request_duration_seconds_count', '{method="GET",route="/items/:id"}')).toBe(3);
    expect(sample(text, 'http_request_duration_seconds_bucket', '{le="+Inf",method="GET",route="/items/:id"}')).toBe(3);
  });

  it('includes the process metrics', async () => {
    const text = await scrape(await start());
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it('keeps each app its own counters', async () => {
    const first = await start();
    const second = await start();
    await fetch(`${first}/items/x`);
    expect(sample(await scrape(first), 'http_requests_total', '{method="GET",route="/items/:id",status="200"}')).toBe(1);
    expect(sample(await scrape(second), 'http_requests_total', '{method="GET",route="/items/:id",status="200"}')).toBeUndefined();
  });

  it('answers only callers presenting the service key (the gateway forwards every path)', async () => {
    const base = await start();
    const anonymous = await fetch(`${base}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: 'metrics require the service key', code: 'unauthenticated' });
    expect((await fetch(`${base}/metrics`, { headers: { 'X-Service-Key': 'not-the-key' } })).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { Authorization: 'Bearer not-the-key' } })).status).toBe(401);
    const withHeader = await fetch(`${base}/metrics`, { headers: { 'X-Service-Key': KEY } });
    expect(withHeader.status).toBe(200);
    expect(await withHeader.text()).toContain('# TYPE http_requests_total counter');
  });

  it("serves the service's own registries beside the HTTP ones (the bus's dead letters, an outbox backlog)", async () => {
    const own = new Registry();
    new Gauge({ name: 'edd_test_backlog', help: 'events waiting', registers: [own] }).set(7);
    const base = await start({ extraMetrics: [own] });
    expect(sample(await scrape(base), 'edd_test_backlog', '')).toBe(7);
  });

  it('is not served at all by an app given no key', async () => {
    const base = await start({ metricsKey: undefined });
    const res = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(404);
  });
});
