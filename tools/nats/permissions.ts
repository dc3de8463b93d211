import { eventPublishers, type EventPublisher } from '@edd/events';

/**
 * The NATS permissions of one service's user, derived from `eventPublishers` (libs/events).
 *
 * Publish: its own event subjects, plus the JetStream API calls the bus makes (@nats-io/jetstream v3):
 * account info, stream info and names (ensureStreams, ordered consumers), every consumer call
 * (create, info, next, delete: `$JS.API.CONSUMER.>`), acks and flow control replies.
 *
 * Not allowed: creating or changing streams. A stream's configuration can republish what it stores
 * to any subject (`republish: { dest: 'auth.user.u1.deleted' }`), and the server does that on the
 * account's behalf, past the publisher's permissions; so streams are made by the admin user
 * (`npm start`, the manifests' nats-streams Job) and a service's `ensureStreams()` only checks them.
 *
 * Subscribe: replies only (`_INBOX.>`): every event reaches a service through a JetStream consumer,
 * and no service can put core interest on an event subject (a push consumer's deliveries to such a
 * subject would be stored by the stream that captures it). Plus `live.<service>.>` (publish and subscribe):
 * core messages between the replicas of one service (bus.broadcast/listen), which no stream captures.
 */
export interface NatsPermissions {
  publish: { allow: string[]; deny: string[] };
  subscribe: { allow: string[] };
}

export const JETSTREAM_CLIENT_SUBJECTS = [
  '$JS.API.INFO',
  '$JS.API.STREAM.INFO.*',
  '$JS.API.STREAM.NAMES',
  '$JS.API.CONSUMER.>',
  '$JS.ACK.>',
  '$JS.FC.>',
] as const;

/**
 * A consumer whose handler keeps failing republishes the message to `deadletter.<durable>.<subject>`
 * (@edd/events). Any service may: the DEADLETTER stream is read by people, never consumed as the event.
 */
export const DEAD_LETTER_SUBJECTS = ['deadletter.>'] as const;

/** Refused even if an allow rule is ever widened: they destroy events or change streams (see above). */
export const REFUSED_JETSTREAM_SUBJECTS = [
  '$JS.API.STREAM.DELETE.*',
  '$JS.API.STREAM.PURGE.*',
  '$JS.API.STREAM.MSG.DELETE.*',
  '$JS.API.STREAM.CREATE.*',
  '$JS.API.STREAM.UPDATE.*',
] as const;

export function natsPermissions(service: EventPublisher): NatsPermissions {
  return {
    publish: {
      allow: [...eventPublishers[service], ...DEAD_LETTER_SUBJECTS, ...JETSTREAM_CLIENT_SUBJECTS, liveSubjects(service)],
      deny: [...REFUSED_JETSTREAM_SUBJECTS],
    },
    subscribe: { allow: ['_INBOX.>', liveSubjects(service)] },
  };
}

/** A service's own core subjects for fan-out between its replicas. */
export function liveSubjects(service: EventPublisher): string {
  return `live.${service}.>`;
}
