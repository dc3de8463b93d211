import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Variables that differ per app (its own database role, its own NATS credentials). `nx run-many`
 * gives every task the same environment, but Nx also loads `<project>/.env.serve.local` into the
 * serve task, without overriding what the environment already has: so the per-app values are written
 * there (git-ignored) and removed from the shared environment, where they would otherwise win.
 */
export const APP_ENV_FILE = '.env.serve.local';

export type PerAppEnv = Record<string, Record<string, string>>;

export function applyPerAppEnv(options: {
  env: NodeJS.ProcessEnv;
  workspaceRoot: string;
  apps: readonly string[];
  perApp: PerAppEnv;
}): void {
  const shared = new Set(Object.values(options.perApp).flatMap((vars) => Object.keys(vars)));
  for (const name of shared) delete options.env[name];
  for (const app of options.apps) {
    const file = join(options.workspaceRoot, 'apps', app, APP_ENV_FILE);
    const vars = options.perApp[app];
    // An app given nothing this time must not keep last start's values.
    if (!vars || !Object.keys(vars).length) {
      if (existsSync(file)) rmSync(file);
      continue;
    }
    writeFileSync(file, envFileText(vars), { mode: 0o600 });
  }
}

export function envFileText(vars: Record<string, string>): string {
  const lines = Object.entries(vars).map(([name, value]) => {
    // Single quotes keep a `#` in the value; Nx expands `$` even there, so a value with one is refused.
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name) || /['\n\r$]/.test(value)) throw new Error(`cannot write ${name} to an env file`);
    return `${name}='${value}'`;
  });
  return `# Written by npm start (tools/dev/app-env-files.ts) at every start; safe to delete.\n${lines.join('\n')}\n`;
}

/** One app's variables from several sources (its database role, its NATS user). */
export function mergePerAppEnv(...sources: readonly PerAppEnv[]): PerAppEnv {
  const merged: PerAppEnv = {};
  for (const source of sources) {
    for (const [app, vars] of Object.entries(source)) merged[app] = { ...merged[app], ...vars };
  }
  return merged;
}

export function removePerAppEnv(workspaceRoot: string, apps: readonly string[]): void {
  for (const app of apps) rmSync(join(workspaceRoot, 'apps', app, APP_ENV_FILE), { force: true });
}
