import type { Principal } from '@edd/auth-client';
import { WebSocket } from 'ws';

export interface LiveSocketLimits {
  /** Bytes queued in this process for one client beyond which it is dropped. */
  maxBufferedBytes: number;
  /** After a drop's close frame (which a stuck client never reads), how long until the connection is cut. */
  dropGraceMs: number;
}

export const CLOSE_TOO_SLOW = { code: 1013, reason: 'too slow' } as const;

/**
 * One authenticated WebSocket. `send` never queues past `maxBufferedBytes`: a client that does not read fast
 * enough is dropped (1013 "too slow") instead of growing this process's memory for it.
 */
export class LiveSocket {
  /** Set by the ping loop, cleared by every pong. */
  alive = true;
  private dropTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly raw: WebSocket,
    readonly principal: Principal,
    /** The `:name` segments of the endpoint's path. */
    readonly params: Readonly<Record<string, string>>,
    private readonly limits: LiveSocketLimits,
  ) {
    raw.once('close', () => clearTimeout(this.dropTimer));
  }

  get isOpen(): boolean {
    return this.raw.readyState === WebSocket.OPEN;
  }

  /** Bytes queued in this process, not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.raw.bufferedAmount;
  }

  /** Sends a text (string, or JSON of anything else) or binary (Buffer) message; false when closed or dropped. */
  send(message: string | Buffer | object): boolean {
    if (!this.isOpen) return false;
    const payload = typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message);
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    const queued = this.raw.bufferedAmount;
    // One message larger than the bound still goes out on an empty queue; nothing queues past the bound.
    if (queued > 0 && queued + size > this.limits.maxBufferedBytes) {
      this.drop();
      return false;
    }
    this.raw.send(payload);
    return true;
  }

  close(code = 1000, reason = ''): void {
    this.raw.close(code, reason);
  }

  /** Polite close frame, then the connection is cut: a client that stopped reading would never see the frame. */
  private drop(): void {
    this.raw.close(CLOSE_TOO_SLOW.code, CLOSE_TOO_SLOW.reason);
    this.dropTimer ??= setTimeout(() => this.raw.terminate(), this.limits.dropGraceMs);
  }
}
