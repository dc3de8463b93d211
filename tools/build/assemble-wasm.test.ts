import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assembleWat, generatedModule, generatedPath } from './assemble-wasm';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('assemble-wasm', () => {
  it('every committed WebAssembly module is what its .wat source assembles to', async () => {
    const sources: string[] = [];
    for (const top of ['apps', 'libs']) {
      const entries = await readdir(join(ROOT, top), { recursive: true });
      for (const entry of entries) if (entry.endsWith('.wat') && !entry.includes('node_modules')) sources.push(join(top, entry));
    }
    expect(sources.length).toBeGreaterThan(0);
    for (const path of sources) {
      const bytes = await assembleWat(basename(path), await readFile(join(ROOT, path), 'utf8'));
      expect(await readFile(join(ROOT, generatedPath(path)), 'utf8'), `${path}: run tools/build/assemble-wasm.ts`).toBe(
        generatedModule(basename(path), bytes),
      );
    }
  });

  it('rejects a module that does not validate, with the assembler message', async () => {
    await expect(assembleWat('bad.wat', '(module (func (result i32)))')).rejects.toThrow(/type mismatch|error/i);
  });
});
