import type { EventBus } from '@edd/events';
import { connectTestBus, waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createUserAndLogin, login, recordAuthEvents, SERVICE_KEY, startFresh, type LoginReply } from './harness';
import { startResourceService } from './resource-service';

let env: Awaited<ReturnType<typeof startFresh>>;
let bus: EventBus;
let base: string;
let owner: LoginReply;
let stranger: LoginReply;

type Account = { id: string; name: string; scopes: Record<string, string[]>; token_count: number; created_at: string };

beforeAll(async () => {
  bus = await connectTestBus('auth-sa-test');
  env = await startFresh('service_accounts', { bus });
  base = env.auth.url;
  const admin = await login(base, ADMIN.username, ADMIN.password);
  owner = await createUserAndLogin(base, admin.token, 'sa.owner');
  stranger = await createUserAndLogin(base, admin.token, 'sa.stranger');
});
afterAll(async () => {
  await env?.close();
  await bus?.close();
});

describe('service accounts', () => {
  it('creates, lists and gets an account; other users cannot see it', async () => {
    const scopes = { [`compute.${owner.user_id}.containers`]: ['read'] };
    const created = await call<Account>(base, 'POST', '/api/service-accounts', {
      token: owner.token,
      json: { name: 'ci-pipeline', scopes },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ci-pipeline', scopes, token_count: 0 });
    const list = await call<Account[]>(base, 'GET', '/api/service-accounts', { token: owner.token });
    expect(list.body.map((a) => a.id)).toContain(created.body.id);
    expect((await call(base, 'GET', `/api/service-accounts/${created.body.id}`, { token: owner.token })).status).toBe(200);
    expect((await call(base, 'GET', `/api/service-accounts/${created.body.id}`, { token: stranger.token })).status).toBe(404);
    expect((await call(base, 'DELETE', `/api/service-accounts/${created.body.id}`, { token: stranger.token })).status).toBe(404);
    expect(
      (await call(base, 'PUT', `/api/service-accounts/${created.body.id}/scopes`, { token: stranger.token, json: { scopes: {} } })).status,
    ).toBe(404);
    const foreign = await call(base, 'POST', '/api/service-accounts', {
      token: owner.token,
      json: { name: 'sneaky', scopes: { [`storage.${stranger.user_id}`]: ['read'] } },
    });
    expect(foreign.status).toBe(400);
  });

  it('its tokens inherit its scopes; the cascade is enforced by a second service; scope changes apply at once', async () => {
    const recorder = await recordAuthEvents(bus);
    const clientBus = await connectTestBus('auth-sa-resource');
    const resource = await startResourceService(base, clientBus);
    try {
      const account = await call<Account>(base, 'POST', '/api/service-accounts', {
        token: owner.token,
        json: { name: 'backup', scopes: { [`storage.${owner.user_id}.files`]: ['read'] } },
      });
      const minted = await call<{ id: string; token: string; scopes: unknown; service_account_id: string }>(
        base,
        'POST',
        `/api/service-accounts/${account.body.id}/tokens`,
        { token: owner.token, json: { name: 'nightly', expires_in: '90d' } },
      );
      expect(minted.status).toBe(201);
      expect(minted.body.service_account_id).toBe(account.body.id);
      expect(minted.body.scopes).toEqual({ [`storage.${owner.user_id}.files`]: ['read'] });

      const checked = await call(base, 'GET', `/internal/tokens/${minted.body.id}/check`, {
        token: minted.body.token,
        headers: { 'x-service-key': SERVICE_KEY },
      });
      expect(checked.body).toMatchObject({
        valid: true,
        kind: 'service_account',
        service_account_id: account.body.id,
        user_id: owner.user_id,
      });

      const headers = { authorization: `Bearer ${minted.body.token}` };
      const ns = `${resource.url}/files/${owner.user_id}/photos`;
      // storage.<uid>.files covers storage.<uid>.files.photos for read, not for delete, never another user's files.
      expect((await fetch(ns, { headers })).status).toBe(200);
      expect((await fetch(ns, { method: 'DELETE', headers })).status).toBe(403);
      expect((await fetch(`${resource.url}/files/${stranger.user_id}/photos`, { headers })).status).toBe(403);

      const updated = await call(base, 'PUT', `/api/service-accounts/${account.body.id}/scopes`, {
        token: owner.token,
        json: { scopes: { [`storage.${owner.user_id}.files.photos`]: ['read', 'delete'] } },
      });
      expect(updated.status).toBe(200);
      expect(updated.body['status']).toBe('ok');
      // The identity event drops the cached check in the second service.
      await waitFor(async () => (await fetch(ns, { method: 'DELETE', headers })).status === 200, 2_000, 20);
      expect((await fetch(`${resource.url}/files/${owner.user_id}/videos`, { headers })).status).toBe(403);

      const tokens = await call<unknown[]>(base, 'GET', `/api/service-accounts/${account.body.id}/tokens`, { token: owner.token });
      expect(tokens.body).toHaveLength(1);
      const got = await call<Account>(base, 'GET', `/api/service-accounts/${account.body.id}`, { token: owner.token });
      expect(got.body.token_count).toBe(1);

      const internal = await call<Array<Record<string, unknown>>>(base, 'GET', '/internal/identity-permissions', {
        headers: { 'x-service-key': SERVICE_KEY },
      });
      expect(internal.body.find((a) => a['service_account_id'] === account.body.id)).toMatchObject({
        owner_id: owner.user_id,
        scopes: { [`storage.${owner.user_id}.files.photos`]: ['read', 'delete'] },
      });

      expect((await call(base, 'DELETE', `/api/service-accounts/${account.body.id}`, { token: owner.token })).status).toBe(200);
      await waitFor(async () => (await fetch(ns, { headers })).status === 401, 2_000, 20);
      const after = await call(base, 'GET', `/internal/tokens/${minted.body.id}/check`, {
        token: minted.body.token,
        headers: { 'x-service-key': SERVICE_KEY },
      });
      expect(after.status).toBe(401);

      await waitFor(() => recorder.events.some((e) => e.subject === `auth.identity.${account.body.id}.deleted`), 5_000);
      const mine = recorder.events.filter((e) => e.subject.startsWith(`auth.identity.${account.body.id}.`)).map((e) => e.type);
      expect(mine).toEqual(['auth.identity.updated', 'auth.identity.updated', 'auth.identity.deleted']);
    } finally {
      await recorder.stop();
      await resource.close();
      await clientBus.close();
    }
  });
});
