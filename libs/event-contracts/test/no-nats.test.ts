// The point of this lib: the dashboard and api-client import event payload types without the NATS client.
// Bundling it for the browser proves it: a NATS (or any Node built-in) import anywhere in its import graph
// would either fail the build or show up among the bundle's inputs.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

describe('@edd/event-contracts', () => {
  it('bundles for the browser with zod as its only dependency', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const packages = new Set(
      Object.keys(result.metafile.inputs)
        .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/u.exec(input)?.[1])
        .filter((name): name is string => name !== undefined),
    );
    expect([...packages]).toEqual(['zod']);
    const local = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules'));
    expect(local.every((input) => input.startsWith('libs/event-contracts/src/'))).toBe(true);
  });
});
