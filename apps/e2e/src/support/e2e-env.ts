import { platformUrls, type PlatformUrls } from '@edd/api-client';
import { fileURLToPath } from 'node:url';

// Everything the suite reads from the environment, in one place.

export const workspaceRoot = fileURLToPath(new URL('../../../../', import.meta.url));
/** Scratch files of a run (platform log, pid, saved sign-in state); `tmp/` is git-ignored. */
export const scratchDir = `${workspaceRoot}tmp/e2e`;
export const adminStateFile = `${scratchDir}/admin-state.json`;

const env = process.env;

/** Set E2E_BASE_URL (the dashboard's URL) or E2E_NO_START=1 to test an already running platform. */
export const useRunningPlatform = Boolean(env.E2E_BASE_URL) || env.E2E_NO_START === '1';
export const domain = env.E2E_DOMAIN || env.EDD_DOMAIN || 'cloud.localhost';
export const gatewayPort = Number(env.E2E_GATEWAY_PORT || 18080);
export const urls: PlatformUrls = platformUrls(domain, { protocol: 'http', port: gatewayPort });

/** The dashboard's URL: explicit, or what global setup found answering (see resolveDashboardUrl). */
export function dashboardUrl(): string {
  return env.E2E_BASE_URL || env.E2E_RESOLVED_DASHBOARD_URL || urls.dashboard;
}

/** Auth reached directly (not through the gateway): the internal token check refuses anything the gateway forwarded. */
export const authDirectUrl = env.E2E_AUTH_DIRECT_URL || 'http://127.0.0.1:4001';
/** Development default shared by auth and `npm start` (tools/dev/dev-env.ts). */
export const serviceApiKey = env.E2E_SERVICE_API_KEY || env.SERVICE_API_KEY || 'dev-service-key';

/** The default user auth creates on first start in development (apps/auth/src/config.ts). */
export const adminLogin = {
  username: env.E2E_USERNAME || env.DEFAULT_USERNAME || 'admin',
  password: env.E2E_PASSWORD || env.DEFAULT_PASSWORD || 'edd-cloud-dev',
};

export const chromiumPath = env.E2E_CHROMIUM || '/usr/bin/chromium';
// Root in a container, and no network: no sandbox, no GPU, nothing phoning home.
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
