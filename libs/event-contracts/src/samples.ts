import type { EventData, EventType } from './catalog';

const container = (id: string) => ({
  containerId: id,
  ownerId: `owner-${id}`,
  name: 'web',
  status: 'running' as const,
  upstreamHost: '10.0.0.7',
  ingress: [{ externalPort: 8080, targetPort: 80, protocol: 'http' as const }],
  sshEnabled: false,
  version: 3,
});

const storedFile = (ownerId: string) => ({
  namespace: 'photos.2024',
  path: 'holidays/beach.jpg',
  size: 123_456,
  sha256: 'a'.repeat(64),
  contentType: 'image/jpeg',
  ownerId,
});

const sshSession = (sessionId: string) => ({
  sessionId,
  userId: 'u1',
  containerId: 'c1',
  clientAddress: '203.0.113.7:52113',
  fingerprint: 'SHA256:abc',
});

const now = () => new Date().toISOString();

/** A valid payload of every event type; `id` fills the field(s) that go into the subject. */
export const samplePayloads: { [T in EventType]: (id: string) => EventData<T> } = {
  'auth.user.created': (id) => ({ userId: id, username: 'alice', displayName: 'Alice', isAdmin: false }),
  'auth.user.updated': (id) => ({ userId: id, username: 'alice', displayName: 'Alice B.', isAdmin: true }),
  'auth.user.deleted': (id) => ({ userId: id, username: 'alice' }),
  'auth.session.created': (id) => ({ sessionId: id, userId: 'u1', expiresAt: now() }),
  'auth.session.invalidated': (id) => ({ sessionId: id, userId: 'u1', reason: 'logout' }),
  'auth.token.revoked': (id) => ({ tokenId: id, userId: 'u1' }),
  'auth.identity.updated': (id) => ({ serviceAccountId: id, ownerId: 'u1', name: 'ci', scopes: { 'storage.u1': ['read'] } }),
  'auth.identity.deleted': (id) => ({ serviceAccountId: id, ownerId: 'u1' }),
  'compute.container.created': container,
  'compute.container.updated': container,
  'compute.container.started': container,
  'compute.container.stopped': (id) => ({ ...container(id), status: 'stopped' }),
  'compute.container.deleted': (id) => ({ ...container(id), status: 'deleted' }),
  'compute.sshkey.added': (id) => ({ userId: id, keyId: 'k1', fingerprint: 'SHA256:abc' }),
  'compute.sshkey.removed': (id) => ({ userId: id, keyId: 'k1', fingerprint: 'SHA256:abc' }),
  'storage.namespace.created': (id) => ({ namespace: 'photos.2024', ownerId: id, visibility: 'private' }),
  'storage.namespace.updated': (id) => ({ namespace: 'photos.2024', ownerId: id, visibility: 'public' }),
  'storage.namespace.deleted': (id) => ({ namespace: 'photos.2024', ownerId: id, visibility: 'public' }),
  'storage.file.uploaded': (id) => storedFile(id),
  'storage.file.deleted': (id) => storedFile(id),
  'gateway.ssh.session.opened': (id) => sshSession(id),
  'gateway.ssh.session.closed': (id) => ({ ...sshSession(id), bytesIn: 2048, bytesOut: 65536, durationMs: 93_000 }),
  notify: (id) => ({ userId: id, title: 'Hello', message: 'World', category: 'system', scope: '' }),
  'cluster.metrics': () => ({ collectedAt: now(), nodes: [{ name: 'n1', cpuPercent: 12.5, memoryPercent: 40, diskPercent: 70 }] }),
  'cluster.pods': () => ({ collectedAt: now(), pods: [{ name: 'p1', namespace: 'default', node: 'n1', phase: 'Running', restarts: 0 }] }),
  'log.error': (id) => ({ source: id, level: 'error', message: 'boom', timestamp: now(), attributes: { k: 'v' } }),
};

export function samplePayload<T extends EventType>(type: T, id: string): EventData<T> {
  return (samplePayloads[type] as (id: string) => EventData<T>)(id);
}
