import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const WORKSPACE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface ProjectGraphFile {
  graph: {
    nodes: Record<string, { type: 'app' | 'lib' | 'e2e'; data: { root: string; tags?: string[] } }>;
    dependencies: Record<string, Array<{ source: string; target: string; type: string }>>;
  };
}

const SERVICE_APPS = ['gateway', 'auth', 'storage', 'compute', 'health', 'logs', 'notifications', 'docs'];

// The foundation issue's "must show": `npx nx graph --file=graph.json` has apps on libs and no lib on an app.
it('nx graph shows apps depending on libs and no lib depending on an app', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nx-graph-'));
  try {
    const file = join(dir, 'graph.json');
    await run('npx', ['nx', 'graph', `--file=${file}`], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
      timeout: 170_000,
    });
    const { graph } = JSON.parse(await readFile(file, 'utf8')) as ProjectGraphFile;
    const kind = (name: string) => graph.nodes[name]?.type;
    const edges = Object.values(graph.dependencies)
      .flat()
      .filter((edge) => !edge.target.startsWith('npm:') && graph.nodes[edge.target]);

    const libOnApp = edges.filter((edge) => kind(edge.source) === 'lib' && kind(edge.target) !== 'lib');
    expect(libOnApp, 'libs must never depend on apps').toEqual([]);

    // No code imports an app; only declared (implicit) edges may point at one, e.g. the e2e suite
    // that needs the apps running.
    const importsOfApps = edges.filter((edge) => kind(edge.target) !== 'lib' && edge.type !== 'implicit');
    expect(importsOfApps, 'no project imports an app').toEqual([]);

    // Event contracts load in the browser too: they depend on no lib (so never on the bus and its NATS client),
    // the bus depends on them. (libs/event-contracts/test/no-nats.test.ts checks its npm imports.)
    const targetsOf = (name: string) => (graph.dependencies[name] ?? []).map((edge) => edge.target).filter((t) => graph.nodes[t]);
    expect(targetsOf('event-contracts'), '@edd/event-contracts depends on no other project').toEqual([]);
    expect(targetsOf('events')).toContain('event-contracts');

    for (const app of SERVICE_APPS.filter((name) => graph.nodes[name])) {
      const libs = edges.filter((edge) => edge.source === app && kind(edge.target) === 'lib').map((edge) => edge.target);
      expect(libs.length, `${app} depends on libs`).toBeGreaterThan(0);
    }
    for (const [name, node] of Object.entries(graph.nodes)) {
      expect(
        node.data.tags?.some((tag) => tag.startsWith('scope:')),
        `${name} has a scope tag`,
      ).toBe(true);
      expect(
        node.data.tags?.some((tag) => tag.startsWith('type:')),
        `${name} has a type tag`,
      ).toBe(true);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
