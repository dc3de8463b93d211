import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeBlobStoreContract } from '../blob-store.contract';
import { MIB, handFedSource, randomBuffer, streamOf } from '../test/byte-sources';
import { FsBlobStore } from './fs-blob-store';

describeBlobStoreContract('fs', async () => {
  const root = await mkdtemp(join(tmpdir(), 'fs-blobs-'));
  return {
    open: (options) => new FsBlobStore({ root, now: options?.now }),
    inProgressBytes: MIB,
    close: () => rm(root, { recursive: true, force: true }),
  };
});

describe('FsBlobStore on disk', () => {
  it('keeps objects under <root>/objects and leaves no temporary file behind, written or aborted', async () => {
    const root = await mkdtemp(join(tmpdir(), 'fs-blobs-'));
    try {
      const store = new FsBlobStore({ root });
      await store.write('ns/a.txt', streamOf(Buffer.from('hello')));
      const source = handFedSource();
      const failing = store.write('ns/b.txt', source.stream);
      await source.feed(randomBuffer(MIB));
      source.fail(new Error('gone'));
      await expect(failing).rejects.toThrow('gone');
      expect(await readdir(join(root, 'objects', 'ns'))).toEqual(['a.txt']);
      expect(await readdir(join(root, 'incomplete'))).toEqual([]);
      expect(await store.deletePrefix('ns/')).toBe(1);
      expect(await readdir(join(root, 'objects'))).toEqual([]); // the emptied folder is pruned
      expect(await readdir(join(root, 'incomplete'))).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
