import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { flushed } from './channel-pipe';

/** A writable that, like an ssh2 channel without window, keeps a write's callback until `open()`: mark 2 MiB. */
function windowed(): Writable & { open(): void; written: number } {
  const held: Array<() => void> = [];
  let isOpen = false;
  const stream = new Writable({
    highWaterMark: 2 * 1024 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      const done = (): void => {
        result.written += chunk.length;
        callback();
      };
      if (isOpen) done();
      else held.push(done);
    },
  });
  const result = Object.assign(stream, {
    written: 0,
    open(): void {
      isOpen = true;
      for (const done of held.splice(0)) done();
    },
  });
  return result;
}

const turns = (n: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, n));

describe('flushed', () => {
  it('resolves at once when nothing waits to be written', async () => {
    const stream = windowed();
    stream.open();
    stream.write(Buffer.alloc(10));
    await flushed(stream);
    expect(stream.written).toBe(10);
  });

  it('waits for data held below the high-water mark, which never emits drain', async () => {
    const stream = windowed();
    expect(stream.write(Buffer.alloc(64 * 1024))).toBe(true);
    let resolved = false;
    const wait = flushed(stream).then(() => (resolved = true));
    await turns(20);
    expect(resolved).toBe(false);
    stream.open();
    await wait;
    expect(stream.written).toBe(64 * 1024);
    expect(stream.writableLength).toBe(0);
  });

  it('waits for data over the mark too', async () => {
    const stream = windowed();
    expect(stream.write(Buffer.alloc(3 * 1024 * 1024))).toBe(false);
    const wait = flushed(stream);
    stream.open();
    await wait;
    expect(stream.written).toBe(3 * 1024 * 1024);
  });

  it('waits for the data of a stream already ended (a pipe ends it) until it finished', async () => {
    const stream = windowed();
    stream.end(Buffer.alloc(64 * 1024));
    let resolved = false;
    const wait = flushed(stream).then(() => (resolved = true));
    await turns(20);
    expect(resolved).toBe(false);
    stream.open();
    await wait;
    expect(stream.written).toBe(64 * 1024);
  });

  it('resolves when the owner closes while the data can no longer go out', async () => {
    const stream = windowed();
    const owner = Object.assign(new EventEmitter(), { destroyed: false }) as unknown as Writable;
    stream.write(Buffer.alloc(1024));
    const wait = flushed(stream, owner);
    owner.emit('close');
    await wait;
    expect(stream.written).toBe(0);
  });
});
