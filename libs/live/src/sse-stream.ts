import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SseOptions {
  /** A comment line this often keeps proxies and the browser from timing the stream out (default 15 s). */
  heartbeatMs?: number;
  /** Bytes queued for a client beyond which the stream is cut (default 1 MiB): a slow reader is dropped, not buffered for. */
  maxBufferedBytes?: number;
  /** Sent as `retry:`: how long the browser waits before reconnecting. */
  retryMs?: number;
  /** Tracks the stream so a shutdown closes it (a LiveHub). */
  registry?: StreamRegistry;
  /** How long `close()` waits for the client to take the end of the stream before cutting it (default 2 s). */
  closeDeadlineMs?: number;
}

export interface StreamRegistry {
  track(stream: SseStream): void;
  untrack(stream: SseStream): void;
}

export interface SseStream {
  /** The `Last-Event-ID` the browser sent when reconnecting: resume after it. */
  readonly lastEventId: string | undefined;
  readonly closed: boolean;
  /** Bytes queued in this process for the client, not yet handed to the kernel. */
  readonly bufferedAmount: number;
  /** One event; `data` is sent as is when a string, as JSON otherwise. False once the stream is closed or dropped. */
  send(event: string, data: unknown, id?: string): boolean;
  /** Ends the stream (the browser reconnects, to another replica if this one is going away); settles once it is gone. */
  close(): Promise<void>;
  onClose(listener: () => void): void;
}

// An event name or id with a line break would let data forge fields (HTML Living Standard, server-sent events §9.2.6).
const LINE_BREAK = /[\r\n]/;

/** Starts a `text/event-stream` response (HTML Living Standard §9.2). */
export function sseStream(req: IncomingMessage, res: ServerResponse, options: SseOptions = {}): SseStream {
  const maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  const closeListeners: Array<() => void> = [];
  const lastEventId = typeof req.headers['last-event-id'] === 'string' ? req.headers['last-event-id'] : undefined;
  let closed = false;
  let gone = false;

  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    // nginx (and proxies that honour it) would otherwise hold events back to fill a buffer.
    'X-Accel-Buffering': 'no',
    Connection: 'keep-alive',
  });
  res.socket?.setNoDelay(true);
  res.write(options.retryMs !== undefined ? `retry: ${Math.max(0, Math.floor(options.retryMs))}\n\n` : ':\n\n');

  const heartbeat = setInterval(() => write(':\n\n'), options.heartbeatMs ?? 15_000);
  heartbeat.unref();

  const finished = new Promise<void>((resolve) => {
    res.once('close', () => {
      closed = true;
      gone = true;
      clearInterval(heartbeat);
      options.registry?.untrack(stream);
      for (const listener of closeListeners.splice(0)) listener();
      resolve();
    });
  });

  function write(chunk: string): boolean {
    if (closed || res.destroyed) return false;
    const queued = res.writableLength;
    if (queued > 0 && queued + Buffer.byteLength(chunk) > maxBufferedBytes) {
      // The reader is stuck: an orderly end would queue behind what it does not read.
      closed = true;
      res.destroy();
      return false;
    }
    res.write(chunk);
    return true;
  }

  const stream: SseStream = {
    lastEventId,
    get closed() {
      return closed;
    },
    get bufferedAmount() {
      return res.writableLength;
    },
    send(event, data, id) {
      if (LINE_BREAK.test(event) || (id !== undefined && LINE_BREAK.test(id))) throw new Error('SSE event names and ids are one line');
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      const lines = text.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`);
      return write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\n${lines.join('')}\n`);
    },
    async close() {
      if (!res.destroyed && !res.writableEnded) {
        closed = true;
        res.end();
        const timer = setTimeout(() => res.destroy(), options.closeDeadlineMs ?? 2_000);
        await finished;
        clearTimeout(timer);
        return;
      }
      await finished;
    },
    onClose(listener) {
      if (gone) listener();
      else closeListeners.push(listener);
    },
  };
  options.registry?.track(stream);
  return stream;
}
