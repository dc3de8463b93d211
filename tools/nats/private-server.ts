import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, freePort, startDaemon } from '../dev/local-servers';
import { probeNats } from '../dev/probes';
import { randomPassword, writeLocalNatsConfig, type NatsCredentials } from './credentials';
import { NATS_USERS, passwordEnvVar, renderNatsConfig } from './server-config';

export interface PrivateNatsServer {
  url: string;
  credentials: NatsCredentials;
  /** The server's log so far (permission violations are logged there). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * A nats-server of its own (free port, JetStream store in a temp folder) with the generated users, for
 * tests that must not touch the shared anonymous server on 4222. Stop it in afterAll.
 * `passwordsFromEnv`: the config names `$NATS_PASSWORD_<USER>` as the cluster's does, and the server
 * gets them in its environment.
 */
export async function startPrivateNats(options: { passwordsFromEnv?: boolean } = {}): Promise<PrivateNatsServer> {
  const bin = findExecutable('nats-server');
  if (!bin) throw new Error('nats-server is not installed (apt-get install nats-server)');
  const dir = mkdtempSync(join(tmpdir(), 'edd-nats-'));
  const credentials = Object.fromEntries(NATS_USERS.map((user) => [user, randomPassword()])) as NatsCredentials;
  const config = options.passwordsFromEnv ? join(dir, 'nats.conf') : writeLocalNatsConfig(dir, credentials);
  if (options.passwordsFromEnv) writeFileSync(config, renderNatsConfig({ password: (user) => ({ env: passwordEnvVar(user) }) }));
  const env = { ...process.env, ...Object.fromEntries(NATS_USERS.map((user) => [passwordEnvVar(user), credentials[user]])) };
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  const logFile = join(dir, 'nats.log');
  const server = await startDaemon({
    name: 'private nats-server',
    command: bin,
    args: ['-c', config, '-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(dir, 'store')],
    logFile,
    probe: () => probeNats(url),
    env: options.passwordsFromEnv ? env : process.env,
  });
  return {
    url,
    credentials,
    log: () => readFileSync(logFile, 'utf8'),
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
