import { createSecureContext } from 'node:tls';
import { AccessLog } from './access-log';
import { batchedIoState, configureBatchedIo } from './http/batched-io';
import { CoarseClock } from './clock';
import type { EdgeContext } from './context';
import { ClientConnection } from './http/client-connection';
import { ResponseCache } from './http/response-cache';
import { UpstreamPool } from './http/upstream-pool';
import { IngressPorts } from './net/ingress-ports';
import { closeServer, ConnectionTracker, createDetectingServer, listen } from './net/listeners';
import { raiseMallocTrimThreshold } from './malloc-trim';
import { resolveSettings } from './settings';
import type { Edge, EdgeOptions, SshHandler, TlsMaterial } from './types';

export type {
  ContainerLookup,
  Edge,
  EdgeConfig,
  EdgeMetrics,
  EdgeOptions,
  EdgeRoute,
  EdgeRouteMatch,
  IngressTarget,
  RouteMatcher,
  SshHandler,
  TlsMaterial,
} from './types';
export { runWorkers, workerCount } from './cluster';

const closeSsh: SshHandler = (socket) => socket.destroy();

/**
 * TLS 1.2 suites: forward-secret ECDHE with AEAD ciphers only (Mozilla "intermediate"). Node's default list also
 * offers CBC suites (Lucky13-style padding oracles) and SHA-1 MACs. TLS 1.3 suites are all AEAD and stay Node's.
 */
const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');
const TLS13_CIPHERS = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256';

function secureContextOf(tls: TlsMaterial) {
  // TLS 1.2+ only; ALPN (http/1.1) is set per connection. `ciphers` holds both lists (OpenSSL tells them apart).
  return createSecureContext({
    cert: tls.cert,
    key: tls.key,
    minVersion: 'TLSv1.2',
    ciphers: `${TLS13_CIPHERS}:${TLS12_CIPHERS}`,
    honorCipherOrder: true,
  });
}

/**
 * Starts the data plane: HTTP, HTTPS and SSH listeners (each detecting the protocol of every connection),
 * container ingress listeners following `containers.ports()`, and the proxy behind them.
 */
export async function startEdge(options: EdgeOptions): Promise<Edge> {
  const settings = resolveSettings(options.config);
  configureBatchedIo({ enabled: options.config.GATEWAY_BATCHED_IO ?? true, addon: options.config.GATEWAY_BATCH_IO_ADDON });
  raiseMallocTrimThreshold(); // large bodies: see malloc-trim.ts
  const clock = new CoarseClock();
  const pool = new UpstreamPool();
  clock.add(pool);
  const ctx: EdgeContext = {
    settings,
    routes: options.routes,
    containers: options.containers,
    metrics: options.metrics,
    logger: options.logger,
    accessLog: settings.accessLog ? new AccessLog(options.accessLogStream ?? process.stdout, options.serviceName) : undefined,
    pool,
    cache: settings.cacheEnabled ? new ResponseCache(settings.cacheMaxBytes) : undefined,
    clock,
    secureContext: options.tls ? secureContextOf(options.tls) : undefined,
    sshHandler: closeSsh,
    closing: false,
    containerSuffix: `.compute.${settings.domain}`,
  };
  const tracker = new ConnectionTracker(ctx);
  const httpServer = createDetectingServer(ctx, tracker, { externalPort: 80, secure: false, ingress: false, plainMain: true });
  const httpsServer = createDetectingServer(ctx, tracker, { externalPort: 443, secure: false, ingress: false, plainMain: false });
  const sshServer = createDetectingServer(ctx, tracker, {
    externalPort: 22,
    secure: false,
    ingress: false,
    plainMain: false,
    silentIsSsh: true,
  });
  const servers = [httpServer, httpsServer, sshServer];
  let ports: Edge['ports'];
  try {
    const [http, https, ssh] = await Promise.all([
      listen(httpServer, settings.httpPort, settings.bind),
      listen(httpsServer, settings.httpsPort, settings.bind),
      listen(sshServer, settings.sshPort, settings.bind),
    ]);
    ports = { http, https, ssh };
    // Redirects name the port clients reach HTTPS on: the bound one unless configured otherwise.
    if (options.config.GATEWAY_HTTPS_PUBLIC_PORT === undefined) settings.httpsPublicPort = https;
  } catch (err) {
    await Promise.all(servers.map(closeServer));
    clock.stop();
    throw err;
  }

  const ingress = new IngressPorts(ctx, tracker, options.logger);
  const onPorts = (next: ReadonlySet<number>): void => void ingress.reconcile(next);
  options.containers.on('ports', onPorts);
  await ingress.reconcile(options.containers.ports());
  options.logger.info('edge listening', {
    bind: settings.bind,
    ...ports,
    tls: ctx.secureContext !== undefined,
    batchedIo: batchedIoState(),
  });

  let closed: Promise<void> | undefined;
  const edge: Edge = {
    ports,
    ingressPorts: () => ingress.bound,
    setTls(tls: TlsMaterial) {
      ctx.secureContext = secureContextOf(tls);
    },
    get sshHandler() {
      return ctx.sshHandler;
    },
    set sshHandler(handler: SshHandler) {
      ctx.sshHandler = handler;
    },
    close(graceMs: number) {
      closed ??= (async () => {
        ctx.closing = true;
        options.containers.off?.('ports', onPorts);
        const stopped = Promise.all([...servers.map(closeServer), ingress.close()]);
        clock.forEach((member) => {
          if (member instanceof ClientConnection) member.shutdown();
        });
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          tracker.whenDrained(),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, graceMs);
          }),
        ]);
        clearTimeout(timer);
        for (const socket of tracker.sockets) socket.destroy();
        await stopped;
        pool.closeAll();
        ctx.accessLog?.close();
        clock.stop();
      })();
      return closed;
    },
  };
  return edge;
}
