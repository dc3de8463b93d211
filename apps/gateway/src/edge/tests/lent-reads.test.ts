import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_SEED, int, seededRandom, type Rand } from './seeded-random';
import { responsesOf, startTestEdge, type TestEdge } from './harness';

/**
 * Small reads are lent from one region every socket reads into (http/owned-reads.ts): whatever the edge keeps past a
 * read, a write waiting in Node's queue included, must be a copy. Here the receiving side stops reading for a while,
 * so the edge's writes wait in that queue, while bytes keep arriving as small reads on several connections at once;
 * every byte that comes out is checked.
 */
const HOST = 'cloud.localhost';
const BODY = 4 * 1024 * 1024;
const CONNECTIONS = 3;
/** Long enough for the kernel's buffers between the edge and the side that does not read to fill up. */
const NOT_READING_MS = 400;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Writes `data` in pieces of 1 to 3,000 bytes, each once the last has gone out, so each arrives as a read of its own. */
async function trickle(socket: Socket, data: Buffer, rand: Rand): Promise<void> {
  for (let at = 0; at < data.length && !socket.destroyed;) {
    const piece = data.subarray(at, at + 1 + int(rand, 3000));
    at += piece.length;
    await new Promise<void>((resolve, reject) => socket.write(piece, (err) => (err ? reject(err) : setImmediate(resolve))));
  }
}

/** What the socket reads from now on, until it holds `length` bytes past the first empty line (or `length` bytes). */
function readUntil(socket: Socket, length: number, afterHead = true): Promise<{ head: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    let head: Buffer | undefined = afterHead ? Buffer.alloc(0) : undefined;
    let headText = '';
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer): void => {
      if (head !== undefined) {
        head = Buffer.concat([head, chunk]);
        const headEnd = head.indexOf('\r\n\r\n');
        if (headEnd === -1) return;
        headText = head.subarray(0, headEnd).toString('latin1');
        chunk = head.subarray(headEnd + 4);
        head = undefined;
      }
      chunks.push(chunk);
      total += chunk.length;
      if (total < length) return;
      socket.off('data', onData);
      resolve({ head: headText, body: Buffer.concat(chunks) });
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`closed after ${total} bytes`)));
  });
}

/** A raw upstream: `answer(path, socket)` runs once per connection, after its first request head (answers close it). */
async function startUpstream(answer: (path: string, socket: Socket) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    void readUntil(socket, 0).then(({ head, body }) => {
      socket.unshift(body);
      answer(head.split(' ')[1] ?? '/', socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function client(port: number, head: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.write(head);
  return socket;
}

describe(`edge lent reads (seed ${FUZZ_SEED})`, () => {
  const bodies = Array.from({ length: CONNECTIONS }, () => randomBytes(BODY));
  /** What each upgraded connection's upstream side received, by connection. */
  const upgradedReceived = new Map<number, Promise<Buffer>>();
  let upstream: { server: Server; url: string };
  let gw: TestEdge;

  beforeAll(async () => {
    upstream = await startUpstream((path, socket) => {
      const [, kind, index] = path.split('/');
      const i = Number(index);
      const body = bodies[i] as Buffer;
      const rand = seededRandom(FUZZ_SEED + i);
      if (kind === 'download') {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${BODY}\r\nConnection: close\r\n\r\n`);
        void trickle(socket, body, rand);
      } else if (kind === 'upload') {
        // Not reading for a while: the edge's writes of the body pile up in its queue.
        socket.pause();
        void sleep(NOT_READING_MS).then(async () => {
          const reading = readUntil(socket, BODY, false);
          socket.resume();
          const { body: received } = await reading;
          socket.end(`HTTP/1.1 200 OK\r\nContent-Length: 64\r\nConnection: close\r\n\r\n${sha256(received.subarray(0, BODY))}`);
        });
      } else {
        socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
        void trickle(socket, body, rand);
        socket.pause();
        upgradedReceived.set(
          i,
          sleep(NOT_READING_MS).then(async () => {
            const reading = readUntil(socket, BODY, false);
            socket.resume();
            return (await reading).body.subarray(0, BODY);
          }),
        );
      }
    });
    gw = await startTestEdge([{ host: HOST, pathPrefix: '/', target: upstream.url, stripPrefix: false }]);
  });
  afterAll(async () => {
    await gw.close();
    upstream.server.close();
  });

  const each = (run: (i: number) => Promise<void>): Promise<void[]> => Promise.all(bodies.map((_, i) => run(i)));

  it('relays response bodies that arrive in small reads to clients that are not reading yet', { timeout: 30_000 }, async () => {
    await each(async (i) => {
      const socket = await client(gw.edge.ports.http, `GET /download/${i} HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
      socket.pause();
      await sleep(NOT_READING_MS);
      const reading = readUntil(socket, BODY);
      socket.resume();
      const { head, body } = await reading;
      socket.destroy();
      expect(head).toMatch(/^HTTP\/1\.1 200 /);
      expect(sha256(body.subarray(0, BODY))).toBe(sha256(bodies[i] as Buffer));
    });
  });

  it('relays request bodies sent in small pieces to an upstream that is not reading yet', { timeout: 30_000 }, async () => {
    await each(async (i) => {
      const socket = await client(gw.edge.ports.http, `POST /upload/${i} HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: ${BODY}\r\n\r\n`);
      const answered = readUntil(socket, 64);
      await trickle(socket, bodies[i] as Buffer, seededRandom(FUZZ_SEED + 100 + i));
      const { head, body } = await answered;
      socket.destroy();
      expect(head).toMatch(/^HTTP\/1\.1 200 /);
      expect(body.toString('latin1')).toBe(sha256(bodies[i] as Buffer));
    });
  });

  it('relays both ways after an upgrade, each side sending small pieces while the other is not reading', { timeout: 30_000 }, async () => {
    await each(async (i) => {
      const socket = await client(
        gw.edge.ports.http,
        `GET /upgrade/${i} HTTP/1.1\r\nHost: ${HOST}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
      );
      const switched = await readUntil(socket, 0);
      expect(switched.head).toMatch(/^HTTP\/1\.1 101 /);
      socket.unshift(switched.body);
      socket.pause();
      const sending = trickle(socket, bodies[i] as Buffer, seededRandom(FUZZ_SEED + 200 + i));
      await sleep(NOT_READING_MS);
      const reading = readUntil(socket, BODY, false);
      socket.resume();
      const [{ body }] = await Promise.all([reading, sending]);
      expect(sha256(body.subarray(0, BODY))).toBe(sha256(bodies[i] as Buffer));
      expect(sha256(await (upgradedReceived.get(i) as Promise<Buffer>))).toBe(sha256(bodies[i] as Buffer));
      socket.destroy();
    });
  });
});

/** Answers each request on a connection in turn with its path as the body; some paths change how (see below). */
async function startPathUpstream(): Promise<{ server: Server; url: string }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let busy = false;
    const next = async (): Promise<void> => {
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (busy || headEnd === -1) return;
      const head = buffered.subarray(0, headEnd).toString('latin1');
      const bodyEnd = headEnd + 4 + Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffered.length < bodyEnd) return;
      buffered = buffered.subarray(bodyEnd);
      busy = true;
      const path = head.split(' ')[1] ?? '/';
      const response = `HTTP/1.1 200 OK\r\nContent-Length: ${path.length}\r\n\r\n${path}`;
      if (path.startsWith('/slow/')) await sleep(100);
      if (path.startsWith('/split/')) {
        // The head in two reads, so the edge keeps its first part until the rest comes.
        socket.write(response.slice(0, 20));
        await sleep(50);
        socket.write(response.slice(20));
      } else if (path.startsWith('/early/')) {
        socket.write(`HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n${response}`);
      } else socket.write(response);
      busy = false;
      return next();
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      void next();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('edge lent reads kept across reads: pipelined requests and heads in pieces', () => {
  let upstream: { server: Server; url: string };
  let gw: TestEdge;

  beforeAll(async () => {
    upstream = await startPathUpstream();
    gw = await startTestEdge([{ host: HOST, pathPrefix: '/', target: upstream.url, stripPrefix: false }]);
  });
  afterAll(async () => {
    await gw.close();
    upstream.server.close();
  });

  it('answers every request on a keep-alive connection in order, whichever read brought it', { timeout: 20_000 }, async () => {
    const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, i) => {
        const socket = connect(gw.edge.ports.http, '127.0.0.1');
        socket.on('error', () => undefined);
        await once(socket, 'connect');
        const next = responsesOf(socket);
        const bodies: string[] = [];
        /** Reads responses until `count` final ones (interim 1xx skipped) have come, and returns their bodies. */
        const bodiesUpTo = async (count: number): Promise<string[]> => {
          while (bodies.length < count) {
            const response = await next();
            if (!response.startsWith('HTTP/1.1 1')) bodies.push(response.slice(response.indexOf('\r\n\r\n') + 4));
          }
          return bodies;
        };
        const expected: string[] = [];
        const send = async (text: string, ...paths: string[]): Promise<void> => {
          expected.push(...paths);
          socket.write(text);
          await sleep(20);
        };
        await send(get(`/first/${i}`), `/first/${i}`);
        await bodiesUpTo(1);
        // A request that arrives while the one before waits for its (slow) answer.
        await send(get(`/slow/${i}`), `/slow/${i}`);
        await send(get(`/queued/${i}`), `/queued/${i}`);
        await bodiesUpTo(3);
        // A head in three reads, the first on its own.
        const pieces = get(`/pieces/${i}`);
        await send(pieces.slice(0, 7));
        await send(pieces.slice(7, 19));
        await send(pieces.slice(19), `/pieces/${i}`);
        // Two requests in one read, and a request with a body followed by another in one read.
        await send(get(`/two/${i}`) + get(`/second/${i}`), `/two/${i}`, `/second/${i}`);
        await send(
          `POST /body/${i} HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 5\r\n\r\nhello${get(`/after-body/${i}`)}`,
          `/body/${i}`,
          `/after-body/${i}`,
        );
        // Response heads in two reads, and an interim response in the same read as the final one.
        await send(get(`/split/${i}`), `/split/${i}`);
        await send(get(`/early/${i}`), `/early/${i}`);
        expect(await bodiesUpTo(expected.length)).toEqual(expected);
        socket.destroy();
      }),
    );
  });
});
