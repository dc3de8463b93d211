import type { Readable, Writable } from 'node:stream';

/**
 * Receive window kept open per relayed channel, on both sides of every session and forward (one policy: each side
 * is a sender that must not wait for window while the other side takes data, and a stalled reader must stop it).
 * ssh2 opens every channel with 2 MiB and tops it up only once half is used, and only while its reader keeps up, so a
 * sender kept stopping for window. Topped up in eighths instead, the sender does not stop while the data moves on;
 * the window is not larger than ssh2's, because whatever it lets in waits in the gateway's memory: an 8 MiB window
 * kept up to 12 MiB of packets in the heap long enough to be promoted, and the old-generation GCs that followed took
 * a fifth of the gateway's CPU during downloads (perf and --trace-gc of the bench server, issue 11).
 */
export const RECEIVE_WINDOW = 2 * 1024 * 1024;

/**
 * Bytes the destination's connection may hold unsent in its socket before the window stops being topped up. ssh2
 * writes every packet its peer's window allows without looking at the socket, so without this the peer's window
 * (OpenSSH: 2 MiB) sits in the gateway's memory too whenever that peer reads slower than the sender sends.
 */
export const SOCKET_BACKLOG = 256 * 1024;

/** Where an ssh2 channel (client or server side) keeps its receive window and its connection; not in ssh2's types. */
interface WindowInternals {
  incoming: { window: number };
  outgoing: { id: number; state: string };
  _client: { _protocol: { channelWindowAdjust(id: number, amount: number): void } };
}

function windowOf(channel: Readable): WindowInternals | undefined {
  const c = channel as unknown as Partial<WindowInternals>;
  const ok =
    typeof c.incoming?.window === 'number' &&
    typeof c.outgoing?.id === 'number' &&
    typeof c._client?._protocol?.channelWindowAdjust === 'function';
  return ok ? (c as WindowInternals) : undefined;
}

/** The socket under an ssh2 channel (`_client._sock`, not in ssh2's types); none for stderr or another ssh2 version. */
function socketOf(channel: Writable): Writable | undefined {
  const sock = (channel as unknown as { _client?: { _sock?: unknown } })._client?._sock as Partial<Writable> | undefined;
  return typeof sock?.writableLength === 'number' && typeof sock.on === 'function' ? (sock as Writable) : undefined;
}

/** One 'drain' listener per socket, however many channels of its connection wait on it. */
const drainWaiters = new WeakMap<Writable, Set<() => void>>();
function onDrain(socket: Writable, listener: () => void): () => void {
  let waiters = drainWaiters.get(socket);
  if (!waiters) {
    const set = new Set<() => void>();
    socket.on('drain', () => {
      for (const waiter of set) waiter();
    });
    drainWaiters.set(socket, set);
    waiters = set;
  }
  waiters.add(listener);
  return () => waiters.delete(listener);
}

/**
 * Keeps `channel`'s receive window near `size`, topped up each time an eighth of it was used, but only while every
 * stream its data goes to takes more: no destination over its high-water mark, and no destination's socket holding
 * more than SOCKET_BACKLOG (a destination holding that much itself gets one eighth at a time). A reader that stops
 * makes a destination full: the window then runs down and the sender stops, so the gateway holds at most `size` in
 * the channel plus the destinations' buffers. Each full stop ends with an event that tries again: the destination's
 * 'drain' (it was over its mark) or its socket's 'drain' (a socket over SOCKET_BACKLOG is over its own mark). `readers` are the streams of this channel whose data uses the window.
 * Without the ssh2 internals (another ssh2 version) the channel keeps ssh2's own window.
 */
export function keepWindowOpen(channel: Readable, readers: Readable[], destinations: Writable[], size = RECEIVE_WINDOW): void {
  const internals = windowOf(channel);
  if (!internals) return;
  const step = size / 8;
  const sockets = [...new Set(destinations.map(socketOf).filter((s): s is Writable => s !== undefined))];
  const topUp = (): void => {
    if (internals.outgoing.state !== 'open' || destinations.some((d) => d.writableNeedDrain)) return;
    if (sockets.some((s) => s.writableLength > SOCKET_BACKLOG)) return;
    // A destination that queues more than SOCKET_BACKLOG, yet is below its mark (its peer's window is short), would
    // send no 'drain': the window stays open by one eighth only, so the sender goes on slowly (each packet it sends
    // tries again) while little more waits in the gateway.
    const backlogged = destinations.some((d) => d.writableLength > SOCKET_BACKLOG);
    const amount = (backlogged ? step : size) - internals.incoming.window;
    if (amount < (backlogged ? step / 4 : step)) return;
    internals.incoming.window += amount;
    internals._client._protocol.channelWindowAdjust(internals.outgoing.id, amount);
  };
  topUp();
  // After the pipes' own listeners (attached first): `writableNeedDrain` then says whether this chunk filled one.
  for (const reader of readers) reader.on('data', topUp);
  for (const destination of destinations) destination.on('drain', topUp);
  const stopWaiting = sockets.map((socket) => onDrain(socket, topUp));
  channel.once('close', () => stopWaiting.forEach((stop) => stop()));
}

/** One side of a relayed channel: the channel, the streams its data arrives on, and those the other side's data goes to. */
export interface RelayedSide {
  channel: Readable;
  readers?: Readable[];
  writers?: Writable[];
}

/**
 * The window policy of the SSH plane, the same for sessions and forwards: both sides' receive windows kept open
 * (RECEIVE_WINDOW), each toward the other side's writers. Data from the client goes to the container, data from the
 * container to the client.
 */
export function keepWindowsOpen(
  client: RelayedSide & { channel: Readable & Writable },
  upstream: RelayedSide & { channel: Readable & Writable },
): void {
  keepWindowOpen(client.channel, client.readers ?? [client.channel], upstream.writers ?? [upstream.channel]);
  keepWindowOpen(upstream.channel, upstream.readers ?? [upstream.channel], client.writers ?? [client.channel]);
}
