import { connect, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { containerIdOf, type EdgeContext, type ListenerInfo } from '../context';
import { spliceSockets } from '../http/splice';
import type { AddressSlot } from '../net/address-limits';
import { firstRecordLength, parseSni } from './sni';

// A ClientHello fits one record (2^14 bytes of plaintext, RFC 8446 §5.1); anything longer is refused.
const MAX_RECORD = 16 * 1024 + 5;

/**
 * A connection that starts with a TLS record: read the whole first record (it may arrive in pieces), take
 * the SNI, then either pass the raw bytes through to a container's TLS ingress or terminate TLS here and
 * hand the decrypted stream to `onHttp`.
 */
export function handleTls(
  ctx: EdgeContext,
  socket: Socket,
  firstBytes: Buffer,
  listener: ListenerInfo,
  slot: AddressSlot,
  onHttp: (tlsSocket: TLSSocket) => void,
): void {
  let buffered = firstBytes;
  const timer = setTimeout(() => socket.destroy(), ctx.settings.detectTimeoutMs);
  timer.unref();

  const decide = (): void => {
    const length = firstRecordLength(buffered);
    if (length === undefined) {
      if (buffered.length >= 5) socket.destroy();
      return;
    }
    if (length > MAX_RECORD) {
      socket.destroy();
      return;
    }
    if (buffered.length < length) return;
    clearTimeout(timer);
    socket.off('data', onData);
    socket.pause();
    route(parseSni(buffered.subarray(0, length)));
  };

  const route = (sni: string | undefined): void => {
    const containerId = sni === undefined ? undefined : containerIdOf(sni, ctx.containerSuffix);
    if (containerId !== undefined) {
      const ingress = ctx.containers.lookup(containerId, listener.ingress ? listener.externalPort : 443);
      if (!ingress || ingress.protocol !== 'tls') {
        socket.destroy();
        return;
      }
      slot.settle(); // passed through: the container's TLS server owns the handshake from here
      const upstream = connect({ host: ingress.host, port: ingress.port });
      upstream.setNoDelay(true);
      upstream.write(buffered);
      spliceSockets(socket, upstream);
      return;
    }
    if (listener.ingress || ctx.secureContext === undefined) {
      socket.destroy();
      return;
    }
    // Replay what was read, then let node:tls take over the socket (it drains the readable buffer first).
    socket.unshift(buffered);
    const tlsSocket = new TLSSocket(socket, {
      isServer: true,
      secureContext: ctx.secureContext,
      ALPNProtocols: ['http/1.1'],
    });
    tlsSocket.on('error', () => tlsSocket.destroy());
    onHttp(tlsSocket);
  };

  const onData = (chunk: Buffer): void => {
    buffered = Buffer.concat([buffered, chunk]);
    decide();
  };
  socket.on('data', onData);
  socket.on('close', () => clearTimeout(timer));
  decide();
  if (socket.listenerCount('data') > 0) socket.resume();
}
