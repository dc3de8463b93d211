import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_SLOTS } from '../http/head-scanner';
import { freeLogSlots } from '../http/log-slots';
import { startTestEdge, startUpstream, type TestEdge } from './harness';

const HOST = 'slow.test';

describe('a client that closes its side before the response starts', () => {
  let edge: TestEdge;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  const aborted: string[] = [];

  beforeAll(async () => {
    // Answers after 300 ms, and notes a request whose connection went away before that.
    upstream = await startUpstream((req, res) => {
      const timer = setTimeout(() => res.end('late'), 300);
      res.on('close', () => {
        if (!res.writableFinished) {
          clearTimeout(timer);
          aborted.push(req.url ?? '');
        }
      });
    });
    edge = await startTestEdge([{ host: HOST, pathPrefix: '/', target: upstream.url, stripPrefix: false }]);
  });
  afterAll(async () => {
    await edge?.close();
    await upstream?.close();
  });

  it('gets no answer, the upstream request is dropped and the access log says 499 (as nginx does)', async () => {
    const socket = connect(edge.edge.ports.http, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // The whole request, then a FIN (`nc -N`).
    socket.end(`GET /half-closed HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
    await closed;
    expect(Buffer.concat(chunks).length).toBe(0);

    await expect.poll(() => aborted, { timeout: 2_000 }).toEqual(['/half-closed']);
    const line = edge.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['path'] === '/half-closed');
    expect(line).toMatchObject({ status: 499, bytes: 0, host: HOST });
  });

  it('holds a log slot per request in flight and frees it when the line is written or the connection goes', async () => {
    // The edge's log is the only one in this file, so it owns the scanner's region and keeps requests in slots.
    expect(freeLogSlots()).toBe(LOG_SLOTS);
    const answered = connect(edge.edge.ports.http, '127.0.0.1');
    let answer = '';
    answered.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    // The host name is logged lower-cased and without its port, the path without its query.
    answered.write('GET /kept?q=1 HTTP/1.1\r\nHost: SLOW.test:80\r\n\r\n');
    const dropped = connect(edge.edge.ports.http, '127.0.0.1');
    dropped.write(`GET /dropped HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
    await expect.poll(() => freeLogSlots(), { timeout: 2_000 }).toBe(LOG_SLOTS - 2);
    dropped.destroy();
    await expect.poll(() => freeLogSlots(), { timeout: 2_000 }).toBe(LOG_SLOTS - 1);
    await expect.poll(() => answer.endsWith('\r\n\r\nlate'), { timeout: 2_000 }).toBe(true);
    expect(freeLogSlots()).toBe(LOG_SLOTS);
    answered.destroy();
    await expect
      .poll(
        () =>
          edge.logLines
            .map((l) => JSON.parse(l) as Record<string, unknown>)
            .filter((l) => l['component'] === 'access' && l['path'] !== '/half-closed'),
        { timeout: 2_000 },
      )
      .toEqual([
        expect.objectContaining({ method: 'GET', host: HOST, path: '/dropped', status: 499 }),
        expect.objectContaining({ method: 'GET', host: HOST, path: '/kept', status: 200, bytes: 4 }),
      ]);
  });
});
