import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createNamespace, outboxEvents, startStorage, uniqueName, type Storage } from './harness';

let storage: Storage;
beforeAll(async () => {
  storage = await startStorage('ns');
});
afterAll(async () => storage?.close());

describe('namespaces', () => {
  it('creates, lists only the caller’s own, changes visibility and deletes, with events in the outbox', async () => {
    const alice = await storage.user('alice');
    const bob = await storage.user('bob');
    const name = uniqueName();
    const created = await call(storage.url, 'POST', '/storage/namespaces', { token: alice.token, json: { name } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, visibility: 'private', owner_id: alice.userId, file_count: 0, bytes: 0 });

    expect((await call(storage.url, 'GET', '/storage/namespaces', { token: alice.token })).body).toMatchObject({ namespaces: [{ name }] });
    expect((await call(storage.url, 'GET', '/storage/namespaces', { token: bob.token })).body).toEqual({ namespaces: [] });
    expect((await call(storage.url, 'GET', '/storage/namespaces')).status).toBe(401);

    // Names are platform-wide.
    const taken = await call(storage.url, 'POST', '/storage/namespaces', { token: bob.token, json: { name } });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'conflict' });

    // Another user: 404 for a private namespace, as for one that does not exist.
    expect(
      (await call(storage.url, 'PUT', `/storage/namespaces/${name}`, { token: bob.token, json: { visibility: 'public' } })).status,
    ).toBe(404);
    expect((await call(storage.url, 'DELETE', `/storage/namespaces/${name}`, { token: bob.token })).status).toBe(404);

    const updated = await call(storage.url, 'PUT', `/storage/namespaces/${name}`, { token: alice.token, json: { visibility: 'public' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name, visibility: 'public' });
    // A public namespace is still only its owner's to change.
    expect((await call(storage.url, 'DELETE', `/storage/namespaces/${name}`, { token: bob.token })).status).toBe(403);

    expect((await call(storage.url, 'DELETE', `/storage/namespaces/${name}`, { token: alice.token })).status).toBe(204);
    expect((await call(storage.url, 'GET', '/storage/namespaces', { token: alice.token })).body).toEqual({ namespaces: [] });
    // The name is free again once the purge finished.
    expect((await call(storage.url, 'POST', '/storage/namespaces', { token: bob.token, json: { name } })).status).toBe(201);

    const events = (await outboxEvents(storage.db)).filter((e) => e.data['namespace'] === name).map((e) => e.type);
    expect(events).toEqual([
      'storage.namespace.created',
      'storage.namespace.updated',
      'storage.namespace.deleted',
      'storage.namespace.created',
    ]);
    // The owner is told, under storage/<namespace> (mutable per namespace).
    const notices = (await outboxEvents(storage.db)).filter((e) => e.type === 'notify' && e.data['userId'] === alice.userId);
    expect(notices.map((e) => e.data)).toEqual([expect.objectContaining({ title: 'Namespace deleted', category: 'storage', scope: name })]);
  });

  it('refuses invalid and reserved names with a 400 naming the problem', async () => {
    const alice = await storage.user('alice');
    for (const name of ['Upper', '..x', 'a..b', 'ends.', 'files', 'download', '-x', '']) {
      const res = await call(storage.url, 'POST', '/storage/namespaces', { token: alice.token, json: { name } });
      expect(res.status, name).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_request' });
    }
  });

  it('checks API token scopes: namespaces create/read per user, another user’s scope grants nothing', async () => {
    const alice = await storage.user('alice');
    const bob = await storage.user('bob');
    const reader = alice.apiToken({ [`storage.${alice.userId}.namespaces`]: ['read'] });
    const creator = alice.apiToken({ [`storage.${alice.userId}.namespaces`]: ['create', 'read'] });
    const foreign = bob.apiToken({ [`storage.${alice.userId}.namespaces`]: ['create', 'read', 'update', 'delete'] });
    const name = uniqueName();
    const refused = await call(storage.url, 'POST', '/storage/namespaces', { token: reader, json: { name } });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'scope_missing' });
    expect((await call(storage.url, 'POST', '/storage/namespaces', { token: creator, json: { name } })).status).toBe(201);
    expect((await call(storage.url, 'GET', '/storage/namespaces', { token: reader })).body).toMatchObject({ namespaces: [{ name }] });
    // Without update, the owner's token cannot change it; bob's token (scoped to alice's id) is not the owner.
    expect((await call(storage.url, 'PUT', `/storage/namespaces/${name}`, { token: creator, json: { visibility: 'public' } })).status).toBe(
      403,
    );
    expect((await call(storage.url, 'DELETE', `/storage/namespaces/${name}`, { token: foreign })).status).toBe(404);
    await createNamespace(storage.url, alice.token, uniqueName());
  });

  it('lists every namespace to an admin only', async () => {
    const admin = await storage.user('admin', { isAdmin: true });
    const alice = await storage.user('alice');
    const name = uniqueName();
    await createNamespace(storage.url, alice.token, name);
    expect((await call(storage.url, 'GET', '/storage/admin/namespaces', { token: alice.token })).status).toBe(403);
    const all = await call<{ namespaces: Array<{ name: string }> }>(storage.url, 'GET', '/storage/admin/namespaces', {
      token: admin.token,
    });
    expect(all.status).toBe(200);
    expect(all.body.namespaces.map((n) => n.name)).toContain(name);
  });

  it('lists every user’s files to an admin only, per namespace, paged with a cursor', async () => {
    const admin = await storage.user('admin', { isAdmin: true });
    const alice = await storage.user('alice');
    const name = uniqueName();
    await createNamespace(storage.url, alice.token, name);
    for (const path of ['a.txt', 'b/c.txt', 'd.txt'])
      expect((await call(storage.url, 'POST', `/storage/${name}/${path}`, { token: alice.token, raw: path })).status).toBe(201);
    expect((await call(storage.url, 'GET', `/storage/admin/files?namespace=${name}`, { token: alice.token })).status).toBe(403);
    type Page = { files: Array<{ namespace: string; path: string; size: number }>; next_cursor: string | null };
    const first = await call<Page>(storage.url, 'GET', `/storage/admin/files?namespace=${name}&limit=2`, { token: admin.token });
    expect(first.status).toBe(200);
    expect(first.body.files.map((f) => [f.namespace, f.path, f.size])).toEqual([
      [name, 'a.txt', 5],
      [name, 'b/c.txt', 7],
    ]);
    const rest = await call<Page>(storage.url, 'GET', `/storage/admin/files?namespace=${name}&limit=2&cursor=${first.body.next_cursor}`, {
      token: admin.token,
    });
    expect(rest.body.files.map((f) => f.path)).toEqual(['d.txt']);
    expect(rest.body.next_cursor).toBeNull();
    expect((await call(storage.url, 'GET', `/storage/admin/files?namespace=${uniqueName()}`, { token: admin.token })).status).toBe(404);
    expect((await call(storage.url, 'GET', '/storage/admin/files?cursor=nonsense', { token: admin.token })).status).toBe(400);
  });
});
