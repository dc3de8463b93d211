import type { Tree } from '@nx/devkit';
import { envPrefix, type ServiceSpec } from './service-files';

/** One place a new service must be listed; `done` is false when it was listed already. */
export interface WorkspaceEdit {
  what: string;
  done: boolean;
  /** What is left to do by hand (a decision the generator should not take). */
  manual?: string;
}

/** Inserts `text` before the first line matching `anchor`; the file must have one (a moved anchor fails loudly). */
function insertBefore(tree: Tree, path: string, anchor: RegExp, text: string): void {
  const source = tree.read(path, 'utf8') ?? '';
  const lines = source.split('\n');
  const at = lines.findIndex((line) => anchor.test(line));
  if (at < 0) throw new Error(`${path}: no line matching ${anchor} to insert before`);
  lines.splice(at, 0, ...text.replace(/\n$/, '').split('\n'));
  tree.write(path, lines.join('\n'));
}

function edit(tree: Tree, path: string, what: string, present: RegExp, apply: () => void): WorkspaceEdit {
  if (present.test(tree.read(path, 'utf8') ?? '')) return { what, done: false };
  apply();
  return { what, done: true };
}

/** Lists the service where the start command, the manifests and their test look for apps. */
export function registerService(tree: Tree, spec: ServiceSpec): WorkspaceEdit[] {
  const { name, port } = spec;
  const edits = [
    edit(
      tree,
      'manifests/kustomization.yaml',
      `manifests/kustomization.yaml: apps/${name}.yaml and its image`,
      new RegExp(`apps/${name}\\.yaml`),
      () => {
        insertBefore(tree, 'manifests/kustomization.yaml', /^configMapGenerator:/, `  - apps/${name}.yaml`);
        if (spec.database) {
          const role = `${name.replace(/-/g, '_')}_svc`;
          const secret = `  - name: ${name}-postgres-role\n    namespace: core\n    files:\n      - password=secrets/${role}.password`;
          insertBefore(tree, 'manifests/kustomization.yaml', /^images:/, secret);
        }
        const kustomization = tree.read('manifests/kustomization.yaml', 'utf8') ?? '';
        tree.write(
          'manifests/kustomization.yaml',
          `${kustomization.replace(/\n*$/, '')}\n  - name: ghcr.io/eddisonso/edd-cloud-${name}\n    newTag: latest\n`,
        );
      },
    ),
    edit(
      tree,
      'manifests/gateway-routes.yaml',
      `gateway route ${spec.subdomain}.\${EDD_DOMAIN}`,
      new RegExp(`host: ${spec.subdomain}\\.\\$\\{EDD_DOMAIN\\}`),
      () => {
        const routes = tree.read('manifests/gateway-routes.yaml', 'utf8') ?? '';
        const route = `  - host: ${spec.subdomain}.\${EDD_DOMAIN}\n    path: /\n    target: \${${envPrefix(name)}_UPSTREAM:-http://127.0.0.1:${port}}\n    strip_prefix: false\n`;
        tree.write('manifests/gateway-routes.yaml', `${routes.replace(/\n*$/, '')}\n\n${route}`);
      },
    ),
    edit(tree, 'tools/dev/apps.ts', `npm start's app list (tools/dev/apps.ts), port ${port}`, new RegExp(`name: '${name}'`), () =>
      insertBefore(
        tree,
        'tools/dev/apps.ts',
        /A Vite dev server has no \/readyz/,
        `  { name: '${name}', port: ${port}, subdomain: '${spec.subdomain}', readyUrl: local(${port}) },`,
      ),
    ),
    edit(tree, 'tools/manifests/deployments.ts', `the manifests test's deployment list`, new RegExp(`app: '${name}'`), () =>
      insertBefore(
        tree,
        'tools/manifests/deployments.ts',
        /^\s*\{ app: 'docs'/,
        `  { app: '${name}', k8sName: '${spec.k8sName}', port: ${port}, probePort: 'http', requiredEnv: [${spec.database ? '...WITH_DB' : '...SERVICE_BASE'}${spec.events || spec.auth ? ', ...BUS' : ''}] },`,
      ),
    ),
  ];
  if (spec.database) {
    edits.push(
      edit(
        tree,
        'tools/dev/service-databases.ts',
        `its PostgreSQL role (tools/dev/service-databases.ts)`,
        new RegExp(`service\\('${name}'\\)`),
        () => insertBefore(tree, 'tools/dev/service-databases.ts', /^\];/, `  service('${name}'),`),
      ),
    );
  }
  const upstream = `${envPrefix(name)}_UPSTREAM`;
  const gatewayManifest = tree.read('manifests/apps/gateway.yaml', 'utf8') ?? '';
  if (!gatewayManifest.includes(upstream)) {
    edits.push({
      what: `gateway upstream ${upstream}`,
      done: false,
      manual: `set ${upstream}=http://${spec.k8sName}.core.svc.cluster.local in manifests/apps/gateway.yaml and list it in the gateway's requiredEnv (tools/manifests/deployments.ts)`,
    });
  }
  if (spec.events || spec.auth) {
    edits.push({
      what: 'NATS user',
      done: false,
      manual: `add '${name}' to eventPublishers (libs/events/src/publishers.ts) with the subjects it publishes (and their stream in @edd/event-contracts), NATS_PASSWORD_${envPrefix(name)} to manifests/platform-secrets.example.env, then run npx tsx tools/nats/generate.ts`,
    });
  }
  return edits;
}
