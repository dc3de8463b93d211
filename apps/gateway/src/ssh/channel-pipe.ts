import type { Readable, Writable } from 'node:stream';

/** Counts bytes crossing the gateway and notes activity (the idle timeout). */
export interface TrafficMeter {
  /** Client → container. */
  inbound(bytes: number): void;
  /** Container → client. */
  outbound(bytes: number): void;
}

/**
 * `from.pipe(to)` with a byte count. pipe() stops reading `from` while `to` is over its high-water mark, and an
 * ssh2 channel that is not read sends no window adjust (nor does keepWindowOpen, see channel-window.ts), so the
 * sender stops: memory per direction stays bounded by the stream buffer (2 MiB) plus one receive window (2 MiB),
 * however slow the reader.
 */
export function meteredPipe(from: Readable, to: Writable, count: (bytes: number) => void, end = true): void {
  from.on('data', (chunk: Buffer) => count(chunk.length));
  from.pipe(to, { end });
}

const EMPTY = Buffer.alloc(0);

/**
 * Resolves once `stream` holds nothing left to write (so a later control message cannot overtake data), or once
 * `gone` (the stream, or the channel that owns it) closed. Not 'drain': a stream emits that only after a write found
 * it over its high-water mark, and an ssh2 channel (mark 2 MiB) often holds less, waiting for its peer's window, so
 * a wait for 'drain' could last forever. An empty write is a barrier instead: its callback runs once everything
 * before it was written, and ssh2 sends no packet for it. A stream already ended (a pipe ends it) takes no more
 * writes: its 'finish' says the same.
 */
export function flushed(stream: Writable, gone: Writable = stream): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed || gone.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      gone.off('close', done);
      stream.off('finish', done);
      resolve();
    };
    gone.once('close', done);
    if (stream.writableEnded) stream.once('finish', done);
    else stream.write(EMPTY, done);
  });
}

/** Resolves when a readable has delivered everything (or was torn down). */
export function ended(stream: Readable): Promise<void> {
  if (stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('end', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('end', done);
    stream.once('close', done);
  });
}
