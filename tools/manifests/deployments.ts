/**
 * What the Kubernetes manifests must give each app, kept in one place. The manifests test checks
 * every name here against the app's own source (so a renamed variable fails the test) and against
 * manifests/ (so a missing one fails it too).
 */
export interface AppDeployment {
  app: string;
  /** Deployment and Service name (the seed's service names). */
  k8sName: string;
  /** Container port of the main HTTP listener = the app's configured default. */
  port: number;
  /** Named container port the probes use. */
  probePort: string;
  /** Variables whose defaults are wrong in a cluster, so the manifests must set them. */
  requiredEnv: string[];
}

// NODE_ENV turns on the production rules; SERVICE_API_KEY guards internal calls and /metrics (libs/config).
const SERVICE_BASE = [
  'HOST',
  'PORT',
  'EDD_DOMAIN',
  'NATS_URL',
  'LOG_LEVEL',
  'SHUTDOWN_GRACE_MS',
  'NODE_ENV',
  'AUTH_URL',
  'SERVICE_API_KEY',
];
const WITH_DB = [...SERVICE_BASE, 'DATABASE_URL'];
/** A service on the event bus connects as its own NATS user (manifests/nats/nats.conf). */
const BUS = ['NATS_USER', 'NATS_PASSWORD'];

export const APP_DEPLOYMENTS: readonly AppDeployment[] = [
  {
    app: 'gateway',
    k8sName: 'gateway',
    port: 18080,
    probePort: 'admin',
    requiredEnv: [
      'EDD_DOMAIN',
      'DATABASE_URL',
      'NATS_URL',
      ...BUS,
      'GATEWAY_BIND',
      'GATEWAY_ADMIN_BIND',
      'GATEWAY_HTTP_PORT',
      'GATEWAY_HTTPS_PORT',
      'GATEWAY_SSH_PORT',
      'GATEWAY_ADMIN_PORT',
      'GATEWAY_HTTPS_PUBLIC_PORT',
      'GATEWAY_ADMIN_TOKEN',
      'GATEWAY_ROUTES_FILE',
      'GATEWAY_TLS_CERT',
      'GATEWAY_TLS_KEY',
      'SERVICE_API_KEY',
      'COMPUTE_INTERNAL_URL',
      // Upstreams of the static routes (manifests/gateway-routes.yaml)
      'DASHBOARD_UPSTREAM',
      'AUTH_UPSTREAM',
      'STORAGE_UPSTREAM',
      'COMPUTE_UPSTREAM',
      'HEALTH_UPSTREAM',
      'LOGS_UPSTREAM',
      'NOTIFICATIONS_UPSTREAM',
      'DOCS_UPSTREAM',
    ],
  },
  {
    app: 'auth',
    k8sName: 'auth-service',
    port: 4001,
    probePort: 'http',
    requiredEnv: [...WITH_DB, ...BUS, 'REDIS_URL', 'AUTH_KEY_ENCRYPTION_SECRET', 'DEFAULT_PASSWORD'],
  },
  { app: 'storage', k8sName: 'simple-file-share-backend', port: 4002, probePort: 'http', requiredEnv: [...WITH_DB, ...BUS] },
  {
    app: 'compute',
    k8sName: 'edd-compute',
    port: 4003,
    probePort: 'http',
    requiredEnv: [...WITH_DB, ...BUS, 'COMPUTE_KEY_ENCRYPTION_SECRET'],
  },
  { app: 'health', k8sName: 'cluster-monitor', port: 4004, probePort: 'http', requiredEnv: [...WITH_DB, ...BUS] },
  { app: 'logs', k8sName: 'log-service', port: 4005, probePort: 'http', requiredEnv: [...WITH_DB, ...BUS, 'GRPC_PORT'] },
  { app: 'notifications', k8sName: 'notification-service', port: 4006, probePort: 'http', requiredEnv: [...WITH_DB, ...BUS] },
  { app: 'docs', k8sName: 'edd-cloud-docs', port: 4007, probePort: 'http', requiredEnv: [...SERVICE_BASE, 'DOCS_DIR'] },
  // Static files behind nginx (tools/docker/Dockerfile.dashboard): no environment at all.
  { app: 'dashboard', k8sName: 'simple-file-share-frontend', port: 4000, probePort: 'http', requiredEnv: [] },
];

export const IMAGE_PREFIX = 'ghcr.io/eddisonso/edd-cloud-';
