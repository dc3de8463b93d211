import { HttpError } from '@edd/http';
import type { Request } from 'express';
import { formatScope } from '@edd/scopes';

/** The scope an API token needs for a user's notifications (sessions act as their user). */
export const inboxScope = (userId: string): string => formatScope('notifications', userId, 'inbox');
export const mutesScope = (userId: string): string => formatScope('notifications', userId, 'mutes');

/** The caller's user id; the scope guards in front of every route have already refused anonymous requests. */
export function userOf(req: Request): string {
  if (!req.principal) throw new HttpError('unauthenticated', 'sign in or send an API token');
  return req.principal.userId;
}
