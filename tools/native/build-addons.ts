/**
 * Builds the native addons of the apps (`apps/<app>/native/*.c`, each into `apps/<app>/native/build/<name>.node`,
 * dashes as underscores): today the gateway's batched I/O (apps/gateway/native/batch-io.c). Node-API and libuv
 * only, one C file each, so a C compiler and Node's own headers are all it takes; no node-gyp, no download.
 *
 * `npm ci` runs it (postinstall) and never fails because of it: where there is no compiler or no headers it says so
 * and the apps run without the addon (the gateway then reads and writes through Node's handles). With --require it
 * fails instead (the production image's build). A build is redone when its source is newer than the addon.
 *
 *   npx tsx tools/native/build-addons.ts [--require] [--force]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { require: { type: 'boolean', default: false }, force: { type: 'boolean', default: false } } });

/** Where this Node's headers are: beside its binary (official builds, Debian's nodejs), or npm's nodedir. */
function nodeHeaders(): string | undefined {
  const places = [join(dirname(dirname(process.execPath)), 'include', 'node')];
  const nodedir = process.env.npm_config_nodedir;
  if (nodedir) places.push(join(nodedir, 'include', 'node'));
  return places.find((dir) => existsSync(join(dir, 'node_api.h')) && existsSync(join(dir, 'uv.h')));
}

function sources(): string[] {
  const apps = join(root, 'apps');
  return readdirSync(apps)
    .map((app) => join(apps, app, 'native'))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir)
        .filter((file) => file.endsWith('.c'))
        .map((file) => join(dir, file)),
    );
}

function fail(message: string): never {
  process.stderr.write(`native addons: ${message}\n`);
  process.exit(values.require ? 1 : 0);
}

const headers = nodeHeaders();
if (headers === undefined) fail("Node's headers (node_api.h, uv.h) not found beside node or in npm's nodedir: not built");
for (const source of sources()) {
  const out = join(dirname(source), 'build', `${source.slice(source.lastIndexOf('/') + 1, -2).replaceAll('-', '_')}.node`);
  if (!values.force && existsSync(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs) continue;
  mkdirSync(dirname(out), { recursive: true });
  try {
    execFileSync('cc', ['-O2', '-Wall', '-Wextra', '-Werror', '-shared', '-fPIC', `-I${headers}`, source, '-o', out], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    process.stdout.write(`native addons: built ${out.slice(root.length)}\n`);
  } catch (err) {
    fail(`${source.slice(root.length)} not built (${(err as Error).message.split('\n')[0]})`);
  }
}
