import { join } from 'node:path';
import { connectEventBus, eventPublisherNames, type EventPublisher } from '@edd/events';
import { loadOrCreateCredentials, writeLocalNatsConfig, type NatsCredentials } from '../nats/credentials';
import { NATS_ADMIN_USER } from '../nats/server-config';
import type { PerAppEnv } from './app-env-files';
import type { InfraChoice } from './infra';
import { firstLine, parseHostPort } from './probes';

/**
 * NATS users for `npm start` (tools/nats generates them from eventPublishers). A nats-server started
 * here runs with the generated config; each app then gets its own NATS_USER / NATS_PASSWORD through
 * the per-app env files (app-env-files.ts): one `nx run-many` runs every app, so the environment alone
 * cannot differ per app.
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

const isPublisher = (app: string): app is EventPublisher => (eventPublisherNames as readonly string[]).includes(app);

/**
 * After NATS is chosen: on the server started here, the admin makes the streams (services may not) and
 * each app gets its user; on a server found running, says so when it lets anyone in.
 */
export async function applyNatsAuth(options: {
  nats: InfraChoice | undefined;
  auth: NatsAuth;
  apps: readonly string[];
  say: (message: string) => void;
  warn: (message: string) => void;
}): Promise<PerAppEnv> {
  const { nats, auth } = options;
  if (!nats) return {};
  if (nats.source !== 'started') {
    if ((await requiresAuth(nats.url)) === false) {
      options.warn(`NATS at ${nats.url} accepts anonymous clients: publish permissions are not enforced on that server`);
    }
    return {};
  }
  const admin = await connectEventBus({ servers: nats.url, name: 'npm-start', user: NATS_ADMIN_USER, pass: auth.credentials.admin });
  try {
    await admin.ensureStreams();
  } finally {
    await admin.close();
  }
  const perApp: PerAppEnv = Object.fromEntries(
    options.apps.filter(isPublisher).map((app) => [app, { NATS_USER: app, NATS_PASSWORD: auth.credentials[app] }]),
  );
  options.say(`NATS users: one per app (${Object.keys(perApp).length}), permissions from eventPublishers; config ${auth.configFile}`);
  return perApp;
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
