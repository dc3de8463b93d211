import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@edd/db';
import type { Database } from '@edd/db';
import { connectEventBus } from '@edd/events';
import type { EventBus } from '@edd/events';
import type { Logger } from '@edd/logger';
import { RouteTable } from '@edd/route-registry';
import type { GatewayConfig } from '../config';
import { startAdminServer } from './admin-server';
import type { AdminServer } from './admin-server';
import { HttpContainerSource } from './container-source';
import { ContainerIngressTable } from './container-table';
import { registerLogTransportMetrics } from './log-transport-metrics';
import { GatewayMetrics } from './metrics';
import { RouteStore } from './route-store';
import { readRoutesFile, watchRoutesFile } from './routes-file';

export const GATEWAY_DATABASE = 'gateway_db';

/** `../migrations` from src/main.ts when run from source, `./migrations` beside a bundled entry. */
export function resolveMigrationsDir(entryUrl: string): string {
  for (const candidate of ['./migrations', '../migrations']) {
    const dir = fileURLToPath(new URL(candidate, entryUrl));
    if (existsSync(dir)) return dir;
  }
  throw new Error(`no migrations folder next to ${fileURLToPath(entryUrl)}`);
}

export interface ControlPlane {
  db: Database;
  bus: EventBus;
  routes: RouteTable;
  store: RouteStore;
  containers: ContainerIngressTable;
  metrics: GatewayMetrics;
  /** Starts the operations port; call once the edge listens, so /readyz means "serving". */
  startAdmin(): Promise<AdminServer>;
  close(): Promise<void>;
}

/**
 * Database (migrated), event bus, static routes (seeded from the manifest, then kept live) and the container
 * table. Fails fast when PostgreSQL or NATS are unreachable at start: the orchestrator restarts the gateway.
 */
export async function startControlPlane(options: {
  config: GatewayConfig;
  logger: Logger;
  workspaceRoot: string;
  migrationsDir: string;
  /** Tests use a throwaway database; the gateway always uses gateway_db. */
  database?: string;
}): Promise<ControlPlane> {
  const { config, logger } = options;
  const routesFile = isAbsolute(config.GATEWAY_ROUTES_FILE)
    ? config.GATEWAY_ROUTES_FILE
    : resolve(options.workspaceRoot, config.GATEWAY_ROUTES_FILE);
  // Parse before touching anything: a bad manifest stops the start with every problem listed.
  const seedRoutes = readRoutesFile(routesFile, config.EDD_DOMAIN);

  const db = await openDatabase({
    serverUrl: config.DATABASE_URL,
    database: options.database ?? GATEWAY_DATABASE,
    migrationsDir: options.migrationsDir,
    logger,
  });
  const bus = await connectEventBus({
    servers: config.NATS_URL,
    name: 'gateway',
    user: config.NATS_USER,
    pass: config.NATS_PASSWORD,
    logger,
  });
  await bus.ensureStreams();

  const routes = new RouteTable([], config.GATEWAY_ROUTE_CACHE_SIZE);
  const store = new RouteStore({ db, table: routes, logger, reloadIntervalMs: config.GATEWAY_ROUTES_RELOAD_MS });
  const seeded = await store.seed(seedRoutes);
  await store.start();
  logger.info('static routes loaded', { file: routesFile, ...seeded, active: routes.routes.length });
  const routesWatch = watchRoutesFile(routesFile, config.EDD_DOMAIN, (next) => store.seed(next), { logger });

  const containers = new ContainerIngressTable({
    logger,
    source: new HttpContainerSource({ baseUrl: config.COMPUTE_INTERNAL_URL, serviceKey: config.SERVICE_API_KEY, logger }),
    resyncIntervalMs: config.GATEWAY_CONTAINER_RESYNC_MS,
  });
  await containers.start(bus);

  const metrics = new GatewayMetrics();
  metrics.gauge('gateway_static_routes', 'Static routes in service.', () => routes.routes.length);
  metrics.gauge('gateway_containers', 'Containers known to the ingress table.', () => containers.size);
  metrics.gauge('gateway_route_notifications_up', '1 when the LISTEN connection for route changes is up.', () => (store.listening ? 1 : 0));
  registerLogTransportMetrics(metrics);

  let admin: AdminServer | undefined;
  return {
    db,
    bus,
    routes,
    store,
    containers,
    metrics,
    async startAdmin() {
      admin = await startAdminServer({
        host: config.GATEWAY_ADMIN_BIND,
        port: config.GATEWAY_ADMIN_PORT,
        token: config.GATEWAY_ADMIN_TOKEN,
        metrics,
        logger,
        repository: store.repository,
        reload: () => store.reload(),
        activeRoutes: () => routes.routes,
        readiness: [
          { name: 'database', check: () => db.ping() },
          { name: 'nats', check: () => bus.ping() },
        ],
      });
      return admin;
    },
    async close() {
      routesWatch.stop();
      await admin?.close();
      await containers.stop();
      await store.stop();
      await bus.close().catch((error: unknown) => logger.warn('event bus close failed', { error }));
      await db.close();
    },
  };
}
