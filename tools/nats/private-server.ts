import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateNatsServer } from '@edd/events/testing';
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
 * A nats-server of its own (@edd/events/testing's private server) running the generated users, for tests
 * that must not touch the shared anonymous server on 4222. Stop it in afterAll.
 * `passwordsFromEnv`: the config names `$NATS_PASSWORD_<USER>` as the cluster's does, and the server
 * gets them in its environment.
 */
export async function startPrivateNats(options: { passwordsFromEnv?: boolean } = {}): Promise<PrivateNatsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'edd-nats-users-'));
  const credentials = Object.fromEntries(NATS_USERS.map((user) => [user, randomPassword()])) as NatsCredentials;
  let configFile: string;
  let env: Record<string, string> = {};
  if (options.passwordsFromEnv) {
    configFile = join(dir, 'nats.conf');
    writeFileSync(configFile, renderNatsConfig({ password: (user) => ({ env: passwordEnvVar(user) }) }));
    env = Object.fromEntries(NATS_USERS.map((user) => [passwordEnvVar(user), credentials[user]]));
  } else {
    configFile = writeLocalNatsConfig(dir, credentials);
  }
  const server = await startPrivateNatsServer({ configFile, env });
  return {
    url: server.url,
    credentials,
    log: () => server.log(),
    async stop() {
      await server.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
