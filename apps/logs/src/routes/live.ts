import type { Principal } from '@edd/auth-client';
import { requireLiveAuth } from '@edd/live';
import type { Express, Request } from 'express';
import type { IncomingMessage } from 'node:http';
import type { EntryFilter, LogRecord } from '../entries/log-entry';
import type { LogsDeps } from '../context';
import { readsLogs, requireLogsRead } from './access';
import { entryJson } from './entry-json';
import { levelParam, ownerScope, principalOf, sourceParam, textParam } from './query';

const BACKLOG = 500;

function filterOf(req: Request, principal: Principal): EntryFilter {
  const source = sourceParam(req);
  const minLevel = levelParam(req);
  const text = textParam(req);
  const ownerId = ownerScope(principal);
  return {
    ...(source ? { source } : {}),
    ...(minLevel ? { minLevel } : {}),
    ...(text ? { text } : {}),
    ...(ownerId !== undefined ? { ownerId } : {}),
  };
}

/** The query of an upgrade request, read the way Express reads a request's (for the same parameter checks). */
function asRequest(req: IncomingMessage): Request {
  const url = new URL(req.url ?? '/', 'http://localhost');
  return { query: Object.fromEntries(url.searchParams) } as unknown as Request;
}

/**
 * The live tail, backlog then live: `WS /logs/ws?source&level&q` (text frames, one JSON array of entries each) and
 * `GET /logs/sse?source&level&q` (`entries` events). Admins see every entry, others entries about their containers;
 * a token needs the logs scope (403 at the upgrade without it).
 */
export function mountLiveRoutes(app: Express, deps: LogsDeps): void {
  deps.live.websocket({
    path: '/logs/ws',
    auth: deps.liveAuth,
    authorize: readsLogs,
    onConnection: async (socket, principal, req) => {
      let filter: EntryFilter;
      try {
        filter = filterOf(asRequest(req), principal);
      } catch (err) {
        socket.close(1008, err instanceof Error ? err.message.slice(0, 120) : 'bad request');
        return;
      }
      const send = (entries: LogRecord[]) => socket.send(entries.map(entryJson));
      const stop = await deps.liveTier.subscribe(filter, BACKLOG, send, () => socket.close(1013, 'too slow')).catch(() => undefined);
      if (!stop) return socket.close(1011, 'live tier unavailable');
      if (!socket.isOpen) return stop();
      socket.raw.once('close', stop);
    },
  });

  app.get('/logs/sse', requireLiveAuth(deps.liveAuth), requireLogsRead, async (req, res) => {
    const filter = filterOf(req, principalOf(req));
    const stream = deps.live.sse(req, res);
    const stop = await deps.liveTier.subscribe(
      filter,
      BACKLOG,
      (entries) => void stream.send('entries', entries.map(entryJson)),
      () => void stream.close(),
    );
    if (stream.closed) stop();
    else stream.onClose(stop);
  });
}
