import { HttpError } from '@edd/http';
import type { RequestHandler } from 'express';
import { seesOwnContainers } from '../access';

/** A session, or an API token with `compute.<uid>.containers` read: what every per-user figure needs. */
export const requireContainerRead: RequestHandler = (req, _res, next) => {
  if (!req.principal) throw new HttpError('unauthenticated');
  if (!seesOwnContainers(req.principal)) throw new HttpError('scope_missing', 'needs compute.<user_id>.containers read');
  next();
};
