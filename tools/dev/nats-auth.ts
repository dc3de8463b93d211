import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectEventBus, eventPublisherNames, type EventPublisher } from '@edd/events';
import { loadOrCreateCredentials, writeLocalNatsConfig, type NatsCredentials } from '../nats/credentials';
import { NATS_ADMIN_USER } from '../nats/server-config';
import type { InfraChoice } from './infra';
import { firstLine, parseHostPort } from './probes';

/**
 * NATS users for `npm start` (tools/nats generates them from eventPublishers). A nats-server started
 * here runs with the generated config; each app then gets its own NATS_USER / NATS_PASSWORD through
 * a file Nx loads for that project's serve target only (`apps/<app>/.env.serve.local`, git-ignored,
 * removed on exit): one `nx run-many` runs every app, so the environment alone cannot differ per app.
 */
export interface NatsAuth {
  configFile: string;
  credentials: NatsCredentials;
}

/** Writes `.data/nats/credentials.json` and `.data/nats/nats.conf` (mode 600) before NATS is looked for. */
export function prepareNatsAuth(dataRoot: string): NatsAuth {
  const dir = join(dataRoot, 'nats');
  const credentials = loadOrCreateCredentials(dir);
  return { configFile: writeLocalNatsConfig(dir, credentials), credentials };
}

/** The per-app environment file Nx reads for `nx serve <app>` (nx: task-env dotenv files). */
export const appEnvFile = (workspaceRoot: string, app: string) => join(workspaceRoot, 'apps', app, '.env.serve.local');

const isPublisher = (app: string): app is EventPublisher => (eventPublisherNames as readonly string[]).includes(app);

/**
 * After NATS is chosen: on the server started here, the admin makes the streams (services may not) and
 * each app gets its user; on a server found running, says so when it lets anyone in.
 */
export async function applyNatsAuth(options: {
  nats: InfraChoice | undefined;
  auth: NatsAuth;
  apps: readonly string[];
  workspaceRoot: string;
  say: (message: string) => void;
  warn: (message: string) => void;
}): Promise<void> {
  const { nats, auth } = options;
  if (!nats) return;
  if (nats.source !== 'started') {
    if ((await requiresAuth(nats.url)) === false) {
      options.warn(`NATS at ${nats.url} accepts anonymous clients: publish permissions are not enforced on that server`);
    }
    return;
  }
  const admin = await connectEventBus({ servers: nats.url, name: 'npm-start', user: NATS_ADMIN_USER, pass: auth.credentials.admin });
  try {
    await admin.ensureStreams();
  } finally {
    await admin.close();
  }
  const written = options.apps.filter(isPublisher).map((app) => {
    const file = appEnvFile(options.workspaceRoot, app);
    writeFileSync(
      file,
      `# Written by npm start (tools/dev/nats-auth.ts); removed when it stops.\nNATS_USER=${app}\nNATS_PASSWORD=${auth.credentials[app]}\n`,
      {
        mode: 0o600,
      },
    );
    return file;
  });
  process.once('exit', () => written.forEach((file) => rmSync(file, { force: true })));
  options.say(`NATS users: one per app (${written.length}), permissions from eventPublishers; config ${auth.configFile}`);
}

/** The server's INFO greeting says whether it asks clients for credentials. */
async function requiresAuth(url: string): Promise<boolean | undefined> {
  try {
    const { hostname, port } = parseHostPort(url, 4222);
    const info = JSON.parse((await firstLine(hostname, port)).slice('INFO '.length)) as { auth_required?: boolean };
    return info.auth_required === true;
  } catch {
    return undefined;
  }
}
