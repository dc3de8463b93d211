/**
 * The access log: one JSON line per request in the same shape @edd/logger writes
 * ({"time","level","service","msg",...fields}), but built by hand and written in batches.
 *
 * Why not Logger.info per request: measured at 8-9 µs per call (field copies, redaction regexes, a
 * Date, JSON.stringify, a stream write each) against a whole-request budget of 35 µs. Here a line
 * costs about a microsecond, and lines leave in one write per FLUSH_MS (or per 64 KiB): a busy gateway
 * does not pay a write syscall per request. close() flushes what is left.
 * Lines are copied into an off-heap buffer as they are made, not appended to a string: a batch held in a
 * string (a rope of every line's pieces) outlived young-generation collections, so the scavenger copied and
 * promoted it, and old-generation marking then cleaned it up (see the gateway README, "Performance").
 * Nothing credential-like is ever logged: the path is logged without its query string.
 */
export interface AccessRecord {
  requestId: string;
  method: string;
  host: string;
  path: string;
  route: string;
  status: number;
  bytes: number;
  durationMs: number;
  client: string;
  cacheHit: boolean;
}

export interface LineSink {
  /** Receives whole lines; the chunk is not reused afterwards. */
  write(chunk: Uint8Array): unknown;
}

const MAX_BATCH = 64 * 1024;
const FLUSH_MS = 50;
/** "000Z" … "999Z": the milliseconds of an ISO time, so only one Date per second is formatted. */
const MILLIS_Z = Array.from({ length: 1000 }, (_, ms) => `${String(ms).padStart(3, '0')}Z`);
/** What JSON.stringify escapes: `"`, backslash, C0 controls, lone surrogates (matched per UTF-16 unit). */
// eslint-disable-next-line no-control-regex -- control bytes are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\x00-\x1f\ud800-\udfff]/;

/** A JSON string literal; the common case (nothing to escape) skips JSON.stringify. */
function jsonString(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

export class AccessLog {
  private batch = Buffer.allocUnsafe(MAX_BATCH);
  private used = 0;
  private scheduled = false;
  private lastSecond = -1;
  /** "YYYY-MM-DDTHH:MM:SS." of lastSecond. */
  private secondIso = '';
  private readonly prefix: string;
  private lastRoute = '';
  private lastRouteJson = '""';

  constructor(
    private readonly sink: LineSink,
    service = 'gateway',
  ) {
    this.prefix = `","level":"info","service":${JSON.stringify(service)},"msg":"request","component":"access","requestId":`;
  }

  write(r: AccessRecord): void {
    const now = Date.now();
    const second = Math.floor(now / 1000);
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      this.secondIso = new Date(second * 1000).toISOString().slice(0, 20);
    }
    // Routes are few and their labels the same strings each time: one check per new label, not per line.
    if (r.route !== this.lastRoute) {
      this.lastRoute = r.route;
      this.lastRouteJson = jsonString(r.route);
    }
    // One check for the three per-request strings (they nearly never need escaping), not one regex call each.
    const plain = !NEEDS_ESCAPE.test(`${r.requestId}${r.host}${r.path}`);
    const line =
      `{"time":"${this.secondIso}${MILLIS_Z[now - second * 1000] as string}${this.prefix}${plain ? `"${r.requestId}"` : jsonString(r.requestId)},` +
      `"method":"${r.method}","host":${plain ? `"${r.host}"` : jsonString(r.host)},"path":${plain ? `"${r.path}"` : jsonString(r.path)},` +
      `"route":${this.lastRouteJson},"status":${r.status},"bytes":${r.bytes},` +
      `"durationMs":${r.durationMs},"client":"${r.client}"${r.cacheHit ? ',"cache":"HIT"' : ''}}\n`;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: flush first unless the line surely fits.
    if (this.used + line.length * 3 > MAX_BATCH) {
      this.flush();
      if (line.length * 3 > MAX_BATCH) {
        this.sink.write(Buffer.from(line, 'utf8'));
        return;
      }
    }
    this.used += this.batch.write(line, this.used, 'utf8');
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(flushLog, FLUSH_MS, this).unref();
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.used === 0) return;
    // The sink may hold the chunk (a stream's queue): it gets this buffer, and lines go to a new one.
    const out = this.batch.subarray(0, this.used);
    this.batch = Buffer.allocUnsafe(MAX_BATCH);
    this.used = 0;
    this.sink.write(out);
  }
}

function flushLog(log: AccessLog): void {
  log.flush();
}
