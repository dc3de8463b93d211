import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
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

describe('UpstreamPool', () => {
  it('keeps each target its own idle connections when requests alternate between targets', async () => {
    const servers = await Promise.all([listening(), listening()]);
    try {
      const pool = new UpstreamPool();
      const [a, b] = servers.map(({ port }) => pool.targetFor(`http://127.0.0.1:${port}`) as UpstreamTarget);
      expect(pool.targetFor('not a target')).toBeUndefined();
      expect(pool.targetFor(`http://127.0.0.1:${servers[0]!.port}`)).toBe(a);
      const connA = pool.acquire(a!, noOwner);
      const connB = pool.acquire(b!, noOwner);
      await Promise.all([once(connA.socket, 'connect'), once(connB.socket, 'connect')]);
      for (let round = 0; round < 3; round++) {
        pool.release(connA, 0);
        pool.release(connB, 0);
        // Each target gets its own connection back, whichever was released or asked for last.
        if (round % 2 === 0) {
          expect(pool.acquire(a!, noOwner)).toBe(connA);
          expect(pool.acquire(b!, noOwner)).toBe(connB);
        } else {
          expect(pool.acquire(b!, noOwner)).toBe(connB);
          expect(pool.acquire(a!, noOwner)).toBe(connA);
        }
      }
      connA.destroy();
      connB.destroy();
    } finally {
      for (const s of servers) s.close();
    }
  });
});

/** A TCP server on a free loopback port that holds the connections it accepts. */
async function listening(): Promise<{ port: number; close(): void }> {
  const sockets = new Set<Socket>();
  const s = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  return {
    port: (s.address() as AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      s.close();
    },
  };
}
