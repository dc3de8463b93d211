import { generateEd25519Pair } from '@edd/ssh-keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@edd/events/testing';
import { call, outboxEvents, startCompute, type Compute, type TestUser } from './harness';

let compute: Compute;
beforeAll(async () => {
  compute = await startCompute('settings');
});
afterAll(async () => compute?.close());

async function running(user: TestUser, json: Record<string, unknown> = {}): Promise<string> {
  const res = await call<{ id: string }>(compute.url, 'POST', '/compute/containers', {
    token: user.token,
    json: { name: `c${Date.now()}`, ...json },
  });
  expect(res.status, res.text).toBe(201);
  await waitFor(
    async () => (await compute.db.query(`SELECT 1 FROM containers WHERE id = $1 AND status = 'running'`, [res.body.id])).rowCount === 1,
  );
  return res.body.id;
}

const newKey = () => generateEd25519Pair().publicKey;

describe('ssh keys', () => {
  it('adds, lists and deletes keys; rejects invalid, duplicate and over-limit keys', async () => {
    const alice = await compute.user('alice');
    const pub = newKey();
    const added = await call<Record<string, unknown>>(compute.url, 'POST', '/compute/ssh-keys', {
      token: alice.token,
      json: { name: 'laptop', public_key: pub },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'laptop', type: 'ssh-ed25519', bits: 256, public_key: pub.split(' ').slice(0, 2).join(' ') });
    expect(added.body['fingerprint']).toMatch(/^SHA256:/);
    const dup = await call(compute.url, 'POST', '/compute/ssh-keys', { token: alice.token, json: { name: 'again', public_key: pub } });
    expect(dup.status).toBe(409);
    const dss = await call(compute.url, 'POST', '/compute/ssh-keys', {
      token: alice.token,
      json: { name: 'old', public_key: 'ssh-dss AAAAB3NzaC1kc3M=' },
    });
    expect(dss.status).toBe(400);
    expect(dss.body['error']).toMatch(/DSA keys are not accepted/);
    for (let i = 0; i < 9; i += 1) {
      expect(
        (await call(compute.url, 'POST', '/compute/ssh-keys', { token: alice.token, json: { name: `k${i}`, public_key: newKey() } }))
          .status,
      ).toBe(201);
    }
    const over = await call(compute.url, 'POST', '/compute/ssh-keys', {
      token: alice.token,
      json: { name: 'eleventh', public_key: newKey() },
    });
    expect(over.status).toBe(409);
    expect(over.body['error']).toMatch(/ssh key limit: at most 10 keys per user/);
    const list = await call<{ ssh_keys: Array<{ id: string }> }>(compute.url, 'GET', '/compute/ssh-keys', { token: alice.token });
    expect(list.body.ssh_keys).toHaveLength(10);
    const bob = await compute.user('bob');
    const id = String(added.body['id']);
    expect((await call(compute.url, 'DELETE', `/compute/ssh-keys/${id}`, { token: bob.token })).status).toBe(404);
    expect((await call(compute.url, 'DELETE', `/compute/ssh-keys/${id}`, { token: alice.token })).status).toBe(204);
    expect((await call(compute.url, 'DELETE', `/compute/ssh-keys/${id}`, { token: alice.token })).status).toBe(404);
    const types = (await outboxEvents(compute.db)).filter((e) => e.data['keyId'] === id).map((e) => e.type);
    expect(types).toEqual(['compute.sshkey.added', 'compute.sshkey.removed']);
  });

  it('reaches the authorized_keys of the owner’s running containers when a key is added or removed', async () => {
    const carol = await compute.user('carol');
    const id = await running(carol);
    const platformOnly = compute.runtime.authorizedKeys.get(id);
    expect(platformOnly).toHaveLength(1);
    const pub = newKey();
    const added = await call<{ id: string }>(compute.url, 'POST', '/compute/ssh-keys', {
      token: carol.token,
      json: { name: 'new', public_key: pub },
    });
    const line = pub.split(' ').slice(0, 2).join(' ');
    await waitFor(() => compute.runtime.authorizedKeys.get(id)?.includes(line) === true, 3_000);
    expect(compute.runtime.authorizedKeys.get(id)).toEqual([line, platformOnly?.[0]]);
    await call(compute.url, 'DELETE', `/compute/ssh-keys/${added.body.id}`, { token: carol.token });
    await waitFor(() => compute.runtime.authorizedKeys.get(id)?.includes(line) === false, 3_000);
    expect(compute.runtime.authorizedKeys.get(id)).toEqual(platformOnly);
  });
});

describe('container settings', () => {
  it('replaces the keys a container trusts, reaching its authorized_keys; only the caller’s own keys', async () => {
    const fay = await compute.user('fay');
    const id = await running(fay);
    const pub = newKey();
    const key = await call<{ id: string; public_key: string }>(compute.url, 'POST', '/compute/ssh-keys', {
      token: fay.token,
      json: { name: 'a', public_key: pub },
    });
    await waitFor(() => compute.runtime.authorizedKeys.get(id)?.includes(key.body.public_key) === true, 3_000);
    const base = `/compute/containers/${id}/ssh`;
    const none = await call(compute.url, 'PUT', base, { token: fay.token, json: { ssh_enabled: true, ssh_key_ids: [] } });
    expect(none.body).toEqual({ ssh_enabled: true, ssh_key_ids: [] });
    await waitFor(() => compute.runtime.authorizedKeys.get(id)?.includes(key.body.public_key) === false, 3_000);
    const back = await call(compute.url, 'PUT', base, { token: fay.token, json: { ssh_enabled: true, ssh_key_ids: [key.body.id] } });
    expect(back.body).toEqual({ ssh_enabled: true, ssh_key_ids: [key.body.id] });
    await waitFor(() => compute.runtime.authorizedKeys.get(id)?.includes(key.body.public_key) === true, 3_000);
    const gus = await compute.user('gus');
    const gusKey = await call<{ id: string }>(compute.url, 'POST', '/compute/ssh-keys', {
      token: gus.token,
      json: { name: 'g', public_key: newKey() },
    });
    const foreign = await call(compute.url, 'PUT', base, { token: fay.token, json: { ssh_enabled: true, ssh_key_ids: [gusKey.body.id] } });
    expect(foreign.status).toBe(400);
    expect((await call(compute.url, 'GET', base, { token: fay.token })).body).toEqual({ ssh_enabled: true, ssh_key_ids: [key.body.id] });
  });

  it('changes pull policy, SSH and mounts, each published as updated and applied by the reconciler', async () => {
    const dave = await compute.user('dave');
    const id = await running(dave);
    const base = `/compute/containers/${id}`;
    expect((await call(compute.url, 'PUT', `${base}/pull-policy`, { token: dave.token, json: { pull_policy: 'Always' } })).body).toEqual({
      pull_policy: 'Always',
    });
    expect((await call(compute.url, 'PUT', `${base}/pull-policy`, { token: dave.token, json: { pull_policy: 'Sometimes' } })).status).toBe(
      400,
    );
    expect((await call(compute.url, 'PUT', `${base}/ssh`, { token: dave.token, json: { ssh_enabled: false } })).body).toEqual({
      ssh_enabled: false,
      ssh_key_ids: [],
    });
    expect((await call(compute.url, 'GET', `${base}/ssh`, { token: dave.token })).body).toEqual({ ssh_enabled: false, ssh_key_ids: [] });
    const got = await call(compute.url, 'GET', base, { token: dave.token });
    expect(got.body['ssh_command']).toBeUndefined();
    const mounts = await call(compute.url, 'PUT', `${base}/mounts`, { token: dave.token, json: { mount_paths: ['/root', '/srv/data'] } });
    expect(mounts.body).toEqual({ mount_paths: ['/root', '/srv/data'], restarted: true });
    expect((await call(compute.url, 'PUT', `${base}/mounts`, { token: dave.token, json: { mount_paths: ['/srv/../etc'] } })).status).toBe(
      400,
    );
    expect((await call(compute.url, 'GET', `${base}/mounts`, { token: dave.token })).body).toEqual({ mount_paths: ['/root', '/srv/data'] });
    await waitFor(() =>
      compute.runtime.applied.some((s) => s.id === id && s.mountPaths.includes('/srv/data') && !s.sshEnabled && s.pullPolicy === 'Always'),
    );
    const updates = (await outboxEvents(compute.db)).filter((e) => e.data['containerId'] === id && e.type === 'compute.container.updated');
    expect(updates).toHaveLength(3);
  });

  it('manages ingress rules: allowed ports only, 443 is TLS, upsert by port, in the event payload and the spec', async () => {
    const eve = await compute.user('eve');
    const id = await running(eve);
    const base = `/compute/containers/${id}/ingress`;
    for (const port of [22, 79, 7999, 9000]) {
      const res = await call(compute.url, 'POST', base, { token: eve.token, json: { port } });
      expect(res.status, String(port)).toBe(400);
      expect(res.body['error']).toMatch(/external port not allowed/);
    }
    expect((await call(compute.url, 'POST', base, { token: eve.token, json: { port: 8080, target_port: 70000 } })).status).toBe(400);
    const http = await call(compute.url, 'POST', base, { token: eve.token, json: { port: 8080 } });
    expect(http.status).toBe(201);
    expect(http.body).toMatchObject({ port: 8080, target_port: 8080, protocol: 'http', url: `http://${id}.compute.cloud.localhost:8080/` });
    const replaced = await call(compute.url, 'POST', base, { token: eve.token, json: { port: 8080, target_port: 3000 } });
    expect(replaced.status).toBe(200);
    const tls = await call(compute.url, 'POST', base, { token: eve.token, json: { port: 443, target_port: 8443 } });
    expect(tls.body).toMatchObject({ protocol: 'tls', url: `https://${id}.compute.cloud.localhost/` });
    const list = await call<{ rules: Array<{ port: number; target_port: number }> }>(compute.url, 'GET', base, { token: eve.token });
    expect(list.body.rules.map((r) => [r.port, r.target_port])).toEqual([
      [443, 8443],
      [8080, 3000],
    ]);
    expect((await call(compute.url, 'GET', `/compute/containers/${id}`, { token: eve.token })).body['https_enabled']).toBe(true);
    await waitFor(() => compute.runtime.applied.some((s) => s.id === id && s.ingressPorts.join() === '3000,8443'));
    const last = (await outboxEvents(compute.db)).filter((e) => e.data['containerId'] === id).pop();
    expect(last?.data['ingress']).toEqual([
      { externalPort: 443, targetPort: 8443, protocol: 'tls' },
      { externalPort: 8080, targetPort: 3000, protocol: 'http' },
    ]);
    expect((await call(compute.url, 'DELETE', `${base}/8080`, { token: eve.token })).status).toBe(204);
    expect((await call(compute.url, 'DELETE', `${base}/8080`, { token: eve.token })).status).toBe(404);
    expect((await call(compute.url, 'DELETE', `${base}/abc`, { token: eve.token })).status).toBe(400);
  });
});
