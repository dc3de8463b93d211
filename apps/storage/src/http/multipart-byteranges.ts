import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { contentRange, type ByteRange } from './range';

/** Opens the bytes of one range (`start`–`end` included), e.g. the blob store's ranged read. */
export type OpenRange = (range: ByteRange) => AsyncIterable<Uint8Array> | Promise<AsyncIterable<Uint8Array>>;

export interface MultipartByterangesOptions {
  ranges: readonly ByteRange[];
  /** The whole file's size, for each part's `Content-Range`. */
  size: number;
  /** The file's stored media type, for each part's `Content-Type`. */
  contentType: string;
  open: OpenRange;
  /** Fixed only by tests; otherwise random so that no file can contain the delimiter by design. */
  boundary?: string;
}

/** What a 206 with several ranges sends: the headers, known before the first byte, and the streamed body. */
export interface MultipartByteranges {
  /** `multipart/byteranges; boundary=…` */
  contentType: string;
  contentLength: number;
  /** Opens one range at a time, when the previous one is sent, so memory stays bounded whatever the ranges. */
  body: () => Readable;
}

const CRLF = '\r\n';
// RFC 2046 §5.1.1: 1–70 bchars (a space is allowed too, but not last; we never need one).
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=?]{1,70}$/;

/**
 * RFC 9110 §14.6 / §15.3.7.2: each part is a delimiter line, `Content-Type` and `Content-Range`, a blank line and the
 * bytes; the body ends with the close delimiter. The length is exact, so the response carries `Content-Length`
 * and a client can tell a cut transfer from a finished one.
 */
export function multipartByteranges(options: MultipartByterangesOptions): MultipartByteranges {
  const boundary = options.boundary ?? randomBytes(24).toString('hex');
  if (!BOUNDARY.test(boundary)) throw new Error('a multipart boundary is 1–70 characters of RFC 2046 bchars');
  // The stored type is validated on upload, but a line break here would let a file forge part headers.
  if (/[\r\n]/.test(options.contentType)) throw new Error('a part Content-Type must be a single line');
  if (options.ranges.length === 0) throw new Error('multipart/byteranges needs at least one range');

  const heads = options.ranges.map((range, index) =>
    Buffer.from(
      `${index === 0 ? '' : CRLF}--${boundary}${CRLF}` +
        `Content-Type: ${options.contentType}${CRLF}` +
        `Content-Range: ${contentRange(range, options.size)}${CRLF}${CRLF}`,
      'latin1',
    ),
  );
  const tail = Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'latin1');
  const contentLength =
    heads.reduce((sum, head) => sum + head.length, 0) +
    options.ranges.reduce((sum, range) => sum + (range.end - range.start + 1), 0) +
    tail.length;

  async function* parts(): AsyncGenerator<Uint8Array> {
    for (const [index, range] of options.ranges.entries()) {
      yield heads[index] ?? Buffer.alloc(0);
      const expected = range.end - range.start + 1;
      let sent = 0;
      for await (const chunk of await options.open(range)) {
        sent += chunk.byteLength;
        // Content-Length is already promised: more or fewer bytes than the range would corrupt the body.
        if (sent > expected) throw new Error(`range ${range.start}-${range.end} produced more than ${expected} bytes`);
        yield chunk;
      }
      if (sent !== expected) throw new Error(`range ${range.start}-${range.end} produced ${sent} of ${expected} bytes`);
    }
    yield tail;
  }

  return {
    contentType: `multipart/byteranges; boundary=${boundary}`,
    contentLength,
    body: () => Readable.from(parts(), { objectMode: false }),
  };
}
