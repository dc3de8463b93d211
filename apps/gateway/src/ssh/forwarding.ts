import type { Duplex, Readable, Writable } from 'node:stream';
import type { Client as SshClient, ClientChannel, Connection, ServerChannel, TcpConnectionDetails, TcpipRequestInfo } from 'ssh2';
import { ended, flushed, meteredPipe, type TrafficMeter } from './channel-pipe';
import { keepWindowsOpen } from './channel-window';

/** Both directions with EOF passed on, and a close on either side closes the other once its data is delivered. */
export function joinChannels(client: ServerChannel | ClientChannel, upstream: ClientChannel, meter: TrafficMeter, onClose: () => void) {
  meteredPipe(client, upstream, (n) => meter.inbound(n));
  meteredPipe(upstream, client, (n) => meter.outbound(n));
  keepWindowsOpen({ channel: client }, { channel: upstream });
  let done = false;
  const close = (): void => {
    if (done) return;
    done = true;
    closeChannel(client);
    closeChannel(upstream);
    onClose();
  };
  // The side that closed first may still have data on its way to the other (in this side's read buffer or the other
  // side's write buffer, waiting for its window): delivered first, then both closed. Once both sides closed, nothing
  // more can be delivered.
  let closedSides = 0;
  const sideClosed = (from: Readable, to: Writable) => (): void => {
    if (++closedSides === 2) return close();
    void ended(from)
      .then(() => flushed(to))
      .then(close);
  };
  client.once('close', sideClosed(client, upstream));
  upstream.once('close', sideClosed(upstream, client));
}

function closeChannel(channel: Duplex & { close(): void }): void {
  channel.close();
}

/**
 * `ssh -L`: a client's direct-tcpip channel becomes the same request made by the gateway to the container's sshd,
 * so the connection starts inside the container (its loopback, its network), never from the gateway.
 */
export function relayDirectTcpip(
  accept: () => ServerChannel,
  reject: () => void,
  info: TcpipRequestInfo,
  upstream: SshClient,
  meter: TrafficMeter,
  onClose: () => void,
): void {
  upstream.forwardOut(info.srcIP, info.srcPort, info.destIP, info.destPort, (error, channel) => {
    if (error) {
      reject();
      return onClose();
    }
    joinChannels(accept(), channel, meter, onClose);
  });
}

/**
 * `ssh -R`: the client's tcpip-forward global request is made upstream (the container's sshd listens), and each
 * connection sshd reports back is opened to the client as a forwarded-tcpip channel.
 */
export function relayRemoteForwards(
  client: Connection,
  upstream: SshClient,
  meter: TrafficMeter,
  channels: { admit(): boolean; release(): void },
): void {
  client.on('request', (accept, reject, name, info) => {
    if (name === 'tcpip-forward') {
      upstream.forwardIn(info.bindAddr, info.bindPort, (error, port) => (error ? reject?.() : accept?.(port)));
    } else if (name === 'cancel-tcpip-forward') {
      upstream.unforwardIn(info.bindAddr, info.bindPort, (error) => (error ? reject?.() : accept?.()));
    } else {
      reject?.();
    }
  });
  upstream.on('tcp connection', (details: TcpConnectionDetails, accept, reject) => {
    if (!channels.admit()) return reject();
    client.forwardOut(details.destIP, details.destPort, details.srcIP, details.srcPort, (error, channel) => {
      if (error) {
        reject();
        return channels.release();
      }
      joinChannels(channel, accept(), meter, () => channels.release());
    });
  });
}
