/**
 * Finds where a chunked message body ends (RFC 9112 §7.1) without decoding it: the proxy passes the
 * chunks through untouched and only needs to know which byte is the last one of this message.
 */
const enum State {
  Size,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  TrailerLine,
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
          else if (c === 59 /* ; */ || c === 32 || c === 9) this.state = State.Extension;
          else return -1;
          break;
        }
        case State.Extension: {
          const c = buf[i];
          if (c === 13) this.state = State.SizeLf;
          else if (c === 10 || ++this.meta > MAX_META_BYTES) return -1;
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
          const c = buf[i];
          if (c === 13) this.state = State.FinalLf;
          else if (c === 10) return -1;
          else this.state = State.TrailerLine;
          break;
        }
        case State.TrailerLine: {
          const c = buf[i];
          if (c === 13) this.state = State.TrailerLf;
          else if (c === 10 || ++this.meta > MAX_META_BYTES) return -1;
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
