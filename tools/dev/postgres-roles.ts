import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { provisionServiceDatabase, roleServerUrl } from '@edd/db';
import { SERVICE_DATABASES, type ServiceDatabaseName } from './service-databases';

/**
 * `npm start`: gives every app with a database its own PostgreSQL role, owning only its database,
 * and returns each app's DATABASE_URL (the server, with that role's credentials). The random
 * passwords are kept in `.data/postgres-roles.json` (mode 600) and reused on the next start.
 */
export const ROLES_FILE = 'postgres-roles.json';

export async function provisionDevDatabases(options: {
  adminUrl: string;
  dataRoot: string;
  services?: readonly ServiceDatabaseName[];
}): Promise<Record<string, { DATABASE_URL: string }>> {
  const services = options.services ?? SERVICE_DATABASES;
  const file = join(options.dataRoot, ROLES_FILE);
  const passwords = readPasswords(file);
  const missing = services.filter((s) => !passwords[s.role]);
  for (const s of missing) passwords[s.role] = randomBytes(18).toString('hex');
  if (missing.length || !existsSync(file)) {
    mkdirSync(options.dataRoot, { recursive: true });
    writeFileSync(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  }
  // writeFileSync's mode only applies to a new file.
  chmodSync(file, 0o600);

  const env: Record<string, { DATABASE_URL: string }> = {};
  for (const s of services) {
    const password = passwords[s.role] as string;
    await provisionServiceDatabase(options.adminUrl, { database: s.database, role: s.role, password });
    env[s.app] = { DATABASE_URL: roleServerUrl(options.adminUrl, s.role, password) };
  }
  return env;
}

function readPasswords(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!parsed || typeof parsed !== 'object') throw new Error(`${file}: expected an object of role → password`);
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/**
 * For start.ts: each app's DATABASE_URL, or none when the server refuses (a DATABASE_URL without the
 * right to create roles): then the apps share that URL as before, and the warning says so.
 */
export async function devDatabaseEnv(options: {
  adminUrl: string;
  dataRoot: string;
  onStatus: (message: string) => void;
  onWarning: (message: string) => void;
}): Promise<Record<string, { DATABASE_URL: string }>> {
  try {
    const env = await provisionDevDatabases(options);
    options.onStatus(
      `PostgreSQL roles: ${SERVICE_DATABASES.map((s) => `${s.role} → ${s.database}`).join(', ')} (passwords in .data/${ROLES_FILE})`,
    );
    return env;
  } catch (error) {
    options.onWarning(
      `could not give each app its own PostgreSQL role (${error instanceof Error ? error.message : String(error)}); the apps share DATABASE_URL`,
    );
    return {};
  }
}
