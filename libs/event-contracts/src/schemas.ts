import { z } from 'zod';

// One zod schema per payload; the TypeScript types are inferred from these (see catalog.ts).
// Objects are non-strict on purpose: unknown keys are stripped, so a newer publisher may add fields
// without older consumers terminating its messages.

const id = z.string().min(1).max(200);
const isoTimestamp = z.iso.datetime({ offset: true });

export const userPayload = z.object({
  userId: id,
  username: z.string().min(1),
  displayName: z.string(),
  isAdmin: z.boolean(),
});

export const userDeletedPayload = z.object({ userId: id, username: z.string().min(1) });

export const sessionCreatedPayload = z.object({ sessionId: id, userId: id, expiresAt: isoTimestamp });

export const sessionInvalidatedPayload = z.object({
  sessionId: id,
  userId: id,
  reason: z.enum(['logout', 'password_change', 'admin', 'user_deleted', 'expired']),
});

export const tokenRevokedPayload = z.object({ tokenId: id, userId: id });

export const identityUpdatedPayload = z.object({
  serviceAccountId: id,
  ownerId: id,
  name: z.string().min(1),
  scopes: z.record(z.string(), z.array(z.string())),
});

export const identityDeletedPayload = z.object({ serviceAccountId: id, ownerId: id });

const port = z.number().int().min(1).max(65535);

export const containerPayload = z.object({
  containerId: id,
  ownerId: id,
  name: z.string().min(1),
  status: z.enum(['pending', 'running', 'stopped', 'failed', 'deleted']),
  upstreamHost: z.string(),
  ingress: z.array(z.object({ externalPort: port, targetPort: port, protocol: z.enum(['http', 'tls', 'tcp']) })),
  sshEnabled: z.boolean(),
  /**
   * Grows with every change of this container, in commit order: an event whose version is not above what a consumer
   * holds is late and changes nothing. Absent from events written before versions existed (treat those as newest).
   */
  version: z.number().int().nonnegative().optional(),
});

export const sshKeyPayload = z.object({ userId: id, keyId: id, fingerprint: z.string().min(1) });

/**
 * A notification for one user. Stored once per event id (the envelope's `meta.eventId`), so `notificationId`
 * is only kept for publishers written before that; `scope` narrows the category for mutes (e.g. a namespace).
 */
export const notifyPayload = z.object({
  notificationId: id.optional(),
  userId: id,
  title: z.string().min(1).max(200),
  message: z.string().max(2000),
  category: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/u, 'categories are [a-z0-9][a-z0-9._-]{0,63}'),
  scope: z.string().max(200).optional(),
  link: z.string().max(2000).optional(),
  source: z.string().min(1).optional(),
});

// Storage namespace names: lowercase, may contain '.', so they never go into a subject token.
const namespaceName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/u, 'namespace names are [a-z0-9][a-z0-9._-]{0,62}');

export const namespacePayload = z.object({
  namespace: namespaceName,
  ownerId: id,
  visibility: z.enum(['private', 'public']),
});

export const storedFilePayload = z.object({
  namespace: namespaceName,
  path: z.string().min(1).max(1024),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/u, 'sha256: 64 lowercase hex digits'),
  contentType: z.string().min(1),
  ownerId: id,
});

const count = z.number().int().min(0);

/** One SSH session through the gateway; the byte counts and duration are only known when it closes. */
export const sshSessionPayload = z.object({
  sessionId: id,
  userId: id,
  containerId: id,
  clientAddress: z.string().min(1),
  fingerprint: z.string().min(1),
  bytesIn: count.optional(),
  bytesOut: count.optional(),
  durationMs: count.optional(),
});

const percent = z.number().min(0);

export const clusterMetricsPayload = z.object({
  collectedAt: isoTimestamp,
  nodes: z.array(
    z.object({
      name: z.string().min(1),
      cpuPercent: percent,
      memoryPercent: percent,
      diskPercent: percent,
      /** Added: the node's pressure conditions (MemoryPressure, DiskPressure, PIDPressure). */
      conditions: z.array(z.object({ type: z.string().min(1), status: z.string().min(1) })).optional(),
    }),
  ),
});

export const clusterPodsPayload = z.object({
  collectedAt: isoTimestamp,
  pods: z.array(
    z.object({
      name: z.string().min(1),
      namespace: z.string().min(1),
      node: z.string(),
      phase: z.string().min(1),
      restarts: z.number().int().min(0),
      /** Added: the last termination was an OOM kill. */
      oomKilled: z.boolean().optional(),
      /** Added: the platform user whose container it is (absent for the platform's own pods). */
      ownerId: z.string().min(1).optional(),
    }),
  ),
});

export const logErrorPayload = z.object({
  source: z.string().min(1),
  level: z.string().min(1),
  message: z.string(),
  // Kept as a free string: log lines carry whatever timestamp format their producer used.
  timestamp: z.string().min(1),
  attributes: z.record(z.string(), z.string()).optional(),
});
