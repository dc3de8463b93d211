import { muteRequestSchema } from '@edd/api-contracts';
import { requireScope } from '@edd/auth-client';
import { HttpError, parseBody } from '@edd/http';
import type { Express, Request } from 'express';
import type { NotificationsDeps } from '../context';
import { addMute, listMutes, removeMute } from '../data/mutes';
import { mutesScope, userOf } from './scopes';

const mutes = (req: Request) => mutesScope(userOf(req));

/** `/api/notifications/mutes`: categories (scope '') or category+scope pairs whose notifications are dropped on arrival. */
export function mountMuteRoutes(app: Express, deps: NotificationsDeps): void {
  app.get('/api/notifications/mutes', requireScope(mutes, 'read'), async (req, res) => {
    res.json(await listMutes(deps.db, userOf(req)));
  });

  app.put('/api/notifications/mutes', requireScope(mutes, 'update'), async (req, res) => {
    const body = parseBody(muteRequestSchema, req.body);
    await addMute(deps.db, userOf(req), body.category, body.scope);
    res.json({ status: 'ok' });
  });

  app.delete('/api/notifications/mutes', requireScope(mutes, 'delete'), async (req, res) => {
    const body = parseBody(muteRequestSchema, req.body);
    if (!(await removeMute(deps.db, userOf(req), body.category, body.scope))) throw new HttpError('not_found', 'no such mute');
    res.json({ status: 'ok' });
  });
}
