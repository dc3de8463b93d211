import { z } from 'zod';

// Request bodies and queries of the notifications API. The server parses with these; clients send `z.input` of them.

export const NOTIFICATION_LIST_LIMIT_DEFAULT = 20;
export const NOTIFICATION_LIST_LIMIT_MAX = 100;

/** A notification id on the wire (path, cursor, WebSocket `after`): a positive integer. */
export const notificationIdSchema = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** `GET /api/notifications` query: newest first; `cursor` is the smallest id already seen (the next page is older). */
export const notificationListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(NOTIFICATION_LIST_LIMIT_MAX).default(NOTIFICATION_LIST_LIMIT_DEFAULT),
  cursor: notificationIdSchema.optional(),
});

export const notificationCategorySchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/u, 'categories are [a-z0-9][a-z0-9._-]{0,63}');

/** `PUT` and `DELETE /api/notifications/mutes`: an empty (or absent) scope is the whole category. */
export const muteRequestSchema = z.object({
  category: notificationCategorySchema,
  scope: z.string().max(200).default(''),
});
