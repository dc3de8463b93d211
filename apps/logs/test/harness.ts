import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { startFakeAuth, type FakeAuth } from '@edd/auth-client/testing';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import { createRecordStream } from '@edd/events';
import { testNatsUrl } from '@edd/events/testing';
import { loadServiceConfig } from '@edd/config';
import { createLogger } from '@edd/logger';
import { resolveMigrationsDir, runService } from '@edd/service-runtime';
import { bootServiceProcess, type BootedService } from '@edd/service-runtime/testing';
import { logsConfigShape, logsServiceParts } from '../src/logs-service';
import type { LogsConfig } from '../src/logs-service';
import { logServiceClientConstructor } from '../src/grpc/log-proto';
import type { ProtoLogEntry } from '../src/grpc/log-proto';

export const ENTRY = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** What one test file owns: a database, a fake auth, a live-tier stream of its own and a durable name. */
export interface LogsWorld {
  db: TestDatabase;
  auth: FakeAuth;
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export async function createWorld(prefix: string): Promise<LogsWorld> {
  const token = randomBytes(5).toString('hex');
  const streamName = `LOGTEST_${token}`;
  const subjectPrefix = `logtest-${token}`;
  const db = await createTestDatabase(`logs_${prefix}`);
  const auth = await startFakeAuth();
  const stream = await createRecordStream({
    servers: testNatsUrl,
    stream: streamName,
    subjectPrefix,
    maxMsgs: 100_000,
    maxAgeMs: 3_600_000,
  });
  return {
    db,
    auth,
    env: {
      NODE_ENV: 'test',
      DATABASE_NAME: db.database,
      AUTH_URL: auth.url,
      SERVICE_API_KEY: auth.serviceKey,
      GRPC_PORT: '0',
      LOG_STREAM: streamName,
      LOG_SUBJECT_PREFIX: subjectPrefix,
      LOG_ARCHIVE_DURABLE: `archive_${token}`,
    },
    async dispose() {
      await stream.delete();
      await auth.close();
      await db.drop();
    },
  };
}

export interface RunningLogs {
  service: BootedService;
  grpcAddress: string;
}

/** Boots the real entry and reads the gRPC port it logged. */
export async function bootLogs(env: Record<string, string>): Promise<RunningLogs> {
  const service = await bootServiceProcess(ENTRY, env, 60_000);
  const line = service.logs.find((l) => l.includes('"msg":"grpc listening"'));
  const port = line ? (JSON.parse(line) as { port: number }).port : undefined;
  if (!port) {
    await service.stop();
    throw new Error(`no gRPC port logged:\n${service.logs.join('\n')}`);
  }
  return { service, grpcAddress: `127.0.0.1:${port}` };
}

export interface InProcessLogs {
  service: { baseUrl: string; stop(): Promise<void> };
  grpcAddress: string;
}

/** The same service composition as main.ts, in this process (on port 0): what the behaviour tests use. */
export async function startLogsInProcess(env: Record<string, string>): Promise<InProcessLogs> {
  const config = loadServiceConfig(0, logsConfigShape, { ...process.env, ...env, PORT: '0' }) as LogsConfig;
  const logger = createLogger({ service: 'logs', level: 'warn', transport: false });
  const parts = logsServiceParts();
  const running = await runService({
    name: 'logs',
    config,
    logger,
    database: { name: 'logs_db', migrationsDir: resolveMigrationsDir(new URL('../src/main.ts', import.meta.url).href) },
    events: true,
    auth: true,
    buildApp: (deps) => parts.buildApp(deps, config, logger),
    startExtras: (deps) => parts.startExtras(deps, config, logger),
  });
  return {
    service: { baseUrl: `http://127.0.0.1:${running.port}`, stop: () => running.close() },
    grpcAddress: `127.0.0.1:${parts.grpcPort()}`,
  };
}

export type LogClient = grpc.Client & Record<string, grpc.MethodDefinition<unknown, unknown>>;

export function logClient(address: string): grpc.Client {
  const Client = logServiceClientConstructor();
  return new Client(address, grpc.credentials.createInsecure());
}

export function keyMetadata(key: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set('x-service-key', key);
  return metadata;
}

/** A method of a proto-loader client (they are untyped), bound to it; throws when the service has no such method. */
function clientMethod<F extends (...args: never[]) => unknown>(client: grpc.Client, name: string): F {
  const fn = (client as unknown as Record<string, F | undefined>)[name];
  if (typeof fn !== 'function') throw new Error(`LogService client has no ${name}`);
  return fn.bind(client) as F;
}

type Unary = (request: unknown, metadata: grpc.Metadata, callback: (error: grpc.ServiceError | null, value?: unknown) => void) => void;

/** Calls a unary method; resolves with the response or rejects with the gRPC error. */
export function unary<T>(client: grpc.Client, method: 'PushLog' | 'GetLogs', request: unknown, metadata: grpc.Metadata): Promise<T> {
  const fn = clientMethod<Unary>(client, method);
  return new Promise<T>((resolve, reject) => fn(request, metadata, (error, value) => (error ? reject(error) : resolve(value as T))));
}

/** One PushLogs call carrying `batches`; resolves with `accepted`. */
export function pushLogs(client: grpc.Client, batches: Array<Partial<ProtoLogEntry>[]>, metadata: grpc.Metadata): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const push = clientMethod<
      (
        metadata: grpc.Metadata,
        callback: (error: grpc.ServiceError | null, value?: { accepted: number }) => void,
      ) => grpc.ClientWritableStream<unknown>
    >(client, 'PushLogs');
    const call = push(metadata, (error, value) => (error ? reject(error) : resolve(value?.accepted ?? 0)));
    for (const entries of batches) call.write({ entries });
    call.end();
  });
}

/** Opens StreamLogs and collects what arrives. */
export function streamLogs(client: grpc.Client, request: { source?: string; min_level?: string }, metadata: grpc.Metadata) {
  const received: ProtoLogEntry[] = [];
  const open = clientMethod<(r: unknown, m: grpc.Metadata) => grpc.ClientReadableStream<ProtoLogEntry>>(client, 'StreamLogs');
  const call = open(request, metadata);
  const ended = new Promise<grpc.ServiceError | undefined>((resolve) => {
    call.on('error', (error: grpc.ServiceError) => resolve(error));
    call.on('end', () => resolve(undefined));
  });
  call.on('data', (entry: ProtoLogEntry) => received.push(entry));
  return { received, call, ended };
}

export const uniqueSource = (prefix = 'svc'): string => `${prefix}-${randomBytes(4).toString('hex')}`;
