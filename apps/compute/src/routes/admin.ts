import { requireAdmin } from '@edd/auth-client';
import type { Express } from 'express';
import type { ComputeDeps } from '../context';
import { listLiveContainers } from '../data/containers';
import { describeForAdmin } from '../services/container-view';

/** Every user's containers, for an admin's session. */
export function mountAdminRoutes(app: Express, deps: ComputeDeps): void {
  app.get('/compute/admin/containers', requireAdmin, async (_req, res) => {
    res.json({ containers: await describeForAdmin(deps.db, deps.config, await listLiveContainers(deps.db)) });
  });
}
