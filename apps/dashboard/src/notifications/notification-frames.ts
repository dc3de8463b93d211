import type { Notification, NotificationFrame } from '@edd/api-client';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function isNotification(value: unknown): value is Notification {
  return (
    isRecord(value) &&
    typeof value['id'] === 'number' &&
    ['user_id', 'title', 'message', 'link', 'category', 'scope', 'created_at'].every((key) => typeof value[key] === 'string') &&
    typeof value['read'] === 'boolean'
  );
}

/** Parses a frame of `WS /ws/notifications` (shapes in @edd/api-contracts); undefined for anything else. */
export function parseNotificationFrame(data: unknown): NotificationFrame | undefined {
  if (typeof data !== 'string') return undefined;
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isRecord(frame)) return undefined;
  if (frame['type'] === 'changed') return { type: 'changed' };
  if (frame['type'] === 'notification' && isNotification(frame['notification']))
    return { type: 'notification', notification: frame['notification'] };
  return undefined;
}
