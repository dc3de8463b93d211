import { Socket } from 'node:net';
import { getSystemErrorName } from 'node:util';

/**
 * The few Node internals the edge's socket fast paths use (direct-writes.ts, owned-reads.ts), looked up once.
 *
 * `process.binding('stream_wrap')` (which Node 20 still allows) gives the native write request and the shared
 * state array a handle's reads and writes report through; a TCP handle's `writeLatin1String`/`writeBuffer` and
 * `onread` are what Node's own socket code calls and sets. When anything is missing (another Node version)
 * `streamInternals` is undefined and every caller takes Node's public path; the tests of both fast paths check
 * that it is found here, so an upgrade cannot lose them quietly.
 */
export interface WriteRequest {
  /** Set only while the request is bound to a write that did not complete at once (direct-writes.ts). */
  socket: Socket | null;
  bytes: Uint8Array | null;
  /** Called when a write that did not complete at once is done (direct-writes.ts writeBorrowed). */
  onWritten: (() => void) | null;
  oncomplete: (this: WriteRequest, status: number) => void;
}

export interface TcpHandle {
  writeLatin1String(req: WriteRequest, text: string): number;
  writeBuffer(req: WriteRequest, bytes: Uint8Array): number;
  /** Called by the handle after each read with `this` the handle; what it returns becomes the next read's buffer. */
  onread: (this: TcpHandle, arrayBuffer: ArrayBuffer | undefined) => unknown;
}

export interface StreamInternals {
  WriteWrap: new () => WriteRequest;
  /** streamBaseState: what the last read or write on any handle reported. */
  state: Int32Array;
  lastWriteWasAsync: number;
  readBytesOrError: number;
  TCP: abstract new (...args: never[]) => TcpHandle;
  /** The socket's own field for its handle: `socket._handle` is a getter shared by every kind of socket. */
  handleField: symbol;
}

interface StreamBinding {
  WriteWrap: new () => WriteRequest;
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
  kReadBytesOrError: number;
}

function findInternals(): StreamInternals | undefined {
  const binding = (process as unknown as { binding?: (name: string) => unknown }).binding;
  if (typeof binding !== 'function') return undefined;
  try {
    const { WriteWrap, streamBaseState, kLastWriteWasAsync, kReadBytesOrError } = binding('stream_wrap') as Partial<StreamBinding>;
    const { TCP } = binding('tcp_wrap') as { TCP?: abstract new (...args: never[]) => TcpHandle };
    if (typeof WriteWrap !== 'function' || !(streamBaseState instanceof Int32Array)) return undefined;
    if (typeof kLastWriteWasAsync !== 'number' || typeof kReadBytesOrError !== 'number') return undefined;
    const proto = TCP?.prototype as Partial<TcpHandle> | undefined;
    if (!TCP || typeof proto?.writeLatin1String !== 'function' || typeof proto.writeBuffer !== 'function') return undefined;
    const probe = new Socket();
    const handleField = Object.getOwnPropertySymbols(probe).find((symbol) => symbol.description === 'kHandle');
    probe.destroy();
    if (handleField === undefined) return undefined;
    return {
      WriteWrap,
      state: streamBaseState,
      lastWriteWasAsync: kLastWriteWasAsync,
      readBytesOrError: kReadBytesOrError,
      TCP,
      handleField,
    };
  } catch {
    return undefined;
  }
}

export const streamInternals = findInternals();

/** The socket's handle when it is a plain TCP one (not TLS, not a pipe, not closed), else null. */
export function tcpHandleOf(socket: Socket, internals: StreamInternals): TcpHandle | null {
  const handle = (socket as unknown as Record<symbol, unknown>)[internals.handleField];
  return handle instanceof internals.TCP ? handle : null;
}

/** The error Node gives a socket whose write failed with libuv status `status` (-errno). */
export function writeError(status: number): NodeJS.ErrnoException {
  const code = getSystemErrorName(status);
  return Object.assign(new Error(`write ${code}`), { errno: status, code, syscall: 'write' });
}
