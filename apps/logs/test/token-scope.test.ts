import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { waitFor } from '@edd/events/testing';
import { WebSocket } from 'ws';
import type { ScopeGrants } from '@edd/scopes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, keyMetadata, logClient, pushLogs, startLogsInProcess, uniqueSource } from './harness';
import type { InProcessLogs, LogsWorld } from './harness';

let world: LogsWorld;
let running: InProcessLogs;
let client: grpc.Client;
let source: string;
const alice = { userId: 'alice1', username: 'alice' };
const admin = { userId: 'admin1', username: 'admin', isAdmin: true };

beforeAll(async () => {
  world = await createWorld('scope');
  running = await startLogsInProcess(world.env);
  client = logClient(running.grpcAddress);
  source = uniqueSource();
  await pushLogs(
    client,
    [
      [
        { source, level: 'WARN', message: 'platform warn' },
        { source, level: 'WARN', message: 'alice warn', attributes: { containerId: 'c1', ownerId: 'alice1' } },
        { source, level: 'WARN', message: 'bob warn', attributes: { containerId: 'c2', ownerId: 'bob1' } },
      ],
    ],
    keyMetadata(world.auth.serviceKey),
  );
  const session = (await world.auth.issueSession(admin)).token;
  // Archived (the search reads the archive) before any test asks.
  await waitFor(async () => (await messages(`/logs/api/entries?source=${source}`, session)).length === 3);
}, 90_000);

afterAll(async () => {
  client?.close();
  await running?.service.stop();
  await world?.dispose();
});

const get = (path: string, token: string) => fetch(`${running.service.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

async function messages(path: string, token: string): Promise<string[]> {
  const res = await get(path, token);
  expect(res.status).toBe(200);
  return ((await res.json()) as { entries: Array<{ message: string }> }).entries.map((e) => e.message);
}

/** The status of a WebSocket upgrade: 101 when it opened, else the refusal's. */
function upgradeStatus(token: string): Promise<number> {
  const socket = new WebSocket(`${running.service.baseUrl.replace('http', 'ws')}/logs/ws?source=${source}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return new Promise<number>((resolve, reject) => {
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', reject);
  });
}

describe('API tokens on the logs HTTP API', () => {
  it('refuses a token without logs.<user_id>.entries read with 403 on every route', async () => {
    const tokens = [
      world.auth.createToken(alice, { 'storage.alice1': ['read'] }).token,
      // Another user's logs scope is no scope of this user's.
      world.auth.createToken(alice, { 'logs.bob1.entries': ['read'] }).token,
    ];
    for (const token of tokens) {
      const res = await get(`/logs/api/entries?source=${source}`, token);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'scope_missing', error: expect.any(String) });
      expect((await get(`/logs/download?date=${new Date().toISOString().slice(0, 10)}`, token)).status).toBe(403);
      expect((await get(`/logs/sse?source=${source}`, token)).status).toBe(403);
      expect(await upgradeStatus(token)).toBe(403);
    }
  });

  it('with the scope (or the user-level logs.<user_id>): 200, and only entries about its own containers', async () => {
    const grants: ScopeGrants[] = [{ 'logs.alice1.entries': ['read'] }, { 'logs.alice1': ['read'] }];
    for (const scopes of grants) {
      const token = world.auth.createToken(alice, scopes).token;
      expect(await messages(`/logs/api/entries?source=${source}`, token)).toEqual(['alice warn']);
    }
  });

  it("an admin's token reads as its own user: the platform's entries stay with admin sessions", async () => {
    const token = world.auth.createToken(admin, { 'logs.admin1.entries': ['read'] }).token;
    expect(await messages(`/logs/api/entries?source=${source}`, token)).toEqual([]);
  });

  it('the live tail and the download with the scope carry only its own entries', async () => {
    const token = world.auth.createToken(alice, { 'logs.alice1.entries': ['read'] }).token;
    const frames: string[] = [];
    const socket = new WebSocket(`${running.service.baseUrl.replace('http', 'ws')}/logs/ws?source=${source}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    socket.on('message', (data) => frames.push(...(JSON.parse(String(data)) as Array<{ message: string }>).map((e) => e.message)));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await pushLogs(
      client,
      [
        [
          { source, level: 'INFO', message: 'live bob', attributes: { containerId: 'c2', ownerId: 'bob1' } },
          { source, level: 'INFO', message: 'live alice', attributes: { containerId: 'c1', ownerId: 'alice1' } },
        ],
      ],
      keyMetadata(world.auth.serviceKey),
    );
    await waitFor(() => frames.includes('live alice'));
    socket.close();
    expect(frames).toEqual(['alice warn', 'live alice']);

    const day = new Date().toISOString().slice(0, 10);
    const res = await get(`/logs/download?date=${day}`, token);
    expect(res.status).toBe(200);
    const dir = await mkdtemp(join(tmpdir(), 'logs-scope-zip-'));
    try {
      await writeFile(join(dir, 'day.zip'), Buffer.from(await res.arrayBuffer()));
      const jsonl = execFileSync('unzip', ['-p', join(dir, 'day.zip'), `edd-cloud-logs-${day}.jsonl`], { encoding: 'utf8' });
      const ours = jsonl.split('\n').filter((line) => line.includes(source));
      expect(ours.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual(['alice warn']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
