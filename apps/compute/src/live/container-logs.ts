import { canAccess } from '@edd/auth-client';
import { formatScope } from '@edd/scopes';
import type { ComputeDeps } from '../context';
import { findOwnedContainer } from '../data/containers';

const DEFAULT_TAIL = 100;
const MAX_TAIL = 10_000;

/** `?tail=N`: lines of history before following; 0..10,000, default 100, anything else is the default. */
export function tailOf(query: URLSearchParams): number {
  const raw = query.get('tail');
  if (raw === null || !/^\d{1,5}$/.test(raw)) return DEFAULT_TAIL;
  return Math.min(Number(raw), MAX_TAIL);
}

/**
 * `WS /compute/containers/:id/logs?tail=N`: the container's output, a text frame per line, then follows until the
 * socket closes. Needs `read` on the container. A browser that cannot keep up is dropped by the live hub (1013).
 */
export function mountLogSocket(deps: ComputeDeps): void {
  deps.live.websocket({
    path: '/compute/containers/:id/logs',
    auth: deps.liveAuth,
    maxPayload: 1024,
    authorize: async (principal, _req, params) => {
      const id = params['id'] ?? '';
      if (!canAccess(principal, formatScope('compute', principal.userId, 'containers', id), 'read')) return false;
      return (await findOwnedContainer(deps.db, principal.userId, id)) !== undefined;
    },
    onConnection: async (socket, _principal, req) => {
      const id = socket.params['id'] ?? '';
      const tail = tailOf(new URL(req.url ?? '/', 'http://compute').searchParams);
      const stop = new AbortController();
      socket.raw.once('close', () => stop.abort());
      try {
        for await (const line of deps.runtime.logs(id, { tail, follow: true, signal: stop.signal })) {
          if (!socket.send(line)) break;
        }
      } catch (error) {
        if (!stop.signal.aborted) {
          deps.logger.warn('container logs failed', { containerId: id, error: String(error) });
          // Every text frame is a line of output: the failure travels in the close frame instead.
          socket.close(1011, 'the container output could not be read');
        }
      }
    },
  });
}
