import { copyFile, open, stat, truncate } from 'node:fs/promises';
import { sleep } from './process-supervision';

/**
 * The sandbox writes output.log with O_APPEND and outlives compute, so rotation is copy-then-truncate (as logrotate's
 * copytruncate): the writer carries on at the new end. Lines written between the copy and the truncate are lost.
 */
export async function rotateIfLarge(file: string, maxBytes: number): Promise<boolean> {
  const size = await stat(file).then(
    (info) => info.size,
    () => 0,
  );
  if (size <= maxBytes) return false;
  await copyFile(file, `${file}.1`);
  await truncate(file, 0);
  return true;
}

/** The last `count` lines of a file, reading at most `maxBytes` from its end. */
export async function lastLines(file: string, count: number, maxBytes = 256 * 1024): Promise<{ lines: string[]; end: number }> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return { lines: [], end: 0 };
  try {
    const { size } = await handle.stat();
    if (count <= 0) return { lines: [], end: size };
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    // A partial first line (the read started mid-line) is dropped unless the whole file was read.
    if (length < size) lines.shift();
    return { lines: lines.slice(-count), end: size };
  } finally {
    await handle.close();
  }
}

/** History then, with `follow`, new lines as they are appended (polling: survives truncation by rotation). */
export async function* readLog(
  file: string,
  options: { tail: number; follow: boolean; signal: AbortSignal; pollMs?: number },
): AsyncGenerator<string> {
  const { lines, end } = await lastLines(file, options.tail);
  for (const line of lines) {
    if (options.signal.aborted) return;
    yield line;
  }
  if (!options.follow) return;
  let position = end;
  let pending = '';
  while (!options.signal.aborted) {
    const size = await stat(file).then(
      (info) => info.size,
      () => 0,
    );
    if (size < position) position = 0;
    if (size > position) {
      const handle = await open(file, 'r');
      try {
        const buffer = Buffer.alloc(Math.min(size - position, 1 << 20));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        position += bytesRead;
        pending += buffer.subarray(0, bytesRead).toString('utf8');
      } finally {
        await handle.close();
      }
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) {
        if (options.signal.aborted) return;
        yield line;
      }
      continue;
    }
    await sleep(options.pollMs ?? 200);
  }
}
