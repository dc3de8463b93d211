import type { Principal } from '@edd/auth-client';
import { HttpError } from '@edd/http';
import { requireLiveAuth } from '@edd/live';
import type { Express } from 'express';
import { seesCluster, seesOwnContainers } from '../access';
import type { HealthDeps } from '../context';
import type { FeedKind, HealthFeed } from './health-feed';

/** Who may open each stream: cluster-info is an admin's; the others need the caller's own containers' read. */
const allowed: Record<FeedKind, (p: Principal) => boolean> = {
  'cluster-info': seesCluster,
  'pod-metrics': seesOwnContainers,
  health: seesOwnContainers,
};

const KINDS: readonly FeedKind[] = ['cluster-info', 'pod-metrics', 'health'];

/** `GET /sse/<kind>` (default `message` events, as the original's `data:` lines) and `WS /ws/<kind>` (JSON frames). */
export function mountLiveRoutes(app: Express, deps: HealthDeps, feed: HealthFeed): void {
  for (const kind of KINDS) {
    deps.live.websocket({
      path: `/ws/${kind}`,
      auth: deps.liveAuth,
      authorize: (principal) => allowed[kind](principal),
      onConnection: async (socket, principal) => {
        const remove = await feed.add({ kind, principal, send: (message) => socket.send(message as object) });
        socket.raw.once('close', remove);
      },
    });

    app.get(`/sse/${kind}`, requireLiveAuth(deps.liveAuth), async (req, res) => {
      const principal = req.principal;
      if (!principal) throw new HttpError('unauthenticated');
      if (!allowed[kind](principal)) {
        throw new HttpError(kind === 'cluster-info' ? 'admin_required' : 'scope_missing');
      }
      const stream = deps.live.sse(req, res, { retryMs: 5_000 });
      const remove = await feed.add({ kind, principal, send: (message) => stream.send('message', message) });
      stream.onClose(remove);
    });
  }
}
