import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { servePieces } from '../tests/piece-server';
import { UpstreamPool, type UpstreamConn, type UpstreamOwner, type UpstreamTarget } from './upstream-pool';

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

describe('UpstreamPool.acquire', () => {
  it('never hands out again a connection the upstream ended or reset, or that was destroyed or handed over', async () => {
    const held = new Set<Socket>();
    const s = createServer((socket) => {
      held.add(socket);
      socket.on('error', () => undefined);
    });
    s.listen(0, '127.0.0.1');
    await once(s, 'listening');
    try {
      const pool = new UpstreamPool();
      const target = pool.targetFor(`http://127.0.0.1:${(s.address() as AddressInfo).port}`) as UpstreamTarget;
      const conns = [0, 1, 2, 3, 4].map(() => pool.acquire(target, noOwner));
      await Promise.all(conns.map((conn) => once(conn.socket, 'connect')));
      while (held.size < conns.length) await new Promise((resolve) => setTimeout(resolve, 5));
      const [ended, reset, destroyed, detached, healthy] = conns as [UpstreamConn, UpstreamConn, UpstreamConn, UpstreamConn, UpstreamConn];
      const serverSide = (conn: UpstreamConn) => [...held].find((socket) => socket.remotePort === conn.socket.localPort) as Socket;
      // Each is released after what ends it, as an exchange that held it would: the reset first (ECONNRESET reaches the
      // connection's own 'error' listener; only its close is awaited here), then the FIN, whose 'end' comes before the
      // socket closes: the release and the acquires below run as soon as that listener returns, before the close.
      const resetSeen = new Promise((resolve) => reset.socket.once('close', resolve));
      serverSide(reset).resetAndDestroy();
      await resetSeen;
      await new Promise<void>((resolve) => {
        ended.socket.once('end', () => {
          expect(ended.socket.destroyed).toBe(false);
          resolve();
        });
        serverSide(ended).end();
      });
      // The healthy one first: the pool hands out the most recently released, so every other is tried before it.
      for (const conn of [healthy, ended, reset, destroyed, detached]) pool.release(conn, 0);
      destroyed.destroy();
      detached.detach().destroy();
      expect(pool.acquire(target, noOwner)).toBe(healthy);
      const fresh = pool.acquire(target, noOwner);
      expect(conns).not.toContain(fresh);
      for (const conn of [...conns, fresh]) conn.socket.destroy();
    } finally {
      for (const socket of held) socket.destroy();
      s.close();
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
