import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { exceedsHeaderLines, HttpError, httpErrors, tooManyHeaderLines } from '@edd/http';
import type { Logger } from '@edd/logger';
import type { CloseAllOptions } from './close-all';
import { refuseUpgrade, shuttingDown } from './refuse-upgrade';
import { requestTarget } from './request-target';
import { sseStream, type SseOptions, type SseStream } from './sse-stream';
import { createWebSocketEndpoint, type WebSocketEndpoint, type WebSocketEndpointOptions } from './websocket-endpoint';

export interface LiveHubOptions {
  logger?: Logger;
  /** How long clients get to close politely at shutdown before they are cut (default 2 s). */
  closeDeadlineMs?: number;
}

/**
 * A service's live connections: its WebSocket endpoints (one `upgrade` listener dispatches by path) and its open
 * SSE streams. The runtime calls `close()` at SIGTERM before waiting for the HTTP drain, so long-lived connections
 * end in a couple of seconds instead of holding the drain for the whole grace period.
 */
export interface LiveHub {
  /** Creates a WebSocket endpoint served by this hub. */
  websocket(options: WebSocketEndpointOptions): WebSocketEndpoint;
  /** Serves an endpoint created elsewhere. */
  add(endpoint: WebSocketEndpoint): WebSocketEndpoint;
  /** An SSE stream this hub closes at shutdown. */
  sse(req: IncomingMessage, res: ServerResponse, options?: Omit<SseOptions, 'registry'>): SseStream;
  /** The `upgrade` listener: 404 for a path no endpoint serves, 503 once closing. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Open WebSockets and SSE streams. */
  readonly connections: number;
  /** Closes every WebSocket (1001) and stream; settles once all are gone (at most about the deadline). */
  close(options?: CloseAllOptions): Promise<void>;
}

export function createLiveHub(options: LiveHubOptions = {}): LiveHub {
  const endpoints: WebSocketEndpoint[] = [];
  const streams = new Set<SseStream>();
  const registry = { track: (s: SseStream) => void streams.add(s), untrack: (s: SseStream) => void streams.delete(s) };
  let closing: Promise<void> | undefined;
  const deadlineMs = options.closeDeadlineMs ?? 2_000;

  const hub: LiveHub = {
    websocket: (endpointOptions) => hub.add(createWebSocketEndpoint({ logger: options.logger, ...endpointOptions })),
    add(endpoint) {
      endpoints.push(endpoint);
      return endpoint;
    },
    sse(req, res, sseOptions = {}) {
      const stream = sseStream(req, res, { closeDeadlineMs: deadlineMs, ...sseOptions, registry });
      if (closing) void stream.close();
      return stream;
    },
    handleUpgrade(req, socket, head) {
      socket.on('error', () => undefined);
      if (closing) return refuseUpgrade(socket, shuttingDown());
      // As for plain requests (@edd/http's serve): a head longer than the service reads is refused, not truncated.
      if (exceedsHeaderLines(req)) return refuseUpgrade(socket, tooManyHeaderLines());
      const target = requestTarget(req);
      if (!target) return refuseUpgrade(socket, httpErrors.badRequest('invalid request target'));
      for (const endpoint of endpoints) {
        const params = endpoint.match(target.pathname);
        if (!params) continue;
        endpoint.handleUpgrade(req, socket, head, params).catch((error: unknown) => {
          options.logger?.error('live: upgrade failed', { path: target.pathname, error });
          refuseUpgrade(socket, new HttpError('internal'));
        });
        return;
      }
      refuseUpgrade(socket, httpErrors.notFound());
    },
    get connections() {
      return streams.size + endpoints.reduce((sum, endpoint) => sum + endpoint.sockets.size, 0);
    },
    close(closeOptions = {}) {
      closing ??= (async () => {
        const deadline = closeOptions.deadlineMs ?? deadlineMs;
        await Promise.all([
          ...endpoints.map((endpoint) => endpoint.closeAll({ ...closeOptions, deadlineMs: deadline })),
          ...[...streams].map((stream) => stream.close()),
        ]);
      })();
      return closing;
    },
  };
  return hub;
}

/**
 * Serves WebSocket endpoints on a running http.Server (the runtime owns it): one `upgrade` listener for all of
 * them. Returns the hub; call `await hub.close()` at shutdown before (or while) the server drains.
 */
export function attachLive(server: Server, endpoints: readonly WebSocketEndpoint[] | LiveHub, options: LiveHubOptions = {}): LiveHub {
  let hub: LiveHub;
  if (isHub(endpoints)) hub = endpoints;
  else {
    hub = createLiveHub(options);
    for (const endpoint of endpoints) hub.add(endpoint);
  }
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => hub.handleUpgrade(req, socket, head));
  return hub;
}

function isHub(value: readonly WebSocketEndpoint[] | LiveHub): value is LiveHub {
  return !Array.isArray(value);
}
