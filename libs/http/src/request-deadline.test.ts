import { Writable } from 'node:stream';
import { createLogger } from '@edd/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp, serve, type RunningServer } from './index';

const logger = createLogger({ service: 'test', stream: new Writable({ write: (_c, _e, done) => done() }) });
let running: RunningServer;
let base: string;
let runs = 0;

beforeAll(async () => {
  const app = createServiceApp({ service: 'test', logger, domain: 'cloud.localhost' }, (a) => {
    a.post('/api/things', (_req, res) => {
      runs += 1;
      res.status(201).json({ created: runs });
    });
  });
  running = await serve(app, { port: 0, host: '127.0.0.1', logger, handleSignals: false, graceMs: 100 });
  base = `http://127.0.0.1:${running.port}`;
});
afterAll(() => running.close());

const post = (deadline?: string) =>
  fetch(`${base}/api/things`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(deadline === undefined ? {} : { 'x-request-deadline': deadline }) },
    body: '{}',
  });

describe('X-Request-Deadline', () => {
  it('drops a write that arrives after the gateway gave up, without running it', async () => {
    const before = runs;
    const late = await post(String(Date.now() - 1_000));
    expect(late.status).toBe(504);
    expect(await late.json()).toMatchObject({ code: 'gateway_timeout' });
    expect(runs).toBe(before);
  });

  it('runs requests still within their deadline, without one, or with a value it cannot read', async () => {
    const before = runs;
    for (const deadline of [String(Date.now() + 60_000), undefined, 'soon', '-5', '1e3'])
      expect((await post(deadline)).status, String(deadline)).toBe(201);
    expect(runs).toBe(before + 5);
  });
});
