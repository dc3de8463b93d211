import type { RawData, WebSocket } from 'ws';
import type { OpenShell } from './open-shell';
import { parseControlMessage } from './terminal-messages';

/** Past this many bytes queued for a slow browser, the shell's output is paused rather than buffered. */
const PAUSE_ABOVE_BYTES = 256 * 1024;
const RESUME_CHECK_MS = 25;

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** Keystrokes typed before the shell is open are kept up to this many bytes; past it the socket is closed. */
const MAX_EARLY_INPUT_BYTES = 64 * 1024;

/**
 * Joins a browser's WebSocket to a shell that `open` starts: binary frames are stdin, the shell's output goes back as
 * binary frames, text frames are JSON control messages (resize). Input that arrives while the SSH login is still
 * running is queued, not lost. When either side ends, so does the other; the shell's exit status is sent as
 * `{"type":"exit","code":N}` before the socket closes, and a failed login as `{"type":"error"}` then close 1011.
 */
export function bridgeTerminal(socket: WebSocket, open: () => Promise<OpenShell>): void {
  let shell: OpenShell | undefined;
  let closed = false;
  const early: Array<{ data: Buffer; isBinary: boolean }> = [];
  let earlyBytes = 0;

  const handle = (data: Buffer, isBinary: boolean, target: OpenShell) => {
    if (isBinary) {
      target.channel.write(data);
      return;
    }
    const message = parseControlMessage(data.toString('utf8'));
    if ('error' in message) socket.send(JSON.stringify({ type: 'error', error: message.error }));
    else target.resize(message.size);
  };

  socket.on('message', (raw, isBinary) => {
    const data = toBuffer(raw);
    if (shell) return handle(data, isBinary, shell);
    earlyBytes += data.length;
    if (earlyBytes > MAX_EARLY_INPUT_BYTES) return socket.close(1009, 'too much input before the shell opened');
    early.push({ data, isBinary });
  });
  socket.once('close', () => {
    closed = true;
    shell?.close();
  });

  open().then(
    (opened) => {
      if (closed) return opened.close();
      shell = opened;
      pipeOutput(socket, opened);
      for (const { data, isBinary } of early.splice(0)) handle(data, isBinary, opened);
    },
    (error: unknown) => {
      if (closed) return;
      const reason = error instanceof Error ? error.message : String(error);
      socket.send(JSON.stringify({ type: 'error', error: `could not open a shell in the container: ${reason}` }));
      socket.close(1011, 'ssh login failed');
    },
  );
}

/** Shell output → binary frames, paused while the browser is behind; the exit status, then a close. */
function pipeOutput(socket: WebSocket, shell: OpenShell): void {
  const { channel } = shell;
  let resumeTimer: NodeJS.Timeout | undefined;

  const sendOutput = (chunk: Buffer) => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(chunk, { binary: true });
    if (socket.bufferedAmount > PAUSE_ABOVE_BYTES && !resumeTimer) {
      channel.pause();
      resumeTimer = setInterval(() => {
        if (socket.bufferedAmount > PAUSE_ABOVE_BYTES && socket.readyState === socket.OPEN) return;
        clearInterval(resumeTimer);
        resumeTimer = undefined;
        channel.resume();
      }, RESUME_CHECK_MS);
    }
  };
  channel.on('data', sendOutput);
  channel.stderr.on('data', sendOutput);

  let exitCode: number | null = null;
  channel.once('exit', (code: number | null) => {
    exitCode = code;
  });
  channel.once('close', () => {
    clearInterval(resumeTimer);
    if (socket.readyState === socket.OPEN) {
      socket.send(JSON.stringify({ type: 'exit', code: exitCode }));
      socket.close(1000, 'shell exited');
    }
  });
  socket.once('close', () => clearInterval(resumeTimer));
}
