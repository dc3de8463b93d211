import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TusPartStore } from './tus-part-store';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tus-parts-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function writeAged(name: string, ageMs: number): Promise<void> {
  const path = join(directory, name);
  await writeFile(path, 'bytes');
  const when = new Date(Date.now() - ageMs);
  await utimes(path, when, when);
}

it('removes parts a killed process left without a record once they are older than the sweep age, and nothing else', async () => {
  await writeAged('orphan-old', 10 * 60_000);
  await writeAged('orphan-new', 1_000);
  await writeAged('resumable', 10 * 60_000);
  await writeAged('resumable.json', 10 * 60_000);
  await writeAged('tombstone.json', 10 * 60_000);
  const store = new TusPartStore({ directory });

  expect(await store.sweepOrphanParts(5 * 60_000)).toBe(1);
  expect((await readdir(directory)).sort()).toEqual(['orphan-new', 'resumable', 'resumable.json', 'tombstone.json']);
});

it('sweeps a store whose directory does not exist yet without failing', async () => {
  const store = new TusPartStore({ directory });
  await rm(directory, { recursive: true });
  expect(await store.sweepOrphanParts(0)).toBe(0);
});
