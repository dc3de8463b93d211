import { generateEd25519Pair } from '@edd/ssh-keys';
import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';
import { waitFor } from '@edd/events/testing';
import { eventCatalog } from '@edd/events';
import { containerUsageListSchema } from '@edd/api-contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, startCompute, type Compute } from './harness';

let compute: Compute;
let key: string;
beforeAll(async () => {
  compute = await startCompute('internal');
  key = compute.config.SERVICE_API_KEY;
});
afterAll(async () => compute?.close());

const fingerprintOf = (pub: string) => {
  const parsed = ssh2.utils.parseKey(pub);
  if (parsed instanceof Error || Array.isArray(parsed)) throw new Error('bad key');
  return `SHA256:${createHash('sha256').update(parsed.getPublicSSH()).digest('base64').replace(/=+$/, '')}`;
};

async function runningContainerWithKey() {
  const user = await compute.user('owner');
  const generated = generateEd25519Pair();
  const pair = { public: generated.publicKey, private: generated.privateKey };
  const added = await call<{ id: string; fingerprint: string }>(compute.url, 'POST', '/compute/ssh-keys', {
    token: user.token,
    json: { name: 'k', public_key: pair.public },
  });
  const created = await call<{ id: string }>(compute.url, 'POST', '/compute/containers', {
    token: user.token,
    json: { name: `c${Date.now()}`, ssh_key_ids: [added.body.id] },
  });
  const id = created.body.id;
  await waitFor(async () => (await compute.db.query(`SELECT 1 FROM containers WHERE id = $1 AND status = 'running'`, [id])).rowCount === 1);
  return { user, id, fingerprint: added.body.fingerprint, pair };
}

const authorize = (json: unknown, headers: Record<string, string> = { 'x-service-key': key }) =>
  call<Record<string, unknown>>(compute.url, 'POST', '/internal/ssh/authorize', { json, headers });

describe('internal API', () => {
  it('refuses a missing or wrong service key (401) and calls through the gateway (403)', async () => {
    for (const [method, path] of [
      ['GET', '/internal/containers'],
      ['GET', '/internal/containers/usage'],
      ['POST', '/internal/ssh/authorize'],
    ] as const) {
      expect((await call(compute.url, method, path, { json: method === 'POST' ? {} : undefined })).status).toBe(401);
      const wrong = await call(compute.url, method, path, { headers: { 'x-service-key': 'not-the-key' } });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ code: 'invalid_service_key' });
      const viaGateway = await call(compute.url, method, path, {
        headers: { 'x-service-key': key, 'x-forwarded-host': 'compute.cloud.localhost' },
      });
      expect(viaGateway.status).toBe(403);
    }
    // A user's session is not a service key.
    const user = await compute.user('nosy');
    expect((await call(compute.url, 'GET', '/internal/containers', { token: user.token })).status).toBe(401);
  });

  it('lists running containers as the gateway’s resync contract', async () => {
    const { id } = await runningContainerWithKey();
    const res = await call<{ containers: unknown[] }>(compute.url, 'GET', '/internal/containers', { headers: { 'x-service-key': key } });
    expect(res.status).toBe(200);
    // The gateway parses it with the catalogue's schema (apps/gateway/src/control/container-source.ts).
    const parsed = z.object({ containers: z.array(eventCatalog['compute.container.updated'].schema) }).parse(res.body);
    expect(parsed.containers.find((c) => c.containerId === id)).toMatchObject({
      status: 'running',
      upstreamHost: expect.stringMatching(/^10\.213\./),
    });
    expect(parsed.containers.every((c) => c.status === 'running')).toBe(true);
  });

  it('reports each running container’s owner, limits and measured usage for the health service', async () => {
    const { user, id } = await runningContainerWithKey();
    compute.runtime.usageReport = { memoryBytes: 48 * 1024 * 1024, storageBytes: 3 * 1024 * 1024, cpuSeconds: 12.5 };
    const res = await call(compute.url, 'GET', '/internal/containers/usage', { headers: { 'x-service-key': key } });
    expect(res.status).toBe(200);
    const parsed = containerUsageListSchema.parse(res.body);
    expect(parsed.containers.find((c) => c.container_id === id)).toMatchObject({
      owner_id: user.userId,
      status: 'running',
      memory_used_bytes: 48 * 1024 * 1024,
      storage_used_bytes: 3 * 1024 * 1024,
      cpu_used_seconds: 12.5,
      memory_mb: expect.any(Number),
      cpu_millis: expect.any(Number),
    });
  });

  it('allows a trusted key on a running container with SSH on, handing over the pinned host key and the platform key', async () => {
    const { id, fingerprint, pair } = await runningContainerWithKey();
    expect(fingerprintOf(pair.public)).toBe(fingerprint);
    const allowed = await authorize({ containerId: id, login: 'root', fingerprint });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ allow: true, port: 22, user: 'root', address: expect.stringMatching(/^10\.213\./) });
    const spec = compute.runtime.applied.find((s) => s.id === id);
    expect(allowed.body['hostKey']).toBe(spec?.hostKey.publicKey);
    const platform = ssh2.utils.parseKey(String(allowed.body['platformPrivateKey']));
    if (platform instanceof Error || Array.isArray(platform)) throw new Error('platform key does not parse');
    // The platform key is the one in the container's authorized_keys (its last line).
    const platformLine = `${platform.type} ${platform.getPublicSSH().toString('base64')}`;
    expect(spec?.authorizedKeys.at(-1)).toBe(platformLine);
  });

  it('denies an untrusted key, SSH off, a stopped or unknown container, and another login', async () => {
    const { user, id, fingerprint } = await runningContainerWithKey();
    const other = fingerprintOf(generateEd25519Pair().publicKey);
    expect((await authorize({ containerId: id, login: 'root', fingerprint: other })).body).toEqual({
      allow: false,
      reason: 'this key is not trusted by the container',
    });
    expect((await authorize({ containerId: id, login: 'admin', fingerprint })).body).toMatchObject({ allow: false });
    expect((await authorize({ containerId: 'zzzzzzzz', login: 'root', fingerprint })).body).toEqual({
      allow: false,
      reason: 'no such container',
    });
    await call(compute.url, 'PUT', `/compute/containers/${id}/ssh`, { token: user.token, json: { ssh_enabled: false } });
    expect((await authorize({ containerId: id, login: 'root', fingerprint })).body).toEqual({
      allow: false,
      reason: 'SSH is disabled for this container',
    });
    await call(compute.url, 'PUT', `/compute/containers/${id}/ssh`, { token: user.token, json: { ssh_enabled: true } });
    await call(compute.url, 'POST', `/compute/containers/${id}/stop`, { token: user.token });
    await waitFor(
      async () => (await compute.db.query(`SELECT 1 FROM containers WHERE id = $1 AND status = 'stopped'`, [id])).rowCount === 1,
    );
    expect((await authorize({ containerId: id, login: 'root', fingerprint })).body).toEqual({
      allow: false,
      reason: 'the container is not running',
    });
    expect((await authorize({ containerId: id, login: 'root', fingerprint: 'MD5:aa' })).status).toBe(400);
  });
});
