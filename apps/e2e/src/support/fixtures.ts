import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test as base, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import {
  createAuthApi,
  createAuthInternalApi,
  createComputeApi,
  createStorageApi,
  isApiError,
  type AuthApi,
  type ComputeApi,
  type StorageApi,
} from '@edd/api-client';
import { adminLogin, adminStateFile, authDirectUrl, domain, serviceApiKey, urls } from './e2e-env';
import { gatewayFetch } from './gateway-fetch';

export interface TestUser {
  userId: string;
  username: string;
  password: string;
  displayName: string;
}

interface WorkerFixtures {
  /** The admin's API client (a session of its own, through the gateway), for arranging and cleaning up data. */
  adminApi: AuthApi;
  /** The admin's storage client, through the gateway, with the same session. */
  adminStorageApi: StorageApi;
  /** The admin's compute client, through the gateway, with the same session. */
  adminComputeApi: ComputeApi;
}

interface TestFixtures {
  /** Unique names for anything a test creates: `e2e-<prefix>-<random>` (lowercase, valid as a username). */
  uniqueName: (prefix: string) => string;
  /** A throwaway user created through the API and deleted afterwards. */
  testUser: TestUser;
  /** Deletes, after the test, users a test created through the UI. */
  cleanupUsers: (username: string) => void;
  /** Revokes, after the test, the admin's API tokens of that name (created through the UI; a failed test leaves none). */
  cleanupTokens: (name: string) => void;
  /** Deletes, after the test, the admin's service accounts of that name (their tokens go with them). */
  cleanupServiceAccounts: (name: string) => void;
  /** Deletes, after the test, the admin's storage namespaces of that name (their files go with them). */
  cleanupNamespaces: (name: string) => void;
  /** Deletes, after the test, the admin's containers of that name (created through the UI). */
  cleanupContainers: (name: string) => void;
  /** Deletes, after the test, the admin's SSH keys of that name. */
  cleanupSshKeys: (name: string) => void;
  /** Internal auth endpoints (token check), reached directly with the service key. */
  authInternal: ReturnType<typeof createAuthInternalApi>;
}

export function authApiWithToken(token?: string): AuthApi {
  return createAuthApi({ baseUrl: urls.auth, fetch: gatewayFetch, token });
}

/** Signs `page`'s context in as `user` by planting the session cookie auth would set (Domain = platform domain). */
export async function signInContext(page: Page, user: { username: string; password: string }): Promise<void> {
  const { token } = await authApiWithToken().login({ username: user.username, password: user.password });
  await page.context().addCookies([{ name: 'token', value: token, domain: `.${domain}`, path: '/', httpOnly: true, sameSite: 'Lax' }]);
}

/** The session JWT a browser context holds (the HttpOnly `token` cookie). */
export async function sessionTokenOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === 'token');
  if (!cookie) throw new Error('this browser context is not signed in');
  return cookie.value;
}

/** The admin session the setup project saved; logins are rate-limited per IP, so the suite reuses it. */
function savedAdminToken(): string | undefined {
  try {
    const state = JSON.parse(readFileSync(adminStateFile, 'utf8')) as { cookies: Array<{ name: string; value: string }> };
    return state.cookies.find((c) => c.name === 'token')?.value;
  } catch {
    return undefined;
  }
}

/** A full-page screenshot kept as a test artefact (test-results/) and attached to the report. */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const body = await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  await testInfo.attach(name, { body, contentType: 'image/png' });
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  adminApi: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      const saved = savedAdminToken();
      const token = saved ?? (await authApiWithToken().login(adminLogin)).token;
      const api = authApiWithToken(token);
      await use(api);
      // The saved session belongs to the whole run; only a session of our own is ended here.
      if (!saved) await api.logout();
    },
    { scope: 'worker' },
  ],

  adminStorageApi: [
    // eslint-disable-next-line no-empty-pattern -- as above
    async ({}, use) => {
      const saved = savedAdminToken();
      const token = saved ?? (await authApiWithToken().login(adminLogin)).token;
      await use(createStorageApi({ baseUrl: urls.storage, fetch: gatewayFetch, token }));
      if (!saved) await authApiWithToken(token).logout();
    },
    { scope: 'worker' },
  ],

  adminComputeApi: [
    // eslint-disable-next-line no-empty-pattern -- as above
    async ({}, use) => {
      const saved = savedAdminToken();
      const token = saved ?? (await authApiWithToken().login(adminLogin)).token;
      await use(createComputeApi({ baseUrl: urls.compute, fetch: gatewayFetch, token }));
      if (!saved) await authApiWithToken(token).logout();
    },
    { scope: 'worker' },
  ],

  // eslint-disable-next-line no-empty-pattern -- as above
  uniqueName: async ({}, use) => {
    await use((prefix) => `e2e-${prefix}-${randomBytes(4).toString('hex')}`);
  },

  testUser: async ({ adminApi, uniqueName }, use) => {
    const username = uniqueName('user');
    const password = `pw-${randomBytes(9).toString('base64url')}`;
    const created = await adminApi.admin.createUser({ username, password, display_name: `Test ${username}` });
    await use({ userId: created.user_id, username, password, displayName: created.display_name });
    await ignoreNotFound(adminApi.admin.deleteUser(created.user_id));
  },

  cleanupUsers: ({ adminApi }, use) =>
    removeByNameAfterwards(
      use,
      adminApi.admin.listUsers,
      (user) => user.username,
      (user) => adminApi.admin.deleteUser(user.user_id),
    ),

  cleanupTokens: ({ adminApi }, use) =>
    removeByNameAfterwards(
      use,
      adminApi.listTokens,
      (token) => token.name,
      (token) => adminApi.revokeToken(token.id),
    ),

  cleanupServiceAccounts: ({ adminApi }, use) =>
    removeByNameAfterwards(
      use,
      adminApi.listServiceAccounts,
      (account) => account.name,
      (account) => adminApi.deleteServiceAccount(account.id),
    ),

  cleanupNamespaces: ({ adminStorageApi }, use) =>
    removeByNameAfterwards(
      use,
      adminStorageApi.listNamespaces,
      (namespace) => namespace.name,
      (namespace) => adminStorageApi.deleteNamespace(namespace.name),
    ),

  cleanupContainers: ({ adminComputeApi }, use) =>
    removeByNameAfterwards(
      use,
      adminComputeApi.listContainers,
      (container) => container.name,
      (container) => adminComputeApi.deleteContainer(container.id),
    ),

  cleanupSshKeys: ({ adminComputeApi }, use) =>
    removeByNameAfterwards(
      use,
      adminComputeApi.listSshKeys,
      (key) => key.name,
      (key) => adminComputeApi.deleteSshKey(key.id),
    ),

  // eslint-disable-next-line no-empty-pattern -- as above
  authInternal: async ({}, use) => {
    await use(createAuthInternalApi({ baseUrl: authDirectUrl, serviceKey: serviceApiKey }));
  },
});

/** Gives the test a recorder of names; after it (passed or failed) removes whatever `list()` holds under them. */
async function removeByNameAfterwards<T>(
  use: (record: (name: string) => void) => Promise<void>,
  list: () => Promise<T[]>,
  nameOf: (item: T) => string,
  remove: (item: T) => Promise<unknown>,
): Promise<void> {
  const names: string[] = [];
  await use((name) => void names.push(name));
  if (names.length === 0) return;
  for (const item of (await list()).filter((i) => names.includes(nameOf(i)))) await ignoreNotFound(remove(item));
}

async function ignoreNotFound(promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (!(isApiError(error) && error.status === 404)) throw error;
  }
}

export { expect } from '@playwright/test';
