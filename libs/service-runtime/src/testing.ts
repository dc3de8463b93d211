import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createTestDatabase } from '@edd/db/testing';
import { startPrivateNatsServer } from '@edd/events/testing';

export interface BootedService {
  baseUrl: string;
  logs: string[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Sends `signal` (a crash test's SIGKILL) and resolves once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Runs a service's real entry file in its own process (tsx), on a free port, and resolves once it
 * logged that it listens. Used by each service's start-up test: config, database, NATS, HTTP, shutdown.
 */
export function bootServiceProcess(entryFile: string, env: Record<string, string>, timeoutMs = 30_000): Promise<BootedService> {
  const child = spawn(process.execPath, ['--import', 'tsx', entryFile], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise<BootedService>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not start in ${timeoutMs} ms:\n${logs.join('\n')}`));
    }, timeoutMs);
    createInterface({ input: child.stderr }).on('line', (line) => logs.push(line));
    createInterface({ input: child.stdout }).on('line', (line) => {
      logs.push(line);
      let entry: { msg?: string; port?: number };
      try {
        entry = JSON.parse(line) as { msg?: string; port?: number };
      } catch {
        return;
      }
      if (entry.msg !== 'listening' || typeof entry.port !== 'number') return;
      clearTimeout(timer);
      resolve({
        baseUrl: `http://127.0.0.1:${entry.port}`,
        logs,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
        kill: async (signal) => {
          child.kill(signal);
          await exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before listening:\n${logs.join('\n')}`));
    });
  });
}

export interface BootCheckResult {
  readiness: { status: string; checks: Record<string, string> };
  exitCode: number | null;
  logs: string[];
}

/** Boots the service, reads /healthz and /readyz, stops it with SIGTERM: what every service must do. */
export async function bootAndStop(entryFile: string, env: Record<string, string>): Promise<BootCheckResult> {
  const service = await bootServiceProcess(entryFile, env);
  try {
    const health = await fetch(`${service.baseUrl}/healthz`);
    if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`);
    const ready = await fetch(`${service.baseUrl}/readyz`);
    const readiness = (await ready.json()) as BootCheckResult['readiness'];
    return { readiness, exitCode: await service.stop(), logs: service.logs };
  } catch (error) {
    await service.stop();
    throw error;
  }
}

/**
 * bootAndStop on a fresh, uniquely named database (dropped afterwards), for services that own one. The result's
 * `migrated` says whether the service logged that it applied its migrations. Unless `env` names a NATS_URL, the
 * service gets a private nats-server: its durable consumers then never take events meant for a platform that
 * `npm start` runs on the shared server, and nothing left on that server changes what the test sees.
 */
export async function bootAndStopOnTestDatabase(
  entryFile: string,
  prefix: string,
  env: Record<string, string> = {},
): Promise<BootCheckResult & { migrated: boolean }> {
  const db = await createTestDatabase(prefix);
  const nats = env['NATS_URL'] ? undefined : await startPrivateNatsServer();
  try {
    const result = await bootAndStop(entryFile, { DATABASE_NAME: db.database, ...(nats ? { NATS_URL: nats.url } : {}), ...env });
    return { ...result, migrated: result.logs.some((line) => line.includes('"msg":"migrations applied"')) };
  } finally {
    await nats?.dispose();
    await db.drop();
  }
}
