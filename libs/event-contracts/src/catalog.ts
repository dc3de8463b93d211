import type { z } from 'zod';
import {
  clusterMetricsPayload,
  clusterPodsPayload,
  containerPayload,
  identityDeletedPayload,
  identityUpdatedPayload,
  logErrorPayload,
  namespacePayload,
  notifyPayload,
  sessionCreatedPayload,
  sessionInvalidatedPayload,
  sshKeyPayload,
  sshSessionPayload,
  storedFilePayload,
  tokenRevokedPayload,
  userDeletedPayload,
  userPayload,
} from './schemas';
import type { StreamName } from './streams';

/** Names inside `{...}` in a subject pattern, e.g. `auth.user.{userId}.created` -> `'userId'`. */
export type PatternKeys<P extends string> = P extends `${string}{${infer K}}${infer Rest}` ? K | PatternKeys<Rest> : never;

type StringFieldOf<D> = { [K in keyof D]-?: D[K] extends string ? K : never }[keyof D];

// Compile-time guard: every `{placeholder}` of the subject must name a string field of the payload.
type CheckedPattern<P extends string, S extends z.ZodType> = [PatternKeys<P>] extends [StringFieldOf<z.infer<S>>]
  ? unknown
  : { error: 'every {placeholder} in the subject must be a string field of the payload schema' };

export interface EventDefinition<S extends z.ZodType = z.ZodType, P extends string = string> {
  readonly stream: Exclude<StreamName, 'DEADLETTER' | 'LOGTAIL'>;
  readonly schema: S;
  /** Subject pattern; `{field}` is replaced by that payload field (validated as one subject token). */
  readonly subject: P;
  /**
   * The payload version publishers stamp in `meta.version`. Bump it when the schema changes; consumers
   * read every version (see envelope.ts): newer messages through the non-strict schema (extra fields are
   * stripped), older ones through `upgrade` and the schema's defaults.
   */
  readonly version: number;
  /** Turns the payload of an older version into the current shape before it is validated. */
  readonly upgrade?: (data: unknown, fromVersion: number) => unknown;
}

export interface EventVersioning {
  version?: number;
  upgrade?: (data: unknown, fromVersion: number) => unknown;
}

/** Declares one event type; exported so tests (and a future v2) can describe other versions of a type. */
export function defineEvent<S extends z.ZodType, const P extends string>(
  stream: EventDefinition['stream'],
  schema: S,
  subject: P & NoInfer<CheckedPattern<P, S>>,
  versioning: EventVersioning = {},
): EventDefinition<S, P> {
  const version = versioning.version ?? 1;
  if (!Number.isInteger(version) || version < 1) throw new Error(`event version must be a positive integer, got ${version}`);
  return { stream, schema, subject, version, ...(versioning.upgrade ? { upgrade: versioning.upgrade } : {}) };
}

/**
 * The event catalogue: every event type, its stream, payload schema and subject pattern.
 * Naming rule (checked by catalog.test.ts): the subject pattern with its `{placeholder}` tokens removed
 * is exactly the event type; all literal tokens are lowercase.
 */
export const eventCatalog = {
  'auth.user.created': defineEvent('AUTH', userPayload, 'auth.user.{userId}.created'),
  'auth.user.updated': defineEvent('AUTH', userPayload, 'auth.user.{userId}.updated'),
  'auth.user.deleted': defineEvent('AUTH', userDeletedPayload, 'auth.user.{userId}.deleted'),
  'auth.session.created': defineEvent('AUTH', sessionCreatedPayload, 'auth.session.{sessionId}.created'),
  'auth.session.invalidated': defineEvent('AUTH', sessionInvalidatedPayload, 'auth.session.{sessionId}.invalidated'),
  'auth.token.revoked': defineEvent('AUTH', tokenRevokedPayload, 'auth.token.{tokenId}.revoked'),
  'auth.identity.updated': defineEvent('AUTH', identityUpdatedPayload, 'auth.identity.{serviceAccountId}.updated'),
  'auth.identity.deleted': defineEvent('AUTH', identityDeletedPayload, 'auth.identity.{serviceAccountId}.deleted'),
  'compute.container.created': defineEvent('COMPUTE', containerPayload, 'compute.container.{containerId}.created'),
  'compute.container.updated': defineEvent('COMPUTE', containerPayload, 'compute.container.{containerId}.updated'),
  'compute.container.started': defineEvent('COMPUTE', containerPayload, 'compute.container.{containerId}.started'),
  'compute.container.stopped': defineEvent('COMPUTE', containerPayload, 'compute.container.{containerId}.stopped'),
  'compute.container.deleted': defineEvent('COMPUTE', containerPayload, 'compute.container.{containerId}.deleted'),
  'compute.sshkey.added': defineEvent('COMPUTE', sshKeyPayload, 'compute.sshkey.{userId}.added'),
  'compute.sshkey.removed': defineEvent('COMPUTE', sshKeyPayload, 'compute.sshkey.{userId}.removed'),
  // Storage subjects carry the owner, not the namespace: namespace names may contain '.', which would split
  // the subject token; owner ids are subject-safe and let a consumer filter one user's storage events.
  'storage.namespace.created': defineEvent('STORAGE', namespacePayload, 'storage.namespace.{ownerId}.created'),
  'storage.namespace.updated': defineEvent('STORAGE', namespacePayload, 'storage.namespace.{ownerId}.updated'),
  'storage.namespace.deleted': defineEvent('STORAGE', namespacePayload, 'storage.namespace.{ownerId}.deleted'),
  'storage.file.uploaded': defineEvent('STORAGE', storedFilePayload, 'storage.file.{ownerId}.uploaded'),
  'storage.file.deleted': defineEvent('STORAGE', storedFilePayload, 'storage.file.{ownerId}.deleted'),
  'gateway.ssh.session.opened': defineEvent('GATEWAY', sshSessionPayload, 'gateway.ssh.session.{sessionId}.opened'),
  'gateway.ssh.session.closed': defineEvent('GATEWAY', sshSessionPayload, 'gateway.ssh.session.{sessionId}.closed'),
  notify: defineEvent('NOTIFICATIONS', notifyPayload, 'notify.{userId}'),
  'cluster.metrics': defineEvent('CLUSTER', clusterMetricsPayload, 'cluster.metrics'),
  'cluster.pods': defineEvent('CLUSTER', clusterPodsPayload, 'cluster.pods'),
  'log.error': defineEvent('LOGS', logErrorPayload, 'log.error.{source}'),
} as const;

type Catalog = typeof eventCatalog;

export type EventType = keyof Catalog;

/** Payload of an event type, inferred from its schema. */
export type EventData<T extends EventType> = z.infer<Catalog[T]['schema']>;

/** The payload fields a type's subject is built from, e.g. `{ userId }` for `auth.user.created`. */
export type SubjectIds<T extends EventType> = { [K in PatternKeys<Catalog[T]['subject']>]: string };

export const eventTypes = Object.keys(eventCatalog) as EventType[];

/** The version publishers of this code stamp on a type's events. */
export function eventVersion(type: EventType): number {
  return eventCatalog[type].version;
}

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(eventCatalog, value);
}
