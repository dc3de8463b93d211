import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptedPair, closePairServers, readAll } from '../tests/socket-pair';
import { canEmitResponse, canEmitUpstreamHead, writeEmittedResponse, writeEmittedUpstreamHead } from './emitted-heads';
import { clientResponseHead, connectionForwarding, emitUpstreamHead, upstreamHeadEmittable, upstreamRequestHead } from './heads';
import { parseCommonRequestHead } from './request-head-fast';
import { mintedRequestId } from './request-id';
import { commonResponseHeadLength, parseCommonResponseHead, readCommonResponseHead, type ResponseHead } from './response-head';

afterEach(closePairServers);

/** `response` (a head and what follows it, one read) scanned and read as the edge does: its head and where its body starts. */
function scanned(response: string): { resp: ResponseHead; bodyStart: number; length: number } {
  const bytes = Buffer.from(response, 'latin1');
  const n = commonResponseHeadLength(bytes);
  const resp = n === -1 ? undefined : readCommonResponseHead(bytes, response, n);
  if (resp === undefined) throw new Error(`not a common head: ${JSON.stringify(response)}`);
  return { resp, bodyStart: n + 2, length: response.length };
}

const NODE_HTTP =
  'HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Type: text/plain\r\nDate: Fri, 04 Dec 2026 14:00:00 GMT\r\n' +
  'Connection: keep-alive\r\nKeep-Alive: timeout=65\r\nContent-Length: 5\r\n\r\nhello';

describe('emitted heads', () => {
  it('are byte for byte the head the string path builds, with the body after it', async () => {
    const cases = [
      { response: NODE_HTTP, close: false },
      { response: NODE_HTTP, close: true },
      // Dropped fields first, last and together; an X-Request-ID of the upstream's is never forwarded.
      {
        response: 'HTTP/1.1 404 Not Found\r\nConnection: close\r\nX-Request-ID: theirs\r\nContent-Length: 2\r\nTE: x\r\n\r\nno',
        close: true,
      },
      { response: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nVary: Origin\r\n\r\n5\r\nhello\r\n0\r\n\r\n', close: false },
      { response: 'HTTP/1.1 204 No Content\r\n\r\n', close: false },
    ];
    for (const [i, { response, close }] of cases.entries()) {
      const { accepted, client } = await acceptedPair();
      const received = readAll(accepted);
      const { resp, bodyStart, length } = scanned(response);
      expect(resp.scannedParts).toBeGreaterThan(0);
      expect(canEmitResponse(client, length)).toBe(true);
      const number = 36 ** i * 35 + i + 1;
      expect(writeEmittedResponse(client, resp.scannedParts, number, resp.chunked, close, bodyStart, length)).toBe(true);
      client.end();
      const expected = clientResponseHead(resp, resp.lines, '', mintedRequestId(number), close) + response.slice(bodyStart);
      expect((await received).toString('latin1')).toBe(expected);
    }
  });

  it('keep their bytes while a write is unfinished, and meanwhile leave every response to the string path', async () => {
    const slow = await acceptedPair();
    const other = await acceptedPair();
    // A response as large as one read: the peer, not reading, stops taking them after a few megabytes.
    const response = `HTTP/1.1 200 OK\r\nContent-Length: 4000\r\n\r\n${'x'.repeat(3990)}0123456789`;
    const { resp, bodyStart, length } = scanned(response);
    let written = 0;
    let ok = true;
    while (ok) {
      expect(canEmitResponse(slow.client, length)).toBe(true);
      ok = writeEmittedResponse(slow.client, resp.scannedParts, written + 1, false, false, bodyStart, length);
      written++;
      expect(written).toBeLessThan(100_000);
    }
    // Unfinished: the region is taken, for this socket and every other.
    expect(canEmitResponse(slow.client, length)).toBe(false);
    expect(canEmitResponse(other.client, length)).toBe(false);
    const drained = once(slow.client, 'drain');
    const received = readAll(slow.accepted);
    await drained;
    expect(canEmitResponse(other.client, length)).toBe(true);
    slow.client.end();
    const expected = Array.from(
      { length: written },
      (_, i) => clientResponseHead(resp, resp.lines, '', mintedRequestId(i + 1), false) + response.slice(bodyStart),
    ).join('');
    const bytes = await received;
    expect(bytes.length).toBe(expected.length);
    expect(bytes.toString('latin1') === expected).toBe(true);
  });

  it('leave the upstream heads their own region: one is emitted while the responses are held', async () => {
    const slow = await acceptedPair();
    const response = `HTTP/1.1 200 OK\r\nContent-Length: 4000\r\n\r\n${'w'.repeat(4000)}`;
    const { resp, bodyStart, length } = scanned(response);
    let number = 1;
    while (writeEmittedResponse(slow.client, resp.scannedParts, number++, false, false, bodyStart, length))
      expect(number).toBeLessThan(100_000);
    const upstream = await acceptedPair();
    expect(canEmitResponse(upstream.client, length)).toBe(false);
    const request = 'GET /items?page=2 HTTP/1.1\r\nHost: Cloud.Localhost:8080\r\nConnection: keep-alive\r\nAccept: */*\r\n\r\n';
    const req = parseCommonRequestHead(Buffer.from(request, 'latin1'), request, request.length - 2);
    if (req === undefined) throw new Error('not a common head');
    const fwd = connectionForwarding('198.51.100.4', true);
    expect(upstreamHeadEmittable(req, req.target, 77, fwd)).toBe(true);
    expect(canEmitUpstreamHead(upstream.client, request.length)).toBe(true);
    const received = readAll(upstream.accepted);
    expect(writeEmittedUpstreamHead(upstream.client, req, 77, fwd, 1_733_000_000_000)).toBe(true);
    upstream.client.end();
    expect((await received).toString('latin1')).toBe(upstreamRequestHead(req, req.target, mintedRequestId(77), fwd, 1_733_000_000_000));
    const closed = once(slow.client, 'close');
    slow.client.destroy();
    await closed;
    expect(canEmitResponse(upstream.client, length)).toBe(false); // ended: no longer directly writable
  });

  it('carry each connection its own forwarding fields when connections from different addresses alternate', () => {
    const a = connectionForwarding('198.51.100.4', false);
    // Consecutive connections from one address share the fields (the module then copies nothing); another does not.
    expect(connectionForwarding('198.51.100.4', false)).toBe(a);
    const b = connectionForwarding('198.51.100.5', false); // as long as a's: told apart by content
    const c = connectionForwarding('198.51.100.5', true);
    expect(new Set([a, b, c]).size).toBe(3);
    const request = 'GET /x HTTP/1.1\r\nHost: cloud.localhost\r\nAccept: */*\r\n\r\n';
    for (const [i, fwd] of [a, a, b, c, a, c, c, b].entries()) {
      const req = parseCommonRequestHead(Buffer.from(request, 'latin1'), request, request.length - 2);
      if (req === undefined) throw new Error('not a common head');
      expect(upstreamHeadEmittable(req, req.target, i + 1, fwd)).toBe(true);
      const emitted = emitUpstreamHead(req, i + 1, fwd, 1_733_000_000_000).toString('latin1');
      expect(emitted).toBe(upstreamRequestHead(req, req.target, mintedRequestId(i + 1), fwd, 1_733_000_000_000));
    }
  });

  it('spell each id right when ids share a slot of the kept digits or differ only above 32 bits', () => {
    const fwd = connectionForwarding('198.51.100.4', false);
    const request = 'GET /x HTTP/1.1\r\nHost: cloud.localhost\r\n\r\n';
    // The module keeps recent ids' digits by their low six bits: these share a slot, and each comes back after
    // another took it; 2^32 + 5 has the low 32 bits of 5; the largest id has eleven digits.
    const ids = [5, 69, 5, 2 ** 32 + 5, 5, 69, Number.MAX_SAFE_INTEGER - 1, 36 ** 3, 36 ** 3 - 1, 2 ** 32 + 5];
    for (const id of ids) {
      const req = parseCommonRequestHead(Buffer.from(request, 'latin1'), request, request.length - 2);
      if (req === undefined) throw new Error('not a common head');
      const emitted = emitUpstreamHead(req, id, fwd, 1_733_000_000_000).toString('latin1');
      expect(emitted, String(id)).toBe(upstreamRequestHead(req, req.target, mintedRequestId(id), fwd, 1_733_000_000_000));
    }
  });

  it('free the region when the socket closes with a write unfinished', async () => {
    const { accepted, client } = await acceptedPair();
    const response = `HTTP/1.1 200 OK\r\nContent-Length: 4000\r\n\r\n${'y'.repeat(4000)}`;
    const { resp, bodyStart, length } = scanned(response);
    let number = 1;
    while (writeEmittedResponse(client, resp.scannedParts, number++, false, false, bodyStart, length)) expect(number).toBeLessThan(100_000);
    const other = await acceptedPair();
    expect(canEmitResponse(other.client, length)).toBe(false);
    const closed = once(client, 'close');
    client.destroy();
    accepted.destroy();
    await closed;
    expect(canEmitResponse(other.client, length)).toBe(true);
  });

  it('are refused when the scan did not take all of the read, or it would not fit the region', async () => {
    const { client } = await acceptedPair();
    const { length } = scanned(`HTTP/1.1 200 OK\r\nContent-Length: 4000\r\n\r\n${'z'.repeat(4000)}`);
    expect(canEmitResponse(client, length)).toBe(true);
    expect(canEmitResponse(client, length + 1)).toBe(false);
    // The head alone scanned (as the complete parsers' callers scan a head with a large body behind it).
    const large = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: 8000\r\n\r\n${'z'.repeat(8000)}`, 'latin1');
    const head = parseCommonResponseHead(large, large.toString('latin1'), large.indexOf('\r\n\r\n') + 2);
    expect(head?.scannedParts).toBe(1);
    expect(canEmitResponse(client, large.length)).toBe(false);
    scanned(large.toString('latin1'));
    expect(canEmitResponse(client, large.length)).toBe(false);
  });
});
