import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
