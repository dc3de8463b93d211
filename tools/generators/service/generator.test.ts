// The generator runs on an in-memory tree over the real workspace: nothing is written to disk.
import { fileURLToPath } from 'node:url';
import { FsTree } from 'nx/src/generators/tree';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import serviceGenerator, { specFrom } from './generator';
import { expectedChecks } from './service-files';

const WORKSPACE = fileURLToPath(new URL('../../..', import.meta.url));
const workspaceTree = () => new FsTree(WORKSPACE, false);

describe('npx nx g @edd/tools:service', () => {
  it('writes a new service whole and lists it everywhere the platform looks for apps', async () => {
    const tree = workspaceTree();
    await serviceGenerator(tree, { name: 'ledger', port: 4098, description: 'Bookkeeping.' });
    for (const file of ['project.json', 'tsconfig.json', 'src/main.ts', 'src/app.ts', 'src/main.test.ts', 'migrations/001_init.sql']) {
      expect(tree.exists(`apps/ledger/${file}`), file).toBe(true);
    }
    expect(tree.read('apps/ledger/src/main.ts', 'utf8')).toContain("database: { name: 'ledger_db'");
    expect(tree.read('apps/ledger/src/main.test.ts', 'utf8')).toContain("checks: { postgres: 'ok', nats: 'ok' }");
    const [deployment, service] = parseAllDocuments(tree.read('manifests/apps/ledger.yaml', 'utf8') ?? '').map((d) => d.toJS());
    expect(deployment.kind).toBe('Deployment');
    expect(deployment.spec.template.spec.containers[0].ports[0].containerPort).toBe(4098);
    expect(deployment.spec.template.spec.initContainers[0].name).toBe('provision-database');
    expect(service.spec.ports[0]).toMatchObject({ port: 80, targetPort: 'http' });
    expect(tree.read('manifests/kustomization.yaml', 'utf8')).toMatch(
      /- apps\/ledger\.yaml[\s\S]*ledger-postgres-role[\s\S]*edd-cloud-ledger/,
    );
    expect(tree.read('manifests/gateway-routes.yaml', 'utf8')).toContain('host: ledger.${EDD_DOMAIN}');
    expect(tree.read('tools/dev/apps.ts', 'utf8')).toContain("{ name: 'ledger', port: 4098, subdomain: 'ledger', readyUrl: local(4098) }");
    expect(tree.read('tools/manifests/deployments.ts', 'utf8')).toContain("app: 'ledger'");
    expect(tree.read('tools/dev/service-databases.ts', 'utf8')).toContain("service('ledger')");
    expect(tree.read('docs/api/ledger.md', 'utf8')).toContain('Bookkeeping.');
  });

  it('brings an existing service back to the skeleton, keeping its migrations, manifest and registrations', async () => {
    const tree = workspaceTree();
    const before = Object.fromEntries(
      [
        'manifests/kustomization.yaml',
        'manifests/apps/notifications.yaml',
        'tools/dev/apps.ts',
        'apps/notifications/migrations/001_init.sql',
      ].map((path) => [path, tree.read(path, 'utf8')]),
    );
    await serviceGenerator(tree, { name: 'notifications', port: 4006, k8sName: 'notification-service' });
    for (const [path, content] of Object.entries(before)) expect(tree.read(path, 'utf8'), path).toBe(content);
    expect(tree.exists('apps/notifications/migrations/001_init.sql')).toBe(true);
    expect(tree.exists('apps/notifications/migrations/001_notifications_meta.sql')).toBe(false);
  });

  it('asks only what the service needs and refuses a bad name or port', () => {
    expect(expectedChecks(specFrom({ name: 'render', port: 4100, database: false, events: false, auth: false }))).toEqual({});
    expect(expectedChecks(specFrom({ name: 'cache', port: 4100, database: false, events: false, redis: true, auth: true }))).toEqual({
      nats: 'ok',
      redis: 'ok',
    });
    expect(() => specFrom({ name: 'Bad_Name', port: 4100 })).toThrow(/name must match/);
    expect(() => specFrom({ name: 'ok', port: 80 })).toThrow(/port/);
  });
});
