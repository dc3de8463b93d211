import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleService } from './bundle-service';

const WORKSPACE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('bundleService', () => {
  let scratch: string;
  beforeAll(async () => {
    // Inside the workspace (tmp/ is git-ignored) so the bundle finds node_modules as in dist/.
    await mkdir(join(WORKSPACE_ROOT, 'tmp'), { recursive: true });
    scratch = await mkdtemp(join(WORKSPACE_ROOT, 'tmp', 'bundle-test-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('bundles a service with its migrations beside main.mjs, keeping npm packages external', async () => {
    const outDir = join(scratch, 'compute');
    const result = await bundleService('apps/compute', { outDir });
    expect(result.outFile).toBe(join(outDir, 'main.mjs'));
    expect(result.migrationsCopied).toBe(true);
    expect(existsSync(join(outDir, 'migrations', '001_init.sql'))).toBe(true);
    expect(existsSync(join(outDir, 'main.mjs.map'))).toBe(true);
    const code = await readFile(result.outFile, 'utf8');
    expect(code).toMatch(/from "pg"/);
    expect(code).not.toMatch(/from "@edd\//);
  });

  it('produces a bundle that runs: the docs app starts, answers /readyz and exits 0 on SIGTERM', async () => {
    const outDir = join(scratch, 'docs');
    const { outFile } = await bundleService('apps/docs', { outDir });
    const child = spawn(process.execPath, [outFile], {
      env: { ...process.env, PORT: '0', DOCS_DIR: join(WORKSPACE_ROOT, 'docs'), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bundle did not start')), 20_000);
      createInterface({ input: child.stdout }).on('line', (line) => {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && entry.port) {
          clearTimeout(timer);
          resolve(entry.port);
        }
      });
      void exited.then((code) => reject(new Error(`bundle exited with ${code}`)));
    });
    try {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      const index = await fetch(`http://127.0.0.1:${port}/`);
      expect(await index.text()).toContain('edd-cloud docs');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
