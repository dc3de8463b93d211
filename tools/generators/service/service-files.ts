/**
 * The files of a platform service, as text: what `npx nx g @edd/tools:service <name>` writes. Pure, so the
 * generator only decides which to write and the tests read them without a workspace.
 */
export interface ServiceSpec {
  /** App name: `apps/<name>`, the NATS user, `<name>_db`. */
  name: string;
  port: number;
  /** One line on what the service is for (file comments, the docs page). */
  description: string;
  database: boolean;
  events: boolean;
  redis: boolean;
  auth: boolean;
  /** Deployment and Service name in the cluster. */
  k8sName: string;
  /** Host under EDD_DOMAIN the gateway routes to it. */
  subdomain: string;
}

export const SERVICE_NAME = /^[a-z][a-z0-9-]{1,30}$/;

/** `storage-api` → `STORAGE_API` (environment variable prefix). */
export const envPrefix = (name: string): string => name.toUpperCase().replace(/-/g, '_');

/** `storage-api` → `storage_api_db`. */
export const databaseName = (name: string): string => `${name.replace(/-/g, '_')}_db`;

function startOptions(spec: ServiceSpec): string[] {
  const lines = [`  name: '${spec.name}',`, `  defaultPort: ${spec.port},`];
  if (spec.database)
    lines.push(`  database: { name: '${databaseName(spec.name)}', migrationsDir: resolveMigrationsDir(import.meta.url) },`);
  if (spec.events) lines.push('  events: true,');
  if (spec.redis) lines.push('  redis: true,');
  if (spec.auth) lines.push('  auth: true,');
  return lines;
}

export function mainTs(spec: ServiceSpec): string {
  const imports = spec.database ? 'resolveMigrationsDir, startService' : 'startService';
  return `import { ${imports} } from '@edd/service-runtime';
import { createApp } from './app';

// The entry only names what ${spec.name} needs; the shared runtime reads the config, connects, listens and shuts down.
await startService({
${startOptions(spec).join('\n')}
  buildApp: (deps, config, logger) => createApp({ ...deps, config, logger }),
});
`;
}

export function appTs(spec: ServiceSpec): string {
  return `import { createServiceApp } from '@edd/http';
import { serviceAppOptions } from '@edd/service-runtime';
import type { ServiceAppDeps } from '@edd/service-runtime';

/**
 * ${spec.description}
 * Routes go in src/routes/ by resource, each behind its guard (requireScope, requireSession); live updates through
 * deps.live (see libs/service-runtime/README.md).
 */
export function createApp(deps: ServiceAppDeps) {
  return createServiceApp(serviceAppOptions('${spec.name}', deps), () => undefined);
}
`;
}

/** The readiness checks the runtime wires for what the service asked for. */
export function expectedChecks(spec: ServiceSpec): Record<string, 'ok'> {
  const checks: Record<string, 'ok'> = {};
  if (spec.database) checks['postgres'] = 'ok';
  if (spec.events || spec.auth) checks['nats'] = 'ok';
  if (spec.redis) checks['redis'] = 'ok';
  return checks;
}

/** Every service refuses the development secrets in production; the start-up test shows it for this one. */
const PRODUCTION_TEST = `
it('refuses to start in production with the development service key: exit 1 with the problem named', async () => {
  await expect(
    bootServiceProcess(fileURLToPath(new URL('./main.ts', import.meta.url)), { NODE_ENV: 'production' }, 20_000),
  ).rejects.toThrow(/exited with 1 before listening[\\s\\S]*SERVICE_API_KEY: must be set in production/);
});
`;

export function startupTestTs(spec: ServiceSpec): string {
  const checks = `{ ${Object.keys(expectedChecks(spec))
    .map((name) => `${name}: 'ok'`)
    .join(', ')} }`;
  if (spec.database) {
    return `import { fileURLToPath } from 'node:url';
import { bootAndStopOnTestDatabase, bootServiceProcess } from '@edd/service-runtime/testing';
import { expect, it } from 'vitest';

it('creates and migrates its database, reports ready, and exits cleanly on SIGTERM', async () => {
  const result = await bootAndStopOnTestDatabase(fileURLToPath(new URL('./main.ts', import.meta.url)), '${spec.name}');
  expect(result.readiness).toEqual({ status: 'ready', service: '${spec.name}', checks: ${checks} });
  expect(result.exitCode).toBe(0);
  expect(result.migrated).toBe(true);
});
${PRODUCTION_TEST}`;
  }
  return `import { fileURLToPath } from 'node:url';
import { bootAndStop, bootServiceProcess } from '@edd/service-runtime/testing';
import { expect, it } from 'vitest';

it('starts with development defaults, reports ready, and exits cleanly on SIGTERM', async () => {
  const result = await bootAndStop(fileURLToPath(new URL('./main.ts', import.meta.url)), {});
  expect(result.readiness).toEqual({ status: 'ready', service: '${spec.name}', checks: ${checks} });
  expect(result.exitCode).toBe(0);
});
${PRODUCTION_TEST}`;
}

export function projectJson(spec: ServiceSpec): string {
  return `{
  "name": "${spec.name}",
  "$schema": "../../node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "apps/${spec.name}/src",
  "projectType": "application",
  "tags": ["scope:${spec.name}", "type:app"],
  "targets": { "lint": {}, "typecheck": {}, "test": {}, "build": {}, "serve": {} }
}
`;
}

export const tsconfigJson = (): string =>
  `${JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src/**/*.ts', 'src/**/*.tsx', 'test/**/*.ts'] }, null, 2)}\n`;

export function firstMigrationSql(spec: ServiceSpec): string {
  return `-- ${spec.name}'s first tables. Applied once at start, in a transaction, and checksummed: once applied, change
-- the schema with a new file (002_...sql), never by editing this one.
CREATE TABLE ${spec.name.replace(/-/g, '_')}_meta (
  key         text PRIMARY KEY,
  value       text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
`;
}

export function docsPage(spec: ServiceSpec): string {
  return `# ${spec.name} API

${spec.description}

Reached at \`https://${spec.subdomain}.<domain>\` through the gateway, or directly on port ${spec.port} in development.
Every endpoint answers errors as \`{"error": "...", "code": "..."}\` ([error codes](errors.md)).

| Method | Path | Who | What |
|---|---|---|---|
| GET | \`/healthz\` | anyone | The process is up |
| GET | \`/readyz\` | anyone | 200 when its dependencies answer, 503 otherwise |
| GET | \`/metrics\` | \`SERVICE_API_KEY\` holders | Prometheus metrics |
`;
}
