import { ConfigError } from '@edd/config';
import { createLogger } from '@edd/logger';
import { resolveMigrationsDir, runService } from '@edd/service-runtime';
import { createApp } from './app';
import { loadAuthConfig } from './config';

// The entry point only reads the configuration and hands over to the shared runtime.
try {
  const config = loadAuthConfig();
  const logger = createLogger({ service: 'auth', level: config.LOG_LEVEL });
  await runService({
    name: 'auth',
    config,
    logger,
    database: { name: 'auth_db', migrationsDir: resolveMigrationsDir(import.meta.url) },
    events: true,
    redis: true,
    buildApp: ({ db, bus, redis, readiness }) => {
      if (!db || !redis) throw new Error('auth needs its database and Redis');
      return createApp({ config, logger, db, bus, redis, readiness });
    },
  });
} catch (error) {
  const logger = createLogger({ service: 'auth' });
  if (error instanceof ConfigError) logger.error(error.message, { problems: error.problems });
  else logger.error('failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
