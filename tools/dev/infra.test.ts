import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded-postgres';
import { InfraError, redact, resolveInfra, stopInfra } from './infra';
import { findExecutable, freePort, startDaemon } from './local-servers';
import { probeNats, probePostgres, probeRedis } from './probes';

const LOCAL = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  NATS_URL: 'nats://127.0.0.1:4222',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

/** A TCP server that speaks nonsense: an open port that is not the expected server. */
let impostor: Server;
let impostorPort: number;
const impostorSockets = new Set<Socket>();
beforeAll(async () => {
  impostor = createServer((socket) => {
    impostorSockets.add(socket);
    socket.on('error', () => undefined);
    socket.end('HELLO I AM NOT WHAT YOU THINK\r\n');
  });
  await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
  impostorPort = (impostor.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of impostorSockets) socket.destroy();
  await new Promise<void>((resolve) => impostor.close(() => resolve()));
});

describe('protocol probes', () => {
  it('recognise the real PostgreSQL, NATS (with JetStream) and Redis', async () => {
    expect(await probePostgres(LOCAL.DATABASE_URL)).toMatchObject({ ok: true, detail: expect.stringMatching(/^PostgreSQL /) });
    expect(await probeNats(LOCAL.NATS_URL)).toMatchObject({ ok: true, detail: expect.stringContaining('JetStream') });
    expect(await probeRedis(LOCAL.REDIS_URL)).toMatchObject({ ok: true, detail: expect.stringMatching(/^Redis /) });
  });

  it('refuse an open port that speaks another protocol', async () => {
    expect(await probeNats(`nats://127.0.0.1:${impostorPort}`)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not a NATS server'),
    });
    expect((await probeRedis(`redis://127.0.0.1:${impostorPort}`)).ok).toBe(false);
    expect((await probePostgres(`postgres://postgres@127.0.0.1:${impostorPort}/postgres`)).ok).toBe(false);
  });

  it('refuse a closed port', async () => {
    const closed = await freePort();
    expect((await probeNats(`nats://127.0.0.1:${closed}`)).ok).toBe(false);
    expect((await probeRedis(`redis://127.0.0.1:${closed}`)).ok).toBe(false);
    expect((await probePostgres(`postgres://postgres@127.0.0.1:${closed}/postgres`)).ok).toBe(false);
  });
});

describe('resolveInfra', () => {
  it('uses the URLs from the environment when they answer', async () => {
    const choices = await resolveInfra({ env: LOCAL, dataRoot: join(tmpdir(), 'unused') });
    expect(choices.map((c) => [c.name, c.source, c.url])).toEqual([
      ['PostgreSQL', 'env', LOCAL.DATABASE_URL],
      ['NATS', 'env', LOCAL.NATS_URL],
      ['Redis', 'env', LOCAL.REDIS_URL],
    ]);
  });

  it('finds the servers on their default local ports when no URL is set', async () => {
    const choices = await resolveInfra({ env: {}, dataRoot: join(tmpdir(), 'unused') });
    expect(choices.map((c) => c.source)).toEqual(['local', 'local', 'local']);
  });

  it('fails clearly, naming the variable, when a configured URL does not answer', async () => {
    const env = { ...LOCAL, REDIS_URL: `redis://127.0.0.1:${impostorPort}` };
    const error = await resolveInfra({ env, dataRoot: join(tmpdir(), 'unused') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfraError);
    expect((error as Error).message).toMatch(/^REDIS_URL is set but Redis there does not answer/);
  });

  it('never prints a password', () => {
    expect(redact('postgres://postgres:s3cret@127.0.0.1:5433/postgres')).toBe('postgres://postgres:***@127.0.0.1:5433/postgres');
  });
});

describe('servers started by npm start', () => {
  it.runIf(findExecutable('nats-server'))('runs nats-server with JetStream on a free port and stops it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dev-nats-'));
    const port = await freePort();
    const url = `nats://127.0.0.1:${port}`;
    try {
      const server = await startDaemon({
        name: 'NATS',
        command: findExecutable('nats-server') as string,
        args: ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', join(dir, 'js')],
        logFile: join(dir, 'nats.log'),
        probe: () => probeNats(url),
      });
      expect((await probeNats(url)).ok).toBe(true);
      await server.stop();
      expect((await probeNats(url)).ok).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs embedded PostgreSQL with a generated password, keeps its data, and stops it', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dev-pg-'));
    // As root the server runs as the `postgres` user, which must be able to enter the folder.
    await chmod(dir, 0o755);
    try {
      const first = await startEmbeddedPostgres(dir);
      try {
        expect(first.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
        expect(await probePostgres(first.url)).toMatchObject({ ok: true });
        const client = new pg.Client({ connectionString: first.url });
        await client.connect();
        await client.query('CREATE TABLE kept (id int)');
        await client.end();
        // The password is required: the server does not trust local connections.
        expect((await probePostgres(`postgres://postgres@127.0.0.1:${first.port}/postgres`)).ok).toBe(false);
      } finally {
        await first.stop();
      }
      const second = await startEmbeddedPostgres(dir);
      try {
        const client = new pg.Client({ connectionString: second.url });
        await client.connect();
        const { rows } = await client.query("SELECT to_regclass('public.kept') AS t");
        expect(rows[0]?.t).toBe('kept');
        await client.end();
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stopInfra leaves servers it did not start alone', async () => {
    const choices = await resolveInfra({ env: LOCAL, dataRoot: join(tmpdir(), 'unused') });
    await stopInfra(choices);
    expect((await probePostgres(LOCAL.DATABASE_URL)).ok).toBe(true);
  });
});
