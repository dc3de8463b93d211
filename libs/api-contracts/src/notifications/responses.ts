import { z } from 'zod';

/** One notification (the original's shape). `link` is a dashboard path, '' when there is none. */
export const notificationSchema = z.object({
  id: z.number().int(),
  user_id: z.string(),
  title: z.string(),
  message: z.string(),
  link: z.string(),
  category: z.string(),
  scope: z.string(),
  read: z.boolean(),
  created_at: z.string(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationListResponseSchema = z.array(notificationSchema);

export const unreadCountResponseSchema = z.object({ count: z.number().int().min(0) });

export const muteSchema = z.object({
  id: z.number().int(),
  user_id: z.string(),
  category: z.string(),
  scope: z.string(),
  created_at: z.string(),
});
export type NotificationMute = z.infer<typeof muteSchema>;

export const muteListResponseSchema = z.array(muteSchema);

/**
 * Frames the server sends on `WS /ws/notifications`: a new notification (each exactly once per socket, in id order),
 * or `changed` after a read/delete elsewhere (refetch counts and lists).
 */
export const notificationFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('notification'), notification: notificationSchema }),
  z.object({ type: z.literal('changed') }),
]);
export type NotificationFrame = z.infer<typeof notificationFrameSchema>;
