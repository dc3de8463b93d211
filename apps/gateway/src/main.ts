import { ConfigError } from '@edd/config';
import { createLogger, drainLogTransports } from '@edd/logger';
import type { Logger } from '@edd/logger';
import { loadGatewayConfig } from './config';
import type { GatewayConfig } from './config';
import { resolveMigrationsDir, startControlPlane } from './control/control-plane';
import { loadTlsMaterial, resolveTlsPaths, watchTlsFiles } from './control/tls-files';
import { relayWorkerMetrics, shareWorkerMetrics } from './control/worker-metrics';
import { findWorkspaceRoot } from './control/workspace-root';
import { runWorkers, startEdge, workerCount } from './edge';
import { startSshPlane } from './ssh';

/**
 * One gateway process: control plane (routes, containers, metrics) feeding the data plane (./edge).
 * In multi-core mode every worker runs this whole function (each is a replica of its own, kept in step by
 * LISTEN/NOTIFY and NATS like separate pods); only worker 0 opens the admin port.
 */
async function runGateway(config: GatewayConfig, logger: Logger, worker: number | undefined): Promise<void> {
  const workspaceRoot = findWorkspaceRoot();
  const tlsPaths = resolveTlsPaths(config, workspaceRoot);
  const tls = tlsPaths ? loadTlsMaterial(tlsPaths) : undefined;
  if (!tls) logger.warn('no TLS certificate: HTTPS port cannot terminate TLS (run `npm run dev-tls`)');

  const control = await startControlPlane({ config, logger, workspaceRoot, migrationsDir: resolveMigrationsDir(import.meta.url) });
  const ssh = await startSshPlane({ config, logger, workspaceRoot, bus: control.bus, metrics: control.metrics });
  const edge = await startEdge({ config, routes: control.routes, containers: control.containers, metrics: control.metrics, logger, tls });
  edge.sshHandler = ssh.plane.handle;
  const tlsWatch = tlsPaths ? watchTlsFiles(tlsPaths, (material) => edge.setTls(material), { logger }) : undefined;
  const sharing = worker === undefined ? undefined : shareWorkerMetrics(control.metrics, worker);
  const admin = worker === undefined || worker === 0 ? await control.startAdmin() : undefined;
  logger.info('gateway started', { ...edge.ports, admin: admin?.port, bind: config.GATEWAY_BIND, domain: config.EDD_DOMAIN });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal, graceMs: config.SHUTDOWN_GRACE_MS });
    // Whatever hangs, the process ends shortly after the grace period.
    setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS + 5_000).unref();
    tlsWatch?.stop();
    sharing?.stop();
    // SSH sessions get the same grace as HTTP requests, then a message; the edge stops accepting meanwhile.
    await Promise.all([ssh.drain(config.SHUTDOWN_GRACE_MS), edge.close(config.SHUTDOWN_GRACE_MS)]);
    await ssh.stop();
    await control.close();
    logger.info('gateway stopped');
    // The lines of the shutdown (and just before) reach the log service too, within 2 s.
    await drainLogTransports();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).catch((error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      });
    });
  }
}

async function main(): Promise<void> {
  let logger: Logger = createLogger({ service: 'gateway' });
  try {
    const config = loadGatewayConfig();
    const worker = config.GATEWAY_WORKER_INDEX;
    logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
    if (worker !== undefined) logger = logger.child({ worker });
    const role = await runWorkers(workerCount(config.GATEWAY_WORKERS), () => runGateway(config, logger, worker), logger);
    if (role === 'primary') relayWorkerMetrics();
  } catch (error) {
    if (error instanceof ConfigError) logger.error(error.message, { problems: error.problems });
    else logger.error('failed to start', { error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
}

void main();
