import { Writable } from 'node:stream';
import { createLogger, transportFromEnv } from '@edd/logger';
import { afterAll, expect, it } from 'vitest';
import { createServiceApp, serve } from './index';

const KEY = 'transport-metrics-key';
const devNull = () => new Writable({ write: (_c, _e, done) => done() });
// The app's own logger ships nothing: only the lines below reach the transport.
const quiet = createLogger({ service: 'transport-metrics', stream: devNull(), transport: false });
// What LOG_SERVICE_URL turns on in a service, aimed at a port where no log service listens.
const transport = transportFromEnv({ LOG_SERVICE_URL: '127.0.0.1:1', SERVICE_API_KEY: KEY });
afterAll(() => transport?.close());

const sample = (text: string, name: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};

it("/metrics shows the log transport's dropped lines once its buffer is full (log service unreachable)", async () => {
  if (!transport) throw new Error('LOG_SERVICE_URL turned no transport on');
  const shipping = createLogger({ service: 'chatty', stream: devNull(), transport, level: 'info' });
  // The shared transport holds 10,000 lines: 250 more are dropped.
  for (let i = 0; i < 10_250; i++) shipping.info('nobody listens', { i });
  const server = await serve(
    createServiceApp({ service: 'transport-metrics', logger: quiet, domain: 'cloud.localhost', metricsKey: KEY }, () => undefined),
    { port: 0, host: '127.0.0.1', logger: quiet, handleSignals: false },
  );
  try {
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('# TYPE log_transport_dropped_total counter');
    expect(sample(text, 'log_transport_dropped_total')).toBe(250);
    expect(sample(text, 'log_transport_sent_total')).toBe(0);
    // A failing call takes its lines back; while one is out they are not counted as buffered.
    expect(sample(text, 'log_transport_buffered')).toBeGreaterThan(0);
    expect(sample(text, 'log_transport_buffered')).toBeLessThanOrEqual(10_000);
    expect(sample(text, 'log_transport_failed_calls_total')).toBeGreaterThanOrEqual(0);
  } finally {
    await server.close();
  }
});
