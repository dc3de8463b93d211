import { notificationSchema, type Notification } from '@edd/api-contracts';
import { z } from 'zod';

/** Core NATS subjects between notifications replicas (bus.broadcast/listen): one per user. */
export const LIVE_SUBJECTS = 'live.notifications.>';
export const liveSubject = (userId: string): string => `live.notifications.${userId}`;

/**
 * `stored`: a new notification and the user's previous newest id, so a socket whose cursor is that id sends it
 * straight away and any other socket knows it missed something and reads the gap from the database.
 * `changed`: the user read or deleted something (other tabs refetch).
 */
const liveMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stored'), notification: notificationSchema, previousId: z.number().int().min(0) }),
  z.object({ kind: z.literal('changed'), userId: z.string() }),
]);
export type LiveMessage = z.infer<typeof liveMessageSchema>;

export function encodeLiveMessage(message: LiveMessage): string {
  return JSON.stringify(message);
}

export function decodeLiveMessage(body: string): LiveMessage | undefined {
  try {
    const parsed = liveMessageSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function storedMessage(notification: Notification, previousId: number): LiveMessage {
  return { kind: 'stored', notification, previousId };
}
