import { z } from 'zod';
import { ConfigError, env, loadConfig } from './load-config';

export const DEFAULT_DOMAIN = 'cloud.localhost';

/** Where a laptop's infrastructure answers when nothing else is configured. */
export const DEFAULT_INFRA = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  natsUrl: 'nats://127.0.0.1:4222',
  redisUrl: 'redis://127.0.0.1:6379',
} as const;

/** The development value of SERVICE_API_KEY: a production process refuses to start with it (serviceConfigProblems). */
export const DEV_SERVICE_API_KEY = 'dev-service-key';

/** The variables every service reads; a service spreads this into its own shape. */
export function serviceConfigShape(defaultPort: number) {
  return {
    PORT: env.port().default(defaultPort),
    HOST: env.string().default('127.0.0.1'),
    EDD_DOMAIN: env.string().default(DEFAULT_DOMAIN),
    /** Extra browser origins allowed besides the platform's own domain (comma-separated). */
    CORS_EXTRA_ORIGINS: env.list().default([]),
    /**
     * Schemes and public ports the platform is served on (`https:443`), whose pages CORS and live connections
     * trust; unset: `https:443` in production, plus plain http (80, 18080) and 18443 in development.
     */
    PUBLIC_ENTRY_POINTS: env.list().optional(),
    /**
     * Peers whose X-Forwarded-For is believed (addresses, CIDR ranges, `loopback`): the gateway's own address(es).
     * The client address is the right-most hop that is not one of them.
     */
    TRUSTED_PROXIES: env.list().default(['loopback']),
    DATABASE_URL: env.url().default(DEFAULT_INFRA.databaseUrl),
    /** Overrides the service's own database name (tests, a shared server). */
    DATABASE_NAME: env
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lowercase letters, digits and _')
      .optional(),
    NATS_URL: env.string().default(DEFAULT_INFRA.natsUrl),
    /** The service's own NATS user and password (unset: anonymous, as on a laptop's open nats-server). */
    NATS_USER: env.string().optional(),
    NATS_PASSWORD: env.string().optional(),
    REDIS_URL: env.url().default(DEFAULT_INFRA.redisUrl),
    LOG_LEVEL: env.oneOf(['debug', 'info', 'warn', 'error'] as const).default('info'),
    SHUTDOWN_GRACE_MS: env.int(0, 120_000).default(10_000),
    NODE_ENV: env.oneOf(['development', 'test', 'production'] as const).default('development'),
    /** The auth service itself, never the gateway (auth refuses internal calls that came through it). */
    AUTH_URL: env.url().default('http://127.0.0.1:4001'),
    /** Shared key of service-to-service calls (X-Service-Key) and of /metrics; must be set in production. */
    SERVICE_API_KEY: z.string().min(8).default(DEV_SERVICE_API_KEY),
  };
}

export type ServiceConfig = z.infer<z.ZodObject<ReturnType<typeof serviceConfigShape>>>;

/** `https:443` in production; a development platform is also served over plain http (`npm start`: 18080, 18443). */
export const DEV_ENTRY_POINTS = ['https:443', 'https:18443', 'http:80', 'http:18080'] as const;

/** PUBLIC_ENTRY_POINTS, or its default for NODE_ENV. */
export function publicEntryPoints(config: Pick<ServiceConfig, 'NODE_ENV' | 'PUBLIC_ENTRY_POINTS'>): readonly string[] {
  if (config.PUBLIC_ENTRY_POINTS?.length) return config.PUBLIC_ENTRY_POINTS;
  return config.NODE_ENV === 'production' ? ['https:443'] : DEV_ENTRY_POINTS;
}

/** The rules no single variable can check: production runs only with secrets set explicitly. */
export function serviceConfigProblems(config: Pick<ServiceConfig, 'NODE_ENV' | 'SERVICE_API_KEY'>): string[] {
  if (config.NODE_ENV !== 'production') return [];
  return config.SERVICE_API_KEY === DEV_SERVICE_API_KEY ? ['SERVICE_API_KEY: must be set in production'] : [];
}

/** serviceConfigShape(defaultPort) plus a service's own variables, parsed and checked against the production rules. */
export function loadServiceConfig<S extends Record<string, z.ZodType> = Record<never, z.ZodType>>(
  defaultPort: number,
  ownShape?: S,
  source: NodeJS.ProcessEnv = process.env,
) {
  const config = loadConfig({ ...serviceConfigShape(defaultPort), ...(ownShape ?? ({} as S)) }, source);
  const problems = serviceConfigProblems(config as ServiceConfig);
  if (problems.length) throw new ConfigError(problems);
  return config;
}
