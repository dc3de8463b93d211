import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { keepWindowOpen, RECEIVE_WINDOW, SOCKET_BACKLOG } from './channel-window';

/**
 * Stand-ins with the ssh2 fields keepWindowOpen uses (incoming.window, outgoing, _client._protocol, _client._sock):
 * the window logic against real streams, without the timing of a real SSH connection.
 */
function sendingChannel() {
  const adjusts: number[] = [];
  const channel = Object.assign(new PassThrough(), {
    incoming: { window: RECEIVE_WINDOW },
    outgoing: { id: 7, state: 'open' },
    _client: { _protocol: { channelWindowAdjust: (_id: number, amount: number) => void adjusts.push(amount) } },
  });
  // What ssh2 does with a data packet: the window shrinks, the data is pushed to the channel's reader.
  const receive = (bytes: number): void => {
    channel.incoming.window -= bytes;
    channel.write(Buffer.alloc(bytes));
  };
  return { channel, adjusts, receive };
}

/** A writable that holds every write until `release()`, like a socket whose peer does not read. */
function heldWritable(highWaterMark = 16 * 1024) {
  const held: Array<() => void> = [];
  const stream = new Writable({ highWaterMark, write: (_chunk, _encoding, done) => void held.push(done) });
  const release = (): void => {
    for (const done of held.splice(0)) done();
  };
  return { stream, release };
}

const EIGHTH = RECEIVE_WINDOW / 8;
/** Lets the streams deliver what was written (a PassThrough emits its data after the write returns). */
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('keepWindowOpen', () => {
  it('tops the window up once an eighth of it was used, while the destination takes data', async () => {
    const { channel, adjusts, receive } = sendingChannel();
    const destination = new PassThrough().resume();
    channel.pipe(destination);
    keepWindowOpen(channel, [channel], [destination]);
    receive(EIGHTH - 1);
    await tick();
    expect(adjusts).toEqual([]);
    receive(1);
    await tick();
    expect(adjusts).toEqual([EIGHTH]);
    expect(channel.incoming.window).toBe(RECEIVE_WINDOW);
  });

  it("stops while the destination's socket holds more than SOCKET_BACKLOG, and goes on at that socket's drain", async () => {
    const { channel, adjusts, receive } = sendingChannel();
    const socket = heldWritable();
    const destination = Object.assign(new PassThrough().resume(), { _client: { _sock: socket.stream } });
    channel.pipe(destination);
    keepWindowOpen(channel, [channel], [destination]);
    socket.stream.write(Buffer.alloc(SOCKET_BACKLOG + 1));
    receive(EIGHTH * 2);
    await tick();
    expect(adjusts).toEqual([]);
    const drained = new Promise((resolve) => socket.stream.once('drain', resolve));
    socket.release();
    await drained;
    expect(adjusts).toEqual([EIGHTH * 2]);
  });

  it('stops while a destination is over its high-water mark, so a reader that stops stops the sender', async () => {
    const { channel, adjusts, receive } = sendingChannel();
    const destination = heldWritable(EIGHTH);
    channel.pipe(destination.stream);
    keepWindowOpen(channel, [channel], [destination.stream]);
    for (let i = 0; i < 8; i++) {
      receive(EIGHTH);
      await tick();
    }
    // The first chunk filled the destination and stays there: the window is not topped up and runs out.
    expect(adjusts).toEqual([]);
    expect(channel.incoming.window).toBe(0);
    const drained = new Promise((resolve) => destination.stream.once('drain', resolve));
    while (destination.stream.writableLength > 0) {
      destination.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await drained;
    expect(channel.incoming.window).toBe(RECEIVE_WINDOW);
  });

  it('keeps only an eighth open while a destination queues more than SOCKET_BACKLOG below its mark, never none', async () => {
    const { channel, adjusts, receive } = sendingChannel();
    // A channel whose peer's window is short: it queues, far below its mark, so it sends no 'drain'.
    const destination = heldWritable(2 * RECEIVE_WINDOW);
    channel.pipe(destination.stream);
    keepWindowOpen(channel, [channel], [destination.stream]);
    for (let i = 0; i < 100; i++) {
      receive(32 * 1024);
      await tick();
      expect(channel.incoming.window).toBeGreaterThan(0);
    }
    expect(destination.stream.writableLength).toBeGreaterThan(SOCKET_BACKLOG);
    expect(channel.incoming.window).toBeLessThanOrEqual(EIGHTH);
    expect(adjusts.length).toBeGreaterThan(1);
  });

  it('leaves a stream without the ssh2 fields alone', () => {
    const channel = new PassThrough();
    expect(() => keepWindowOpen(channel, [channel], [new PassThrough()])).not.toThrow();
  });
});
