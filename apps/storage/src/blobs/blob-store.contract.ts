import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobKeyError, BlobNotFoundError, BlobRangeError, BlobSizeMismatchError } from './blob-store';
import type { BlobStore } from './blob-store';
import { MIB, generatedStream, handFedSource, hashStream, randomBuffer, readAll, sha256, streamOf } from './test/byte-sources';

/** One engine over one backing (a folder, a bucket) for the whole suite. */
export interface BlobStoreHarness {
  /** A store over the backing; every store opened shares the same objects, like two processes would. */
  open(options?: { now?: () => number }): BlobStore;
  /** Bytes a write must have consumed before its incomplete data surely exists (s3: past the first uploaded part). */
  inProgressBytes: number;
  /** What this backing cannot show, with the reason: those tests skip and say why. */
  limitations?: Partial<Record<'readerDuringOverwrite' | 'sweepIncomplete', string>>;
  close(): Promise<void>;
}

const HOUR = 3_600_000;

/** The behaviour every BlobStore engine must have, run once per engine. */
export function describeBlobStoreContract(name: string, createHarness: () => Promise<BlobStoreHarness>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let harness: BlobStoreHarness;
    let store: BlobStore;
    /** A fresh folder per test, so tests never see each other's objects. */
    let folder = '';
    const key = (rest: string) => `${folder}${rest}`;
    const limited = (what: keyof NonNullable<BlobStoreHarness['limitations']>) => harness?.limitations?.[what];

    beforeAll(async () => {
      harness = await createHarness();
      store = harness.open();
    });
    afterAll(async () => {
      await store?.close();
      await harness?.close();
    });
    const test = (title: string, body: () => Promise<void>, timeout?: number) =>
      it(
        title,
        async () => {
          folder = `t-${randomUUID()}/`;
          await body();
        },
        timeout,
      );

    test('is ready', async () => {
      await expect(store.probe()).resolves.toBeUndefined();
    });

    test('round-trips a multi-part stream byte for byte with its size and sha256', async () => {
      const bytes = randomBuffer(12 * MIB + 123);
      const result = await store.write(key('big.bin'), streamOf(bytes), { size: bytes.length, contentType: 'application/x-test' });
      expect(result).toEqual({ size: bytes.length, sha256: sha256(bytes) });
      expect((await readAll(await store.read(key('big.bin')))).equals(bytes)).toBe(true);
      const stat = await store.stat(key('big.bin'));
      expect(stat?.size).toBe(bytes.length);
      expect(stat?.modifiedAt).toBeInstanceOf(Date);
    });

    test('stores an empty object', async () => {
      expect(await store.write(key('empty'), streamOf(Buffer.alloc(0)))).toEqual({ size: 0, sha256: sha256(Buffer.alloc(0)) });
      expect((await readAll(await store.read(key('empty')))).length).toBe(0);
      expect((await store.stat(key('empty')))?.size).toBe(0);
    });

    test('reads byte ranges: first, last, middle, to the end, past the end', async () => {
      const bytes = randomBuffer(MIB + 13);
      const size = bytes.length;
      await store.write(key('ranged'), streamOf(bytes));
      const range = async (start: number, end?: number) => readAll(await store.read(key('ranged'), { start, end }));
      expect(await range(0, 0)).toEqual(bytes.subarray(0, 1));
      expect(await range(size - 1, size - 1)).toEqual(bytes.subarray(size - 1));
      expect((await range(1000, 500_000)).equals(bytes.subarray(1000, 500_001))).toBe(true);
      expect((await range(size - 10)).equals(bytes.subarray(size - 10))).toBe(true);
      expect((await range(size - 5, size + 100)).equals(bytes.subarray(size - 5))).toBe(true);
      await expect(store.read(key('ranged'), { start: size })).rejects.toBeInstanceOf(BlobRangeError);
      await expect(store.read(key('ranged'), { start: 10, end: 9 })).rejects.toBeInstanceOf(BlobRangeError);
    });

    test('reports a missing object', async () => {
      expect(await store.stat(key('missing'))).toBeUndefined();
      await expect(store.read(key('missing'))).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(store.read(key('missing'), { start: 0, end: 0 })).rejects.toBeInstanceOf(BlobNotFoundError);
    });

    test('keeps a write invisible until it completes, then replaces the old object', async () => {
      const before = randomBuffer(3 * MIB);
      const after = randomBuffer(harness.inProgressBytes + 3 * MIB);
      await store.write(key('doc'), streamOf(before));
      const source = handFedSource();
      const writing = store.write(key('doc'), source.stream, { size: after.length });
      await source.feed(after.subarray(0, harness.inProgressBytes));
      expect((await readAll(await store.read(key('doc')))).equals(before)).toBe(true);
      expect((await store.stat(key('doc')))?.size).toBe(before.length);
      await source.feed(after.subarray(harness.inProgressBytes));
      source.end();
      expect(await writing).toEqual({ size: after.length, sha256: sha256(after) });
      expect((await readAll(await store.read(key('doc')))).equals(after)).toBe(true);
    });

    it('lets a reader opened before an overwrite finish with the old bytes or the new ones, never a mix', async (context) => {
      const reason = limited('readerDuringOverwrite');
      if (reason) context.skip(reason);
      folder = `t-${randomUUID()}/`;
      const before = randomBuffer(8 * MIB);
      const after = randomBuffer(8 * MIB);
      await store.write(key('doc'), streamOf(before));
      const reader = (await store.read(key('doc')))[Symbol.asyncIterator]();
      const first = await reader.next(); // the read has really started
      await store.write(key('doc'), streamOf(after));
      const rest: Buffer[] = [];
      for (let next = await reader.next(); !next.done; next = await reader.next()) rest.push(next.value as Buffer);
      const seen = Buffer.concat([first.value as Buffer, ...rest]);
      expect(seen.equals(before) || seen.equals(after)).toBe(true);
      expect((await readAll(await store.read(key('doc')))).equals(after)).toBe(true);
    });

    test('stores nothing when the write is aborted mid-stream, and keeps the old object', async () => {
      const old = randomBuffer(MIB);
      await store.write(key('kept'), streamOf(old));
      for (const target of [key('new'), key('kept')]) {
        const source = handFedSource();
        const controller = new AbortController();
        const writing = store.write(target, source.stream, { signal: controller.signal });
        await source.feed(randomBuffer(harness.inProgressBytes));
        controller.abort();
        await expect(writing).rejects.toMatchObject({ name: 'AbortError' });
      }
      expect(await store.stat(key('new'))).toBeUndefined();
      await expect(store.read(key('new'))).rejects.toBeInstanceOf(BlobNotFoundError);
      expect((await readAll(await store.read(key('kept')))).equals(old)).toBe(true);
      const alreadyAborted = AbortSignal.abort();
      await expect(store.write(key('new'), streamOf(old), { signal: alreadyAborted })).rejects.toMatchObject({ name: 'AbortError' });
      expect(await store.stat(key('new'))).toBeUndefined();
    });

    test('stores nothing when the source fails mid-stream, and keeps the old object', async () => {
      const old = randomBuffer(MIB);
      await store.write(key('kept'), streamOf(old));
      for (const target of [key('new'), key('kept')]) {
        const source = handFedSource();
        const writing = store.write(target, source.stream);
        await source.feed(randomBuffer(harness.inProgressBytes));
        source.fail(new Error('client went away'));
        await expect(writing).rejects.toThrow('client went away');
      }
      expect(await store.stat(key('new'))).toBeUndefined();
      expect((await readAll(await store.read(key('kept')))).equals(old)).toBe(true);
    });

    test('stores nothing when the stream is shorter or longer than the announced size', async () => {
      const bytes = randomBuffer(100_000);
      await expect(store.write(key('short'), streamOf(bytes), { size: bytes.length + 1 })).rejects.toBeInstanceOf(BlobSizeMismatchError);
      await expect(store.write(key('long'), streamOf(bytes), { size: bytes.length - 1 })).rejects.toBeInstanceOf(BlobSizeMismatchError);
      expect(await store.stat(key('short'))).toBeUndefined();
      expect(await store.stat(key('long'))).toBeUndefined();
    });

    test('deletes idempotently', async () => {
      await expect(store.delete(key('never-written'))).resolves.toBeUndefined();
      await store.write(key('a/b/doomed'), streamOf(randomBuffer(1000)));
      await store.delete(key('a/b/doomed'));
      expect(await store.stat(key('a/b/doomed'))).toBeUndefined();
      await expect(store.read(key('a/b/doomed'))).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(store.delete(key('a/b/doomed'))).resolves.toBeUndefined();
      await store.write(key('a/b/again'), streamOf(randomBuffer(10))); // the folder can be used again
      expect((await store.stat(key('a/b/again')))?.size).toBe(10);
    });

    test('lists and deletes a folder, and nothing that merely starts with the same letters', async () => {
      const keys = ['u1/a', 'u1/b/c', 'u1/b/d', 'u10/x', 'u1x'].map(key);
      for (const [index, each] of keys.entries()) await store.write(each, streamOf(randomBuffer(index + 1)));
      const listed = async (prefix: string) => {
        const entries = [];
        for await (const entry of store.list(prefix)) entries.push(entry);
        return entries.sort((a, b) => a.key.localeCompare(b.key));
      };
      expect((await listed(key('u1/'))).map((e) => [e.key, e.size])).toEqual([
        [key('u1/a'), 1],
        [key('u1/b/c'), 2],
        [key('u1/b/d'), 3],
      ]);
      expect((await listed(folder)).map((e) => e.key)).toEqual([...keys].sort((a, b) => a.localeCompare(b)));
      expect(await store.deletePrefix(key('u1/'))).toBe(3);
      expect(await listed(key('u1/'))).toEqual([]);
      expect((await listed(folder)).map((e) => e.key)).toEqual([key('u10/x'), key('u1x')]);
      expect(await store.deletePrefix(key('u1/'))).toBe(0);
      await expect(store.deletePrefix('')).rejects.toBeInstanceOf(BlobKeyError);
      await expect(store.deletePrefix(key('u1'))).rejects.toBeInstanceOf(BlobKeyError);
    });

    test('refuses keys that could escape the store', async () => {
      const bad = ['', '/etc/passwd', '../x', 'a/../../x', 'a/./b', 'a//b', 'a/', 'a\u0000b', 'a\\b', 'a\nb'];
      bad.push('k'.repeat(1025), `a/${'s'.repeat(256)}`);
      for (const each of bad) {
        await expect(store.write(each, streamOf(Buffer.from('x')))).rejects.toBeInstanceOf(BlobKeyError);
        await expect(store.read(each)).rejects.toBeInstanceOf(BlobKeyError);
        await expect(store.stat(each)).rejects.toBeInstanceOf(BlobKeyError);
        await expect(store.delete(each)).rejects.toBeInstanceOf(BlobKeyError);
      }
      await expect(store.deletePrefix('../')).rejects.toBeInstanceOf(BlobKeyError);
      await expect(async () => {
        for await (const _entry of store.list('/')) break;
      }).rejects.toBeInstanceOf(BlobKeyError);
    });

    it('sweeps incomplete data older than the given age and keeps younger data and its own writes', async (context) => {
      const reason = limited('sweepIncomplete');
      if (reason) context.skip(reason);
      folder = `t-${randomUUID()}/`;
      // `crashed` stands for a process that died mid-write; `later` is the next process, two hours on.
      const crashed = harness.open();
      const later = harness.open({ now: () => Date.now() + 2 * HOUR });
      const abandoned = handFedSource();
      const abandonedWrite = crashed.write(key('abandoned'), abandoned.stream);
      await abandoned.feed(randomBuffer(harness.inProgressBytes));
      const live = handFedSource();
      const liveBytes = randomBuffer(harness.inProgressBytes + 1000);
      const liveWrite = later.write(key('live'), live.stream);
      await live.feed(liveBytes.subarray(0, harness.inProgressBytes));

      expect(await later.sweepIncomplete(3 * HOUR)).toBe(0);
      expect(await later.sweepIncomplete(HOUR)).toBeGreaterThanOrEqual(1);

      await live.feed(liveBytes.subarray(harness.inProgressBytes));
      live.end();
      expect(await liveWrite).toEqual({ size: liveBytes.length, sha256: sha256(liveBytes) });
      abandoned.end();
      await expect(abandonedWrite).rejects.toThrow();
      expect(await store.stat(key('abandoned'))).toBeUndefined();
      await Promise.all([crashed.close(), later.close()]);
    });

    test('writes and reads 256 MiB with bounded memory', async () => {
      const bound = 100 * MIB;
      const baseline = process.memoryUsage();
      let peakRss = baseline.rss;
      let peakBuffers = baseline.arrayBuffers;
      const sample = () => {
        const now = process.memoryUsage();
        peakRss = Math.max(peakRss, now.rss);
        peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
      };
      const size = 256 * MIB;
      const generated = generatedStream(size, sample);
      const written = await store.write(key('huge'), generated.stream, { size });
      expect(written).toEqual({ size, sha256: generated.expectedSha256() });
      expect(await hashStream(await store.read(key('huge')), sample)).toEqual(written);
      expect(peakBuffers - baseline.arrayBuffers).toBeLessThan(bound);
      expect(peakRss - baseline.rss).toBeLessThan(bound);
      await store.delete(key('huge'));
    }, 120_000);
  });
}
