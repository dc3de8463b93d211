import { encodeKeystrokes, noticeLine, parseTerminalNotice, resizeMessage, type TerminalSize } from './terminal-protocol';

/** What the session writes to: xterm.js's Terminal (and a plain recorder in tests). */
export interface TerminalScreen extends TerminalSize {
  write(data: string | Uint8Array): void;
}

/** The parts of a browser WebSocket the session uses (`binaryType = 'arraybuffer'`). */
export interface TerminalSocket {
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  close(): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
}

export type TerminalConnection = 'connecting' | 'open' | 'closed';

const CONNECTING = 0;
const OPEN = 1;

/**
 * Joins a screen to the terminal socket: keystrokes (queued until the socket opens) go out as binary frames, every
 * size change as a JSON text frame, output is written as it comes, and the server's exit/error notices and the end of
 * the connection appear as lines of their own.
 */
export class TerminalSession {
  private socket: TerminalSocket | undefined;
  private readonly early: Uint8Array[] = [];
  private ended = false;

  constructor(
    private readonly screen: TerminalScreen,
    private readonly onConnection: (state: TerminalConnection) => void,
  ) {}

  /** Hands over the socket once it exists (a ticket is fetched first). */
  attach(socket: TerminalSocket): void {
    if (this.ended) return socket.close();
    this.socket = socket;
    socket.onopen = () => {
      this.onConnection('open');
      for (const bytes of this.early.splice(0)) socket.send(bytes);
      // The size may have changed while the ticket and the socket were on their way.
      socket.send(resizeMessage(this.screen));
    };
    socket.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      if (typeof event.data !== 'string') return this.screen.write(new Uint8Array(event.data));
      const notice = parseTerminalNotice(event.data);
      this.screen.write(notice ? noticeLine(notice) : event.data);
    };
    socket.onclose = (event) => {
      this.onConnection('closed');
      this.screen.write(`\r\n[disconnected${event.reason ? `: ${event.reason}` : ''}]\r\n`);
    };
  }

  /** The socket could not be opened at all. */
  fail(reason: string): void {
    if (this.ended) return;
    this.onConnection('closed');
    this.screen.write(`\r\n[could not connect: ${reason}]\r\n`);
  }

  /** What xterm's onData hands over. */
  type(data: string): void {
    this.sendInput(encodeKeystrokes(data));
  }

  /** xterm's onBinary: one byte per character (mouse reports and the like). */
  typeBinary(data: string): void {
    this.sendInput(Uint8Array.from(data, (ch) => ch.charCodeAt(0) & 0xff));
  }

  resized(size: TerminalSize): void {
    if (this.socket?.readyState === OPEN) this.socket.send(resizeMessage(size));
  }

  /** The page leaves: close without writing "disconnected" into a terminal about to go. */
  end(): void {
    this.ended = true;
    if (!this.socket) return;
    this.socket.onclose = null;
    this.socket.close();
  }

  private sendInput(bytes: Uint8Array): void {
    if (this.ended) return;
    if (this.socket?.readyState === OPEN) this.socket.send(bytes);
    else if (!this.socket || this.socket.readyState === CONNECTING) this.early.push(bytes);
  }
}
