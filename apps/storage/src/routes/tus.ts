import { HttpError } from '@edd/http';
import type { Express } from 'express';
import type { TusUploads } from '../uploads/tus-uploads';

/** `/storage/uploads` and `/storage/uploads/<id>`: the tus protocol's methods (GET is not part of it: no bytes are read back). */
export const TUS_URL = /^\/storage\/uploads(?:\/[^/]*)?\/?$/;

/** True for the tus requests: express.json must leave their bodies alone (see app.ts). */
export function isTusRequest(req: { method?: string; url?: string }): boolean {
  return req.method !== 'GET' && req.url !== undefined && TUS_URL.test(req.url.split('?')[0] ?? '');
}

/** Mounted before the file routes, whose `/storage/<ns>/...` would otherwise take `uploads` as a namespace. */
export function mountTusRoutes(app: Express, tus: TusUploads): void {
  app.all(TUS_URL, async (req, res, next) => {
    if (req.method === 'GET') return next();
    // Anonymous callers store nothing; an OPTIONS (tus discovery) needs no one.
    if (req.method !== 'OPTIONS' && !req.principal) throw new HttpError('unauthenticated');
    await tus.handle(req, res);
  });
}
