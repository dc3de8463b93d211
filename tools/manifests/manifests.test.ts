import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { eventPublisherNames } from '@edd/events';
import { DEV_APPS } from '../dev/apps';
import { renderStreamConfigs } from '../nats/cluster-config';
import { NATS_USERS, passwordEnvVar } from '../nats/server-config';
import { APP_DEPLOYMENTS, IMAGE_PREFIX, type AppDeployment } from './deployments';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MANIFESTS = join(ROOT, 'manifests');

// ---- minimal shapes of the Kubernetes objects the checks read ----
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: {
    type?: string;
    loadBalancerIP?: string;
    externalTrafficPolicy?: string;
    secretName?: string;
    selector?: { matchLabels?: Record<string, string> } & Record<string, unknown>;
    ports?: Array<{ name: string; port: number; targetPort: string | number }>;
    template?: {
      metadata: { labels: Record<string, string> };
      spec: {
        containers: Container[];
        securityContext?: { runAsNonRoot?: boolean };
        terminationGracePeriodSeconds?: number;
        volumes?: Array<{ name: string; secret?: { secretName: string }; configMap?: { name: string } }>;
      };
    };
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const yamlFiles = walk(MANIFESTS).filter((file) => file.endsWith('.yaml'));
const parsed = new Map<string, Resource[]>();
for (const file of yamlFiles) {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  parsed.set(relative(MANIFESTS, file), docs.map((doc) => doc.toJS() as Resource).filter(Boolean));
}
// A directory with its own kustomization.yaml (a kustomize Component, e.g. components/minio) lists its own files.
const componentDirs = yamlFiles
  .map((file) => relative(MANIFESTS, file))
  .filter((file) => file !== 'kustomization.yaml' && file.endsWith('/kustomization.yaml'))
  .map((file) => file.slice(0, -'/kustomization.yaml'.length));
const componentOf = (file: string) => componentDirs.find((dir) => file.startsWith(`${dir}/`));
const kustomization = parsed.get('kustomization.yaml')?.[0] as unknown as {
  resources: string[];
  images: Array<{ name: string }>;
  configMapGenerator: Array<{ name: string; files: string[] }>;
  secretGenerator: Array<{ name: string; envs: string[] }>;
};
const resources = (kustomization?.resources ?? []).flatMap((file) => parsed.get(file) ?? []);
const find = (kind: string, name: string) => resources.find((r) => r.kind === kind && r.metadata.name === name);

const platformConfig = find('ConfigMap', 'edd-platform-config');
const secretKeys = readFileSync(join(MANIFESTS, 'platform-secrets.example.env'), 'utf8')
  .split('\n')
  .filter((line) => /^[A-Z_]+=/.test(line))
  .map((line) => line.slice(0, line.indexOf('=')));

/** Everything an app's code reads: its own sources (tests excluded) plus, for services, the shared config shape. */
function sourceText(app: string): string {
  const dir = join(ROOT, 'apps', app, 'src');
  const own = existsSync(dir)
    ? walk(dir)
        .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
        .map((f) => readFileSync(f, 'utf8'))
    : [];
  const shared =
    app === 'gateway'
      ? [readFileSync(join(MANIFESTS, 'gateway-routes.yaml'), 'utf8')]
      : [readFileSync(join(ROOT, 'libs/config/src/service-config.ts'), 'utf8')];
  // Every app's @edd/logger reads LOG_SERVICE_URL (its log-service transport).
  const logger = readFileSync(join(ROOT, 'libs/logger/src/transport/log-transport.ts'), 'utf8');
  return [...own, ...shared, logger].join('\n');
}

function containerOf(deployment: AppDeployment): Container {
  const resource = find('Deployment', deployment.k8sName);
  const container = resource?.spec?.template?.spec.containers[0];
  if (!container) throw new Error(`no Deployment ${deployment.k8sName} with a container`);
  return container;
}

function portNumber(container: Container, port: string | number): number | undefined {
  return typeof port === 'number' ? port : container.ports?.find((p) => p.name === port)?.containerPort;
}

/** Names of every variable the container gets: its env list, ConfigMaps and Secrets via envFrom. */
function envNames(container: Container): Set<string> {
  const names = new Set((container.env ?? []).map((e) => e.name));
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) for (const key of Object.keys(find('ConfigMap', from.configMapRef.name)?.data ?? {})) names.add(key);
    if (from.secretRef) for (const key of secretKeys) names.add(key);
  }
  return names;
}

describe('manifests/', () => {
  it('parses, and kustomization.yaml lists every manifest file that exists', () => {
    expect(kustomization).toBeDefined();
    const listed = new Set([...kustomization.resources, ...kustomization.configMapGenerator.flatMap((g) => g.files), 'kustomization.yaml']);
    const ownFiles = yamlFiles.map((f) => relative(MANIFESTS, f)).filter((f) => !componentOf(f));
    expect(ownFiles.filter((f) => !listed.has(f))).toEqual([]);
    for (const file of kustomization.resources) expect(parsed.has(file), file).toBe(true);
    for (const resource of resources) {
      expect(resource.apiVersion && resource.kind && resource.metadata?.name, JSON.stringify(resource).slice(0, 80)).toBeTruthy();
      const clusterScoped = [
        'Namespace',
        'ClusterRole',
        'ClusterRoleBinding',
        'ValidatingAdmissionPolicy',
        'ValidatingAdmissionPolicyBinding',
      ].includes(resource.kind);
      if (!clusterScoped) expect(resource.metadata.namespace, `${resource.kind}/${resource.metadata.name}`).toMatch(/^(core|compute)$/);
    }
  });

  it('points the shared configuration at the in-cluster infrastructure of the seed', () => {
    expect(platformConfig?.data?.['NATS_URL']).toBe('nats://nats.core.svc.cluster.local:4222');
    expect(platformConfig?.data?.['REDIS_URL']).toMatch(/^redis:\/\/[a-z-]+\.core\.svc\.cluster\.local:6379$/);
    expect(platformConfig?.data?.['HOST']).toBe('0.0.0.0');
    // Every key is read by some app, so a typo cannot hide here.
    const allSources = APP_DEPLOYMENTS.map((d) => sourceText(d.app)).join('\n');
    for (const key of Object.keys(platformConfig?.data ?? {})) expect(allSources, key).toContain(key);
  });

  it('lets every service finish draining (SHUTDOWN_GRACE_MS) before Kubernetes kills the pod', () => {
    const graceMs = Number(platformConfig?.data?.['SHUTDOWN_GRACE_MS']);
    expect(graceMs).toBeGreaterThan(0);
    for (const deployment of APP_DEPLOYMENTS) {
      const podGraceSeconds = find('Deployment', deployment.k8sName)?.spec?.template?.spec.terminationGracePeriodSeconds ?? 30; // Kubernetes' default
      // Some headroom for the process to exit after the drain deadline.
      expect(podGraceSeconds * 1000, `${deployment.k8sName} terminationGracePeriodSeconds`).toBeGreaterThanOrEqual(graceMs + 5_000);
    }
  });

  it('has a cert-manager wildcard Certificate whose Secret the gateway mounts', () => {
    const certificate = resources.find((r) => r.kind === 'Certificate');
    expect(certificate?.spec?.secretName).toBe('eddisonso-wildcard-tls');
    const gateway = find('Deployment', 'gateway')?.spec?.template?.spec;
    const tlsVolume = gateway?.volumes?.find((v) => v.secret?.secretName === 'eddisonso-wildcard-tls');
    expect(tlsVolume).toBeDefined();
    const mount = gateway?.containers[0]?.volumeMounts?.find((m) => m.name === tlsVolume?.name);
    const env = Object.fromEntries((gateway?.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
    expect(env['GATEWAY_TLS_CERT']).toBe(`${mount?.mountPath}/tls.crt`);
    expect(env['GATEWAY_TLS_KEY']).toBe(`${mount?.mountPath}/tls.key`);
    const routes = gateway?.volumes?.find((v) => v.configMap?.name === 'gateway-routes');
    const routesMount = gateway?.containers[0]?.volumeMounts?.find((m) => m.name === routes?.name);
    expect(env['GATEWAY_ROUTES_FILE']).toBe(`${routesMount?.mountPath}/gateway-routes.yaml`);
  });

  it('exposes the gateway as the seed describes, and never its admin port', () => {
    const service = find('Service', 'gateway');
    expect(service?.spec?.type).toBe('LoadBalancer');
    expect(service?.spec?.loadBalancerIP).toBe('192.168.3.200');
    expect(service?.spec?.externalTrafficPolicy).toBe('Local');
    const container = containerOf(APP_DEPLOYMENTS[0] as AppDeployment);
    const mapping = Object.fromEntries((service?.spec?.ports ?? []).map((p) => [p.port, portNumber(container, p.targetPort)]));
    expect(mapping).toEqual({ 80: 18080, 443: 18443, 2222: 2222 });
    for (const svc of resources.filter((r) => r.kind === 'Service')) {
      expect(
        svc.spec?.ports?.some((p) => p.targetPort === 'admin' || p.targetPort === 19090),
        svc.metadata.name,
      ).toBe(false);
    }
  });

  it('gives every app on the event bus its own NATS user and password, and no other app one', () => {
    for (const deployment of APP_DEPLOYMENTS) {
      const usesBus = /events: true|connectEventBus\(/.test(sourceText(deployment.app));
      expect(usesBus, `${deployment.app} uses the bus <=> it is in eventPublishers`).toBe(
        (eventPublisherNames as readonly string[]).includes(deployment.app),
      );
      const env = containerOf(deployment).env ?? [];
      const user = env.find((e) => e.name === 'NATS_USER');
      const password = env.find((e) => e.name === 'NATS_PASSWORD');
      if (!usesBus) {
        expect([user, password], deployment.app).toEqual([undefined, undefined]);
        continue;
      }
      expect(user?.value, deployment.app).toBe(deployment.app);
      expect(password?.valueFrom?.secretKeyRef?.key, deployment.app).toBe(passwordEnvVar(deployment.app as (typeof NATS_USERS)[number]));
    }
  });

  it("runs NATS with the generated users, each password from the Secret, and the stream Job's generated streams", () => {
    const nats = find('StatefulSet', 'nats')?.spec?.template?.spec;
    const container = nats?.containers[0];
    const configVolume = nats?.volumes?.find((v) => v.configMap?.name === 'nats-config');
    expect(container?.volumeMounts?.find((m) => m.name === configVolume?.name)?.mountPath).toBe('/etc/nats');
    expect(kustomization.configMapGenerator.find((g) => g.name === 'nats-config')?.files).toEqual(['nats/nats.conf']);
    for (const user of NATS_USERS) {
      const variable = passwordEnvVar(user);
      expect(secretKeys, `${variable} in platform-secrets.example.env`).toContain(variable);
      const env = container?.env?.find((e) => e.name === variable);
      expect(env?.valueFrom?.secretKeyRef, variable).toEqual({ name: 'edd-platform-secrets', key: variable });
    }
    expect(find('Service', 'nats')?.spec?.ports?.map((p) => p.port)).toEqual([4222]);
    const streams = kustomization.configMapGenerator.find((g) => g.name === 'nats-streams')?.files ?? [];
    expect(streams.map((f) => f.replace('nats/streams/', '')).sort()).toEqual(Object.keys(renderStreamConfigs()).sort());
    const job = find('Job', 'nats-streams')?.spec?.template?.spec;
    const jobEnv = job?.containers[0]?.env ?? [];
    expect(jobEnv.find((e) => e.name === 'NATS_USER')?.value).toBe('admin');
    expect(jobEnv.find((e) => e.name === 'NATS_PASSWORD')?.valueFrom?.secretKeyRef?.key).toBe(passwordEnvVar('admin'));
  });

  for (const deployment of APP_DEPLOYMENTS) {
    describe(deployment.app, () => {
      const source = sourceText(deployment.app);

      it('runs its image as a non-root user with a read-only root filesystem and bounded resources', () => {
        const resource = find('Deployment', deployment.k8sName);
        const container = containerOf(deployment);
        expect(container.image).toBe(`${IMAGE_PREFIX}${deployment.app}:latest`);
        expect(kustomization.images.map((i) => i.name)).toContain(`${IMAGE_PREFIX}${deployment.app}`);
        expect(resource?.spec?.template?.spec.securityContext?.runAsNonRoot).toBe(true);
        expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
        expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
        expect(container.securityContext?.capabilities?.drop).toContain('ALL');
        for (const key of ['cpu', 'memory']) {
          expect(container.resources?.requests?.[key], `requests.${key}`).toBeDefined();
          expect(container.resources?.limits?.[key], `limits.${key}`).toBeDefined();
        }
      });

      it('listens on the port the app is configured for, and its Service targets it', () => {
        const container = containerOf(deployment);
        expect(portNumber(container, 'http')).toBe(deployment.port);
        const dev = DEV_APPS.find((a) => a.name === deployment.app);
        expect(dev?.port, 'same port as in development').toBe(deployment.port);
        const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
        if (deployment.app === 'gateway') {
          expect(source).toMatch(new RegExp(`GATEWAY_HTTP_PORT: env\\.port\\(\\)\\.default\\(${deployment.port}\\)`));
          for (const [name, variable] of [
            ['http', 'GATEWAY_HTTP_PORT'],
            ['https', 'GATEWAY_HTTPS_PORT'],
            ['ssh', 'GATEWAY_SSH_PORT'],
            ['admin', 'GATEWAY_ADMIN_PORT'],
          ] as const) {
            expect(String(portNumber(container, name)), variable).toBe(env[variable]);
          }
        } else if (deployment.app === 'dashboard') {
          expect(readFileSync(join(ROOT, 'tools/docker/dashboard-nginx.conf'), 'utf8')).toMatch(new RegExp(`listen ${deployment.port};`));
        } else {
          expect(source, 'default port in main.ts').toMatch(
            new RegExp(`defaultPort: ${deployment.port}\\b|serviceConfigShape\\(${deployment.port}\\)`),
          );
          expect(env['PORT']).toBe(String(deployment.port));
        }
        const service = find('Service', deployment.k8sName);
        expect(service, `Service ${deployment.k8sName}`).toBeDefined();
        const labels = find('Deployment', deployment.k8sName)?.spec?.template?.metadata.labels ?? {};
        for (const [key, value] of Object.entries(service?.spec?.selector ?? {})) expect(labels[key]).toBe(value);
        for (const port of service?.spec?.ports ?? []) expect(portNumber(container, port.targetPort), `${port.name} target`).toBeDefined();
        if (deployment.app !== 'gateway') expect(service?.spec?.ports?.find((p) => p.name === 'http')?.port).toBe(80);
      });

      it('probes /healthz for liveness and /readyz for readiness on a port that serves them', () => {
        const container = containerOf(deployment);
        expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
        expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
        for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
          if (!probe?.httpGet) continue;
          expect(probe.httpGet.port).toBe(deployment.probePort);
          expect(portNumber(container, probe.httpGet.port)).toBeDefined();
        }
        const probePort = portNumber(container, deployment.probePort);
        const dev = DEV_APPS.find((a) => a.name === deployment.app);
        if (deployment.app !== 'dashboard') expect(dev?.readyUrl, 'the port npm start polls').toContain(`:${probePort}/readyz`);
        // The endpoints exist in the code that serves that port.
        if (deployment.app === 'gateway') {
          const admin = readFileSync(join(ROOT, 'apps/gateway/src/control/admin-server.ts'), 'utf8');
          expect(admin).toContain("'/healthz'");
          expect(admin).toContain("'/readyz'");
        } else if (deployment.app === 'dashboard') {
          const nginx = readFileSync(join(ROOT, 'tools/docker/dashboard-nginx.conf'), 'utf8');
          expect(nginx).toContain('location = /healthz');
          expect(nginx).toContain('location = /readyz');
        } else {
          // @edd/http's createServiceApp serves both; every service starts through it.
          expect(source).toMatch(/startService|createServiceApp/);
        }
      });

      it('gets every variable it must have in a cluster, and no variable it does not read', () => {
        const container = containerOf(deployment);
        const names = envNames(container);
        for (const variable of deployment.requiredEnv) {
          expect(source, `${variable} is read by ${deployment.app}`).toContain(variable);
          expect(names.has(variable), `${variable} is set for ${deployment.app}`).toBe(true);
        }
        const expansions = new Set(
          (container.env ?? []).flatMap((e) => [...(e.value ?? '').matchAll(/\$\(([A-Z_]+)\)/g)].map((m) => m[1])),
        );
        for (const env of container.env ?? []) {
          if (expansions.has(env.name)) continue;
          expect(source, `${env.name} set for ${deployment.app} but never read`).toContain(env.name);
        }
        for (const env of container.env ?? []) {
          const secret = env.valueFrom?.secretKeyRef;
          if (!secret) continue;
          // Its own PostgreSQL role's Secret is checked by postgres-roles.test.ts.
          if (secret.name === `${deployment.app}-postgres-role`) continue;
          expect(secret.name).toBe('edd-platform-secrets');
          expect(secretKeys, `${secret.key} in platform-secrets.example.env`).toContain(secret.key);
        }
      });
    });
  }
});
