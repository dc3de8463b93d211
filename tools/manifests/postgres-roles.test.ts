import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SERVICE_DATABASES } from '../dev/service-databases';
import { APP_DEPLOYMENTS } from './deployments';

/** Every service with a database connects with its own role's Secret; the administrator's reaches only the init containers. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MANIFESTS = join(ROOT, 'manifests');
const POSTGRES_HOST = 'haproxy.core.svc.cluster.local:5432';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: EnvVar[];
  envFrom?: Array<{ secretRef?: { name: string } }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
}
interface Deployment {
  kind: string;
  metadata: { name: string };
  spec?: { template?: { spec: { containers: Container[]; initContainers?: Container[] } } };
}

const kustomization = parseAllDocuments(readFileSync(join(MANIFESTS, 'kustomization.yaml'), 'utf8'))[0]?.toJS() as {
  resources: string[];
  secretGenerator: Array<{ name: string; namespace?: string; files?: string[]; envs?: string[] }>;
};
const deployments = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(MANIFESTS, file), 'utf8'))
    .map((doc) => doc.toJS() as Deployment)
    .filter((r) => r?.kind === 'Deployment'),
);
const podOf = (app: string) => {
  const k8sName = APP_DEPLOYMENTS.find((d) => d.app === app)?.k8sName;
  const pod = deployments.find((d) => d.metadata.name === k8sName)?.spec?.template?.spec;
  if (!pod) throw new Error(`no Deployment for ${app}`);
  return pod;
};
const envOf = (container: Container) => new Map((container.env ?? []).map((e) => [e.name, e]));

function ownSources(app: string): string {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
  return walk(join(ROOT, 'apps', app, 'src'))
    .filter((f) => /\.ts$/.test(f) && !/\.test\.ts$/.test(f))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

describe('manifests: a PostgreSQL role per service', () => {
  it('knows every database an app declares', () => {
    for (const { app } of APP_DEPLOYMENTS) {
      for (const [, database] of ownSources(app).matchAll(/'([a-z]+_db)'/g)) {
        expect(SERVICE_DATABASES.find((s) => s.database === database)?.app, `${database} declared by ${app}`).toBe(app);
      }
    }
  });

  for (const { app, database, role } of SERVICE_DATABASES) {
    describe(app, () => {
      const ownSecret = { name: `${app}-postgres-role`, key: 'password' };

      it('connects as its own role, with that role’s Secret', () => {
        const env = envOf(podOf(app).containers[0]!);
        expect(env.get('DATABASE_URL')?.value).toBe(`postgres://${role}:$(DATABASE_PASSWORD)@${POSTGRES_HOST}/postgres`);
        expect(env.get('DATABASE_PASSWORD')?.valueFrom?.secretKeyRef).toEqual(ownSecret);
        const generator = kustomization.secretGenerator.find((g) => g.name === ownSecret.name);
        expect(generator).toEqual({ name: ownSecret.name, namespace: 'core', files: [`password=secrets/${role}.password`] });
      });

      it('is provisioned by an init container of its own image, which alone gets the administrator', () => {
        const pod = podOf(app);
        const init = pod.initContainers?.find((c) => c.name === 'provision-database');
        expect(init?.image).toBe(pod.containers[0]!.image);
        expect(init?.command).toEqual(['node', '/app/provision/main.mjs']);
        const env = envOf(init!);
        expect(env.get('SERVICE_DATABASE')?.value).toBe(database);
        expect(env.get('SERVICE_ROLE')?.value).toBe(role);
        expect(env.get('SERVICE_DATABASE_PASSWORD')?.valueFrom?.secretKeyRef).toEqual(ownSecret);
        expect(env.get('POSTGRES_ADMIN_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: 'edd-postgres-admin', key: 'password' });
        expect(env.get('POSTGRES_ADMIN_URL')?.value).toBe(`postgres://postgres:$(POSTGRES_ADMIN_PASSWORD)@${POSTGRES_HOST}/postgres`);
        // The command reads exactly these (POSTGRES_ADMIN_PASSWORD only feeds the URL).
        const command = readFileSync(join(ROOT, 'tools/db-provision/src/main.ts'), 'utf8');
        for (const name of env.keys()) if (name !== 'POSTGRES_ADMIN_PASSWORD') expect(command, name).toContain(`'${name}'`);
        expect(init?.securityContext?.readOnlyRootFilesystem).toBe(true);
        expect(init?.securityContext?.allowPrivilegeEscalation).toBe(false);
        expect(init?.securityContext?.capabilities?.drop).toContain('ALL');
        expect(init?.resources?.limits?.['memory']).toBeDefined();
      });
    });
  }

  it('gives no app container the administrator or another service’s role', () => {
    for (const { app } of APP_DEPLOYMENTS) {
      for (const container of podOf(app).containers) {
        const refs = (container.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : []));
        const postgresSecrets = refs.filter((name) => name === 'edd-postgres-admin' || name.endsWith('-postgres-role'));
        expect(
          postgresSecrets.filter((name) => name !== `${app}-postgres-role`),
          `${app}/${container.name}`,
        ).toEqual([]);
        expect(JSON.stringify(container.env ?? []), `${app}/${container.name}`).not.toMatch(/POSTGRES_ADMIN|postgres:\/\/postgres[:@]/);
        // envFrom a Secret would hand over every key in it.
        expect(container.envFrom?.filter((f) => f.secretRef) ?? [], `${app}/${container.name}`).toEqual([]);
      }
    }
    // The shared platform Secret holds no PostgreSQL password any more.
    const platformKeys = readFileSync(join(MANIFESTS, 'platform-secrets.example.env'), 'utf8').match(/^[A-Z_]+(?==)/gm) ?? [];
    expect(platformKeys.filter((key) => /DATABASE|POSTGRES/.test(key))).toEqual([]);
  });

  it('builds the init container’s command into every service image', () => {
    const dockerfile = readFileSync(join(ROOT, 'tools/docker/Dockerfile.service'), 'utf8');
    expect(dockerfile).toContain('bundle-service.ts tools/db-provision');
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(dockerfile).toContain('COPY --from=build /src/dist/tools/db-provision ./provision');
  });
});
