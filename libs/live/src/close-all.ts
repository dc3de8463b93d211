export interface CloseAllOptions {
  /** WebSocket close code (default 1001 "going away", RFC 6455 §7.4.1). */
  code?: number;
  reason?: string;
  /** How long clients get to close politely before they are cut (default 2 s). */
  deadlineMs?: number;
}

export interface Closable {
  /** Starts a polite close. */
  close(): void;
  /** Cuts the connection now. */
  cut(): void;
  /** Settles once the connection is gone. */
  closed: Promise<void>;
}

/** Closes all politely; whoever is still open at the deadline is cut. Resolves once every one is gone. */
export async function closeEverything(items: readonly Closable[], deadlineMs: number): Promise<void> {
  for (const item of items) item.close();
  const all = Promise.all(items.map((item) => item.closed));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deadlineMs);
  });
  const outcome = await Promise.race([all, deadline]);
  clearTimeout(timer);
  if (outcome === 'late') {
    for (const item of items) item.cut();
    await all;
  }
}
