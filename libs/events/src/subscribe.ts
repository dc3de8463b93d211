import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { EventType, StreamName } from '@edd/event-contracts';
import type { Stoppable } from './consume';
import { consumerFilter } from './consumer-plan';
import { decodeEnvelope } from '@edd/event-contracts';
import type { ReceivedEvent } from '@edd/event-contracts';
import { errorMessage } from './logger';
import type { EventLogger } from './logger';
import { eventTypeOfSubject } from '@edd/event-contracts';

export interface FanOutOptions<T extends EventType> {
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: EventLogger;
  stream: StreamName;
  types: readonly T[];
  multipleFilters: boolean;
  handler: (event: ReceivedEvent<T>) => void | Promise<void>;
}

/**
 * An ordered (ephemeral, unacknowledged) consumer on one stream: every subscriber sees every event.
 * It starts right after the stream's last sequence at subscribe time (rather than DeliverPolicy.New) so
 * the client's cursor is exact from the start: an ordered consumer that is recreated after a reconnect
 * resumes from its cursor, and with an empty cursor it would otherwise replay the whole stream.
 */
export async function startFanOut<T extends EventType>(options: FanOutOptions<T>): Promise<Stoppable> {
  const { logger, stream } = options;
  const info = await options.jsm.streams.info(stream);
  const consumer = await options.js.consumers.get(stream, {
    filter_subjects: consumerFilter(options.types, options.multipleFilters),
    opt_start_seq: info.state.last_seq + 1,
  });
  const messages = await consumer.consume({ max_messages: 100 });
  const loop = (async () => {
    for await (const m of messages) {
      const type = eventTypeOfSubject(m.subject, options.types);
      if (!type) continue; // extra subject from a covering filter (pre-2.10 servers)
      const decoded = decodeEnvelope(type, m.subject, m.string());
      if (!decoded.ok) {
        logger.error('invalid event skipped', { stream, subject: m.subject, seq: m.seq, reason: decoded.reason });
        continue;
      }
      try {
        await options.handler(decoded.event);
      } catch (err) {
        // No redelivery for fan-out subscribers: log and move on.
        logger.error('event subscriber failed', {
          stream,
          subject: m.subject,
          eventId: decoded.event.meta.eventId,
          error: errorMessage(err),
        });
      }
    }
  })().catch((err: unknown) => logger.error('event subscription stopped', { stream, error: errorMessage(err) }));
  return {
    async stop() {
      await messages.close();
      await loop;
      await consumer.delete().catch(() => false); // the server would drop it after 5 idle minutes anyway
    },
  };
}
