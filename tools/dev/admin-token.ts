import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm start` keeps this machine's gateway admin token (mode 600), and where tools/routes reads it. */
export function adminTokenFile(dataRoot: string): string {
  return join(dataRoot, 'gateway', 'admin-token');
}

/**
 * The gateway admin token of this machine: made once (32 random bytes) and kept in `.data/gateway/admin-token`.
 * A fixed default would let anything on the machine that knows the repository change the routes.
 */
export function devAdminToken(dataRoot: string): string {
  const file = adminTokenFile(dataRoot);
  const existing = readAdminToken(dataRoot);
  if (existing) return existing;
  mkdirSync(join(dataRoot, 'gateway'), { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // the mode of writeFileSync applies only to a file it creates
  return token;
}

/** The token `npm start` made, or undefined when there is none yet. */
export function readAdminToken(dataRoot: string): string | undefined {
  try {
    const token = readFileSync(adminTokenFile(dataRoot), 'utf8').trim();
    return token.length >= 16 ? token : undefined;
  } catch {
    return undefined;
  }
}
