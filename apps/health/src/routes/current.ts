import { requireAdmin } from '@edd/auth-client';
import { HttpError } from '@edd/http';
import type { Express } from 'express';
import { ownerFilter } from '../access';
import type { HealthDeps } from '../context';
import { requireContainerRead } from './guards';
import { readLatestSnapshot } from '../data/samples';
import { clusterInfo, emptySnapshot, podMetrics } from '../views';

/** The latest sample, whichever replica took it: `/cluster-info` (admins) and `/pod-metrics` (filtered per user). */
export function mountCurrentRoutes(app: Express, deps: HealthDeps): void {
  app.get('/cluster-info', requireAdmin, async (_req, res) => {
    res.json(clusterInfo((await readLatestSnapshot(deps.db)) ?? emptySnapshot()));
  });

  app.get('/pod-metrics', requireContainerRead, async (req, res) => {
    const principal = req.principal;
    if (!principal) throw new HttpError('unauthenticated');
    res.json(podMetrics((await readLatestSnapshot(deps.db)) ?? emptySnapshot(), ownerFilter(principal)));
  });
}
