import { parse } from 'yaml';
import { substituteEnv } from './substitute-env';
import type { EnvSource } from './substitute-env';
import { validateRoute } from './validate-route';
import type { Route } from './route';

export interface ParseRoutesOptions {
  /** Base domain substituted for `${EDD_DOMAIN}` (wins over `env.EDD_DOMAIN`). */
  domain: string;
  /** Variables for `${NAME:-default}` in hosts and targets; process.env by default. */
  env?: EnvSource;
}

/** Raised with every problem in the file, each naming its entry (`routes[2] (auth.cloud.localhost /x): ...`). */
export class RouteFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid routes file:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RouteFileError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the manifest format: `routes: [{ host, path (or path_prefix), target, strip_prefix?, priority? }]`.
 * `${...}` references in `host` and `target` are expanded from `env`, with `EDD_DOMAIN` = `options.domain`.
 */
export function parseRoutesYaml(text: string, options: ParseRoutesOptions): Route[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new RouteFileError([`not valid YAML: ${(error as Error).message}`]);
  }
  if (!isRecord(doc) || !Array.isArray(doc['routes'])) throw new RouteFileError(['expected a top-level "routes:" list']);

  const env: EnvSource = { ...(options.env ?? process.env), EDD_DOMAIN: options.domain };
  const problems: string[] = [];
  const routes: Route[] = [];
  const seen = new Map<string, number>();

  doc['routes'].forEach((entry: unknown, index) => {
    if (!isRecord(entry)) {
      problems.push(`routes[${index}]: expected a mapping with host, path and target`);
      return;
    }
    const entryProblems: string[] = [];
    const expand = (field: 'host' | 'target'): unknown => {
      const raw = entry[field];
      if (typeof raw !== 'string') return raw;
      const { value, missing } = substituteEnv(raw, env);
      for (const name of missing) entryProblems.push(`${field}: variable ${name} is not set and has no default`);
      return value;
    };
    const input = {
      host: expand('host'),
      path_prefix: entry['path_prefix'] ?? entry['path'],
      target: expand('target'),
      strip_prefix: entry['strip_prefix'],
      priority: entry['priority'],
    };
    const result = validateRoute(input);
    if (!result.ok) entryProblems.push(...result.problems);
    const label = `routes[${index}] (${String(input.host ?? '?')} ${String(input.path_prefix ?? '?')})`;
    if (entryProblems.length || !result.ok) {
      problems.push(...entryProblems.map((p) => `${label}: ${p}`));
      return;
    }
    const key = `${result.route.host} ${result.route.pathPrefix}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(`${label}: duplicates routes[${first}] (same host and path)`);
      return;
    }
    seen.set(key, index);
    routes.push(result.route);
  });

  if (problems.length) throw new RouteFileError(problems);
  return routes;
}
