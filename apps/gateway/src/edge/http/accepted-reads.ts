import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { ownedChunkReads, readThroughHandle } from './owned-reads';

/**
 * `onread` (owned-reads.ts) for sockets the gateway accepts. Node implements it for every TCP socket but only
 * lets `net.connect` ask for it: a net.Server creates its sockets itself. This sets, on an accepted socket, the
 * same three fields the Socket constructor sets for `onread` and gives its handle the buffer as
 * `initSocketHandle` does, after which Node's own read handler treats the socket exactly as one made with
 * `onread` (pause, resume, 'end', 'close' unchanged).
 *
 * Those fields are Node internals, so they are looked up once by probing a socket made with `onread`; when any
 * is missing (another Node version) `adoptOwnedReads` returns false and the caller keeps reading 'data'.
 * `accepted-reads.test.ts` fails when the probe stops finding them, so a Node upgrade cannot lose this quietly.
 */
interface ReadFields {
  buffer: symbol;
  generator: symbol;
  callback: symbol;
}

interface UserBufferHandle {
  useUserBuffer(buffer: Uint8Array): void;
}

function probe(): ReadFields | undefined {
  // The constructor reads `onread` (as net.connect passes it on); @types/node declares it for connect only.
  const onread: OnReadOpts = { buffer: () => Buffer.alloc(1), callback: () => true };
  const socket = new Socket({ onread } as SocketConstructorOpts);
  const named = (description: string): symbol | undefined =>
    Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === description);
  const [buffer, generator, callback] = [named('kBuffer'), named('kBufferGen'), named('kBufferCb')];
  socket.destroy();
  return buffer && generator && callback ? { buffer, generator, callback } : undefined;
}

const fields = probe();

/** Whether this Node lets accepted sockets read into owned buffers (see above). */
export const acceptedOwnedReads = fields !== undefined;

/**
 * Switches a plain TCP socket the gateway accepted to owned-buffer reads delivered to `deliver`; it then no
 * longer emits 'data'. Call it while nothing is buffered in the socket's Readable (right after accepting or
 * after protocol detection). Returns false, changing nothing, where that is not possible.
 */
export function adoptOwnedReads(socket: Socket, deliver: (chunk: Buffer) => void): boolean {
  const handle = (socket as unknown as { _handle: Partial<UserBufferHandle> | null })._handle;
  // TLS sockets decrypt in their own handle; only plain TCP is switched.
  if ((socket as { encrypted?: boolean }).encrypted) return false;
  if (!fields || typeof handle?.useUserBuffer !== 'function' || socket.readableLength > 0) return false;
  const reads = ownedChunkReads(deliver);
  const { buffer, callback } = reads;
  const generate = buffer as () => Uint8Array;
  const target = socket as unknown as Record<symbol, unknown>;
  target[fields.buffer] = generate();
  target[fields.generator] = generate;
  target[fields.callback] = callback;
  handle.useUserBuffer(generate());
  readThroughHandle(socket, reads);
  return true;
}
