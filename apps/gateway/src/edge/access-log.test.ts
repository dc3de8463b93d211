import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { isValidRequestId } from '@edd/config';
import { describe, expect, it } from 'vitest';
import { keepLogRequest } from './http/head-scanner';
import { acquireLogSlot, releaseLogSlot } from './http/log-slots';
import { parseRequestHead } from './http/request-head';
import { parseCommonRequestHead } from './http/request-head-fast';
import { mintedRequestId, nextRequestNumber } from './http/request-id';
import { AccessLog, type AccessRecord } from './access-log';

const record: AccessRecord = {
  requestId: 'abc-1',
  method: 'GET',
  host: 'cloud.localhost',
  path: '/x',
  route: 'cloud.localhost/',
  status: 200,
  bytes: 5,
  durationMs: 0.12,
  client: '127.0.0.1',
  cacheHit: false,
  atMs: Date.UTC(2026, 11, 3, 4, 5, 6, 78),
};

/** JSON lines of `text`, parsed. */
function parsed(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Writes `count` lines to `log`, kept lines from a request head in a log slot and every tenth from strings (the one
 * at `longAt` longer than a batch, which goes to the sink as a chunk of its own); returns the paths in order.
 */
function writeMixed(log: AccessLog, count: number, longAt: number): string[] {
  const head = Buffer.from('GET /kept HTTP/1.1\r\nHost: cloud.localhost\r\n\r\n', 'latin1');
  const req = parseCommonRequestHead(head, head.toString('latin1'), head.length - 2);
  if (req === undefined) throw new Error('the fast parser declined the head');
  const slot = acquireLogSlot();
  const paths: string[] = [];
  try {
    expect(keepLogRequest(slot, req)).toBe(true);
    for (let i = 0; i < count; i++) {
      const atMs = record.atMs + i;
      if (i % 10 === 0) {
        const path = i === longAt ? `/long-${'\u00e9'.repeat(40_000)}` : `/string-${i}`;
        log.write({ ...record, path, atMs });
        paths.push(path);
      } else {
        expect(log.writeKept(slot, i + 1, record.route, 200, i, i, record.client, false, atMs)).toBe(true);
        paths.push('/kept');
      }
    }
  } finally {
    releaseLogSlot(slot);
  }
  return paths;
}

/** The sink's write() calls counted, as they pass to it. */
function countWrites(sink: Writable): { calls: number } {
  const counted = { calls: 0 };
  const write = sink.write.bind(sink) as (chunk: Uint8Array) => boolean;
  Object.assign(sink, {
    write: (chunk: Uint8Array) => {
      counted.calls++;
      return write(chunk);
    },
  });
  return counted;
}

function lines(write: (log: AccessLog) => void): Array<Record<string, unknown>> {
  const chunks: Uint8Array[] = [];
  const log = new AccessLog({ write: (chunk) => chunks.push(chunk) });
  write(log);
  log.close();
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('AccessLog', () => {
  it('stamps each line with the ISO time of the millisecond it finished in, across seconds', () => {
    const times = [Date.UTC(2026, 11, 2, 23, 59, 59, 7), Date.UTC(2026, 11, 2, 23, 59, 59, 999), Date.UTC(2026, 11, 3, 0, 0, 0, 0)];
    // A fractional time belongs to the millisecond it is in.
    const out = lines((log) => {
      for (const t of times) log.write({ ...record, atMs: t + 0.75 });
    });
    expect(out.map((l) => l['time'])).toEqual(times.map((t) => new Date(t).toISOString()));
  });

  it('writes each line with its own status when one route answers with several', () => {
    const statuses = [200, 200, 404, 200, 502, 502];
    const out = lines((log) => {
      for (const status of statuses) log.write({ ...record, status, bytes: status });
    });
    expect(out.map((l) => [l['route'], l['status'], l['bytes']])).toEqual(statuses.map((s) => ['cloud.localhost/', s, s]));
  });

  it('writes the path and route as JSON.stringify would, escaping quotes, backslashes, controls and lone surrogates', () => {
    // Request ids and hosts are plain ASCII by the edge's own rules (the last test): they are never escaped.
    const odd = { ...record, path: '/a"b\\c', route: 'r\u0001\ud800é' };
    const [line] = lines((log) => log.write(odd));
    expect(line).toMatchObject({
      level: 'info',
      service: 'gateway',
      msg: 'request',
      component: 'access',
      requestId: 'abc-1',
      method: 'GET',
      host: 'cloud.localhost',
      path: '/a"b\\c',
      route: 'r\u0001\ud800é',
      status: 200,
      bytes: 5,
      durationMs: 0.12,
      client: '127.0.0.1',
    });
    expect(line).not.toHaveProperty('cache');
    const [hit] = lines((log) => log.write({ ...record, cacheHit: true }));
    expect(hit).toMatchObject({ path: '/x', route: 'cloud.localhost/', cache: 'HIT' });
  });

  it('writes each line byte for byte as JSON.stringify of the record would, as UTF-8, whatever the fields hold', () => {
    const time = record.atMs;
    const records: AccessRecord[] = [
      record,
      { ...record, cacheHit: true },
      // Non-ASCII (a latin1 byte, a character beyond latin1) must arrive as UTF-8, not as raw bytes.
      { ...record, path: '/\u20ac-1' },
      { ...record, path: '/caf\u00e9', route: 'r\u00e9' },
      // An ASCII route after a non-ASCII one, and escapes next to non-ASCII.
      { ...record, route: 'cloud.localhost/', path: '/"\u00ff\u0001' },
      { ...record, client: '::1', status: 502, bytes: 0, durationMs: 1234.5 },
    ];
    const chunks: Uint8Array[] = [];
    const log = new AccessLog({ write: (chunk) => chunks.push(chunk) });
    for (const r of records) log.write(r);
    log.close();
    const expected = records
      .map((r) =>
        JSON.stringify({
          time: new Date(time).toISOString(),
          level: 'info',
          service: 'gateway',
          msg: 'request',
          component: 'access',
          requestId: r.requestId,
          method: r.method,
          host: r.host,
          path: r.path,
          route: r.route,
          status: r.status,
          bytes: r.bytes,
          durationMs: r.durationMs,
          client: r.client,
          ...(r.cacheHit ? { cache: 'HIT' } : {}),
        }),
      )
      .join('\n');
    expect(Buffer.concat(chunks).equals(Buffer.from(`${expected}\n`, 'utf8'))).toBe(true);
  });

  it('keeps the order of many lines whether they wait as text, need escaping or are longer than a batch of text', () => {
    const paths = Array.from({ length: 100 }, (_, i) => `/${i}`);
    paths[40] = '/needs"escaping';
    paths[41] = '/caf\u00e9';
    paths[70] = `/${'x'.repeat(20_000)}`;
    const out = lines((log) => {
      for (const path of paths) log.write({ ...record, path });
    });
    expect(out.map((l) => l['path'])).toEqual(paths);
  });

  it('writes what waits once FLUSH_MS has passed, without a flush() call', async () => {
    const chunks: Uint8Array[] = [];
    const log = new AccessLog({ write: (chunk) => chunks.push(chunk) });
    log.write(record);
    log.write({ ...record, path: '/y' });
    expect(chunks).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const text = Buffer.concat(chunks).toString('utf8');
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as AccessRecord).path),
    ).toEqual(['/x', '/y']);
    log.close();
  });

  it('is never given a request id or host that needs escaping: the ones the edge accepts are plain ASCII', () => {
    // What the log copies without escaping: printable ASCII but `"` and backslash.
    const plain = (value: string): boolean => /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(value);
    for (let code = 0; code <= 0xffff; code++) {
      const id = `a${String.fromCharCode(code)}b`;
      if (isValidRequestId(id)) expect(plain(id), `request id with U+${code.toString(16)}`).toBe(true);
    }
    expect(plain(mintedRequestId(nextRequestNumber()))).toBe(true);
    const hosts = ['[::1]:8080', '[2001:db8::1]', 'Cloud.LocalHost:80'];
    for (let byte = 0; byte <= 0xff; byte++) hosts.push(`a${String.fromCharCode(byte)}b.localhost`, `[::${String.fromCharCode(byte)}1]`);
    let accepted = 0;
    for (const host of hosts) {
      const head = Buffer.from(`GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 'latin1');
      const req = parseRequestHead(head, head.length - 4);
      if (typeof req === 'number') continue;
      accepted++;
      expect(plain(req.host), `Host ${JSON.stringify(host)} gives ${JSON.stringify(req.host)}`).toBe(true);
    }
    expect(accepted).toBeGreaterThan(60); // letters, digits and the other reg-name characters, the IP literals
  });

  it('lets one log at a time write kept lines: the first made, until it closes', () => {
    const first = new AccessLog({ write: () => undefined });
    const second = new AccessLog({ write: () => undefined });
    expect([first.keepsLines, second.keepsLines]).toEqual([true, false]);
    expect(second.writeKept(0, 1, 'r', 200, 0, 0, '127.0.0.1', false, record.atMs)).toBe(false);
    first.close();
    expect(first.keepsLines).toBe(false);
    // The region is free again, for the next log made (one already made writes strings, as before).
    const third = new AccessLog({ write: () => undefined });
    expect([second.keepsLines, third.keepsLines]).toEqual([false, true]);
    third.close();
    second.close();
  });

  it('writes kept lines and lines from strings in the order they come, across batches', () => {
    const head = Buffer.from('GET /kept?secret=1 HTTP/1.1\r\nHost: Cloud.LocalHost:8080\r\n\r\n', 'latin1');
    const req = parseCommonRequestHead(head, head.toString('latin1'), head.length - 2);
    if (req === undefined) throw new Error('the fast parser declined the head');
    const slot = acquireLogSlot();
    const chunks: Uint8Array[] = [];
    const log = new AccessLog({ write: (chunk) => chunks.push(chunk) });
    try {
      expect(keepLogRequest(slot, req)).toBe(true);
      // More than a batch (64 KiB) of lines, every tenth from strings (and one of those escaped), at 2 ms apart.
      const expected: unknown[] = [];
      for (let i = 0; i < 1000; i++) {
        const atMs = record.atMs + 2 * i;
        const hundredths = i * 37;
        if (i % 10 === 0) {
          const path = i === 500 ? '/needs"escaping' : `/string-${i}`;
          log.write({ ...record, path, bytes: i, durationMs: hundredths / 100, atMs });
          expected.push({ path, requestId: 'abc-1', host: 'cloud.localhost', bytes: i, durationMs: hundredths / 100 });
        } else {
          expect(log.writeKept(slot, i + 1, record.route, 200, i, hundredths, record.client, i % 7 === 0, atMs)).toBe(true);
          const line = {
            path: '/kept',
            requestId: mintedRequestId(i + 1),
            host: 'cloud.localhost',
            bytes: i,
            durationMs: hundredths / 100,
          };
          expected.push(i % 7 === 0 ? { ...line, cache: 'HIT' } : line);
        }
      }
      log.close();
      expect(chunks.length).toBeGreaterThan(1);
      const out = Buffer.concat(chunks)
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(
        out.map(({ path, requestId, host, bytes, durationMs, cache }) => ({ path, requestId, host, bytes, durationMs, cache })),
      ).toEqual(expected.map((line) => ({ cache: undefined, ...(line as object) })));
      expect(out.map((line) => line['time'])).toEqual(out.map((_, i) => new Date(record.atMs + 2 * i).toISOString()));
    } finally {
      releaseLogSlot(slot);
    }
  });

  it('writes batches to the descriptor of a file stream itself, in order with the chunks the stream was given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'access-log-'));
    try {
      const file = join(dir, 'access.log');
      const stream = createWriteStream(file, { fd: openSync(file, 'w') });
      const counted = countWrites(stream);
      const log = new AccessLog(stream);
      // ~5 batches of lines before the long one, which the stream holds (its writes finish on another thread):
      // the batch after it must go through the stream too, behind it.
      const paths = writeMixed(log, 2000, 1800);
      log.close();
      stream.end();
      await once(stream, 'close');
      expect(parsed(readFileSync(file, 'utf8')).map((line) => line['path'])).toEqual(paths);
      expect(counted.calls).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the stream what a full pipe does not take, and the lines arrive whole and in order', async () => {
    // A reader that starts late: the pipe (64 KiB) fills, a direct write stops at EAGAIN, and the stream queues the rest.
    const reader = spawn('sh', ['-c', 'sleep 0.3; cat'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const received: Buffer[] = [];
    reader.stdout.on('data', (chunk: Buffer) => received.push(chunk));
    const pipe = reader.stdin;
    const fd = (pipe as unknown as { _handle: { fd: number } })._handle.fd;
    expect(fd).toBeGreaterThan(2);
    const counted = countWrites(pipe);
    const log = new AccessLog(Object.assign(pipe, { fd }));
    const paths = writeMixed(log, 3000, 300);
    log.close();
    pipe.end();
    await once(reader, 'close');
    expect(parsed(Buffer.concat(received).toString('utf8')).map((line) => line['path'])).toEqual(paths);
    expect(counted.calls).toBeGreaterThan(1);
  });

  it('leaves to write() what the scanner cannot write: no owned region, a route too long, an odd count', () => {
    const log = new AccessLog({ write: () => undefined });
    const slot = acquireLogSlot();
    try {
      expect(log.writeKept(slot, 1, 'x'.repeat(600), 200, 0, 0, '127.0.0.1', false, record.atMs)).toBe(false);
      expect(log.writeKept(slot, 1, 'r', 200, -1, 0, '127.0.0.1', false, record.atMs)).toBe(false);
      expect(log.writeKept(slot, 1, 'r', 200, 0, Number.NaN, '127.0.0.1', false, record.atMs)).toBe(false);
      log.close();
      expect(log.writeKept(slot, 1, 'r', 200, 0, 0, '127.0.0.1', false, record.atMs)).toBe(false);
    } finally {
      releaseLogSlot(slot);
    }
  });
});
