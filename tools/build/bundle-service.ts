import { cp, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildResult } from 'esbuild';

/**
 * The `build` target of every service app: `<projectRoot>/src/main.ts` bundled with esbuild into
 * `dist/<projectRoot>/main.mjs` (ESM, Node 20). Workspace libs (`@edd/*`, resolved through the
 * tsconfig paths) are bundled in; npm packages stay external and come from node_modules at run
 * time. `<projectRoot>/migrations` is copied next to the bundle, where the service runtime's
 * resolveMigrationsDir looks first (`./migrations` beside main.mjs), and so are its built native addons
 * (`<projectRoot>/native/build/*.node`, e.g. the gateway's batch_io.node).
 *
 *   tsx tools/build/bundle-service.ts apps/auth
 */
const WORKSPACE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BundleResult {
  outFile: string;
  migrationsCopied: boolean;
  warnings: BuildResult['warnings'];
}

export async function bundleService(
  projectRoot: string,
  /** `entry`: another entry point of the project than `src/main.ts` (the benchmarks bundle their servers the same way). */
  options: { workspaceRoot?: string; outDir?: string; entry?: string } = {},
): Promise<BundleResult> {
  const root = options.workspaceRoot ?? WORKSPACE_ROOT;
  const project = projectRoot.replace(/\/+$/, '');
  const entry = join(root, project, options.entry ?? join('src', 'main.ts'));
  const outDir = options.outDir ?? join(root, 'dist', project);
  if (!(await exists(entry))) throw new Error(`${entry} does not exist`);

  await rm(outDir, { recursive: true, force: true });
  const outFile = join(outDir, 'main.mjs');
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // node_modules stay external; `@edd/*` are workspace paths, so they are bundled.
    packages: 'external',
    tsconfig: join(root, 'tsconfig.base.json'),
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'silent',
  });

  const migrations = join(root, project, 'migrations');
  const migrationsCopied = await exists(migrations);
  if (migrationsCopied) await cp(migrations, join(outDir, 'migrations'), { recursive: true });
  // gRPC definitions the service loads at run time (the log service's logging.proto), beside the bundle too.
  const protos = join(root, project, 'proto');
  if (await exists(protos)) await cp(protos, join(outDir, 'proto'), { recursive: true });
  // Native addons built for the project (tools/native/build-addons.ts), beside the bundle where it looks for them.
  const addons = join(root, project, 'native', 'build');
  if (await exists(addons)) await cp(addons, outDir, { recursive: true });
  return { outFile, migrationsCopied, warnings: result.warnings };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const projectRoot = process.argv[2];
  if (!projectRoot) {
    console.error('usage: tsx tools/build/bundle-service.ts <projectRoot>   e.g. apps/auth');
    process.exit(2);
  }
  const result = await bundleService(projectRoot);
  for (const warning of result.warnings) console.warn(`warning: ${warning.text}`);
  const extra = result.migrationsCopied ? ' (+ migrations/)' : '';
  console.log(`bundled ${projectRoot} -> ${result.outFile.slice(WORKSPACE_ROOT.length)}${extra}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
