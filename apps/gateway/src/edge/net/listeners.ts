import { createServer, type Server, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { EdgeContext, ListenerInfo } from '../context';
import { ClientConnection } from '../http/client-connection';
import { handleTls } from '../tls/tls-front';
import { AddressLimits, type AddressSlot } from './address-limits';
import { detectProtocol } from './detect';

const EMPTY = Buffer.alloc(0);
/** Every client but a server-first SSH one has sent its first bytes long before this (see ListenerInfo.silentIsSsh). */
const SSH_SILENT_MS = 500;

/** Open client sockets across every listener: the connection bounds and the shutdown drain use it. */
export class ConnectionTracker {
  readonly sockets = new Set<Socket>();
  private drained: (() => void) | undefined;
  private readonly limits: AddressLimits;

  constructor(private readonly ctx: EdgeContext) {
    const s = ctx.settings;
    this.limits = new AddressLimits({
      maxConnections: s.maxConnections,
      reserve: s.connectionReserve,
      maxPerAddress: s.maxConnectionsPerAddress,
      maxPendingPerAddress: s.maxPendingPerAddress,
      pendingGraceMs: s.pendingGraceMs,
    });
  }

  /** The connection's slot, or undefined when it was refused (and closed): global, per-address or reserve limit. */
  admit(socket: Socket, clientIp: string): AddressSlot | undefined {
    const slot = this.ctx.closing ? undefined : this.limits.acquire(clientIp, () => socket.destroy());
    if (slot === undefined) {
      socket.destroy();
      return undefined;
    }
    this.sockets.add(socket);
    this.ctx.metrics.connectionOpened();
    socket.once('close', () => {
      slot.release();
      this.sockets.delete(socket);
      this.ctx.metrics.connectionClosed();
      if (this.sockets.size === 0) this.drained?.();
    });
    return slot;
  }

  /** Resolves when every socket has closed. */
  whenDrained(): Promise<void> {
    if (this.sockets.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = resolve;
    });
  }
}

function startHttp(ctx: EdgeContext, socket: Socket, firstBytes: Buffer, info: ListenerInfo, clientIp: string, slot: AddressSlot): void {
  new ClientConnection(ctx, socket, info, slot.sharedIp(clientIp), slot).start(firstBytes);
}

/** A listener that detects the protocol of each connection from its first bytes and dispatches it. */
export function createDetectingServer(ctx: EdgeContext, tracker: ConnectionTracker, info: ListenerInfo): Server {
  const secureInfo: ListenerInfo = { ...info, secure: true, plainMain: false };
  return createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    const clientIp = normaliseIp(socket.remoteAddress ?? '');
    const slot = tracker.admit(socket, clientIp);
    if (slot === undefined) return;
    const silent = info.silentIsSsh ? { protocol: 'ssh' as const, afterMs: SSH_SILENT_MS } : undefined;
    detectProtocol(
      socket,
      ctx.settings.detectTimeoutMs,
      (protocol, firstBytes) => {
        if (protocol === 'http') startHttp(ctx, socket, firstBytes, info, clientIp, slot);
        else if (protocol === 'tls')
          handleTls(ctx, socket, firstBytes, secureInfo, slot, (tlsSocket: TLSSocket) =>
            startHttp(ctx, tlsSocket, EMPTY, secureInfo, clientIp, slot),
          );
        else {
          // SSH: the SSH plane limits connections not logged in yet itself (GATEWAY_SSH_MAX_UNAUTHENTICATED_PER_ADDRESS).
          slot.settle();
          // The socket is handed over paused; the handler consumes firstBytes and resumes (see README).
          ctx.sshHandler(socket, firstBytes);
        }
      },
      silent,
    );
  });
}

/** "::ffff:127.0.0.1" -> "127.0.0.1": what services expect in X-Forwarded-For. */
function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ port, host }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}
