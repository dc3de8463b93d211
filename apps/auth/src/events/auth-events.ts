import type { EventBus, EventData, EventType } from '@edd/events';
import type { Logger } from '@edd/logger';

export type AuthEventType = Extract<EventType, `auth.${string}`>;
/** One event waiting for its transaction to commit. */
export type AuthEvent = { [T in AuthEventType]: { type: T; data: EventData<T> } }[AuthEventType];

/**
 * Publishes events AFTER the database commit (never for a rolled-back change). No outbox: a publish failure is
 * logged and the change stands; the internal endpoints (/api/users, /api/identity-permissions, token check)
 * remain the source of truth that consumers can resync from.
 */
export class AuthEventPublisher {
  constructor(
    private readonly bus: EventBus | undefined,
    private readonly logger: Logger,
  ) {}

  /**
   * Publishes side by side: while NATS is unreachable each publish waits for its ack timeout, and a request that
   * ends many sessions (password change, user deletion) must not wait for them one after another.
   */
  async publishAll(events: readonly AuthEvent[]): Promise<void> {
    const bus = this.bus;
    if (!bus) return;
    await Promise.all(
      events.map(async (event) => {
        try {
          await bus.publish(event.type, event.data as EventData<typeof event.type>);
        } catch (error) {
          this.logger.error('event publish failed after commit', { type: event.type, error });
        }
      }),
    );
  }
}
