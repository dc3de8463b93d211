import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drainLogTransports } from '@edd/logger';
import type { Logger } from '@edd/logger';
import type express from 'express';
import { exceedsHeaderLines, NODE_MAX_HEADERS_COUNT, refuseTooManyHeaderLines } from './header-limit';

export interface ServeOptions {
  port: number;
  host: string;
  logger: Logger;
  /** How long in-flight requests may take to finish after SIGTERM before connections are cut. */
  graceMs?: number;
  /** Run after the server stopped accepting and drained: close pools, connections. */
  onShutdown?: ReadonlyArray<() => Promise<void>>;
  /**
   * Run as soon as closing starts, alongside the drain: end long-lived connections (WebSockets, SSE) that would
   * otherwise hold the drain for the whole grace period.
   */
  onDrainStart?: ReadonlyArray<() => Promise<void>>;
  /** Install SIGTERM/SIGINT handlers (off in tests, which call close() themselves). */
  handleSignals?: boolean;
}

export interface RunningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

// Limits on what a client may hold open (the gateway's limits are tighter still).
const HEADERS_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 120_000;
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Time allowed for onShutdown steps after the grace period, before a signalled process exits anyway. */
const SHUTDOWN_STEPS_MS = 10_000;

export async function serve(app: express.Express, options: ServeOptions): Promise<RunningServer> {
  const server = createServer((req, res) => {
    if (exceedsHeaderLines(req)) return refuseTooManyHeaderLines(res);
    app(req, res);
  });
  server.listen(options.port, options.host);
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.maxHeadersCount = NODE_MAX_HEADERS_COUNT;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info('listening', { host: options.host, port });
  // Without a listener a later server error (e.g. EMFILE on accept) would crash the process.
  server.on('error', (error) => options.logger.error('http server error', { error }));

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const graceMs = options.graceMs ?? 10_000;
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      const liveClosed = Promise.all(
        (options.onDrainStart ?? []).map((fn) => fn().catch((error: unknown) => options.logger.warn('shutdown step failed', { error }))),
      );
      // Keep-alive sockets turn idle as their last response ends: close them as they do.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await Promise.all([drained, liveClosed]);
      clearInterval(sweep);
      clearTimeout(timer);
      for (const fn of options.onShutdown ?? []) {
        await fn().catch((error: unknown) => options.logger.warn('shutdown step failed', { error }));
      }
    })();
    return closing;
  };

  if (options.handleSignals ?? true) {
    const onSignal = (signal: NodeJS.Signals) => {
      options.logger.info('shutting down', { signal });
      // A shutdown step that never settles (a hung pool.end) must not keep a terminated process alive.
      setTimeout(
        () => {
          options.logger.error('shutdown did not finish in time; exiting');
          process.exit(1);
        },
        (options.graceMs ?? 10_000) + SHUTDOWN_STEPS_MS,
      ).unref();
      void close()
        // Last: the lines logged while shutting down (and just before) go to the log service too, within 2 s.
        .then(() => drainLogTransports())
        .then(() => process.exit(0));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { server, port, close };
}
