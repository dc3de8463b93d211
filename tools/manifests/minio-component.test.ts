import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

// The optional MinIO component (docs/storage-on-minio.md): its files, MinIO itself, and the patch that points
// storage at it, checked against the variables storage's blob configuration reads.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIR = join(ROOT, 'manifests/components/minio');
const STORAGE_CONFIG = join(ROOT, 'apps/storage/src/blobs/blob-store-config.ts');
/** Tuning knobs whose defaults suit MinIO; the patch leaves them out on purpose. */
const LEFT_AT_DEFAULT = ['STORAGE_S3_KEY_PREFIX', 'STORAGE_S3_PART_SIZE_MB', 'STORAGE_S3_QUEUE_SIZE'];
const ENDPOINT = 'http://minio.core.svc.cluster.local:9000';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image?: string;
  args?: string[];
  env?: EnvVar[];
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: {
    ports?: Array<{ port: number; targetPort: string | number }>;
    volumeClaimTemplates?: Array<{ metadata: { name: string } }>;
    template?: { spec: { containers: Container[]; securityContext?: { runAsNonRoot?: boolean } } };
  };
}

const read = (file: string) =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8'))
    .map((doc) => doc.toJS() as Resource)
    .filter(Boolean);
const kustomization = read('kustomization.yaml')[0] as unknown as {
  apiVersion: string;
  kind: string;
  resources: string[];
  patches: Array<{ path: string }>;
  secretGenerator: Array<{ name: string; namespace: string; envs: string[] }>;
};
const resources = kustomization.resources.flatMap(read);
const find = (kind: string, name: string) => resources.find((r) => r.kind === kind && r.metadata.name === name);
const exampleKeys = readFileSync(join(DIR, 'minio-secrets.example.env'), 'utf8')
  .split('\n')
  .filter((line) => /^[A-Z0-9_]+=/.test(line))
  .map((line) => line.slice(0, line.indexOf('=')));
const envOf = (container: Container | undefined) => new Map((container?.env ?? []).map((e) => [e.name, e]));
const secretRef = (key: string) => ({ name: 'minio-credentials', key });

describe('manifests/components/minio', () => {
  it('is a kustomize Component that lists every YAML file in its directory, and its secret file is git-ignored', () => {
    expect([kustomization.apiVersion, kustomization.kind]).toEqual(['kustomize.config.k8s.io/v1alpha1', 'Component']);
    const listed = [...kustomization.resources, ...kustomization.patches.map((p) => p.path), 'kustomization.yaml'];
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual([...listed].sort());
    for (const resource of resources) expect(resource.metadata.namespace, `${resource.kind}/${resource.metadata.name}`).toBe('core');
    expect(kustomization.secretGenerator).toEqual([{ name: 'minio-credentials', namespace: 'core', envs: ['minio-secrets.env'] }]);
    expect(readFileSync(join(DIR, '.gitignore'), 'utf8').split('\n')).toContain('minio-secrets.env');
  });

  it('runs MinIO non-root on a read-only root filesystem, with bounded resources, health probes and its own volume', () => {
    const minio = find('StatefulSet', 'minio');
    const container = minio?.spec?.template?.spec.containers[0];
    expect(container?.image).toMatch(/^quay\.io\/minio\/minio:/);
    expect(minio?.spec?.template?.spec.securityContext?.runAsNonRoot).toBe(true);
    expect(container?.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(container?.securityContext?.allowPrivilegeEscalation).toBe(false);
    for (const key of ['cpu', 'memory']) {
      expect(container?.resources?.requests?.[key], `requests.${key}`).toBeDefined();
      expect(container?.resources?.limits?.[key], `limits.${key}`).toBeDefined();
    }
    expect(container?.livenessProbe?.httpGet?.path).toBe('/minio/health/live');
    expect(container?.readinessProbe?.httpGet?.path).toBe('/minio/health/ready');
    const dataDir = container?.args?.[container.args.indexOf('server') + 1];
    const dataMount = container?.volumeMounts?.find((m) => m.mountPath === dataDir);
    expect(minio?.spec?.volumeClaimTemplates?.map((t) => t.metadata.name)).toContain(dataMount?.name);
    const env = envOf(container);
    for (const key of ['MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD']) {
      expect(env.get(key)?.valueFrom?.secretKeyRef, key).toEqual(secretRef(key));
      expect(exampleKeys, `${key} in minio-secrets.example.env`).toContain(key);
    }
    expect(find('Service', 'minio')?.spec?.ports?.map((p) => p.port)).toEqual([Number(new URL(ENDPOINT).port)]);
  });

  it("patches storage with every STORAGE_S3_* variable its code reads, the credentials from the Secret, and the Job's bucket", () => {
    const source = readFileSync(STORAGE_CONFIG, 'utf8');
    const readByStorage = [...source.matchAll(/^\s*(STORAGE_S3_[A-Z0-9_]+):/gm)].map((m) => m[1] as string);
    expect(readByStorage).toContain('STORAGE_S3_BUCKET');
    for (const name of LEFT_AT_DEFAULT) expect(readByStorage, `${name} still exists`).toContain(name);

    const [patch] = kustomization.patches.flatMap((p) => read(p.path));
    expect([patch?.kind, patch?.metadata.name, patch?.metadata.namespace]).toEqual(['Deployment', 'simple-file-share-backend', 'core']);
    const storage = patch?.spec?.template?.spec.containers.find((c) => c.name === 'storage');
    const base = parseAllDocuments(readFileSync(join(ROOT, 'manifests/apps/storage.yaml'), 'utf8')).map((d) => d.toJS() as Resource);
    const baseDeployment = base.find((r) => r.kind === 'Deployment' && r.metadata.name === 'simple-file-share-backend');
    expect(
      baseDeployment?.spec?.template?.spec.containers.map((c) => c.name),
      'the patch merges into an existing container',
    ).toContain('storage');

    const env = envOf(storage);
    expect(env.get('STORAGE_BACKEND')?.value).toBe('s3');
    for (const name of readByStorage.filter((n) => !LEFT_AT_DEFAULT.includes(n))) expect(env.has(name), `${name} is set`).toBe(true);
    for (const name of env.keys()) expect(source, `${name} set but never read`).toContain(`${name}:`);
    expect(env.get('STORAGE_S3_ENDPOINT')?.value).toBe(ENDPOINT);
    expect(env.get('STORAGE_S3_FORCE_PATH_STYLE')?.value).toBe('true');
    for (const key of ['STORAGE_S3_ACCESS_KEY_ID', 'STORAGE_S3_SECRET_ACCESS_KEY']) {
      expect(env.get(key)?.value, `${key} is no literal`).toBeUndefined();
      expect(env.get(key)?.valueFrom?.secretKeyRef, key).toEqual(secretRef(key));
      expect(exampleKeys, `${key} in minio-secrets.example.env`).toContain(key);
    }

    // The Job makes that bucket, and that user with those same Secret keys.
    const job = find('Job', 'minio-bucket')?.spec?.template?.spec.containers[0];
    expect(job?.image).toMatch(/^quay\.io\/minio\/mc:/);
    const jobEnv = envOf(job);
    expect(jobEnv.get('BUCKET')?.value).toBe(env.get('STORAGE_S3_BUCKET')?.value);
    for (const key of ['STORAGE_S3_ACCESS_KEY_ID', 'STORAGE_S3_SECRET_ACCESS_KEY'])
      expect(jobEnv.get(key)?.valueFrom?.secretKeyRef).toEqual(secretRef(key));
    expect(jobEnv.get('MC_HOST_minio')?.value).toContain(`@${new URL(ENDPOINT).host}`);
  });
});
