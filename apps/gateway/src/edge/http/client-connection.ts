import type { Socket } from 'node:net';
import { monotonicMs, type Sweepable } from '../clock';
import type { EdgeContext, ListenerInfo } from '../context';
import type { AddressSlot } from '../net/address-limits';
import { adoptOwnedReads } from './accepted-reads';
import { cacheKeyFor, isMutation, isStorable } from './cache-policy';
import { ChunkedScanner } from './chunked-scanner';
import {
  clientResponseHead,
  connectionForwarding,
  upstreamHeadEmittable,
  upstreamRequestHead,
  writeHeadAndBody,
  type ConnectionForwarding,
} from './heads';
import { headEndIn, searchableText, TEXT_SEARCH_LIMIT } from './head-search';
import { latin1Slice } from './buffer-latin1';
import { keepLogRequest } from './head-scanner';
import { acquireLogSlot, releaseLogSlot } from './log-slots';
import { removeFields } from './hop-by-hop';
import { parseAnyRequestHead, parseRequestHead, type RequestHead } from './request-head';
import { commonRequestHeadLength, readCommonRequestHead } from './request-head-fast';
import { writeBytes, writeLatin1 } from './direct-writes';
import { emitAsData, kept } from './owned-reads';
import { mintedRequestId, nextRequestNumber } from './request-id';
import { canEmitResponse, canEmitUpstreamHead, writeEmittedResponse, writeEmittedUpstreamHead } from './emitted-heads';
import {
  EDGE_ERRORS,
  jsonErrorResponse,
  PARSE_ERRORS,
  redirectResponse,
  upstreamTimeoutFor,
  upstreamUnavailable,
  type EdgeError,
} from './responses';
import {
  commonResponseHeadLength,
  parseAnyResponseHead,
  parseResponseHead,
  readCommonResponseHead,
  spellResponseHead,
  type ResponseHead,
} from './response-head';
import { resolveRequest } from './route-resolution';
import { stripPlatformSession } from './user-content';
import { spliceSockets } from './splice';
import type { UpstreamConn, UpstreamOwner, UpstreamTarget } from './upstream-pool';

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
const MAX_RESPONSE_HEAD = 64 * 1024;

const enum Phase {
  Head,
  Body,
  AwaitResponse,
  Upgraded,
  Closed,
}

const enum Deadline {
  None,
  Idle,
  Head,
  Body,
  /** The gateway stopped reading the body because the upstream does not take it: the upstream's fault (504). */
  UpstreamWrite,
}

const enum BodyMode {
  None,
  Length,
  Chunked,
  UntilClose,
}

function resumePending(conn: ClientConnection): void {
  conn.resumePending();
}

/**
 * One client connection speaking HTTP/1.1: parses request heads, proxies one exchange at a time to a
 * pooled upstream connection (pipelined requests wait in `pending`, in order), and streams bodies both
 * ways with back-pressure. All per-request state lives in fields of this object; nothing is allocated
 * per request beyond the parsed head and the strings that must be written.
 */
export class ClientConnection implements UpstreamOwner, Sweepable {
  private phase = Phase.Head;
  private pending: Buffer | null = null;
  private deadline = 0;
  private deadlineKind = Deadline.None;
  private upstreamDeadline = 0;
  /** Set while the client is not reading what we send (slow read): it must drain before this. */
  private sendDeadline = 0;

  // Current exchange.
  private req: RequestHead | null = null;
  /** The id the client sent, or '' (the request then has a minted id: requestId). */
  private clientRequestId = '';
  /** The minted id's number (request-id.ts), or 0 when the client sent the id. */
  private requestNumber = 0;
  /** The minted id's text once something asked for it (see requestId). */
  private mintedId = '';
  /** The log slot holding this request's method, host and path for its access log line (log-slots.ts), or -1. */
  private logSlot = -1;
  private routeLabel = '';
  /** monotonicMs() when the request head was complete; the upstream latency is counted from here too. */
  private startedAt = 0;
  /** monotonicMs() at the response head while it is being handled, else 0 (see onResponseHead). */
  private headAt = 0;
  private target: UpstreamTarget | null = null;
  /** The head sent upstream, or '' when it was emitted as bytes (dispatch). */
  private upstreamHead = '';
  /** The X-Request-Deadline the head sent upstream carries. */
  private sentDeadline = 0;
  private upstream: UpstreamConn | null = null;
  private retried = false;
  private reqMode = BodyMode.None;
  private reqRemaining = 0;
  private readonly reqScanner = new ChunkedScanner();
  private reqDone = true;
  // Minimum body rate (GATEWAY_BODY_MIN_BYTES_PER_SECOND): time paused for a slow upstream is not the client's.
  private bodyStartedAt = 0;
  private bodyBytes = 0;
  private bodyPausedMs = 0;
  private pausedForUpstreamAt = 0;
  private resp: ResponseHead | null = null;
  private respPending: Buffer | null = null;
  private respMode = BodyMode.None;
  private respRemaining = 0;
  private readonly respScanner = new ChunkedScanner();
  private status = 0;
  private bytesOut = 0;
  private headSent = false;
  private closeAfter = false;
  /** Destroy as soon as the answer is flushed, without waiting for the client to close (408). */
  private abortAfterWrite = false;
  private upstreamReusable = true;
  private cacheKey = '';
  private cacheBody: Buffer | null = null;
  private cacheFill = 0;
  private cacheLines = '';
  private cacheHit = false;
  private readonly forwarding: ConnectionForwarding;

  constructor(
    private readonly ctx: EdgeContext,
    readonly socket: Socket,
    private readonly listener: ListenerInfo,
    private readonly clientIp: string,
    /** Counted as pending (per address) until the first request head is complete; null after. */
    private slot: AddressSlot | null = null,
  ) {
    this.forwarding = connectionForwarding(clientIp, listener.secure);
  }

  start(firstBytes: Buffer): void {
    const socket = this.socket;
    socket.setNoDelay(true);
    if (!adoptOwnedReads(socket, this.onOwnedRead)) socket.on('data', this.onData);
    socket.on('drain', this.onClientDrain);
    socket.on('close', this.onClientClose);
    socket.on('error', noop);
    this.ctx.clock.add(this);
    this.setDeadline(Deadline.Idle);
    // Reading starts before the first bytes are handled, so a pause they cause (a body the upstream cannot take
    // yet, a pipelined request) is not undone here.
    socket.resume();
    if (firstBytes.length > 0) this.onData(firstBytes);
  }

  /** Graceful shutdown: idle connections close now, busy ones after their current exchange. */
  shutdown(): void {
    if (this.phase === Phase.Head && this.pending === null) this.socket.end();
    else this.closeAfter = true;
  }

  sweep(now: number): void {
    try {
      this.sweepDeadlines(now);
    } catch (err) {
      this.fault(err);
    }
  }

  private sweepDeadlines(now: number): void {
    if (this.deadlineKind !== Deadline.None && now >= this.deadline) this.onDeadline();
    if (this.deadlineKind === Deadline.Body && this.bodyTooSlow(now)) {
      this.deadlineKind = Deadline.None;
      this.abortAfterWrite = true;
      if (this.headSent) this.socket.destroy();
      else this.failUpstream(EDGE_ERRORS.bodyTimeout);
    }
    if (this.upstreamDeadline !== 0 && now >= this.upstreamDeadline) {
      this.upstreamDeadline = 0;
      this.failUpstream(upstreamTimeoutFor(this.req?.method));
    }
    if (this.sendDeadline !== 0 && now >= this.sendDeadline) {
      this.sendDeadline = 0;
      this.socket.destroy(); // 'close' then releases the upstream and logs the exchange
    }
  }

  /** Below the minimum body rate once the grace period is over (like Kestrel's MinRequestBodyDataRate)? */
  private bodyTooSlow(now: number): boolean {
    const s = this.ctx.settings;
    if (s.bodyMinBytesPerSecond === 0 || this.pausedForUpstreamAt !== 0) return false;
    const elapsed = now - this.bodyStartedAt - this.bodyPausedMs;
    return elapsed > s.bodyRateGraceMs && this.bodyBytes * 1000 < s.bodyMinBytesPerSecond * elapsed;
  }

  private setDeadline(kind: Deadline): void {
    this.deadlineKind = kind;
    const s = this.ctx.settings;
    // A head must arrive within the head timeout (slowloris); idle keep-alive and a stalled body get the idle timeout.
    this.deadline =
      this.ctx.clock.now +
      (kind === Deadline.Head ? s.headTimeoutMs : kind === Deadline.UpstreamWrite ? s.upstreamTimeoutMs : s.idleTimeoutMs);
  }

  private onDeadline(): void {
    const kind = this.deadlineKind;
    this.deadlineKind = Deadline.None;
    if (kind === Deadline.Idle) this.socket.destroy();
    else if (kind === Deadline.UpstreamWrite) this.failUpstream(upstreamTimeoutFor(this.req?.method));
    else {
      // A client that timed out does not keep its connection (and its per-address slot) until it closes it.
      this.abortAfterWrite = true;
      if (kind === Deadline.Head) this.respondLocal(jsonErrorResponse(EDGE_ERRORS.headTimeout, this.ctx.clock.date, '', true), 408, true);
      else if (this.headSent) this.socket.destroy();
      else this.failUpstream(EDGE_ERRORS.bodyTimeout);
    }
  }

  // ---------------------------------------------------------------- client side

  /**
   * Where a plain TCP client's reads arrive (accepted-reads.ts); TLS ones arrive as 'data' at onData. A small read
   * is lent (owned-reads.ts): every place below that keeps bytes past this call keeps `kept(...)` of them.
   */
  private readonly onOwnedRead = (chunk: Buffer): void => {
    // Once upgraded, the socket is spliced to the upstream: its reads go out as 'data', as any socket's.
    if (this.phase === Phase.Upgraded) emitAsData(this.socket, chunk);
    else this.onData(chunk);
  };

  private readonly onData = (chunk: Buffer): void => {
    try {
      this.handleClientBytes(chunk);
    } catch (err) {
      this.fault(err);
    }
  };

  /** A bug must cost one connection, never the process (and with it every other connection). */
  private fault(err: unknown): void {
    this.ctx.logger.error('edge connection failed', { error: err instanceof Error ? err.stack : String(err), requestId: this.requestId });
    const upstream = this.upstream;
    this.upstream = null;
    upstream?.destroy();
    this.phase = Phase.Closed;
    this.socket.destroy();
  }

  private handleClientBytes(chunk: Buffer): void {
    switch (this.phase) {
      case Phase.Head:
        this.onHeadBytes(chunk);
        return;
      case Phase.Body:
        if (this.pausedForUpstreamAt === 0) this.setDeadline(Deadline.Body);
        this.forwardBody(chunk, 0);
        return;
      case Phase.AwaitResponse:
        // A pipelined request: keep it (in order) until the current response is done.
        this.pending = this.pending === null ? kept(chunk) : Buffer.concat([this.pending, chunk]);
        this.socket.pause();
        return;
      default:
        return;
    }
  }

  private onHeadBytes(chunk: Buffer): void {
    let buf = chunk;
    let from = 0;
    if (this.pending !== null) {
      from = Math.max(0, this.pending.length - 3);
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    // RFC 9112 §2.2: ignore empty lines before a request line.
    let start = 0;
    while (start + 1 < buf.length && buf[start] === 13 && buf[start + 1] === 10) start += 2;
    if (start > 0) {
      buf = buf.subarray(start);
      from = 0;
    }
    const text = searchableText(buf);
    const limit = this.ctx.settings.maxHeadBytes;
    // The usual head: the scanner says where it ends, so there is nothing to search for.
    const common = text === undefined ? -1 : commonRequestHeadLength(buf);
    if (common !== -1 && common + 2 <= limit) {
      const req = readCommonRequestHead(buf, text as string, common);
      if (req !== undefined) return this.dispatch(req, buf, common + 2, text);
    }
    const headEnd = headEndIn(buf, text, from);
    if (headEnd === -1) {
      if (buf.length > limit) return this.rejectHead(EDGE_ERRORS.headTooLarge);
      if (buf.length > 0) {
        this.pending = kept(buf);
        if (this.deadlineKind !== Deadline.Head) this.setDeadline(Deadline.Head);
      }
      return;
    }
    if (headEnd + 4 > limit) return this.rejectHead(EDGE_ERRORS.headTooLarge);
    // With text, the fast path has already run on it above and declined this head: only the complete parser is left
    // (it decides every head the same way, tests/head-fast-paths.test.ts). Without text, parseRequestHead tries both.
    const req = text === undefined ? parseRequestHead(buf, headEnd) : parseAnyRequestHead(text.slice(0, headEnd + 2));
    if (typeof req === 'number') return this.rejectHead(PARSE_ERRORS[req]);
    this.dispatch(req, buf, headEnd + 4, text);
  }

  private rejectHead(error: EdgeError): void {
    this.startedAt = monotonicMs();
    this.clientRequestId = '';
    this.requestNumber = 0;
    this.routeLabel = 'none';
    this.respondLocal(jsonErrorResponse(error, this.ctx.clock.date, '', true), error.status, true);
  }

  /** A parsed request head at the start of `buf`; `text` is latin1 text of all of `buf` when the head search made one. */
  private dispatch(req: RequestHead, buf: Buffer, bodyStart: number, text: string | undefined): void {
    const ctx = this.ctx;
    this.startedAt = monotonicMs();
    this.deadlineKind = Deadline.None;
    if (this.slot !== null) {
      this.slot.settle();
      this.slot = null;
    }
    this.req = req;
    this.clientRequestId = req.requestId;
    this.requestNumber = req.requestId ? 0 : nextRequestNumber();
    this.mintedId = '';
    // A slot still held here belongs to an exchange that ended unlogged: it is refilled or given back.
    if (this.requestNumber !== 0 && ctx.accessLog?.keepsLines === true) this.keepLogRequest(req);
    else this.releaseLogSlot();
    this.routeLabel = 'none';
    this.status = 0;
    this.bytesOut = 0;
    this.headSent = false;
    this.retried = false;
    this.upstreamReusable = true;
    this.cacheKey = '';
    this.cacheHit = false;
    if (req.close || ctx.closing) this.closeAfter = true;
    if (req.chunked) {
      this.reqMode = BodyMode.Chunked;
      this.reqScanner.reset();
      this.reqDone = false;
    } else if (req.contentLength > 0) {
      this.reqMode = BodyMode.Length;
      this.reqRemaining = req.contentLength;
      this.reqDone = false;
    } else {
      this.reqMode = BodyMode.None;
      this.reqDone = true;
    }
    const hasBody = !this.reqDone;
    if (!hasBody && bodyStart < buf.length) {
      // Pipelined requests: kept (in order) until this exchange is done, whoever answers it.
      this.pending = kept(buf.subarray(bodyStart));
      this.socket.pause();
    }

    const route = resolveRequest(ctx, this.listener, req);
    if (route.kind === 'redirect') {
      return this.respondLocal(redirectResponse(route.location, ctx.clock.date, this.requestId, this.closeAfter || hasBody), 308, hasBody);
    }
    this.routeLabel = route.label;
    if (route.kind === 'local') return this.respondError(route.error, hasBody);
    this.target = route.target;

    const cache = ctx.cache;
    if (cache) {
      const key = cacheKeyFor(req);
      if (key && !req.noCache) {
        const hit = cache.get(key, ctx.clock.now);
        if (hit) return this.respondCached(hit.lines, hit.body, hit.storedAt, hasBody);
      }
      this.cacheKey = key;
      if (isMutation(req.method)) cache.evict(req.host + req.path);
    }

    if (route.userContent) req.lines = stripPlatformSession(req.lines);
    this.resp = null;
    this.respPending = null;
    const upstream = (this.upstream = ctx.pool.acquire(this.target, this));
    this.sentDeadline = ctx.clock.now + ctx.settings.upstreamTimeoutMs;
    // The usual head goes upstream as bytes built where it was read (emitted-heads.ts); the string is then made only
    // if it must be sent again (handleUpstreamError).
    if (
      this.reqDone &&
      route.userContent !== true &&
      upstreamHeadEmittable(req, route.upstreamPath, this.requestNumber, this.forwarding) &&
      canEmitUpstreamHead(upstream.socket, bodyStart)
    ) {
      this.upstreamHead = '';
      this.phase = Phase.AwaitResponse;
      this.upstreamDeadline = this.sentDeadline;
      writeEmittedUpstreamHead(upstream.socket, req, this.requestNumber, this.forwarding, this.sentDeadline);
      return;
    }
    this.upstreamHead = upstreamRequestHead(req, route.upstreamPath, this.requestId, this.forwarding, this.sentDeadline);
    if (this.reqDone) {
      this.phase = Phase.AwaitResponse;
      this.upstreamDeadline = this.sentDeadline;
      writeLatin1(upstream.socket, this.upstreamHead);
    } else {
      this.phase = Phase.Body;
      this.bodyStartedAt = ctx.clock.now;
      this.bodyBytes = 0;
      this.bodyPausedMs = 0;
      this.pausedForUpstreamAt = 0;
      this.setDeadline(Deadline.Body);
      if (bodyStart < buf.length) this.forwardBody(buf, bodyStart, this.upstreamHead, text);
      else writeLatin1(upstream.socket, this.upstreamHead);
    }
  }

  /**
   * Keeps the method, host and path of `req` for its access log line as bytes, while its head is still in the
   * scanner (access-log.ts writeKept); a request it cannot keep is logged from strings.
   */
  private keepLogRequest(req: RequestHead): void {
    if (this.logSlot === -1) this.logSlot = acquireLogSlot();
    if (this.logSlot !== -1 && !keepLogRequest(this.logSlot, req)) this.releaseLogSlot();
  }

  private releaseLogSlot(): void {
    if (this.logSlot === -1) return;
    releaseLogSlot(this.logSlot);
    this.logSlot = -1;
  }

  /**
   * The request's id as text. A minted id is spelled on first use: the usual exchange writes it into both heads and
   * its log line from its number (head-scanner.ts), and the base-36 string cost ~250 instructions a request.
   */
  private get requestId(): string {
    if (this.requestNumber === 0) return this.clientRequestId;
    if (this.mintedId === '') this.mintedId = mintedRequestId(this.requestNumber);
    return this.mintedId;
  }

  /** Streams request body bytes `buf[start..]` upstream (prefixed by `head` when given; `text` as in dispatch). */
  private forwardBody(buf: Buffer, start: number, head = '', text?: string): void {
    let end: number;
    if (this.reqMode === BodyMode.Length) {
      end = Math.min(buf.length, start + this.reqRemaining);
      this.reqRemaining -= end - start;
      if (this.reqRemaining === 0) this.reqDone = true;
    } else {
      end = this.reqScanner.scan(buf, start);
      if (end === -1) return this.failUpstream(EDGE_ERRORS.malformedChunkedBody);
      if (this.reqScanner.done) this.reqDone = true;
    }
    this.bodyBytes += end - start;
    const upstream = this.upstream;
    if (upstream) {
      const ok = head
        ? writeHeadAndBody(upstream.socket, head, buf, start, end, text)
        : writeBytes(upstream.socket, kept(start === 0 && end === buf.length ? buf : buf.subarray(start, end)));
      if (!ok) {
        this.socket.pause();
        if (!this.reqDone && this.pausedForUpstreamAt === 0) {
          this.pausedForUpstreamAt = this.ctx.clock.now;
          this.setDeadline(Deadline.UpstreamWrite);
        }
      }
    }
    if (!this.reqDone) return;
    if (this.phase === Phase.Body) {
      this.phase = Phase.AwaitResponse;
      this.deadlineKind = Deadline.None;
      this.upstreamDeadline = this.ctx.clock.now + this.ctx.settings.upstreamTimeoutMs;
    }
    if (end < buf.length) {
      this.pending = this.pending === null ? kept(buf.subarray(end)) : Buffer.concat([this.pending, buf.subarray(end)]);
      this.socket.pause();
    }
  }

  private readonly onClientDrain = (): void => {
    this.sendDeadline = 0;
    if (this.phase === Phase.Head && this.pending !== null) process.nextTick(resumePending, this);
    else this.upstream?.socket.resume();
  };

  onUpstreamDrain(): void {
    if (this.phase !== Phase.Body) return;
    this.socket.resume();
    if (this.pausedForUpstreamAt !== 0) {
      this.bodyPausedMs += this.ctx.clock.now - this.pausedForUpstreamAt;
      this.pausedForUpstreamAt = 0;
      this.setDeadline(Deadline.Body);
    }
  }

  private readonly onClientClose = (): void => {
    this.ctx.clock.delete(this);
    const upstream = this.upstream;
    if (upstream) {
      this.upstream = null;
      upstream.destroy();
      if (this.req && this.phase !== Phase.Upgraded && this.phase !== Phase.Closed) {
        this.status = this.headSent ? this.status : 499;
        this.logFinished();
      }
    }
    this.releaseLogSlot();
    this.phase = Phase.Closed;
    this.deadlineKind = Deadline.None;
    this.upstreamDeadline = 0;
    this.sendDeadline = 0;
  };

  // ---------------------------------------------------------------- upstream side

  onUpstreamData(chunk: Buffer): void {
    try {
      this.handleUpstreamBytes(chunk);
    } catch (err) {
      this.fault(err);
    }
  }

  private handleUpstreamBytes(chunk: Buffer): void {
    if (this.resp !== null) return this.forwardResponseBody(chunk, 0, '');
    let buf = chunk;
    let from = 0;
    if (this.respPending !== null) {
      from = Math.max(0, this.respPending.length - 3);
      buf = Buffer.concat([this.respPending, chunk]);
      this.respPending = null;
    }
    // The usual head: the scanner says where it ends, so there is nothing to search for, and it is read from its
    // bytes (its text is made only when it is not emitted, handleResponseHead).
    const common = buf.length <= TEXT_SEARCH_LIMIT ? commonResponseHeadLength(buf) : -1;
    let text: string | undefined;
    let fast = common === -1 ? undefined : readCommonResponseHead(buf, undefined, common);
    if (fast === undefined && common !== -1) {
      text = searchableText(buf);
      fast = readCommonResponseHead(buf, text, common);
    }
    if (fast !== undefined) return this.onResponseHead(fast, buf, common + 2, text);
    text ??= searchableText(buf);
    const headEnd = headEndIn(buf, text, from);
    if (headEnd === -1) {
      if (buf.length > MAX_RESPONSE_HEAD) return this.failUpstream(EDGE_ERRORS.upstreamHeadTooLarge);
      this.respPending = kept(buf);
      return;
    }
    // As for requests: with text, the fast path has seen and declined this head.
    const resp = text === undefined ? parseResponseHead(buf, headEnd) : parseAnyResponseHead(buf, text.slice(0, headEnd + 2));
    if (!resp) return this.failUpstream(EDGE_ERRORS.upstreamMalformed);
    this.onResponseHead(resp, buf, headEnd + 4, text);
  }

  /**
   * One clock reading for the head and, when the body came with it, for the end of the exchange: a response
   * finished in the same call is done within microseconds of its head, and a reading costs ~400 instructions.
   */
  private onResponseHead(resp: ResponseHead, buf: Buffer, bodyStart: number, text: string | undefined): void {
    this.headAt = monotonicMs();
    try {
      this.handleResponseHead(resp, buf, bodyStart, text);
    } finally {
      this.headAt = 0;
    }
  }

  /**
   * A parsed response head at the start of `buf`, whose body (or next head) starts at `bodyStart`; `text` is latin1
   * text of all of `buf` when the head search made one (searchableText).
   */
  private handleResponseHead(resp: ResponseHead, buf: Buffer, bodyStart: number, text: string | undefined): void {
    const req = this.req as RequestHead;
    if (resp.status < 200) {
      text = spelled(resp, buf, text);
      if (resp.status === 101) {
        // A switch the client did not ask for would leave both sides parsing different protocols.
        if (!req.upgrade) return this.failUpstream(EDGE_ERRORS.upstreamSwitchedUnasked);
        return this.upgrade(resp, buf, bodyStart);
      }
      // Interim response (100 Continue, 103 Early Hints): forward, then read the final one. HTTP/1.0
      // clients do not know 1xx (RFC 9110 §15.2).
      if (!req.http10) writeLatin1(this.socket, `${resp.statusLine}${resp.lines}\r\n`);
      // A client that sent `Expect: 100-continue` waited for this before sending its body: its rate clock starts now.
      if (this.phase === Phase.Body && this.bodyBytes === 0) this.bodyStartedAt = this.ctx.clock.now;
      // A copy: scanning part of a lent read would move it over itself (head-scanner.ts).
      if (bodyStart < buf.length) this.handleUpstreamBytes(kept(buf.subarray(bodyStart)));
      return;
    }
    this.upstreamDeadline = 0;
    this.ctx.metrics.upstreamLatency(((this.headAt || monotonicMs()) - this.startedAt) / 1000);
    this.resp = resp;
    this.status = resp.status;
    if (req.method === 'HEAD' || resp.status === 204 || resp.status === 304) this.respMode = BodyMode.None;
    else if (resp.chunked) {
      this.respMode = BodyMode.Chunked;
      this.respScanner.reset();
    } else if (resp.contentLength >= 0) {
      this.respMode = BodyMode.Length;
      this.respRemaining = resp.contentLength;
    } else {
      // Close-delimited (RFC 9112 §6.3 rule 8): so is our response to the client.
      this.respMode = BodyMode.UntilClose;
      this.closeAfter = true;
      this.upstreamReusable = false;
    }
    if (resp.close) this.upstreamReusable = false;

    let cacheFields = '';
    const store = this.cacheKey !== '' && isStorable(resp, this.respMode === BodyMode.Length);
    this.headSent = true;
    // The usual response (its head as read but the dropped fields, a minted id, the body in the same read) goes out
    // as bytes built where it was read (emitted-heads.ts); any other as a string.
    if (
      !store &&
      resp.scannedParts !== 0 &&
      this.requestNumber !== 0 &&
      (resp.transferEncoding === '' || resp.transferEncoding === 'chunked') &&
      canEmitResponse(this.socket, buf.length)
    )
      return this.forwardResponseBody(buf, bodyStart, '', text, resp.scannedParts);
    text = spelled(resp, buf, text);
    let lines = resp.lines;
    if (store) {
      // Stored copies must never be reused by the browser on its own (the gateway decides freshness): the upstream's
      // Cache-Control gives way to ours, here and in every answer from the cache.
      lines = removeFields(lines, ['cache-control']);
      cacheFields = 'Cache-Control: no-store\r\nX-Cache: MISS\r\n';
      this.cacheBody = Buffer.allocUnsafe(resp.contentLength);
      this.cacheFill = 0;
      this.cacheLines = lines;
    }
    const head = clientResponseHead(resp, lines, cacheFields, this.requestId, this.closeAfter);
    this.forwardResponseBody(buf, bodyStart, head, text);
  }

  /**
   * Forwards body bytes `buf[start..]`, after `head` when given, or after the head emitted from the scanner's
   * `emittedParts` kept parts (handleResponseHead); `text` as in handleResponseHead.
   */
  private forwardResponseBody(buf: Buffer, start: number, head: string, text?: string, emittedParts = 0): void {
    let end: number;
    let done = false;
    switch (this.respMode) {
      case BodyMode.None:
        end = start;
        done = true;
        break;
      case BodyMode.Length:
        end = Math.min(buf.length, start + this.respRemaining);
        this.respRemaining -= end - start;
        done = this.respRemaining === 0;
        break;
      case BodyMode.Chunked:
        end = this.respScanner.scan(buf, start);
        if (end === -1) {
          this.socket.destroy();
          return;
        }
        done = this.respScanner.done;
        break;
      default:
        end = buf.length;
    }
    if (end < buf.length) this.upstreamReusable = false; // bytes beyond the response: not a clean connection
    const bodyLength = end - start;
    this.bytesOut += bodyLength;
    const cacheBody = this.cacheBody;
    if (cacheBody !== null && bodyLength > 0) {
      buf.copy(cacheBody, this.cacheFill, start, end);
      this.cacheFill += bodyLength;
    }
    let ok: boolean;
    if (emittedParts !== 0) {
      const resp = this.resp as ResponseHead;
      ok = writeEmittedResponse(this.socket, emittedParts, this.requestNumber, resp.chunked, this.closeAfter, start, end);
    } else if (head) ok = bodyLength > 0 ? writeHeadAndBody(this.socket, head, buf, start, end, text) : writeLatin1(this.socket, head);
    else ok = bodyLength > 0 ? writeBytes(this.socket, kept(start === 0 && end === buf.length ? buf : buf.subarray(start, end))) : true;
    if (!ok && !done) {
      this.upstream?.socket.pause();
      // A client that never reads would hold the upstream connection forever (idle timeout, like nginx's send_timeout).
      if (this.sendDeadline === 0) this.sendDeadline = this.ctx.clock.now + this.ctx.settings.idleTimeoutMs;
    }
    if (done) this.finishExchange();
  }

  onUpstreamEnd(): void {
    try {
      this.handleUpstreamEnd();
    } catch (err) {
      this.fault(err);
    }
  }

  onUpstreamError(err: Error): void {
    try {
      this.handleUpstreamError(err);
    } catch (thrown) {
      this.fault(thrown);
    }
  }

  private handleUpstreamEnd(): void {
    if (this.resp !== null && this.respMode === BodyMode.UntilClose) {
      this.upstreamReusable = false;
      this.finishExchange();
      return;
    }
    this.handleUpstreamError(new Error('upstream closed the connection early'));
  }

  private handleUpstreamError(err: Error): void {
    const upstream = this.upstream;
    if (upstream === null) return;
    if (this.resp !== null) {
      // Mid-body: the client cannot be told anything but an abrupt close.
      this.upstream = null;
      upstream.destroy();
      this.socket.destroy();
      return;
    }
    // A pooled connection the upstream had just closed: replay once on a fresh connection when nothing
    // but the head was sent, unless the method is not idempotent: the upstream may have acted on it
    // before dying (RFC 9110 §9.2.2).
    const method = this.req?.method;
    const idempotent = method !== 'POST' && method !== 'PATCH';
    if (upstream.reused && !this.retried && idempotent && this.reqMode === BodyMode.None && this.respPending === null && this.target) {
      this.retried = true;
      upstream.destroy();
      this.upstream = this.ctx.pool.fresh(this.target, this);
      // An emitted head (dispatch) was sent as bytes, and only they were made: the same head, as a string.
      if (this.upstreamHead === '' && this.req !== null)
        this.upstreamHead = upstreamRequestHead(this.req, this.req.target, this.requestId, this.forwarding, this.sentDeadline);
      writeLatin1(this.upstream.socket, this.upstreamHead);
      return;
    }
    this.failUpstream(upstreamUnavailable((err as NodeJS.ErrnoException).code));
  }

  /** Abandons the upstream exchange and answers `error` if nothing was sent yet, else closes. */
  private failUpstream(error: EdgeError): void {
    const upstream = this.upstream;
    this.upstream = null;
    upstream?.destroy();
    this.upstreamDeadline = 0;
    if (this.headSent || this.phase === Phase.Closed || this.phase === Phase.Upgraded) {
      this.socket.destroy();
      return;
    }
    const close = this.closeAfter || !this.reqDone || error.status === 400 || error.status === 408;
    this.respondLocal(jsonErrorResponse(error, this.ctx.clock.date, this.requestId, close), error.status, close);
  }

  private upgrade(resp: ResponseHead, buf: Buffer, bodyStart: number): void {
    const upstream = this.upstream as UpstreamConn;
    this.upstream = null;
    this.upstreamDeadline = 0;
    this.deadlineKind = Deadline.None;
    this.status = 101;
    this.phase = Phase.Upgraded;
    this.ctx.clock.delete(this);
    const head = `${resp.statusLine}${resp.lines}Connection: Upgrade\r\nUpgrade: ${resp.upgrade}\r\nX-Request-ID: ${this.requestId}\r\n\r\n`;
    if (bodyStart < buf.length) writeHeadAndBody(this.socket, head, buf, bodyStart, buf.length);
    else this.socket.write(head, 'latin1');
    this.logFinished();
    const raw = upstream.detach();
    this.socket.off('data', this.onData);
    this.socket.off('drain', this.onClientDrain);
    if (this.pending !== null) {
      raw.write(this.pending);
      this.pending = null;
    }
    spliceSockets(this.socket, raw);
  }

  // ---------------------------------------------------------------- completion

  private respondError(error: EdgeError, hasBody: boolean): void {
    const close = this.closeAfter || hasBody;
    this.respondLocal(jsonErrorResponse(error, this.ctx.clock.date, this.requestId, close), error.status, close);
  }

  private respondCached(lines: string, body: Buffer, storedAt: number, hasBody: boolean): void {
    const close = this.closeAfter || hasBody;
    const age = Math.max(0, Math.floor((this.ctx.clock.now - storedAt) / 1000));
    const head =
      `HTTP/1.1 200 OK\r\n${lines}Cache-Control: no-store\r\nX-Cache: HIT\r\nAge: ${age}\r\n` +
      `X-Request-ID: ${this.requestId}\r\n${close ? 'Connection: close\r\n' : ''}\r\n`;
    this.cacheHit = true;
    this.bytesOut = body.length;
    this.respondLocal(null, 200, close, head, body);
  }

  private respondLocal(payload: Buffer | null, status: number, close: boolean, head = '', body?: Buffer): void {
    this.status = status;
    this.headSent = true;
    if (close) this.closeAfter = true;
    this.reqDone = true; // whatever body follows is not read: the connection closes (see `close`)
    if (payload) {
      // A HEAD answer has no body (RFC 9110 §9.3.2): the client would read ours as the next response.
      const out = this.req?.method === 'HEAD' ? payload.subarray(0, payload.indexOf(CRLFCRLF) + 4) : payload;
      this.bytesOut = out.length;
      writeBytes(this.socket, out);
    } else if (body) writeHeadAndBody(this.socket, head, body, 0, body.length);
    this.finishExchange();
  }

  private finishExchange(): void {
    const upstream = this.upstream;
    this.upstream = null;
    if (upstream) {
      if (this.upstreamReusable && this.reqDone) this.ctx.pool.release(upstream, this.ctx.clock.now);
      else upstream.destroy();
    }
    const cacheBody = this.cacheBody;
    if (cacheBody !== null) {
      this.cacheBody = null;
      if (this.cacheFill === cacheBody.length) this.ctx.cache?.set(this.cacheKey, this.cacheLines, cacheBody, this.ctx.clock.now);
    }
    const req = this.req;
    // Evict again once a mutation is done: a GET that raced it must not leave the old copy behind.
    if (req !== null && this.ctx.cache && isMutation(req.method)) this.ctx.cache.evict(req.host + req.path);
    this.logFinished();
    this.req = null;
    this.resp = null;
    this.respPending = null;
    this.upstreamDeadline = 0;
    if (this.closeAfter || !this.reqDone || this.ctx.closing) {
      this.phase = Phase.Closed;
      this.deadlineKind = Deadline.None;
      if (this.abortAfterWrite) {
        const socket = this.socket;
        socket.end(() => socket.destroy());
      } else this.socket.end();
      // A client that never reads must not keep the socket forever.
      this.socket.setTimeout(this.ctx.settings.headTimeoutMs, () => this.socket.destroy());
      return;
    }
    this.phase = Phase.Head;
    this.setDeadline(Deadline.Idle);
    // Pipelined requests wait until the client has read the answers so far (see onClientDrain): cached
    // answers must not pile up in memory for a client that sends requests and never reads.
    if (this.pending !== null) {
      if (!this.socket.writableNeedDrain) process.nextTick(resumePending, this);
    } else if (this.socket.isPaused()) {
      // Only a socket paused during the exchange needs it: resume() on a flowing one still costs two megamorphic
      // loads in Node's stream code (~500 instructions a request, gateway-instructions.ts).
      this.socket.resume();
    }
  }

  /** Continues with pipelined bytes received while the previous exchange was running. */
  resumePending(): void {
    if (this.phase !== Phase.Head) return;
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    this.socket.resume();
    this.onData(pending);
  }

  private logFinished(): void {
    const ctx = this.ctx;
    const endedAt = this.headAt || monotonicMs();
    const seconds = (endedAt - this.startedAt) / 1000;
    ctx.metrics.requestFinished(this.routeLabel, this.status, seconds);
    const log = ctx.accessLog;
    const slot = this.logSlot;
    if (log === undefined) return this.releaseLogSlot();
    const atMs = endedAt + ctx.clock.wallOffset;
    const hundredths = Math.round(seconds * 100_000);
    // A request kept as bytes (keepLogRequest) is logged from them: the usual line is built without strings.
    if (slot !== -1) {
      const written = log.writeKept(
        slot,
        this.requestNumber,
        this.routeLabel,
        this.status,
        this.bytesOut,
        hundredths,
        this.clientIp,
        this.cacheHit,
        atMs,
      );
      this.releaseLogSlot();
      if (written) return;
    }
    const req = this.req;
    log.write({
      requestId: this.requestId,
      method: req?.method ?? '',
      host: req?.host ?? '',
      path: req?.path ?? '',
      route: this.routeLabel,
      status: this.status,
      bytes: this.bytesOut,
      durationMs: hundredths / 100,
      client: this.clientIp,
      cacheHit: this.cacheHit,
      atMs,
    });
  }
}

/**
 * `text`, or latin1 text of all of `buf` when the head was read without it (readCommonResponseHead), whose statusLine
 * and lines are then filled in from it: for every use of a response head but emitting it.
 */
function spelled(resp: ResponseHead, buf: Buffer, text: string | undefined): string | undefined {
  if (resp.statusLine !== '') return text;
  const spelledText = text ?? latin1Slice(buf, 0, buf.length);
  spellResponseHead(resp, spelledText);
  return spelledText;
}

function noop(): void {
  // socket errors are followed by 'close', where the connection is cleaned up
}
