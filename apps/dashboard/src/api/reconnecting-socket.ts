/** The part of a browser WebSocket a live feed uses (`ws`'s client has the same, for tests). */
export interface FeedSocket {
  close(): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
}

export type FeedState = 'connecting' | 'live' | 'reconnecting';

export interface FeedHandlers {
  /** Opens one connection (each attempt asks for a new ticket, so this is called again on every retry). */
  open(): Promise<FeedSocket>;
  onMessage(event: MessageEvent): void;
  /** Each time a connection opens, the first included (e.g. refetch what changed while disconnected). */
  onOpen?(): void;
  onState?(state: FeedState): void;
}

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Follows a live feed until the returned stop is called: a connection that cannot open or drops is retried with a
 * growing delay (1 s, 2 s, 4 s … 30 s, back to 1 s after an open).
 */
export function followFeed(handlers: FeedHandlers, firstDelayMs = 1000): () => void {
  let socket: FeedSocket | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let stopped = false;

  const retryLater = () => {
    if (stopped) return;
    handlers.onState?.('reconnecting');
    retryTimer = setTimeout(() => void connect(), Math.min(MAX_RETRY_DELAY_MS, firstDelayMs * 2 ** attempt++));
  };

  const connect = async () => {
    try {
      socket = await handlers.open();
    } catch {
      return retryLater();
    }
    if (stopped) return socket.close();
    socket.onopen = () => {
      attempt = 0;
      handlers.onState?.('live');
      handlers.onOpen?.();
    };
    socket.onmessage = (event) => handlers.onMessage(event);
    socket.onclose = retryLater;
  };

  void connect();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    if (socket) {
      socket.onclose = null;
      socket.close();
    }
  };
}
