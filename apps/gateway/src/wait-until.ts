// For the gateway's tests (edge and control plane): wait for a condition instead of sleeping a guessed time.

/** Resolves once `predicate` holds (polled every 10 ms); rejects after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Repeats `action` until `predicate` holds, waiting longer after each try (250 ms, 500 ms, ... 2 s) so a
 * debounced watcher is never kept from reacting. For a change a watcher can miss because it has not taken
 * its first look yet: fs.watchFile's first stat is asynchronous and says nothing when it is done.
 */
export async function repeatUntil(action: () => void, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 250; ; pause = Math.min(pause * 2, 2_000)) {
    action();
    const retryAt = Date.now() + pause;
    await waitUntil(() => predicate() || Date.now() >= retryAt, timeoutMs);
    if (predicate()) return;
    if (Date.now() >= deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
  }
}
