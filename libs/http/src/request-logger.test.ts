import { Writable } from 'node:stream';
import { createLogger, type Logger, type LogLevel } from '@edd/logger';
import { afterEach, expect, it } from 'vitest';
import { createServiceApp, serve } from './index';
import type { RunningServer } from './index';

type Line = Record<string, unknown>;

/** A logger whose lines land, parsed, in `lines`. */
function collectingLogger(level?: LogLevel): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Line);
      done();
    },
  });
  return { logger: createLogger({ service: 'request-logger-test', level, stream }), lines };
}

const { logger, lines } = collectingLogger();

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  lines.length = 0;
});

/** An app whose "authentication" trusts an X-Test-User header: what matters here is what the logger does with it. */
async function start(log: Logger = logger): Promise<string> {
  const userIds = new WeakMap<object, string>();
  const app = createServiceApp(
    {
      service: 'request-logger-test',
      logger: log,
      domain: 'cloud.localhost',
      authentication: {
        middleware: (req, _res, next) => {
          const user = req.headers['x-test-user'];
          if (typeof user === 'string') userIds.set(req, user);
          next();
        },
        userIdOf: (req) => userIds.get(req),
      },
    },
    (app) => {
      app.get('/work', (req, res) => {
        req.log.info('doing the work', { step: 1 });
        res.json({ ok: true });
      });
      app.get('/crash', () => {
        throw new Error('internal detail');
      });
      // What another service polls: no key check here, what matters is how its requests are logged.
      app.get('/internal/usage', (req, res) => {
        res.status(req.query['fail'] ? 503 : 200).json({ ok: !req.query['fail'] });
      });
    },
  );
  running = await serve(app, { port: 0, host: '127.0.0.1', logger: log, handleSignals: false, graceMs: 500 });
  return `http://127.0.0.1:${running.port}`;
}

/** The access log line is written on 'finish', which can follow the response the client already read. */
async function lineWith(msg: string, requestId: string, from: Line[] = lines): Promise<Line> {
  for (;;) {
    const line = from.find((l) => l['msg'] === msg && l['requestId'] === requestId);
    if (line) return line;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

it("tags a handler's log lines and the access log with the request id and the authenticated user", async () => {
  const base = await start();
  await fetch(`${base}/work`, { headers: { 'X-Request-ID': 'req-42', 'X-Test-User': 'user-7' } });
  expect(await lineWith('doing the work', 'req-42')).toMatchObject({ requestId: 'req-42', userId: 'user-7', step: 1 });
  expect(await lineWith('request', 'req-42')).toMatchObject({ userId: 'user-7', path: '/work', status: 200 });
});

it('tags an anonymous request with its id only', async () => {
  const base = await start();
  await fetch(`${base}/work`, { headers: { 'X-Request-ID': 'req-anon' } });
  const line = await lineWith('doing the work', 'req-anon');
  expect(line).not.toHaveProperty('userId');
});

it('logs an unhandled error with the request id and the user', async () => {
  const base = await start();
  const res = await fetch(`${base}/crash`, { headers: { 'X-Request-ID': 'req-crash', 'X-Test-User': 'user-9' } });
  expect(res.status).toBe(500);
  expect(await lineWith('unhandled error', 'req-crash')).toMatchObject({ userId: 'user-9', path: '/crash' });
});

it('logs a failed service-to-service call at info and leaves a successful one out of the info lines', async () => {
  const base = await start();
  await fetch(`${base}/internal/usage`, { headers: { 'X-Request-ID': 'req-poll' } });
  await fetch(`${base}/internal/usage?fail=1`, { headers: { 'X-Request-ID': 'req-poll-failed' } });
  // Both were answered before the last request was sent: once its line is there, theirs would be too.
  await fetch(`${base}/work`, { headers: { 'X-Request-ID': 'req-after' } });
  await lineWith('request', 'req-after');
  expect(await lineWith('request', 'req-poll-failed')).toMatchObject({ level: 'info', path: '/internal/usage', status: 503 });
  expect(lines.find((l) => l['requestId'] === 'req-poll')).toBeUndefined();
});

it('logs a successful service-to-service call at debug level', async () => {
  const debug = collectingLogger('debug');
  const base = await start(debug.logger);
  await fetch(`${base}/internal/usage`, { headers: { 'X-Request-ID': 'req-poll-debug' } });
  expect(await lineWith('request', 'req-poll-debug', debug.lines)).toMatchObject({
    level: 'debug',
    path: '/internal/usage',
    status: 200,
  });
});
