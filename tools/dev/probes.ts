import { connect } from 'node:net';
import pg from 'pg';
import { Redis } from 'ioredis';

/**
 * Protocol-level checks: an open port is not enough (a stale process or another program may hold
 * it), so each probe speaks a few bytes of the real protocol before `npm start` trusts the server.
 */
export type ProbeResult = { ok: true; detail?: string } | { ok: false; reason: string };

const TIMEOUT_MS = 2_500;

export async function probePostgres(url: string): Promise<ProbeResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ version: string }>('SELECT 1 AS ok, current_setting($1) AS version', ['server_version']);
    return { ok: true, detail: `PostgreSQL ${result.rows[0]?.version ?? '?'}` };
  } catch (error) {
    return { ok: false, reason: describe(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A NATS server greets every client with an `INFO {json}` line before anything else. */
export async function probeNats(url: string): Promise<ProbeResult> {
  const { hostname, port } = parseHostPort(url, 4222);
  try {
    const line = await firstLine(hostname, port);
    if (!line.startsWith('INFO ')) return { ok: false, reason: `not a NATS server (said ${JSON.stringify(line.slice(0, 40))})` };
    const info = JSON.parse(line.slice(5)) as { version?: string; jetstream?: boolean };
    // The events lib needs JetStream; a server started without -js would fail every publish later.
    if (info.jetstream !== true) return { ok: false, reason: 'NATS answers but JetStream is off (start nats-server with -js)' };
    return { ok: true, detail: `NATS ${info.version ?? '?'} with JetStream` };
  } catch (error) {
    return { ok: false, reason: describe(error) };
  }
}

export async function probeRedis(url: string): Promise<ProbeResult> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const pong = await redis.ping();
    if (pong !== 'PONG') return { ok: false, reason: `unexpected PING answer ${pong}` };
    const info = await redis.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1];
    return { ok: true, detail: `Redis ${version ?? '?'}` };
  } catch (error) {
    return { ok: false, reason: describe(error) };
  } finally {
    redis.disconnect();
  }
}

/** True when something accepts TCP connections on the port (whatever it is). */
export function isPortOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function firstLine(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buffer = '';
    socket.setTimeout(TIMEOUT_MS, () => {
      socket.destroy();
      reject(new Error(`no greeting from ${host}:${port} within ${TIMEOUT_MS} ms`));
    });
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(buffer.slice(0, end));
      }
    });
    socket.once('error', reject);
    socket.once('end', () => reject(new Error(`connection to ${host}:${port} closed before a greeting`)));
  });
}

export function parseHostPort(url: string, defaultPort: number): { hostname: string; port: number } {
  // NATS_URL may be a comma-separated server list; the first server is enough for a liveness check.
  const first = url.split(',')[0]?.trim() ?? url;
  const parsed = new URL(first.includes('://') ? first : `nats://${first}`);
  return { hostname: parsed.hostname.replace(/^\[|\]$/g, ''), port: parsed.port ? Number(parsed.port) : defaultPort };
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
