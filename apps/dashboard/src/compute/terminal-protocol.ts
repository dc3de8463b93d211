// The web terminal's wire protocol (`WS /compute/containers/{id}/terminal`): keystrokes go as binary frames, the
// shell's output comes back as binary frames, and JSON text frames carry control messages both ways.

const encoder = new TextEncoder();

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** What the server may say in a text frame. */
export type TerminalNotice = { type: 'exit'; code: number } | { type: 'error'; error: string };

/** Keystrokes as xterm.js hands them over (a string) → the bytes of one binary frame. */
export function encodeKeystrokes(data: string): Uint8Array {
  return encoder.encode(data);
}

/** Sent as a text frame on every resize (the server rejects sizes outside 1–1000). */
export function resizeMessage({ cols, rows }: TerminalSize): string {
  return JSON.stringify({ type: 'resize', cols: clamp(cols), rows: clamp(rows) });
}

function clamp(value: number): number {
  return Math.min(1000, Math.max(1, Math.round(value)));
}

/** A server text frame, or undefined when it is not one of ours (shown as-is by the caller). */
export function parseTerminalNotice(text: string): TerminalNotice | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  if (message.type === 'exit' && typeof message.code === 'number') return { type: 'exit', code: message.code };
  if (message.type === 'error' && typeof message.error === 'string') return { type: 'error', error: message.error };
  return undefined;
}

/** The line written into the terminal for a notice (CRLF: xterm does not return the carriage on a bare LF). */
export function noticeLine(notice: TerminalNotice): string {
  const text = notice.type === 'exit' ? `[the shell exited with code ${notice.code}]` : `[error: ${notice.error}]`;
  return `\r\n${text}\r\n`;
}

/** `?cols=&rows=`: the PTY starts at the size the browser already has. */
export function terminalQuery(size: TerminalSize): Record<string, string> {
  return { cols: String(clamp(size.cols)), rows: String(clamp(size.rows)) };
}
