import type { Readable, Writable } from 'node:stream';

/**
 * Receive window kept open per channel. ssh2 opens every channel with 2 MiB and tops it up only once half is used,
 * so a sender never has more than 1 to 2 MiB in flight: through the gateway, where the data crosses one more
 * process that shares the CPU with both ends, the sender kept stopping for window (the download from the container's
 * sshd reached a third of a direct scp).
 */
export const RECEIVE_WINDOW = 8 * 1024 * 1024;

/** Where an ssh2 channel (client or server side) keeps its receive window; not in ssh2's types. */
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

/**
 * Keeps `channel`'s receive window near `size`, topped up each time an eighth of it was used, but only while every
 * stream its data goes to takes more (none is over its high-water mark). A reader that stops makes a destination
 * full: the window then runs down and the sender stops, so the gateway holds at most `size` in the channel plus
 * the destinations' buffers. `readers` are the streams of this channel whose data uses the window (data, stderr).
 * Without the ssh2 internals (another ssh2 version) the channel keeps ssh2's own window.
 */
export function keepWindowOpen(channel: Readable, readers: Readable[], destinations: Writable[], size = RECEIVE_WINDOW): void {
  const internals = windowOf(channel);
  if (!internals) return;
  const step = size / 8;
  const topUp = (): void => {
    if (internals.outgoing.state !== 'open' || destinations.some((d) => d.writableNeedDrain)) return;
    const amount = size - internals.incoming.window;
    if (amount < step) return;
    internals.incoming.window += amount;
    internals._client._protocol.channelWindowAdjust(internals.outgoing.id, amount);
  };
  topUp();
  // After the pipes' own listeners (attached first): `writableNeedDrain` then says whether this chunk filled one.
  for (const reader of readers) reader.on('data', topUp);
  for (const destination of destinations) destination.on('drain', topUp);
}
