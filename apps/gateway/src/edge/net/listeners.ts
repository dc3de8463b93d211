import { createServer, type Server, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { EdgeContext, ListenerInfo } from '../context';
import { ClientConnection } from '../http/client-connection';
import { handleTls } from '../tls/tls-front';
import { detectProtocol } from './detect';

const EMPTY = Buffer.alloc(0);

/** Open client sockets across every listener: the connection bound and the shutdown drain use it. */
export class ConnectionTracker {
  readonly sockets = new Set<Socket>();
  private drained: (() => void) | undefined;

  constructor(private readonly ctx: EdgeContext) {}

  admit(socket: Socket): boolean {
    if (this.ctx.closing || this.sockets.size >= this.ctx.settings.maxConnections) {
      socket.destroy();
      return false;
    }
    this.sockets.add(socket);
    this.ctx.metrics.connectionOpened();
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.ctx.metrics.connectionClosed();
      if (this.sockets.size === 0) this.drained?.();
    });
    return true;
  }

  /** Resolves when every socket has closed. */
  whenDrained(): Promise<void> {
    if (this.sockets.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = resolve;
    });
  }
}

function startHttp(ctx: EdgeContext, socket: Socket, firstBytes: Buffer, info: ListenerInfo, clientIp: string): void {
  new ClientConnection(ctx, socket, info, clientIp).start(firstBytes);
}

/** A listener that detects the protocol of each connection from its first bytes and dispatches it. */
export function createDetectingServer(ctx: EdgeContext, tracker: ConnectionTracker, info: ListenerInfo): Server {
  const secureInfo: ListenerInfo = { ...info, secure: true, plainMain: false };
  return createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    if (!tracker.admit(socket)) return;
    const clientIp = normaliseIp(socket.remoteAddress ?? '');
    detectProtocol(socket, ctx.settings.detectTimeoutMs, (protocol, firstBytes) => {
      if (protocol === 'http') startHttp(ctx, socket, firstBytes, info, clientIp);
      else if (protocol === 'tls')
        handleTls(ctx, socket, firstBytes, secureInfo, (tlsSocket: TLSSocket) => startHttp(ctx, tlsSocket, EMPTY, secureInfo, clientIp));
      // SSH: the socket is handed over paused; the handler consumes firstBytes and resumes (see README).
      else ctx.sshHandler(socket, firstBytes);
    });
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
