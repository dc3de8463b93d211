import { Writable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { drainLogTransports, LogTransport, logTransportStats, sharedLogTransport } from './log-transport';

/** Counts the LogEntry fields (field 1, length-delimited) of one encoded LogBatch. */
function countEntries(batch: Buffer): number {
  let offset = 0;
  let count = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = batch[offset++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (offset < batch.length) {
    const key = varint();
    const length = varint();
    if (key === 0x0a) count += 1;
    offset += length;
  }
  return count;
}

/** A PushLogs endpoint on a real port that records the raw batches and the key; `failNext` calls answer UNAVAILABLE. */
async function startSink() {
  const state = { entries: 0, calls: 0, keys: [] as string[], failNext: 0, hang: false };
  const server = new grpc.Server();
  server.addService(
    {
      PushLogs: {
        path: '/logging.LogService/PushLogs',
        requestStream: true,
        responseStream: false,
        requestSerialize: (b: Buffer) => b,
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: () => Buffer.alloc(0),
        responseDeserialize: (b: Buffer) => b,
      },
    },
    {
      PushLogs: (call: grpc.ServerReadableStream<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        state.calls += 1;
        state.keys.push(String(call.metadata.get('x-service-key')[0]));
        let received = 0;
        call.on('data', (batch: Buffer) => (received += countEntries(batch)));
        call.on('end', () => {
          // Never answers: the client's deadline ends the call.
          if (state.hang) return;
          if (state.failNext > 0) {
            state.failNext -= 1;
            return callback({ code: grpc.status.UNAVAILABLE, details: 'try later' });
          }
          state.entries += received;
          callback(null, Buffer.alloc(0));
        });
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { state, port, stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}

const devNull = () => new Writable({ write: (_c, _e, done) => done() });
const until = async (predicate: () => boolean) => {
  for (let i = 0; i < 400 && !predicate(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(predicate()).toBe(true);
};

describe('LogTransport', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn();
  });

  it("ships a logger's lines in batches, with the service key, besides writing them to its stream", async () => {
    const sink = await startSink();
    const transport = new LogTransport({ target: `127.0.0.1:${sink.port}`, serviceKey: 'k1', flushIntervalMs: 20 });
    cleanup.push(() => transport.close(), sink.stop);
    const lines: string[] = [];
    const stream = new Writable({ write: (c: Buffer, _e, done) => (lines.push(String(c)), done()) });
    const log = createLogger({ service: 'svc', stream, transport });
    for (let i = 0; i < 1_200; i++) log.info('line', { i });
    expect(lines).toHaveLength(1_200);
    // The client counts once the answer is back, after the server counted.
    await until(() => transport.stats().sent === 1_200);
    expect(sink.state.entries).toBe(1_200);
    expect(sink.state.keys.every((k) => k === 'k1')).toBe(true);
    expect(transport.stats()).toMatchObject({ sent: 1_200, dropped: 0, buffered: 0 });
  });

  it('retries a failed call with the same lines', async () => {
    const sink = await startSink();
    sink.state.failNext = 2;
    const transport = new LogTransport({ target: `127.0.0.1:${sink.port}`, serviceKey: 'k', flushIntervalMs: 20, report: () => undefined });
    cleanup.push(() => transport.close(), sink.stop);
    const log = createLogger({ service: 'svc', stream: devNull(), transport });
    for (let i = 0; i < 10; i++) log.warn('retry me');
    await until(() => transport.stats().sent === 10);
    expect(sink.state.entries).toBe(10);
    expect(transport.stats()).toMatchObject({ sent: 10, dropped: 0, failedCalls: 2 });
  });

  it('never throws or blocks while the log service is away: the buffer is bounded and drops are counted', async () => {
    const reports: string[] = [];
    const transport = new LogTransport({
      target: '127.0.0.1:1',
      serviceKey: 'k',
      maxBuffered: 100,
      flushIntervalMs: 10,
      callTimeoutMs: 200,
      report: (m) => reports.push(m),
    });
    cleanup.push(() => transport.close());
    const log = createLogger({ service: 'svc', stream: devNull(), transport });
    for (let i = 0; i < 1_000; i++) log.error('nobody listens');
    expect(transport.stats().buffered + transport.stats().dropped).toBe(1_000);
    expect(transport.stats().dropped).toBe(900);
    await until(() => reports.length === 1);
    expect(reports[0]).toMatch(/sending to the log service failed/);
    expect(transport.stats().buffered).toBeLessThanOrEqual(100);
  });

  it('says nothing of a short outage that lost no line, and reports one that lasts', async () => {
    const sink = await startSink();
    sink.state.failNext = 3;
    const reports: string[] = [];
    const brief = new LogTransport({
      target: `127.0.0.1:${sink.port}`,
      serviceKey: 'k',
      flushIntervalMs: 20,
      report: (m) => reports.push(m),
    });
    cleanup.push(() => brief.close(), sink.stop);
    createLogger({ service: 'svc', stream: devNull(), transport: brief }).warn('after a blip');
    await until(() => brief.stats().sent === 1);
    expect(brief.stats()).toMatchObject({ failedCalls: 3, dropped: 0 });
    expect(reports).toEqual([]);

    const away = new LogTransport({
      target: '127.0.0.1:1',
      serviceKey: 'k',
      flushIntervalMs: 10,
      callTimeoutMs: 200,
      quietOutageMs: 300,
      report: (m) => reports.push(m),
    });
    cleanup.push(() => away.close());
    createLogger({ service: 'svc', stream: devNull(), transport: away }).warn('nobody listens yet');
    const startedAt = Date.now();
    await until(() => reports.length === 1);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
    expect(reports[0]).toMatch(/sending to the log service failed.*0 lines dropped/);
  });

  it('drain sends everything buffered at once (several calls), without waiting for the timer', async () => {
    const sink = await startSink();
    // The timer never fires during the test: only drain sends.
    const transport = new LogTransport({ target: `127.0.0.1:${sink.port}`, serviceKey: 'k', flushIntervalMs: 3_600_000 });
    cleanup.push(() => transport.close(), sink.stop);
    const log = createLogger({ service: 'svc', stream: devNull(), transport });
    for (let i = 0; i < 5_000; i++) log.info('before exit', { i });
    expect(await transport.drain()).toBe(0);
    expect(sink.state.entries).toBe(5_000);
    expect(sink.state.calls).toBeGreaterThan(1);
    expect(transport.stats()).toMatchObject({ sent: 5_000, buffered: 0, dropped: 0 });
  });

  it('drain gives up at the first failed call, keeping the lines, and is bounded when the log service never answers', async () => {
    const away = new LogTransport({ target: '127.0.0.1:1', serviceKey: 'k', flushIntervalMs: 3_600_000, report: () => undefined });
    const sink = await startSink();
    sink.state.hang = true;
    const silent = new LogTransport({
      target: `127.0.0.1:${sink.port}`,
      serviceKey: 'k',
      flushIntervalMs: 3_600_000,
      callTimeoutMs: 500,
      report: () => undefined,
    });
    cleanup.push(
      () => away.close(),
      () => silent.close(),
      sink.stop,
    );
    for (let i = 0; i < 30; i++) away.write(`{"level":"info","msg":"lost ${i}"}`);
    expect(await away.drain(60_000)).toBe(30);
    expect(away.stats()).toMatchObject({ failedCalls: 1, buffered: 30, dropped: 0 });
    for (let i = 0; i < 30; i++) silent.write(`{"level":"info","msg":"unanswered ${i}"}`);
    // A test timeout (not an assertion on time) is what would catch a drain that waits for an answer forever.
    expect(await silent.drain(300)).toBe(30);
    expect(sink.state.calls).toBe(1);
  });

  it("drainLogTransports drains the process's shared transports, after the call already out; logTransportStats adds them up", async () => {
    const sink = await startSink();
    const transport = sharedLogTransport(`127.0.0.1:${sink.port}`, 'k');
    cleanup.push(() => transport.close(), sink.stop);
    const log = createLogger({ service: 'svc', stream: devNull(), transport });
    for (let i = 0; i < 3_000; i++) log.info('shared', { i });
    // One call (2,000 lines) out before the drain starts: the drain waits for it, then sends the rest.
    const out = transport.flush();
    expect(await drainLogTransports()).toBe(0);
    await out;
    expect(sink.state.entries).toBe(3_000);
    expect(logTransportStats()).toEqual({ sent: 3_000, dropped: 0, failedCalls: 0, buffered: 0 });
  });
});
