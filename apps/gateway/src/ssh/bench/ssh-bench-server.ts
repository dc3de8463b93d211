/**
 * The gateway's SSH plane as the SSH benchmark (tools/bench/ssh-bench.ts) runs it: the real edge listening on
 * GATEWAY_SSH_PORT with the plane from `startSshPlane` (host keys, compute authorization, limits) plugged in, the
 * same wiring as main.ts minus the database/NATS control plane (no routes, no bus: logins are not evicted by events).
 * Config comes from the usual GATEWAY_* / COMPUTE_INTERNAL_URL / SERVICE_API_KEY variables. Prints one JSON line
 * `{ type: 'ready', port, hostKeys }` on stdout once it accepts connections.
 */
import { createLogger } from '@edd/logger';
import { RouteTable } from '@edd/route-registry';
import { loadGatewayConfig } from '../../config';
import { GatewayMetrics } from '../../control/metrics';
import { startEdge } from '../../edge';
import { loadHostKeys } from '../host-keys';
import { startSshPlane } from '../index';

const config = loadGatewayConfig();
const workspaceRoot = process.env['BENCH_WORKSPACE_ROOT'] ?? process.cwd();
const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
const metrics = new GatewayMetrics();
const containers = { lookup: () => undefined, ports: () => new Set<number>(), on: () => undefined };

const ssh = await startSshPlane({ config, logger, workspaceRoot, metrics });
const edge = await startEdge({
  config: { ...config, GATEWAY_HTTP_PORT: 0, GATEWAY_HTTPS_PORT: 0 },
  routes: new RouteTable([]),
  containers,
  metrics,
  logger,
});
edge.sshHandler = ssh.plane.handle;
// The same keys the plane loaded (from GATEWAY_SSH_HOST_KEY_FILE or the dev dir), for the client's known_hosts.
const hostKeys = loadHostKeys({ keyFile: config.GATEWAY_SSH_HOST_KEY_FILE, devDir: `${workspaceRoot}/.data/gateway/ssh` }).keys;
process.stdout.write(`${JSON.stringify({ type: 'ready', port: edge.ports.ssh, hostKeys: hostKeys.map((key) => key.publicKey) })}\n`);
process.once('SIGTERM', () => {
  void Promise.all([ssh.drain(1_000), edge.close(1_000)])
    .then(() => ssh.stop())
    .then(() => process.exit(0));
});
