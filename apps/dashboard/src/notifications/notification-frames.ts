import { notificationFrameSchema, type NotificationFrame } from '@edd/api-contracts';

/** Parses a frame of `WS /ws/notifications`; undefined for anything else. */
export function parseNotificationFrame(data: unknown): NotificationFrame | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const parsed = notificationFrameSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
