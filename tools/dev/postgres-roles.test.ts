import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { dropServiceDatabase } from '@edd/db/testing';
import { APP_ENV_FILE, applyPerAppEnv, envFileText } from './app-env-files';
import { provisionDevDatabases, ROLES_FILE } from './postgres-roles';
import type { ServiceDatabaseName } from './service-databases';

const ADMIN_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function whoAmI(serverUrl: string, database: string): Promise<string> {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
    return (await client.query<{ me: string }>('SELECT current_user AS me')).rows[0]!.me;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('npm start: a PostgreSQL role per app', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('provisions each app its role and database, keeps the passwords private and reuses them', async () => {
    const suffix = randomBytes(4).toString('hex');
    const services: ServiceDatabaseName[] = ['alpha', 'beta'].map((app) => ({
      app,
      database: `test_devroles_${app}_${suffix}_db`,
      role: `test_devroles_${app}_${suffix}`,
    }));
    for (const s of services) cleanup.push(() => dropServiceDatabase(ADMIN_URL, s));
    const dataRoot = join(mkdtempSync(join(tmpdir(), 'edd-dev-roles-')), '.data');

    const first = await provisionDevDatabases({ adminUrl: ADMIN_URL, dataRoot, services });
    const file = join(dataRoot, ROLES_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const alphaUrl = first['alpha']!.DATABASE_URL;
    expect(new URL(alphaUrl).username).toBe(services[0]!.role);
    expect(new URL(alphaUrl).password).toBe(JSON.parse(readFileSync(file, 'utf8'))[services[0]!.role]);
    // The server part is the admin's (same host, port and maintenance database), only the login differs.
    expect(new URL(alphaUrl).host).toBe(new URL(ADMIN_URL).host);

    expect(await whoAmI(alphaUrl, services[0]!.database)).toBe(services[0]!.role);
    expect(await whoAmI(alphaUrl, services[1]!.database)).toMatch(/permission denied for database/);

    const second = await provisionDevDatabases({ adminUrl: ADMIN_URL, dataRoot, services });
    expect(second).toEqual(first);
  });

  it('writes per-app values where Nx loads them for serve, and takes them out of the shared environment', () => {
    const root = mkdtempSync(join(tmpdir(), 'edd-app-env-'));
    for (const app of ['auth', 'docs']) mkdirSync(join(root, 'apps', app), { recursive: true });
    const env: NodeJS.ProcessEnv = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', NATS_URL: 'nats://x' };
    const authUrl = 'postgres://auth_svc:secret@127.0.0.1:5432/postgres';
    applyPerAppEnv({ env, workspaceRoot: root, apps: ['auth', 'docs'], perApp: { auth: { DATABASE_URL: authUrl } } });
    expect(env).toEqual({ NATS_URL: 'nats://x' });
    const authFile = join(root, 'apps', 'auth', APP_ENV_FILE);
    expect(readFileSync(authFile, 'utf8')).toContain(`DATABASE_URL='${authUrl}'`);
    expect(statSync(authFile).mode & 0o777).toBe(0o600);
    expect(existsSync(join(root, 'apps', 'docs', APP_ENV_FILE))).toBe(false);

    // A later start that provisions nothing leaves no stale credentials behind.
    applyPerAppEnv({ env, workspaceRoot: root, apps: ['auth', 'docs'], perApp: {} });
    expect(existsSync(authFile)).toBe(false);
    expect(() => envFileText({ DATABASE_URL: 'postgres://a:pa$$@h/postgres' })).toThrow(/cannot write DATABASE_URL/);
  });
});
