// Operator command: `npx tsx apps/auth/src/rotate-signing-key.ts` (same environment as the service).
// Replaces the JWT signing key; the previous key stays in the JWKS until its tokens expire, and running replicas
// pick the new key up within a minute.
import { openDatabase } from '@edd/db';
import { createLogger } from '@edd/logger';
import { resolveMigrationsDir } from '@edd/service-runtime';
import { loadAuthConfig } from './config';
import { rotateSigningKey } from './keys/signing-key-ring';

const config = loadAuthConfig();
const logger = createLogger({ service: 'auth-rotate-key', level: config.LOG_LEVEL });
const db = await openDatabase({
  serverUrl: config.DATABASE_URL,
  database: config.DATABASE_NAME ?? 'auth_db',
  migrationsDir: resolveMigrationsDir(import.meta.url),
  logger,
});
try {
  const kid = await rotateSigningKey(db, { sessionTtlMs: config.SESSION_TTL, encryptionSecret: config.AUTH_KEY_ENCRYPTION_SECRET });
  logger.info('signing key rotated', { kid });
} finally {
  await db.close();
}
