/**
 * Where each app listens in development (the contract's port table) and how `npm start` knows it
 * is up. One place, read by the start command, the README check and the manifests test.
 */
export interface DevApp {
  name: string;
  /** Main HTTP port. */
  port: number;
  /** Host name under EDD_DOMAIN the gateway routes to it ('' = the bare domain). */
  subdomain: string | undefined;
  /** URL polled until it answers 200. */
  readyUrl: string;
  /** Other ports it opens, for the summary. */
  extraPorts?: Record<string, number>;
}

const local = (port: number, path = '/readyz') => `http://127.0.0.1:${port}${path}`;

export const DEV_APPS: readonly DevApp[] = [
  {
    name: 'gateway',
    port: 18080,
    subdomain: undefined,
    // The edge ports serve user traffic; readiness lives on the admin port.
    readyUrl: local(19090),
    extraPorts: { https: 18443, ssh: 2222, admin: 19090 },
  },
  { name: 'auth', port: 4001, subdomain: 'auth', readyUrl: local(4001) },
  { name: 'storage', port: 4002, subdomain: 'storage', readyUrl: local(4002) },
  { name: 'compute', port: 4003, subdomain: 'compute', readyUrl: local(4003) },
  { name: 'health', port: 4004, subdomain: 'health', readyUrl: local(4004) },
  { name: 'logs', port: 4005, subdomain: 'health', readyUrl: local(4005), extraPorts: { grpc: 50051 } },
  { name: 'notifications', port: 4006, subdomain: 'notifications', readyUrl: local(4006) },
  { name: 'docs', port: 4007, subdomain: 'docs', readyUrl: local(4007) },
  // A Vite dev server has no /readyz: its index page answering is what "up" means.
  { name: 'dashboard', port: 4000, subdomain: '', readyUrl: local(4000, '/') },
];

export const DEV_APP_NAMES = DEV_APPS.map((app) => app.name);

/** Public URL of an app through the gateway, e.g. http://auth.cloud.localhost:18080 */
export function gatewayUrl(app: DevApp, domain: string, scheme: 'http' | 'https' = 'http'): string | undefined {
  if (app.subdomain === undefined) return undefined;
  const host = app.subdomain === '' ? domain : `${app.subdomain}.${domain}`;
  const path = app.name === 'logs' ? '/logs' : '';
  return `${scheme}://${host}:${scheme === 'http' ? 18080 : 18443}${path}`;
}
