import type { Socket } from 'node:net';

export type DetectedProtocol = 'tls' | 'http' | 'ssh';

// RFC 9110 §9 methods the gateway accepts; each must be followed by a space to count.
const METHOD_PREFIXES = ['GET ', 'POST ', 'PUT ', 'DELETE ', 'HEAD ', 'OPTIONS ', 'PATCH ', 'CONNECT ', 'TRACE '].map((m) =>
  Buffer.from(m, 'latin1'),
);
const SSH_PREFIX = Buffer.from('SSH-', 'latin1');

/** Does `buf` start with `prefix` (true), might it once more bytes arrive ('more'), or never (false)? */
function prefixState(buf: Buffer, prefix: Buffer): boolean | 'more' {
  const n = Math.min(buf.length, prefix.length);
  for (let i = 0; i < n; i++) if (buf[i] !== prefix[i]) return false;
  return buf.length >= prefix.length ? true : 'more';
}

/** Classifies the first bytes of a connection: a protocol, 'more' (undecided yet) or 'unknown'. */
export function classify(buf: Buffer): DetectedProtocol | 'more' | 'unknown' {
  if (buf.length === 0) return 'more';
  if (buf[0] === 0x16) return 'tls'; // TLS record type handshake (RFC 8446 §5.1)
  let undecided = false;
  for (const prefix of METHOD_PREFIXES) {
    const state = prefixState(buf, prefix);
    if (state === true) return 'http';
    if (state === 'more') undecided = true;
  }
  const ssh = prefixState(buf, SSH_PREFIX);
  if (ssh === true) return 'ssh';
  if (ssh === 'more') undecided = true;
  return undecided ? 'more' : 'unknown';
}

/** A client that sends nothing for `afterMs` is taken to speak `protocol`, waiting for the server to speak first. */
export interface SilentClient {
  protocol: DetectedProtocol;
  afterMs: number;
}

/**
 * Reads from `socket` until its protocol is decidable, then calls `onDetected` with every byte read so far
 * (the handler replays them). Undecidable or silent connections are closed after `timeoutMs`, unless `silent`
 * names the protocol of a client that has sent nothing at all by then.
 */
export function detectProtocol(
  socket: Socket,
  timeoutMs: number,
  onDetected: (protocol: DetectedProtocol, firstBytes: Buffer) => void,
  silent?: SilentClient,
): void {
  let buffered: Buffer = Buffer.alloc(0);
  const timer = setTimeout(() => socket.destroy(), timeoutMs);
  timer.unref();
  const decide = (verdict: DetectedProtocol | 'unknown'): void => {
    clearTimeout(timer);
    clearTimeout(silentTimer);
    socket.off('data', onData);
    socket.off('close', onClose);
    // Paused until the handler has attached its own listeners (it may first connect somewhere).
    socket.pause();
    if (verdict === 'unknown') {
      socket.destroy();
      return;
    }
    onDetected(verdict, buffered);
  };
  const silentTimer = silent ? setTimeout(() => buffered.length === 0 && decide(silent.protocol), silent.afterMs) : undefined;
  silentTimer?.unref();
  const onData = (chunk: Buffer): void => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    const verdict = classify(buffered);
    if (verdict !== 'more') decide(verdict);
  };
  const onClose = (): void => {
    clearTimeout(timer);
    clearTimeout(silentTimer);
  };
  socket.on('data', onData);
  socket.on('close', onClose);
}
