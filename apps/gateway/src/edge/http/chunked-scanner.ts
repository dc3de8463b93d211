import { isTokenByte } from './field-name';

/**
 * Finds where a chunked message body ends (RFC 9112 §7.1) without decoding it: the proxy passes the
 * chunks through untouched and only needs to know which byte is the last one of this message.
 *
 * As strict as llhttp (what the services parse with), so both always agree where a message ends: the size is
 * hex digits only, no whitespace anywhere in the line (llhttp refuses RFC 9112's BWS before `;`), extensions
 * are `;name[=token|"quoted"]`, trailer lines are `name: value` without control bytes.
 */
const enum State {
  Size,
  ExtStart,
  ExtName,
  ExtValueStart,
  ExtToken,
  ExtQuoted,
  ExtQuotedPair,
  ExtAfterQuoted,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  TrailerName,
  TrailerValue,
  TrailerLf,
  FinalLf,
  Done,
}

const MAX_SIZE_DIGITS = 13; // 2^52: more than any body we stream
const MAX_META_BYTES = 16 * 1024; // extensions + trailers per message

export class ChunkedScanner {
  private state = State.Size;
  private remaining = 0;
  private digits = 0;
  private meta = 0;
  private lastChunk = false;

  get done(): boolean {
    return this.state === State.Done;
  }

  reset(): void {
    this.state = State.Size;
    this.remaining = 0;
    this.digits = 0;
    this.meta = 0;
    this.lastChunk = false;
  }

  /**
   * Scans `buf[start..]`. Returns the index just past the message's last byte when it ends inside `buf`,
   * `buf.length` when all of it belongs to the message and more is expected, or -1 when malformed.
   */
  scan(buf: Buffer, start: number): number {
    let i = start;
    const n = buf.length;
    while (i < n) {
      switch (this.state) {
        case State.Data: {
          const take = Math.min(this.remaining, n - i);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.DataCr;
          continue;
        }
        case State.Size: {
          const c = buf[i] as number;
          const hex = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
          if (hex >= 0) {
            if (++this.digits > MAX_SIZE_DIGITS) return -1;
            this.remaining = this.remaining * 16 + hex;
          } else if (this.digits === 0) return -1;
          else if (c === 13) this.state = State.SizeLf;
          else if (c === 59 /* ; */) this.state = State.ExtStart;
          else return -1;
          break;
        }
        case State.ExtStart:
          if (++this.meta > MAX_META_BYTES || !isTokenByte(buf[i] as number)) return -1;
          this.state = State.ExtName;
          break;
        case State.ExtName:
        case State.ExtToken: {
          const c = buf[i] as number;
          if (++this.meta > MAX_META_BYTES) return -1;
          if (isTokenByte(c)) break;
          if (c === 13) this.state = State.SizeLf;
          else if (c === 59) this.state = State.ExtStart;
          else if (c === 61 /* = */ && this.state === State.ExtName) this.state = State.ExtValueStart;
          else return -1;
          break;
        }
        case State.ExtValueStart: {
          const c = buf[i] as number;
          if (++this.meta > MAX_META_BYTES) return -1;
          if (c === 34 /* " */) this.state = State.ExtQuoted;
          else if (isTokenByte(c)) this.state = State.ExtToken;
          else return -1;
          break;
        }
        case State.ExtQuoted: {
          // qdtext (RFC 9110 §5.6.4): HTAB, SP, visible ASCII but " and \, obs-text.
          const c = buf[i] as number;
          if (++this.meta > MAX_META_BYTES) return -1;
          if (c === 34) this.state = State.ExtAfterQuoted;
          else if (c === 92 /* \ */) this.state = State.ExtQuotedPair;
          else if ((c < 32 && c !== 9) || c === 127) return -1;
          break;
        }
        case State.ExtQuotedPair: {
          const c = buf[i] as number;
          if (++this.meta > MAX_META_BYTES || (c < 32 && c !== 9) || c === 127) return -1;
          this.state = State.ExtQuoted;
          break;
        }
        case State.ExtAfterQuoted: {
          const c = buf[i];
          if (c === 13) this.state = State.SizeLf;
          else if (c === 59) this.state = State.ExtStart;
          else return -1;
          break;
        }
        case State.SizeLf:
          if (buf[i] !== 10) return -1;
          this.digits = 0;
          if (this.remaining === 0) {
            this.lastChunk = true;
            this.state = State.TrailerStart;
          } else this.state = State.Data;
          break;
        case State.DataCr:
          if (buf[i] !== 13) return -1;
          this.state = State.DataLf;
          break;
        case State.DataLf:
          if (buf[i] !== 10) return -1;
          this.state = State.Size;
          break;
        case State.TrailerStart: {
          // A bare LF here would hide the next request inside a "trailer" from us, not from a lenient upstream.
          const c = buf[i] as number;
          if (c === 13) this.state = State.FinalLf;
          else if (++this.meta > MAX_META_BYTES || !isTokenByte(c)) return -1;
          else this.state = State.TrailerName;
          break;
        }
        case State.TrailerName: {
          const c = buf[i] as number;
          if (++this.meta > MAX_META_BYTES) return -1;
          if (c === 58 /* : */) this.state = State.TrailerValue;
          else if (!isTokenByte(c)) return -1;
          break;
        }
        case State.TrailerValue: {
          const c = buf[i] as number;
          if (c === 13) this.state = State.TrailerLf;
          else if (++this.meta > MAX_META_BYTES || (c < 32 && c !== 9) || c === 127) return -1;
          break;
        }
        case State.TrailerLf:
          if (buf[i] !== 10) return -1;
          this.state = State.TrailerStart;
          break;
        case State.FinalLf:
          if (buf[i] !== 10) return -1;
          this.state = State.Done;
          return i + 1;
        case State.Done:
          return i;
      }
      i++;
    }
    return this.lastChunk && this.state === State.Done ? i : n;
  }
}
