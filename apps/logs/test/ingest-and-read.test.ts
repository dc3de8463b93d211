import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { EventBus, ReceivedEvent } from '@edd/events';
import { createLogger, LogTransport } from '@edd/logger';
import { Writable } from 'node:stream';
import { connectTestBus, waitFor } from '@edd/events/testing';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, startLogsInProcess, keyMetadata, logClient, pushLogs, streamLogs, unary, uniqueSource } from './harness';
import type { InProcessLogs, LogsWorld } from './harness';

let world: LogsWorld;
let running: InProcessLogs;
let client: grpc.Client;
let md: grpc.Metadata;
let admin: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  world = await createWorld('read');
  running = await startLogsInProcess(world.env);
  client = logClient(running.grpcAddress);
  md = keyMetadata(world.auth.serviceKey);
  admin = (await world.auth.issueSession({ userId: 'admin1', username: 'admin', isAdmin: true })).token;
  alice = (await world.auth.issueSession({ userId: 'alice1', username: 'alice' })).token;
  bob = (await world.auth.issueSession({ userId: 'bob1', username: 'bob' })).token;
}, 90_000);

afterAll(async () => {
  client?.close();
  await running?.service.stop();
  await world?.dispose();
});

const get = (path: string, token?: string) =>
  fetch(`${running.service.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

interface EntryJson {
  source: string;
  level: string;
  message: string;
  timestamp: string;
  attributes: Record<string, string>;
}

async function search(query: string, token = admin): Promise<EntryJson[]> {
  const res = await get(`/logs/api/entries?${query}`, token);
  expect(res.status).toBe(200);
  return ((await res.json()) as { entries: EntryJson[] }).entries;
}

describe('gRPC LogService', () => {
  it('refuses callers without the service key (UNAUTHENTICATED) on every method', async () => {
    const wrong = keyMetadata('not-the-key');
    await expect(unary(client, 'PushLog', { entry: { source: 'x', message: 'm' } }, wrong)).rejects.toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
    });
    await expect(pushLogs(client, [[{ source: 'x', message: 'm' }]], new grpc.Metadata())).rejects.toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
    });
    await expect(unary(client, 'GetLogs', { source: 'x' }, wrong)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    const stream = streamLogs(client, { source: 'x' }, wrong);
    expect(await stream.ended).toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  });

  it('stores PushLog entries, rewrites an invalid source to invalid-source and bounds the message', async () => {
    const marker = uniqueSource('marker');
    await unary(client, 'PushLog', { entry: { source: 'bad source!', level: 'INFO', message: marker } }, md);
    await unary(client, 'PushLog', { entry: { source: marker, level: 'INFO', message: 'y'.repeat(40_000) } }, md);
    const invalid = await unary<{ entries: EntryJson[] }>(client, 'GetLogs', { source: 'invalid-source', limit: 1000 }, md);
    expect(invalid.entries.some((e) => e.message === marker)).toBe(true);
    const long = await unary<{ entries: EntryJson[] }>(client, 'GetLogs', { source: marker }, md);
    expect(long.entries[0]!.message.length).toBe(16 * 1024);
  });

  it('GetLogs filters by exact source, minimum level and since, and keeps the last `limit`', async () => {
    const source = uniqueSource();
    const old = Date.now() - 60_000;
    const accepted = await pushLogs(
      client,
      [
        [
          { source, level: 'DEBUG', message: 'd1' },
          { source, level: 'WARN', message: 'w-old', timestamp_ms: old },
          { source, level: 'WARN', message: 'w1' },
        ],
        [
          { source, level: 'ERROR', message: 'e1' },
          { source: `${source}x`, level: 'ERROR', message: 'other source' },
        ],
      ],
      md,
    );
    expect(accepted).toBe(5);
    const warnPlus = await unary<{ entries: EntryJson[] }>(client, 'GetLogs', { source, min_level: 'WARN', limit: 10 }, md);
    expect(warnPlus.entries.map((e) => e.message)).toEqual(['w-old', 'w1', 'e1']);
    const recent = await unary<{ entries: EntryJson[] }>(
      client,
      'GetLogs',
      { source, min_level: 'WARN', since: Math.floor((old + 30_000) / 1000) },
      md,
    );
    expect(recent.entries.map((e) => e.message)).toEqual(['w1', 'e1']);
    const last = await unary<{ entries: EntryJson[] }>(client, 'GetLogs', { source, limit: 2 }, md);
    expect(last.entries.map((e) => e.message)).toEqual(['w1', 'e1']);
  });

  it('StreamLogs sends the backlog, then live entries of its source at or above its level', async () => {
    const source = uniqueSource();
    await pushLogs(
      client,
      [
        [
          { source, level: 'WARN', message: 'before' },
          { source, level: 'INFO', message: 'too low' },
        ],
      ],
      md,
    );
    const stream = streamLogs(client, { source, min_level: 'WARN' }, md);
    await waitFor(() => stream.received.length === 1);
    await pushLogs(
      client,
      [
        [
          { source, level: 'ERROR', message: 'after' },
          { source: `${source}-no`, level: 'ERROR', message: 'no' },
        ],
      ],
      md,
    );
    await waitFor(() => stream.received.length === 2);
    expect(stream.received.map((e) => [e.message, e.level])).toEqual([
      ['before', 'WARN'],
      ['after', 'ERROR'],
    ]);
    stream.call.cancel();
  });

  it('refuses a PushLogs batch of more than 5,000 entries with INVALID_ARGUMENT', async () => {
    const entries = Array.from({ length: 5_001 }, () => ({ source: 's', message: 'm' }));
    await expect(pushLogs(client, [entries], md)).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
  });
});

describe('@edd/logger transport into the real service', () => {
  it("delivers a service's log lines (its hand-made LogBatch decoded by the real .proto): source, level, message, fields", async () => {
    const source = uniqueSource('shipper');
    const transport = new LogTransport({ target: running.grpcAddress, serviceKey: world.auth.serviceKey, flushIntervalMs: 20 });
    try {
      const log = createLogger({ service: source, stream: new Writable({ write: (_c, _e, done) => done() }), transport }).child({
        requestId: 'r1',
      });
      log.info('hello from a service', { userId: 'u1', count: 3 });
      log.error('it broke', { token: 'secret-token-value' });
      await waitFor(async () => (await unary<{ entries: EntryJson[] }>(client, 'GetLogs', { source }, md)).entries.length === 2);
      const { entries } = await unary<{ entries: EntryJson[] }>(client, 'GetLogs', { source }, md);
      expect(entries.map((e) => [e.level, e.message])).toEqual([
        ['INFO', 'hello from a service'],
        ['ERROR', 'it broke'],
      ]);
      expect(entries[0]!.attributes).toEqual({ requestId: 'r1', userId: 'u1', count: '3' });
      // Redacted before it ever left the service.
      expect(JSON.stringify(entries[1]!.attributes)).not.toContain('secret-token-value');
      expect(transport.stats()).toMatchObject({ sent: 2, dropped: 0 });
    } finally {
      await transport.close();
    }
  });
});

describe('live tail over HTTP', () => {
  function openTail(query: string, token: string) {
    const frames: EntryJson[][] = [];
    const socket = new WebSocket(`${running.service.baseUrl.replace('http', 'ws')}/logs/ws?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    socket.on('message', (data) => frames.push(JSON.parse(String(data)) as EntryJson[]));
    const opened = new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return { frames, socket, opened, messages: () => frames.flat().map((e) => e.message) };
  }

  it('WS /logs/ws: backlog then live for an admin; a user sees only entries about their own containers', async () => {
    const source = uniqueSource();
    await pushLogs(
      client,
      [
        [
          { source, level: 'INFO', message: 'platform line' },
          { source, level: 'INFO', message: 'alice container', attributes: { containerId: 'c1', ownerId: 'alice1' } },
        ],
      ],
      md,
    );
    const adminTail = openTail(`source=${source}`, admin);
    const aliceTail = openTail(`source=${source}`, alice);
    await Promise.all([adminTail.opened, aliceTail.opened]);
    await waitFor(() => adminTail.messages().length === 2 && aliceTail.frames.length >= 1);
    await pushLogs(
      client,
      [
        [
          { source, level: 'WARN', message: 'live platform' },
          { source, level: 'WARN', message: 'live alice', attributes: { containerId: 'c1', ownerId: 'alice1' } },
          { source, level: 'WARN', message: 'live bob', attributes: { containerId: 'c2', ownerId: 'bob1' } },
        ],
      ],
      md,
    );
    await waitFor(() => adminTail.messages().length === 5 && aliceTail.messages().includes('live alice'));
    expect(adminTail.messages()).toEqual(['platform line', 'alice container', 'live platform', 'live alice', 'live bob']);
    expect(aliceTail.messages()).toEqual(['alice container', 'live alice']);
    adminTail.socket.close();
    aliceTail.socket.close();
  });

  it('WS /logs/ws refuses an anonymous upgrade (401) and closes on a bad filter', async () => {
    const anonymous = new WebSocket(`${running.service.baseUrl.replace('http', 'ws')}/logs/ws`);
    const status = await new Promise<number | undefined>((resolve) =>
      anonymous.once('unexpected-response', (_req, res) => resolve(res.statusCode)),
    );
    expect(status).toBe(401);
    const bad = openTail('level=LOUD', admin);
    const code = await new Promise<number>((resolve) => bad.socket.once('close', (c) => resolve(c)));
    expect(code).toBe(1008);
  });

  it('GET /logs/sse: backlog then live `entries` events', async () => {
    const source = uniqueSource();
    await pushLogs(client, [[{ source, level: 'INFO', message: 'sse before' }]], md);
    const controller = new AbortController();
    const res = await fetch(`${running.service.baseUrl}/logs/sse?source=${source}`, {
      headers: { authorization: `Bearer ${admin}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await readUntil('sse before');
    await pushLogs(client, [[{ source, level: 'INFO', message: 'sse after' }]], md);
    await readUntil('sse after');
    expect(text).toMatch(/event: entries\ndata: \[.*"sse before".*\]/);
    controller.abort();
  });
});

describe('archive', () => {
  it('archives WARN+ and audit entries (not plain INFO), found by search with source, level, text and time filters', async () => {
    const source = uniqueSource();
    await pushLogs(
      client,
      [
        [
          { source, level: 'INFO', message: 'plain info line' },
          { source, level: 'INFO', message: 'audit: user signed in', attributes: { audit: 'true' } },
          { source, level: 'WARN', message: 'disk almost 100% full_' },
          { source, level: 'ERROR', message: 'upload failed' },
        ],
      ],
      md,
    );
    await waitFor(async () => (await search(`source=${source}`)).length === 3);
    expect((await search(`source=${source}`)).map((e) => e.message)).toEqual([
      'upload failed',
      'disk almost 100% full_',
      'audit: user signed in',
    ]);
    expect((await search(`source=${source}&level=warn`)).map((e) => e.message)).toEqual(['upload failed', 'disk almost 100% full_']);
    // LIKE wildcards in q are literal.
    expect((await search(`source=${source}&q=${encodeURIComponent('100% FULL_')}`)).map((e) => e.message)).toEqual([
      'disk almost 100% full_',
    ]);
    expect(await search(`source=${source}&q=${encodeURIComponent('%')}&level=ERROR`)).toEqual([]);
    expect(await search(`source=${source}&until=${Date.now() - 3_600_000}`)).toEqual([]);
    expect(await search(`source=${source}&limit=1`)).toHaveLength(1);
  });

  it('search: a user sees only entries about their own containers; bad input is 400, no session 401', async () => {
    const source = uniqueSource();
    await pushLogs(
      client,
      [
        [
          { source, level: 'WARN', message: 'alice warn', attributes: { containerId: 'c1', ownerId: 'alice1' } },
          { source, level: 'WARN', message: 'bob warn', attributes: { containerId: 'c2', ownerId: 'bob1' } },
          { source, level: 'WARN', message: 'no container', attributes: { ownerId: 'alice1' } },
        ],
      ],
      md,
    );
    await waitFor(async () => (await search(`source=${source}`)).length === 3);
    expect((await search(`source=${source}`, alice)).map((e) => e.message)).toEqual(['alice warn']);
    expect((await search(`source=${source}`, bob)).map((e) => e.message)).toEqual(['bob warn']);
    for (const query of [
      'level=LOUD',
      'limit=0',
      'limit=5000',
      'since=yesterday',
      `q=${'x'.repeat(201)}`,
      'source=a%20b',
      'since=2000&until=1000',
      'since=0',
    ])
      expect((await get(`/logs/api/entries?${query}`, admin)).status, query).toBe(400);
    const res = await get('/logs/api/entries');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: expect.any(String) });
  });

  it('publishes every ERROR entry as log.error.<source>, once', async () => {
    const source = uniqueSource();
    const bus: EventBus = await connectTestBus('logs-test');
    const seen: ReceivedEvent<'log.error'>[] = [];
    const sub = await bus.subscribe({ types: ['log.error'], handler: (event) => void (event.data.source === source && seen.push(event)) });
    try {
      await pushLogs(
        client,
        [
          [
            { source, level: 'ERROR', message: 'boom', attributes: { k: 'v' } },
            { source, level: 'WARN', message: 'meh' },
          ],
        ],
        md,
      );
      await waitFor(() => seen.length === 1);
      expect(seen[0]!.subject).toBe(`log.error.${source}`);
      expect(seen[0]!.data).toMatchObject({ source, level: 'ERROR', message: 'boom', attributes: { k: 'v' } });
    } finally {
      await sub.stop();
      await bus.close();
    }
  });

  it('GET /logs/download: a zip of the day as .log and .jsonl; 400 on a bad date, 404 on a day without logs', async () => {
    const source = uniqueSource();
    await pushLogs(client, [[{ source, level: 'WARN', message: 'in the zip' }]], md);
    await waitFor(async () => (await search(`source=${source}`)).length === 1);
    const day = new Date().toISOString().slice(0, 10);
    const res = await get(`/logs/download?date=${day}`, admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const dir = await mkdtemp(join(tmpdir(), 'logs-zip-'));
    try {
      await writeFile(join(dir, 'day.zip'), Buffer.from(await res.arrayBuffer()));
      const log = execFileSync('unzip', ['-p', join(dir, 'day.zip'), `edd-cloud-logs-${day}.log`], { encoding: 'utf8' });
      const jsonl = execFileSync('unzip', ['-p', join(dir, 'day.zip'), `edd-cloud-logs-${day}.jsonl`], { encoding: 'utf8' });
      expect(log).toMatch(new RegExp(`^${day} \\d\\d:\\d\\d:\\d\\d\\.\\d{3}  WARN   ${source}  in the zip$`, 'm'));
      const line = jsonl.split('\n').find((l) => l.includes(source));
      expect(JSON.parse(line!)).toMatchObject({ source, level: 'WARN', message: 'in the zip' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect((await get('/logs/download?date=2026-02-30', admin)).status).toBe(400);
    expect((await get('/logs/download?date=yesterday', admin)).status).toBe(400);
    expect((await get('/logs/download?date=2001-01-01', admin)).status).toBe(404);
    const carol = (await world.auth.issueSession({ userId: 'carol1', username: 'carol' })).token;
    expect((await get(`/logs/download?date=${day}`, carol)).status).toBe(404);
  });
});
