import { HttpError } from '@edd/http';
import type { Express } from 'express';
import { ownerFilter } from '../access';
import { alertView } from '../alerts/alert-view';
import type { HealthDeps } from '../context';
import { requireContainerRead } from './guards';
import { listAlerts } from '../data/alerts';

/** `GET /api/alerts?state=firing|resolved&limit=`: admins see every alert, a user those about their containers. */
export function mountAlertRoutes(app: Express, deps: HealthDeps): void {
  app.get('/api/alerts', requireContainerRead, async (req, res) => {
    const principal = req.principal;
    if (!principal) throw new HttpError('unauthenticated');
    const state = req.query['state'];
    if (state !== undefined && state !== 'firing' && state !== 'resolved')
      throw new HttpError('invalid_request', 'state: firing or resolved');
    const rawLimit = req.query['limit'];
    const limit = rawLimit === undefined ? 100 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new HttpError('invalid_request', 'limit: an integer from 1 to 500');
    const owner = ownerFilter(principal);
    const rows = await listAlerts(deps.db, { limit, ...(owner !== undefined ? { ownerId: owner } : {}), ...(state ? { state } : {}) });
    res.json({ alerts: rows.map(alertView) });
  });
}
