import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Principal } from '@edd/auth-client';
import { HttpError, httpErrors } from '@edd/http';
import type { Logger } from '@edd/logger';
import { WebSocket, WebSocketServer } from 'ws';
import type { LiveAuth } from './live-auth';
import { LiveSocket } from './live-socket';
import { compilePath } from './path-pattern';
import { refuseUpgrade, shuttingDown } from './refuse-upgrade';
import { closeEverything, type CloseAllOptions } from './close-all';

export interface WebSocketEndpointOptions {
  /** Exact path, `:name` segments allowed (`/api/logs/:containerId/tail`); the query string is ignored. */
  path: string;
  auth: LiveAuth;
  /** After authentication: may this principal open this socket? false → 403. */
  authorize?(principal: Principal, req: IncomingMessage, params: Readonly<Record<string, string>>): boolean | Promise<boolean>;
  onConnection(socket: LiveSocket, principal: Principal, req: IncomingMessage): void | Promise<void>;
  /** Largest message accepted from a client; a bigger one closes it with 1009 (default 64 KiB). */
  maxPayload?: number;
  /** Ping period; a client that has not answered the previous ping by the next one is cut (default 30 s). */
  pingIntervalMs?: number;
  /** Per-client send queue bound (default 1 MiB), see LiveSocket. */
  maxBufferedBytes?: number;
  /** How long a dropped slow client gets to read its close frame (default 1 s). */
  dropGraceMs?: number;
  logger?: Logger;
}

export interface WebSocketEndpoint {
  readonly path: string;
  /** Open sockets. */
  readonly sockets: ReadonlySet<LiveSocket>;
  /** The pathname's params when this endpoint serves it, else undefined. */
  match(pathname: string): Record<string, string> | undefined;
  /** Authenticates, authorizes and upgrades, or answers 401/403/503 and closes. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, params: Record<string, string>): Promise<void>;
  /** Refuses new upgrades, sends every client a close frame (1001 by default), cuts whoever is left at the deadline. */
  closeAll(options?: CloseAllOptions): Promise<void>;
}

export function createWebSocketEndpoint(options: WebSocketEndpointOptions): WebSocketEndpoint {
  const match = compilePath(options.path);
  const logger = options.logger;
  const limits = { maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024, dropGraceMs: options.dropGraceMs ?? 1_000 };
  // Compression would buffer (and spend CPU) per client; live messages are small JSON.
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 64 * 1024, perMessageDeflate: false });
  const sockets = new Set<LiveSocket>();
  let closing = false;

  const pinger = setInterval(() => {
    for (const socket of sockets) {
      if (!socket.alive) {
        logger?.info('live: client missed a ping, terminating', { path: options.path, userId: socket.principal.userId });
        socket.raw.terminate();
        continue;
      }
      socket.alive = false;
      socket.raw.ping();
    }
  }, options.pingIntervalMs ?? 30_000);
  pinger.unref();

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, params: Record<string, string>): Promise<void> {
    // Until ws owns the socket, a reset by the client must not become an unhandled 'error'.
    const ignore = () => undefined;
    socket.on('error', ignore);
    if (closing) return refuseUpgrade(socket, shuttingDown());
    const result = await options.auth.check(req);
    if (!result.ok) return refuseUpgrade(socket, result.refusal);
    const { principal } = result;
    let allowed: boolean;
    try {
      allowed = options.authorize ? await options.authorize(principal, req, params) : true;
    } catch (error) {
      logger?.error('live: authorize failed', { path: options.path, error });
      return refuseUpgrade(socket, new HttpError('internal'));
    }
    if (!allowed) return refuseUpgrade(socket, httpErrors.forbidden());
    if (closing) return refuseUpgrade(socket, shuttingDown());
    if (socket.destroyed) return; // the client left while we checked

    wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('error', ignore);
      const live = new LiveSocket(ws, principal, params, limits);
      sockets.add(live);
      ws.on('pong', () => {
        live.alive = true;
      });
      ws.on('error', (error) => logger?.debug('live: websocket error', { path: options.path, error }));
      ws.once('close', () => sockets.delete(live));
      Promise.resolve()
        .then(() => options.onConnection(live, principal, req))
        .catch((error: unknown) => {
          logger?.error('live: onConnection failed', { path: options.path, error });
          live.close(1011, 'internal error');
        });
    });
  }

  return {
    path: options.path,
    sockets,
    match,
    handleUpgrade,
    async closeAll(closeOptions = {}) {
      closing = true;
      clearInterval(pinger);
      await closeEverything(
        [...sockets].map((socket) => ({
          close: () => socket.close(closeOptions.code ?? 1001, closeOptions.reason ?? 'server shutting down'),
          cut: () => socket.raw.terminate(),
          closed: socket.raw.readyState === WebSocket.CLOSED ? Promise.resolve() : onceClosed(socket),
        })),
        closeOptions.deadlineMs ?? 2_000,
      );
      wss.close();
    },
  };
}

function onceClosed(socket: LiveSocket): Promise<void> {
  return new Promise((resolve) => socket.raw.once('close', () => resolve()));
}
