import { formatFiles, logger, type Tree } from '@nx/devkit';
import { registerService, type WorkspaceEdit } from './register-service';
import {
  appTs,
  docsPage,
  firstMigrationSql,
  mainTs,
  projectJson,
  SERVICE_NAME,
  startupTestTs,
  tsconfigJson,
  type ServiceSpec,
} from './service-files';
import { serviceManifest } from './service-manifest';

export interface ServiceGeneratorOptions {
  name: string;
  port: number;
  description?: string;
  database?: boolean;
  events?: boolean;
  redis?: boolean;
  auth?: boolean;
  k8sName?: string;
  subdomain?: string;
}

export function specFrom(options: ServiceGeneratorOptions): ServiceSpec {
  if (!SERVICE_NAME.test(options.name)) throw new Error(`name must match ${SERVICE_NAME}: got "${options.name}"`);
  if (!Number.isInteger(options.port) || options.port < 1024 || options.port > 65535) throw new Error('port must be 1024-65535');
  return {
    name: options.name,
    port: options.port,
    description: options.description ?? `The ${options.name} service.`,
    database: options.database ?? true,
    events: options.events ?? true,
    redis: options.redis ?? false,
    auth: options.auth ?? true,
    k8sName: options.k8sName ?? options.name,
    subdomain: options.subdomain ?? options.name,
  };
}

/**
 * `npx nx g @edd/tools:service <name> --port=<port>`: the whole skeleton of a service. The code files
 * (entry, app, start-up test, project) are always written, so running it again over an existing service
 * brings it back to the shared skeleton; what a service grows into (migrations, manifest, docs page,
 * registrations) is only added when missing.
 */
export default async function serviceGenerator(tree: Tree, options: ServiceGeneratorOptions): Promise<() => void> {
  const spec = specFrom(options);
  const root = `apps/${spec.name}`;
  tree.write(`${root}/project.json`, projectJson(spec));
  tree.write(`${root}/tsconfig.json`, tsconfigJson());
  tree.write(`${root}/src/main.ts`, mainTs(spec));
  tree.write(`${root}/src/app.ts`, appTs(spec));
  tree.write(`${root}/src/main.test.ts`, startupTestTs(spec));
  const hasMigrations = tree.exists(`${root}/migrations`) && tree.children(`${root}/migrations`).length > 0;
  if (spec.database && !hasMigrations) tree.write(`${root}/migrations/001_init.sql`, firstMigrationSql(spec));
  writeIfMissing(tree, `manifests/apps/${spec.name}.yaml`, serviceManifest(spec));
  writeIfMissing(tree, `docs/api/${spec.name}.md`, docsPage(spec));
  const edits = registerService(tree, spec);
  await formatFiles(tree);
  return () => report(spec, edits);
}

function writeIfMissing(tree: Tree, path: string, content: string): void {
  if (!tree.exists(path)) tree.write(path, content);
}

function report(spec: ServiceSpec, edits: readonly WorkspaceEdit[]): void {
  for (const edit of edits.filter((e) => !e.manual)) logger.info(`${edit.done ? 'registered' : 'already registered'}: ${edit.what}`);
  const todo = edits.filter((edit) => edit.manual).map((edit) => `  - ${edit.manual}`);
  if (todo.length) logger.info(`By hand, for ${spec.name}:\n${todo.join('\n')}`);
}
