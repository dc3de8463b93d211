import { notification } from '@edd/event-contracts';
import type { NotificationInput } from '@edd/event-contracts';
import type { EventBus, PublishResult } from './bus-api';

/**
 * Publishes a notification for `userId` (event `notify`, subject `notify.<userId>`). A service with an outbox
 * writes `enqueueEvent(tx, 'notify', notification(userId, input))` instead, so it goes out only if its change commits.
 */
export function notify(
  bus: Pick<EventBus, 'publish'>,
  userId: string,
  input: NotificationInput,
  options?: { eventId?: string },
): Promise<PublishResult> {
  return bus.publish('notify', notification(userId, input), options);
}
