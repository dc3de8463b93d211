import { generateEd25519Pair } from '@edd/ssh-keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@edd/events/testing';
import { call, outboxEvents, startCompute, type Compute, type TestUser } from './harness';

let compute: Compute;
beforeAll(async () => {
  compute = await startCompute('containers');
});
afterAll(async () => compute?.close());

async function addKey(user: TestUser, name = 'laptop'): Promise<{ id: string; fingerprint: string; public_key: string }> {
  const res = await call<{ id: string; fingerprint: string; public_key: string }>(compute.url, 'POST', '/compute/ssh-keys', {
    token: user.token,
    json: { name, public_key: generateEd25519Pair().publicKey },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function create(user: TestUser, json: Record<string, unknown>) {
  return call<Record<string, unknown> & { id: string }>(compute.url, 'POST', '/compute/containers', { token: user.token, json });
}

const statusOf = async (user: TestUser, id: string) =>
  (await call<{ status: string }>(compute.url, 'GET', `/compute/containers/${id}`, { token: user.token })).body.status;

describe('containers', () => {
  it('creates (201, pending), provisions to running through the reconciler, and shows live usage', async () => {
    const alice = await compute.user('alice');
    const key = await addKey(alice);
    const created = await create(alice, { name: 'web', ssh_key_ids: [key.id] });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id;
    expect(id).toMatch(/^[a-z0-9]{8}$/);
    expect(created.body).toMatchObject({
      name: 'web',
      status: 'pending',
      desired_state: 'running',
      instance_type: 'nano',
      cpu_millis: 500,
      memory_mb: 512,
      storage_gb: 5,
      mount_paths: ['/root'],
      ssh_enabled: true,
      ssh_key_ids: [key.id],
      hostname: `${id}.compute.cloud.localhost`,
      ssh_command: `ssh -p 2222 ${id}@cloud.localhost`,
    });
    await waitFor(async () => (await statusOf(alice, id)) === 'running');
    const got = await call(compute.url, 'GET', `/compute/containers/${id}`, { token: alice.token });
    expect(got.body).toMatchObject({ status: 'running', memory_used_mb: 64, storage_used_gb: 0.5 });

    // What the runtime was asked: the type's limits, the host key, the user's key and the platform key.
    const spec = compute.runtime.applied.find((s) => s.id === id);
    expect(spec).toMatchObject({
      cpuMillis: 500,
      memoryMb: 512,
      storageGb: 5,
      mountPaths: ['/root'],
      sshEnabled: true,
      ownerId: alice.userId,
    });
    expect(spec?.hostKey.privateKey).toMatch(/BEGIN OPENSSH PRIVATE KEY/);
    expect(spec?.authorizedKeys).toHaveLength(2);
    expect(spec?.authorizedKeys[0]).toBe(key.public_key);
    expect(spec?.authorizedKeys[1]).toMatch(/^ssh-ed25519 /);

    // Private keys are sealed in the database.
    const { rows } = await compute.db.query<Record<string, string>>('SELECT * FROM container_secrets WHERE container_id = $1', [id]);
    expect(JSON.stringify(rows)).not.toContain('PRIVATE KEY');

    const events = (await outboxEvents(compute.db)).filter((e) => e.data['containerId'] === id);
    expect(events.map((e) => e.type)).toEqual(['compute.container.created', 'compute.container.started']);
    expect(events[1]?.data).toMatchObject({ status: 'running', upstreamHost: '10.213.0.1', sshEnabled: true, ingress: [] });
    const notices = (await outboxEvents(compute.db)).filter((e) => e.type === 'notify' && e.data['userId'] === alice.userId);
    expect(notices.map((n) => n.data['title'])).toEqual(['Container ready']);
  });

  it('lists only the caller’s own; another user’s container is 404 on every route', async () => {
    const alice = await compute.user('alice');
    const bob = await compute.user('bob');
    const { body } = await create(alice, { name: 'mine' });
    expect((await call(compute.url, 'GET', '/compute/containers', { token: bob.token })).body).toEqual({ containers: [] });
    expect(
      (await call<{ containers: unknown[] }>(compute.url, 'GET', '/compute/containers', { token: alice.token })).body.containers,
    ).toHaveLength(1);
    const routes: Array<[string, string, unknown?]> = [
      ['GET', ''],
      ['DELETE', ''],
      ['POST', '/start'],
      ['POST', '/stop'],
      ['PUT', '/pull-policy', { pull_policy: 'Always' }],
      ['GET', '/ssh'],
      ['PUT', '/ssh', { ssh_enabled: false }],
      ['GET', '/ingress'],
      ['POST', '/ingress', { port: 8080 }],
      ['DELETE', '/ingress/8080'],
      ['GET', '/mounts'],
      ['PUT', '/mounts', { mount_paths: ['/data'] }],
    ];
    for (const [method, suffix, json] of routes) {
      const res = await call(compute.url, method, `/compute/containers/${body.id}${suffix}`, { token: bob.token, json });
      expect(res.status, `${method} ${suffix}`).toBe(404);
    }
    expect((await call(compute.url, 'GET', '/compute/containers/NOT-AN-ID', { token: alice.token })).status).toBe(404);
    expect((await call(compute.url, 'GET', '/compute/containers')).status).toBe(401);
  });

  it('checks API token scopes per container', async () => {
    const carol = await compute.user('carol');
    const { body } = await create(carol, { name: 'scoped' });
    const readOne = carol.apiToken({ [`compute.${carol.userId}.containers.${body.id}`]: ['read'] });
    expect((await call(compute.url, 'GET', `/compute/containers/${body.id}`, { token: readOne })).status).toBe(200);
    const stop = await call(compute.url, 'POST', `/compute/containers/${body.id}/stop`, { token: readOne });
    expect(stop.status).toBe(403);
    expect(stop.body).toMatchObject({ code: 'scope_missing' });
    expect((await call(compute.url, 'GET', '/compute/containers', { token: readOne })).status).toBe(403);
    expect((await create({ ...carol, token: readOne }, { name: 'x' })).status).toBe(403);
    const all = carol.apiToken({ [`compute.${carol.userId}.containers`]: ['read', 'update'] });
    expect((await call(compute.url, 'POST', `/compute/containers/${body.id}/stop`, { token: all })).status).toBe(200);
  });

  it('refuses bad requests with 400 naming the problem', async () => {
    const dave = await compute.user('dave');
    const refusals: Array<[Record<string, unknown>, RegExp]> = [
      [{}, /name/],
      [{ name: 'bad name!' }, /name must start/],
      [{ name: 'a', instance_type: 'huge' }, /unknown instance_type/],
      [{ name: 'a', memory_mb: 99999 }, /memory limit: nano allows memory_mb from 128 to 1024/],
      [{ name: 'a', instance_type: 'small', storage_gb: 500 }, /storage limit: small allows storage_gb from 1 to 40/],
      [{ name: 'a', mount_paths: ['/root/../etc'] }, /must not contain "\.\."/],
      [{ name: 'a', mount_paths: ['relative'] }, /absolute/],
      [{ name: 'a', image: 'docker.io/evil/miner' }, /image not allowed/],
      [{ name: 'a', pull_policy: 'Never' }, /pull_policy/],
      [{ name: 'a', ssh_key_ids: ['knotmine00000'] }, /no such key of yours/],
    ];
    for (const [json, error] of refusals) {
      const res = await create(dave, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(String(res.body['error'])).toMatch(error);
    }
    // Someone else's key is "no such key of yours" too.
    const eve = await compute.user('eve');
    const evesKey = await addKey(eve);
    expect((await create(dave, { name: 'a', ssh_key_ids: [evesKey.id] })).status).toBe(400);
    expect((await create(dave, { name: 'ok', image: 'registry.cloud.localhost/dave/app:1' })).status).toBe(201);
    expect((await create(dave, { name: 'ok' })).status).toBe(409);
  });

  it('enforces the containers-per-user limit without a race: 8 concurrent creates, exactly 3 succeed', async () => {
    const frank = await compute.user('frank');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => create(frank, { name: `c${i}` })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    expect(results.find((r) => r.status === 409)?.body['error']).toMatch(/container limit: at most 3 containers per user/);
    const { rows } = await compute.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM containers WHERE owner_id = $1`, [frank.userId]);
    expect(rows[0]?.n).toBe(3);
  });

  it('stops, starts and deletes through the reconciler, with events and notices', async () => {
    const gina = await compute.user('gina');
    const { body } = await create(gina, { name: 'cycle' });
    const id = body.id;
    await waitFor(async () => (await statusOf(gina, id)) === 'running');
    const stopping = await call(compute.url, 'POST', `/compute/containers/${id}/stop`, { token: gina.token });
    expect(stopping.body).toMatchObject({ desired_state: 'stopped' });
    await waitFor(async () => (await statusOf(gina, id)) === 'stopped');
    expect(compute.runtime.stopped).toContain(id);
    const started = await call(compute.url, 'POST', `/compute/containers/${id}/start`, { token: gina.token });
    expect(started.body).toMatchObject({ desired_state: 'running', status: 'pending' });
    await waitFor(async () => (await statusOf(gina, id)) === 'running');
    expect((await call(compute.url, 'DELETE', `/compute/containers/${id}`, { token: gina.token })).status).toBe(204);
    expect((await call(compute.url, 'GET', `/compute/containers/${id}`, { token: gina.token })).status).toBe(404);
    await waitFor(async () => (await compute.db.query('SELECT 1 FROM containers WHERE id = $1', [id])).rowCount === 0);
    expect(compute.runtime.removed).toContain(id);
    const types = (await outboxEvents(compute.db)).filter((e) => e.data['containerId'] === id).map((e) => e.type);
    expect(types).toEqual([
      'compute.container.created',
      'compute.container.started',
      'compute.container.stopped',
      'compute.container.updated',
      'compute.container.started',
      'compute.container.deleted',
    ]);
    const titles = (await outboxEvents(compute.db))
      .filter((e) => e.type === 'notify' && e.data['userId'] === gina.userId)
      .map((e) => e.data['title']);
    expect(titles).toEqual(['Container ready', 'Container stopped', 'Container ready']);
  });

  it('lists every user’s containers for an admin session only', async () => {
    const admin = await compute.user('admin', { isAdmin: true });
    const henry = await compute.user('henry');
    const { body } = await create(henry, { name: 'seen' });
    const res = await call<{ containers: Array<{ id: string; owner_id: string }> }>(compute.url, 'GET', '/compute/admin/containers', {
      token: admin.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.containers.find((c) => c.id === body.id)?.owner_id).toBe(henry.userId);
    expect((await call(compute.url, 'GET', '/compute/admin/containers', { token: henry.token })).status).toBe(403);
  });

  it('lists the images a container may use', async () => {
    const ivy = await compute.user('ivy');
    const res = await call(compute.url, 'GET', '/compute/images', { token: ivy.token });
    expect(res.body).toEqual({
      images: [{ name: 'base', image: compute.config.COMPUTE_DEFAULT_IMAGE, source: 'builtin' }],
      allowed_prefix: 'registry.cloud.localhost/',
    });
  });
});
