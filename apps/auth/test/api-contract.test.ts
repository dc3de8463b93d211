import { createAuthApi, createAuthInternalApi, isApiError, type ApiError } from '@edd/api-client';
import * as contract from '@edd/api-contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ADMIN, SERVICE_KEY, startFresh } from './harness';

// The real service against @edd/api-client and the contract schemas it is typed with: every answer parses, and parsing
// drops nothing (the service sends no field the contract does not describe).

let env: Awaited<ReturnType<typeof startFresh>>;
let baseUrl: string;

beforeAll(async () => {
  env = await startFresh('contract');
  baseUrl = env.auth.url;
});
afterAll(async () => {
  await env?.close();
});

function conforms<S extends z.ZodType>(schema: S, value: unknown): void {
  const parsed = schema.safeParse(value);
  expect(parsed.error?.issues ?? [], JSON.stringify(value)).toEqual([]);
  expect(parsed.data).toEqual(value);
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isApiError(error)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('the auth service speaks its contract', () => {
  it('answers every call of @edd/api-client with the shapes of @edd/api-contracts', async () => {
    const anonymous = createAuthApi({ baseUrl });
    const signedIn = await anonymous.login({ username: ADMIN.username, password: ADMIN.password });
    conforms(contract.loginResponseSchema, signedIn);
    const admin = createAuthApi({ baseUrl, token: signedIn.token });

    conforms(contract.sessionInfoSchema, await admin.session());
    conforms(contract.sessionRecordSchema.array(), await admin.listSessions());
    conforms(contract.profileUpdatedSchema, await admin.updateProfile({ display_name: 'The Admin' }));
    conforms(contract.scopeCatalogResponseSchema, await admin.scopeCatalog());

    const user = await admin.admin.createUser({ username: 'contract.user', password: 'contract-password-1' });
    conforms(contract.adminUserSchema, user);
    conforms(contract.adminUserSchema.array(), await admin.admin.listUsers());
    conforms(contract.adminSessionRecordSchema.array(), await admin.admin.listSessions());

    const scopes = { [`storage.${signedIn.user_id}.files`]: ['read' as const] };
    const token = await admin.createToken({ name: 'contract', scopes });
    conforms(contract.createdApiTokenSchema, token);
    conforms(contract.apiTokenRecordSchema.array(), await admin.listTokens());

    const account = await admin.createServiceAccount({ name: 'robot', scopes });
    conforms(contract.serviceAccountSchema, account);
    conforms(contract.serviceAccountSchema.array(), await admin.listServiceAccounts());
    conforms(contract.serviceAccountSchema, await admin.getServiceAccount(account.id));
    conforms(
      contract.serviceAccountSchema.extend(contract.statusResponseSchema.shape),
      await admin.updateServiceAccountScopes(account.id, { [`storage.${signedIn.user_id}`]: ['read', 'update'] }),
    );
    conforms(contract.createdApiTokenSchema, await admin.createServiceAccountToken(account.id, { name: 'robot token' }));
    conforms(contract.apiTokenRecordSchema.array(), await admin.listServiceAccountTokens(account.id));

    const internal = createAuthInternalApi({ baseUrl, serviceKey: SERVICE_KEY });
    conforms(contract.tokenCheckResultSchema, await internal.checkToken(token.token));
    conforms(contract.adminUserSchema.array(), await internal.listUsers());
    conforms(contract.identityPermissionSchema.array(), await internal.identityPermissions());

    conforms(contract.statusResponseSchema, await admin.revokeToken(token.id));
    conforms(contract.statusResponseSchema, await admin.deleteServiceAccount(account.id));
    conforms(contract.statusResponseSchema, await admin.admin.deleteUser(user.user_id));
    conforms(
      contract.passwordChangedSchema,
      await admin.changePassword({ current_password: ADMIN.password, new_password: ADMIN.password }),
    );
    conforms(contract.statusResponseSchema, await admin.logout());
  });

  it('refuses with the catalogue codes, which the client exposes', async () => {
    const anonymous = createAuthApi({ baseUrl });
    expect(await refusal(anonymous.login({ username: ADMIN.username, password: 'wrong-password' }))).toMatchObject({
      status: 401,
      code: 'invalid_login',
    });
    expect(await refusal(anonymous.session())).toMatchObject({ status: 401, code: 'unauthenticated' });

    const { token } = await anonymous.login({ username: ADMIN.username, password: ADMIN.password });
    const admin = createAuthApi({ baseUrl, token });
    const invalid = await refusal(admin.updateProfile({ display_name: '' }));
    expect(invalid).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(invalid.details.map((detail) => detail.path)).toEqual(['display_name']);

    const created = await admin
      .createToken({ name: 'cli', scopes: { [`compute.someone_else.containers`]: ['read'] } })
      .catch((e: unknown) => e);
    expect(created).toMatchObject({ status: 400, code: 'invalid_scope' });

    const apiToken = await admin.createToken({ name: 'cli', scopes: { [`storage.${(await admin.session()).user_id}`]: ['read'] } });
    expect(await refusal(createAuthApi({ baseUrl, token: apiToken.token }).listTokens())).toMatchObject({
      status: 403,
      code: 'session_required',
    });
    expect(await refusal(admin.revokeToken('nosuchtoken1'))).toMatchObject({ status: 404, code: 'not_found', message: 'token not found' });
  });
});
