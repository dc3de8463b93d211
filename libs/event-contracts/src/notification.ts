import type { EventData } from './catalog';

/** What a service says to a user; `category` groups notifications for mutes, `scope` narrows it (e.g. a namespace). */
export interface NotificationInput {
  title: string;
  message: string;
  category: string;
  /** Dashboard path of the thing concerned, e.g. `/compute/containers/c1`. */
  link?: string;
  /** Empty (default) for the category as a whole. */
  scope?: string;
}

/**
 * The `notify` payload for `userId`: publish it with `bus.publish('notify', ...)` or, inside a transaction,
 * `enqueueEvent(tx, 'notify', ...)`. The notifications service stores it once per event id.
 */
export function notification(userId: string, input: NotificationInput): EventData<'notify'> {
  return {
    userId,
    title: input.title,
    message: input.message,
    category: input.category,
    scope: input.scope ?? '',
    ...(input.link ? { link: input.link } : {}),
  };
}
