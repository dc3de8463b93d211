import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { text } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { multipartByteranges, type OpenRange } from './multipart-byteranges';
import type { ByteRange } from './range';

const FILE = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');
const SIZE = FILE.length;

/** Serves a range in 3-byte chunks, as a real ranged read would arrive in pieces. */
const openFromFile: OpenRange = (range) => {
  const bytes = FILE.subarray(range.start, range.end + 1);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += 3) chunks.push(bytes.subarray(offset, offset + 3));
  return Readable.from(chunks);
};

function build(ranges: ByteRange[], open: OpenRange = openFromFile, contentType = 'text/plain; charset=utf-8') {
  return multipartByteranges({ ranges, size: SIZE, contentType, open, boundary: 'BOUNDARY' });
}

describe('multipartByteranges', () => {
  it('writes each part with its Content-Type and Content-Range, and the close delimiter', async () => {
    const multipart = build([
      { start: 0, end: 3 },
      { start: 30, end: 35 },
    ]);
    const body = await text(multipart.body());
    expect(body).toBe(
      '--BOUNDARY\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-3/36\r\n\r\n0123' +
        '\r\n--BOUNDARY\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 30-35/36\r\n\r\nuvwxyz' +
        '\r\n--BOUNDARY--\r\n',
    );
    expect(multipart.contentType).toBe('multipart/byteranges; boundary=BOUNDARY');
  });

  it.each([
    [[{ start: 0, end: 0 }]],
    [
      [
        { start: 0, end: 35 },
        { start: 0, end: 0 },
      ],
    ],
    [Array.from({ length: 16 }, (_, i) => ({ start: i * 2, end: i * 2 }))],
  ])('computes the exact Content-Length up front for %j', async (ranges) => {
    const multipart = build(ranges);
    const bytes = Buffer.concat(await multipart.body().toArray());
    expect(bytes.length).toBe(multipart.contentLength);
  });

  it('chooses a new random boundary each time', () => {
    const options = { ranges: [{ start: 0, end: 1 }], size: SIZE, contentType: 'text/plain', open: openFromFile };
    const a = multipartByteranges(options).contentType;
    const b = multipartByteranges(options).contentType;
    expect(a).toMatch(/^multipart\/byteranges; boundary=[0-9a-f]{48}$/);
    expect(a).not.toBe(b);
  });

  it('opens one range at a time: the next only when the previous one has ended', async () => {
    const first = new PassThrough();
    const opened: number[] = [];
    const multipart = build(
      [
        { start: 0, end: 1 },
        { start: 10, end: 11 },
      ],
      (range) => {
        opened.push(range.start);
        return range.start === 0 ? first : openFromFile(range);
      },
    );
    const body = multipart.body();
    const received: Buffer[] = [];
    body.on('data', (chunk: Buffer) => received.push(chunk));
    first.write('01');
    await waitUntil(() => Buffer.concat(received).toString().endsWith('01'));
    expect(opened).toEqual([0]);
    first.end();
    await once(body, 'end');
    expect(opened).toEqual([0, 10]);
    expect(Buffer.concat(received).toString()).toContain('\r\n\r\nab\r\n--BOUNDARY--');
  });

  it('destroys the open range when the client goes away mid-part', async () => {
    let source: Readable | undefined;
    const multipart = build([{ start: 0, end: 35 }], (range) => {
      source = openFromFile(range) as Readable;
      return source;
    });
    const body = multipart.body();
    const iterator = body[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    body.destroy();
    await once(body, 'close');
    expect(source?.destroyed).toBe(true);
  });

  it('fails the body when a range yields fewer or more bytes than promised', async () => {
    const short = build([{ start: 0, end: 9 }], () => Readable.from([Buffer.from('01234')]));
    await expect(short.body().toArray()).rejects.toThrow('produced 5 of 10 bytes');
    const long = build([{ start: 0, end: 1 }], () => Readable.from([Buffer.from('0123')]));
    await expect(long.body().toArray()).rejects.toThrow('more than 2 bytes');
  });

  it('fails the body when opening a range fails', async () => {
    const failing = build([{ start: 0, end: 1 }], () => Promise.reject(new Error('blob gone')));
    await expect(failing.body().toArray()).rejects.toThrow('blob gone');
  });

  it.each([
    ['a part type with a line break', { contentType: 'text/plain\r\nX-Evil: 1' }, 'single line'],
    ['an empty boundary', { boundary: '' }, 'boundary'],
    ['a boundary over 70 characters', { boundary: 'b'.repeat(71) }, 'boundary'],
    ['a boundary with a line break', { boundary: 'a\r\nb' }, 'boundary'],
    ['no ranges', { ranges: [] }, 'at least one range'],
  ])('refuses %s', (_, override, message) => {
    const options = { ranges: [{ start: 0, end: 1 }], size: SIZE, contentType: 'text/plain', open: openFromFile, ...override };
    expect(() => multipartByteranges(options)).toThrow(message);
  });

  it('reaches a real HTTP client with the announced length and the right bytes', async () => {
    const multipart = build([
      { start: 5, end: 9 },
      { start: 20, end: 24 },
    ]);
    const server = createServer((_, res) => {
      res.writeHead(206, { 'Content-Type': multipart.contentType, 'Content-Length': multipart.contentLength });
      void pipeline(multipart.body(), res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const body = await response.text();
      expect(response.status).toBe(206);
      expect(Number(response.headers.get('content-length'))).toBe(body.length);
      expect(body).toContain('Content-Range: bytes 5-9/36\r\n\r\n56789\r\n');
      expect(body).toContain('Content-Range: bytes 20-24/36\r\n\r\nklmno\r\n--BOUNDARY--\r\n');
    } finally {
      server.close();
    }
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await nextTurn();
}
