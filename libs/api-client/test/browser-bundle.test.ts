// The dashboard bundles this lib: its import graph (event payload types included) must not reach the
// NATS client or anything Node-only. Bundling for the browser fails on a Node built-in and lists packages.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

describe('@edd/api-client in the browser', () => {
  it('bundles without the NATS client or prom-client', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => /@nats-io|prom-client|libs\/events\//u.test(input))).toEqual([]);
    // The contracts' zod schemas type the clients; only their types may travel.
    expect(inputs.filter((input) => /node_modules\/zod\//u.test(input))).toEqual([]);
  });
});
