import type { Database } from '@edd/db';
import { createServiceApp, idempotency, postgresIdempotencyStore, type ReadinessCheck } from '@edd/http';
import type { Logger } from '@edd/logger';
import { serviceAppOptions } from '@edd/service-runtime';
import type express from 'express';
import type { Redis } from 'ioredis';
import { seedDefaultUser } from './bootstrap';
import { prepareDummyHash } from './domain/password';
import type { AuthConfig } from './config';
import type { AuthContext } from './context';
import { SigningKeyRing } from './keys/signing-key-ring';
import { adminRoutes } from './routes/admin';
import { internalRoutes } from './routes/internal';
import { loginRoutes } from './routes/login';
import { publicMetadataRoutes } from './routes/public-metadata';
import { serviceAccountRoutes } from './routes/service-accounts';
import { sessionRoutes } from './routes/sessions';
import { settingsRoutes } from './routes/settings';
import { ticketRoutes } from './routes/tickets';
import { tokenRoutes } from './routes/tokens';
import { LoginRateLimiter } from './security/login-rate-limiter';
import { SessionAuth } from './security/session-auth';

export interface AuthDeps {
  config: AuthConfig;
  logger: Logger;
  db: Database;
  redis: Redis;
  readiness?: ReadinessCheck[];
}

/** Auth requests are small: 64 KiB is plenty and bounds what an unauthenticated client can make us parse. */
const BODY_LIMIT = '64kb';

/** Builds the auth service: loads (or creates) the signing key, seeds the default user, mounts every route. */
export async function createApp(deps: AuthDeps): Promise<express.Express> {
  const { config, logger, db } = deps;
  for (const name of config.devDefaultsUsed) logger.warn(`${name} is not set: using the development default (never do this in production)`);

  const keys = new SigningKeyRing(db, {
    sessionTtlMs: config.SESSION_TTL,
    encryptionSecret: config.AUTH_KEY_ENCRYPTION_SECRET,
    logger,
    production: config.NODE_ENV === 'production',
  });
  await keys.init();
  const sessions = new SessionAuth(db, keys, config.ADMIN_USERNAME);
  const ctx: AuthContext = {
    config,
    logger,
    db,
    keys,
    sessions,
    limiter: new LoginRateLimiter(deps.redis, {
      maxPerUser: config.LOGIN_MAX_FAILURES_PER_USER,
      userWindowMs: config.LOGIN_USER_WINDOW,
      maxPerIp: config.LOGIN_MAX_ATTEMPTS_PER_IP,
      ipWindowMs: config.LOGIN_IP_WINDOW,
      slowdownAfter: config.LOGIN_USER_SLOWDOWN_AFTER,
      slowdownMs: config.LOGIN_USER_SLOWDOWN_MS,
      keyPrefix: config.REDIS_KEY_PREFIX,
    }),
    idempotent: idempotency({
      // In auth_db: each create keeps its answer in the transaction that creates (answerWithinTransaction).
      store: postgresIdempotencyStore(db),
      scopeOf: async (req) => (await sessions.authenticate(req))?.user.publicId,
    }),
  };
  await seedDefaultUser(ctx);
  await prepareDummyHash();

  return createServiceApp(
    // X-Forwarded-For is believed from TRUSTED_PROXIES only (the gateway): a client cannot spoof its address to
    // dodge the per-IP login limit.
    serviceAppOptions('auth', { config, logger, readiness: deps.readiness ?? [] }, { bodyLimit: BODY_LIMIT }),
    (app) => {
      // Identity answers are per caller: no shared cache (the gateway's included) may keep them. Public metadata overrides.
      app.use((_req, res, next) => {
        res.set('Cache-Control', 'no-store');
        next();
      });
      app.use(publicMetadataRoutes(ctx));
      app.use(loginRoutes(ctx));
      app.use(sessionRoutes(ctx));
      app.use(settingsRoutes(ctx));
      // Service-to-service routes (`/internal/*`, the service-key guard).
      app.use(internalRoutes(ctx));
      app.use(ticketRoutes(ctx, deps.redis));
      app.use(tokenRoutes(ctx));
      app.use(serviceAccountRoutes(ctx));
      app.use(adminRoutes(ctx));
    },
  );
}
