/**
 * Who may publish which event subjects: the one source of truth for the NATS server's publish
 * permissions (tools/nats generates the server's users from it, for `npm start` and the manifests).
 * A key is a service's name, also its NATS user; a service that only consumes has an empty list.
 * A new service, or a service that starts publishing another family of subjects, is added here.
 */
export const eventPublishers = {
  auth: ['auth.>', 'notify.>'],
  storage: ['storage.>', 'notify.>'],
  compute: ['compute.>', 'notify.>'],
  health: ['cluster.>', 'notify.>'],
  logs: ['log.>', 'logtail.>'],
  gateway: ['gateway.>'],
  notifications: [],
} as const satisfies Record<string, readonly string[]>;

/** A service that connects to the event bus with its own NATS user. */
export type EventPublisher = keyof typeof eventPublishers;

export const eventPublisherNames = Object.keys(eventPublishers) as EventPublisher[];
