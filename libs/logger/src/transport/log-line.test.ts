import { describe, expect, it } from 'vitest';
import { lineToEntry } from './log-line';
import { sharedLogTransport, transportFromEnv } from './log-transport';

describe('lineToEntry', () => {
  it('maps a logger line: service -> source, level, msg, time, the other fields as strings', () => {
    const line = JSON.stringify({
      level: 'warn',
      time: '2026-12-02T08:00:00.000Z',
      service: 'auth',
      requestId: 'r1',
      n: 3,
      deep: { a: 1 },
      msg: 'hi',
    });
    expect(lineToEntry(line)).toEqual({
      source: 'auth',
      level: 2,
      message: 'hi',
      timestampMs: Date.parse('2026-12-02T08:00:00.000Z'),
      attributes: { requestId: 'r1', n: '3', deep: '{"a":1}' },
    });
  });

  it('bounds what it keeps and tolerates odd lines', () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'v'.repeat(2_000)]));
    const entry = lineToEntry(JSON.stringify({ level: 'fatal', msg: 'm'.repeat(20_000), ...many }))!;
    expect(Object.keys(entry.attributes)).toHaveLength(32);
    expect(entry.attributes['k0']).toHaveLength(1_024);
    expect(entry.message).toHaveLength(16_384);
    expect(entry.level).toBe(3);
    expect(entry.source).toBe('unknown');
    expect(lineToEntry('not json')).toBeUndefined();
    expect(lineToEntry('42')).toBeUndefined();
  });
});

describe('transportFromEnv', () => {
  it('is off without LOG_SERVICE_URL, and one shared transport per target with it', async () => {
    expect(transportFromEnv({})).toBeUndefined();
    const a = transportFromEnv({ LOG_SERVICE_URL: 'grpc://127.0.0.1:1', SERVICE_API_KEY: 'k' });
    expect(a).toBe(sharedLogTransport('grpc://127.0.0.1:1', 'k'));
    await a?.close();
  });

  it('bounds the drain at exit by LOG_DRAIN_TIMEOUT_MS, ignoring a value that is not 1 to 60,000 ms', async () => {
    const set = transportFromEnv({ LOG_SERVICE_URL: '127.0.0.1:2', LOG_DRAIN_TIMEOUT_MS: '15000' });
    const tooLong = transportFromEnv({ LOG_SERVICE_URL: '127.0.0.1:3', LOG_DRAIN_TIMEOUT_MS: '9999999' });
    const garbage = transportFromEnv({ LOG_SERVICE_URL: '127.0.0.1:4', LOG_DRAIN_TIMEOUT_MS: '2s' });
    expect([set?.drainTimeoutMs, tooLong?.drainTimeoutMs, garbage?.drainTimeoutMs]).toEqual([15_000, 2_000, 2_000]);
    await Promise.all([set?.close(), tooLong?.close(), garbage?.close()]);
  });
});
