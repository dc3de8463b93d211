import { join } from 'node:path';

/**
 * Development values every app agrees on when `npm start` runs them. Anything already in the
 * environment wins, so `SERVICE_API_KEY=... npm start` behaves as expected. None of these is a
 * secret: they only ever guard services bound to 127.0.0.1 on a developer's machine.
 */
export const DEV_DEFAULTS = {
  EDD_DOMAIN: 'cloud.localhost',
  /** Shared by auth (X-Service-Key on internal endpoints) and its callers; auth's own dev default. */
  SERVICE_API_KEY: 'dev-service-key',
  // GATEWAY_ADMIN_TOKEN is not here: it is made per machine (admin-token.ts), never a string everyone knows.
  /** Every service's @edd/logger ships its lines to the log service's gRPC port (apps.ts), so the dashboard shows them. */
  LOG_SERVICE_URL: '127.0.0.1:50051',
} as const;

/** The first user auth creates on an empty database in development (apps/auth/src/config.ts). */
export const DEV_LOGIN = { username: 'admin', password: 'edd-cloud-dev' } as const;

/** Tools the apps are started with: no Nx daemon, cloud or terminal UI, and the workspace's path aliases for tsx. */
export const NX_QUIET_ENV = {
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  NX_VERBOSE_LOGGING: 'false',
} as const;

export function appEnvironment(options: {
  base: NodeJS.ProcessEnv;
  workspaceRoot: string;
  infra: Record<string, string>;
  tls?: { certFile: string; keyFile: string };
  /** This machine's gateway admin token (admin-token.ts); GATEWAY_ADMIN_TOKEN in the environment wins. */
  adminToken?: string;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...DEV_DEFAULTS, ...NX_QUIET_ENV, ...options.base, ...options.infra };
  if (options.adminToken) env['GATEWAY_ADMIN_TOKEN'] ||= options.adminToken;
  // `tsx` resolves `@edd/*` through the tsconfig it finds; the aliases live in tsconfig.base.json.
  env['TSX_TSCONFIG_PATH'] ??= join(options.workspaceRoot, 'tsconfig.base.json');
  if (options.tls) {
    env['GATEWAY_TLS_CERT'] ??= options.tls.certFile;
    env['GATEWAY_TLS_KEY'] ??= options.tls.keyFile;
  }
  // Nx must not colour or page into a pipe it thinks is a terminal; the apps' own colours stay.
  env['FORCE_COLOR'] ??= process.stdout.isTTY ? '1' : '0';
  return env;
}

/** The login the final summary shows: what auth will create with this environment. */
export function devLogin(env: NodeJS.ProcessEnv): { username: string; password: string } {
  return { username: env['DEFAULT_USERNAME'] || DEV_LOGIN.username, password: env['DEFAULT_PASSWORD'] || DEV_LOGIN.password };
}
