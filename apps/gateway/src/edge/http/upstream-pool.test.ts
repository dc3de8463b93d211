import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { servePieces } from '../tests/piece-server';
import { UpstreamPool, type UpstreamOwner, type UpstreamTarget } from './upstream-pool';

let server: { close(): void } | undefined;
afterEach(() => server?.close());

const noOwner: UpstreamOwner = {
  onUpstreamData: () => undefined,
  onUpstreamEnd: () => undefined,
  onUpstreamError: () => undefined,
  onUpstreamDrain: () => undefined,
};

describe('UpstreamConn.detach', () => {
  it("hands its new holder every read as 'data' it may keep, small (lent) reads included", async () => {
    // Small pieces, each sent once the one before has arrived, so each is a read of its own into the shared region.
    const pieces = Array.from({ length: 20 }, (_, i) => randomBytes(50 + i * 97));
    const chunks: Buffer[] = [];
    const served = await servePieces(pieces, () => chunks.reduce((n, c) => n + c.length, 0));
    server = served;
    const pool = new UpstreamPool();
    const target = pool.targetFor(`http://127.0.0.1:${served.port}`) as UpstreamTarget;
    const raw = pool.acquire(target, noOwner).detach();
    // Kept as they come, as a piped socket's queued writes keep them.
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    await once(raw, 'end');
    raw.destroy();
    expect(Buffer.concat(chunks).equals(Buffer.concat(pieces))).toBe(true);
  });
});
