import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { emitAsData, ownedChunkReads, readThroughHandle } from './owned-reads';

function connectOwned(target: UpstreamTarget, deliver: (chunk: Buffer) => void): Socket {
  const reads = ownedChunkReads(deliver);
  const socket = netConnect({ host: target.host, port: target.port, onread: reads });
  readThroughHandle(socket, reads);
  return socket;
}

/** Whoever is using an upstream connection right now receives its events (one owner at a time). */
export interface UpstreamOwner {
  onUpstreamData(chunk: Buffer): void;
  onUpstreamEnd(): void;
  onUpstreamError(err: Error): void;
  onUpstreamDrain(): void;
}

export interface UpstreamTarget {
  key: string;
  host: string;
  port: number;
  secure: boolean;
}

/**
 * One keep-alive connection to an upstream. Its listeners are attached once, for its whole life, and
 * forward to the current owner: a pooled request costs no listener churn and no closures. A plain TCP
 * connection reads through `ownedChunkReads` (no Readable machinery per read); TLS ones through 'data'.
 */
export class UpstreamConn {
  readonly socket: Socket;
  owner: UpstreamOwner | null = null;
  /** True once it has carried a response: a failure before any response byte may then be retried. */
  reused = false;
  idleSince = 0;
  /**
   * False once the upstream ended or reset it, or it was closed, destroyed or handed over: it must not carry another
   * request. The pool checks this rather than the socket's `destroyed` and `writable`, getters that read two stream
   * state objects the edge's direct reads and writes otherwise never touch (cold in the cache: ~0.4 % of the busy
   * time under load in a CPU profile, for a check that always passes).
   */
  open = true;
  /** Handed over by detach(): reads are then re-emitted as 'data' for the socket's new holder. */
  private detached = false;

  constructor(
    readonly target: UpstreamTarget,
    private readonly pool: UpstreamPool,
  ) {
    this.socket = target.secure
      ? tlsConnect({ host: target.host, port: target.port, servername: target.host, ALPNProtocols: ['http/1.1'] })
      : connectOwned(target, this.onRead);
    this.socket.setNoDelay(true);
    if (target.secure) this.socket.on('data', this.onData);
    this.socket.on('end', this.onEnd);
    this.socket.on('error', this.onError);
    this.socket.on('close', this.onClose);
    this.socket.on('drain', this.onDrain);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.owner) this.owner.onUpstreamData(chunk);
    else this.destroy(); // bytes on an idle connection: the upstream is confused, do not reuse it
  };

  private readonly onRead = (chunk: Buffer): void => {
    // A socket with `onread` never emits 'data' itself; once detached, its holder expects it to.
    if (this.detached) emitAsData(this.socket, chunk);
    else this.onData(chunk);
  };

  private readonly onEnd = (): void => {
    this.open = false;
    const owner = this.owner;
    if (owner) owner.onUpstreamEnd();
    else this.destroy();
  };

  private readonly onError = (err: Error): void => {
    this.open = false;
    const owner = this.owner;
    this.owner = null;
    if (owner) owner.onUpstreamError(err);
    this.destroy();
  };

  private readonly onClose = (): void => {
    this.open = false;
    const owner = this.owner;
    this.owner = null;
    this.pool.forget(this);
    if (owner) owner.onUpstreamError(new Error('upstream closed the connection'));
  };

  private readonly onDrain = (): void => {
    this.owner?.onUpstreamDrain();
  };

  /** Hands the raw socket over (WebSocket splice): this object stops listening to it. */
  detach(): Socket {
    this.open = false;
    this.owner = null;
    this.detached = true;
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('error', this.onError);
    this.socket.off('close', this.onClose);
    this.socket.off('drain', this.onDrain);
    this.pool.forget(this);
    return this.socket;
  }

  destroy(): void {
    this.open = false;
    this.owner = null;
    this.pool.forget(this);
    this.socket.destroy();
  }
}

const MAX_IDLE_PER_TARGET = 512;

/** Keep-alive connections per upstream target, most recently used first. */
export class UpstreamPool {
  private readonly idle = new Map<string, UpstreamConn[]>();
  private readonly parsed = new Map<string, UpstreamTarget | null>();
  /**
   * The last target parsed or looked up and the last idle list, by their strings: requests come in runs to one
   * upstream, whose route's target and key are the same string objects each time, so a comparison is all they cost
   * (each map lookup hashed and compared ~60 instructions, three a request).
   */
  private lastUrl = '';
  private lastTarget: UpstreamTarget | null = null;
  private lastKey = '';
  private lastList: UpstreamConn[] = [];

  constructor(private readonly idleTimeoutMs = 4_000) {}

  /** Parses a route target ("http://127.0.0.1:4001", "https://h:443" or "h:port") once, then from memory. */
  targetFor(url: string): UpstreamTarget | undefined {
    if (url === this.lastUrl) return this.lastTarget ?? undefined;
    let target = this.parsed.get(url);
    if (target === undefined) {
      target = parseTarget(url);
      this.parsed.set(url, target);
    }
    this.lastUrl = url;
    this.lastTarget = target;
    return target ?? undefined;
  }

  targetForAddress(host: string, port: number): UpstreamTarget {
    return this.targetFor(`http://${host.includes(':') ? `[${host}]` : host}:${port}`) as UpstreamTarget;
  }

  acquire(target: UpstreamTarget, owner: UpstreamOwner): UpstreamConn {
    const list = this.idleList(target.key);
    let conn: UpstreamConn | undefined;
    while (list.length > 0) {
      const candidate = list.pop() as UpstreamConn;
      if (candidate.open) {
        conn = candidate;
        break;
      }
    }
    conn ??= new UpstreamConn(target, this);
    conn.owner = owner;
    return conn;
  }

  /** Opens a fresh connection (the retry after a pooled connection turned out to be closed). */
  fresh(target: UpstreamTarget, owner: UpstreamOwner): UpstreamConn {
    const conn = new UpstreamConn(target, this);
    conn.owner = owner;
    return conn;
  }

  release(conn: UpstreamConn, now: number): void {
    conn.owner = null;
    conn.reused = true;
    conn.idleSince = now;
    const list = this.idleList(conn.target.key);
    if (list.length >= MAX_IDLE_PER_TARGET) conn.destroy();
    else list.push(conn);
  }

  /** The idle connections to the target with this key, most recently used last (lists are kept once made). */
  private idleList(key: string): UpstreamConn[] {
    if (key === this.lastKey) return this.lastList;
    let list = this.idle.get(key);
    if (list === undefined) this.idle.set(key, (list = []));
    this.lastKey = key;
    this.lastList = list;
    return list;
  }

  forget(conn: UpstreamConn): void {
    const list = this.idle.get(conn.target.key);
    if (!list) return;
    const i = list.indexOf(conn);
    if (i !== -1) list.splice(i, 1);
  }

  /** Closes connections idle for longer than the upstreams are likely to keep them (Node's default is 5 s). */
  sweep(now: number): void {
    for (const list of this.idle.values()) {
      while (list.length > 0 && now - (list[0] as UpstreamConn).idleSince > this.idleTimeoutMs) {
        (list.shift() as UpstreamConn).socket.destroy();
      }
    }
  }

  closeAll(): void {
    for (const list of this.idle.values()) for (const conn of list.splice(0)) conn.socket.destroy();
  }
}

function parseTarget(raw: string): UpstreamTarget | null {
  try {
    const url = new URL(raw.includes('://') ? raw : `http://${raw}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    const secure = url.protocol === 'https:';
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const port = url.port ? Number(url.port) : secure ? 443 : 80;
    return { key: `${url.protocol}//${host}:${port}`, host, port, secure };
  } catch {
    return null;
  }
}
