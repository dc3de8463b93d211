import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import wabt from 'wabt';

/**
 * Hand-written WebAssembly (`.wat`) ships as a TypeScript module beside its source: `x.wat` becomes `x-wasm.ts`,
 * which exports the assembled bytes as base64, so the bundles and tsx need no loader for `.wasm` files and the
 * runtime no assembler. `assemble-wasm.test.ts` fails when a committed module is not what its source assembles to.
 *
 *   npx tsx tools/build/assemble-wasm.ts apps/gateway/src/edge/http/head-scanner.wat
 */

/** The binary module `source` (the text of `name`) assembles to; throws wabt's message on an invalid module. */
export async function assembleWat(name: string, source: string): Promise<Uint8Array> {
  const toolkit = await wabt();
  const module = toolkit.parseWat(name, source);
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

/** Where the module assembled from `watPath` lives. */
export function generatedPath(watPath: string): string {
  return watPath.replace(/\.wat$/, '-wasm.ts');
}

/** The TypeScript module for `bytes` assembled from the file named `watName`. */
export function generatedModule(watName: string, bytes: Uint8Array): string {
  return (
    `// Assembled from ${watName} by tools/build/assemble-wasm.ts: edit that file and run the tool, not this one.\n` +
    `export const WASM_BASE64 =\n  '${Buffer.from(bytes).toString('base64')}';\n`
  );
}

async function main(paths: string[]): Promise<void> {
  if (paths.length === 0) throw new Error('usage: assemble-wasm.ts <file.wat>...');
  for (const path of paths) {
    const bytes = await assembleWat(basename(path), await readFile(path, 'utf8'));
    await writeFile(generatedPath(path), generatedModule(basename(path), bytes));
    process.stdout.write(`${generatedPath(path)}: ${bytes.length} bytes\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
