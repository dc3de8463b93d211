import { notificationSchema, type Notification } from '@edd/api-contracts';
import { z } from 'zod';

/**
 * Core NATS subjects between notifications replicas (bus.broadcast/listen): `<channel>.<userId>`. One deployment
 * uses the default channel; tests sharing a NATS server each take their own, so they never hear each other.
 */
export const DEFAULT_LIVE_CHANNEL = 'live.notifications';
export const liveSubjects = (channel: string): string => `${channel}.*`;
export const liveSubject = (channel: string, userId: string): string => `${channel}.${userId}`;

/** The inverse of `liveSubject`: the user a subject of `channel` names, or undefined for any other subject. */
export function userOfLiveSubject(channel: string, subject: string): string | undefined {
  const prefix = `${channel}.`;
  if (!subject.startsWith(prefix)) return undefined;
  const userId = subject.slice(prefix.length);
  return userId === '' || userId.includes('.') ? undefined : userId;
}

/**
 * `stored`: a new notification and the user's previous newest id, so a socket whose cursor is that id sends it
 * straight away and any other socket knows it missed something and reads the gap from the database. `sentAt`
 * (epoch ms of the broadcast) only feeds the hop metric; older replicas' messages lack it.
 * `changed`: the user read or deleted something (other tabs refetch).
 */
const liveMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('stored'),
    notification: notificationSchema,
    previousId: z.number().int().min(0),
    sentAt: z.number().optional(),
  }),
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

export function storedMessage(notification: Notification, previousId: number, sentAt = Date.now()): LiveMessage {
  return { kind: 'stored', notification, previousId, sentAt };
}
