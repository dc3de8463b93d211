import { HttpError } from '@edd/http';
import { requireAdmin } from '@edd/auth-client';
import type { Express } from 'express';
import { ownerFilter } from '../access';
import type { HealthDeps } from '../context';
import { namespaceOwner, nodeKnown, readNodeSeries, readPodSeries } from '../data/samples';
import { requireContainerRead } from './guards';
import { parseSeriesQuery } from './series-query';

/** History from health_db: nodes (admins), pods (each user their own). */
export function mountHistoryRoutes(app: Express, deps: HealthDeps): void {
  app.get('/api/metrics/nodes', requireAdmin, async (req, res) => {
    const query = parseSeriesQuery(req.query);
    res.json({ ...windowOf(query), series: await readNodeSeries(deps.db, query) });
  });

  app.get('/api/metrics/nodes/:name', requireAdmin, async (req, res) => {
    const name = String(req.params['name']);
    const query = parseSeriesQuery(req.query);
    if (!(await nodeKnown(deps.db, name))) throw new HttpError('not_found', `no node named ${name}`);
    const series = await readNodeSeries(deps.db, { ...query, node: name });
    res.json({ ...windowOf(query), series: { [name]: series[name] ?? [] } });
  });

  app.get('/api/metrics/pods', requireContainerRead, async (req, res) => {
    const principal = req.principal;
    if (!principal) throw new HttpError('unauthenticated');
    const query = parseSeriesQuery(req.query);
    const owner = ownerFilter(principal);
    const namespace = typeof req.query['namespace'] === 'string' && req.query['namespace'] ? req.query['namespace'] : undefined;
    if (namespace && owner !== undefined) {
      const recorded = await namespaceOwner(deps.db, namespace);
      // Another user's namespace and an unknown one answer alike, so ids cannot be probed.
      if (recorded !== owner) throw new HttpError('forbidden', 'not your namespace');
    }
    const series = await readPodSeries(deps.db, {
      ...query,
      ...(owner !== undefined ? { ownerId: owner } : {}),
      ...(namespace ? { namespace } : {}),
    });
    res.json({ ...windowOf(query), series });
  });
}

const windowOf = (q: { start: Date; end: Date; resolution: string }) => ({
  start: q.start.toISOString(),
  end: q.end.toISOString(),
  resolution: q.resolution,
});
