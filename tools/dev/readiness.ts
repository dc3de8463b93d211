import type { DevApp } from './apps';

/**
 * Polls every app's readiness URL until it answers 200, calling back as each one does. Keeps
 * polling after the deadline (a developer may be fixing a crashed app), reporting the stragglers once.
 */
export interface ReadinessWatch {
  /** Resolves true when every app is ready, false when the deadline passed first. */
  allReady: Promise<boolean>;
  stop(): void;
}

export function watchReadiness(options: {
  apps: readonly DevApp[];
  timeoutMs: number;
  onReady: (app: DevApp, elapsedMs: number) => void;
  intervalMs?: number;
}): ReadinessWatch {
  const started = Date.now();
  const pending = new Set(options.apps);
  let stopped = false;
  let resolveAll: (value: boolean) => void = () => undefined;
  const allReady = new Promise<boolean>((resolve) => (resolveAll = resolve));
  const deadline = setTimeout(() => resolveAll(false), options.timeoutMs);

  const round = async () => {
    await Promise.all(
      [...pending].map(async (app) => {
        if (await answers200(app.readyUrl)) {
          if (!pending.delete(app)) return;
          options.onReady(app, Date.now() - started);
        }
      }),
    );
    if (pending.size === 0) {
      clearTimeout(deadline);
      resolveAll(true);
      return;
    }
    if (!stopped) timer = setTimeout(() => void round(), options.intervalMs ?? 1_000);
  };
  let timer = setTimeout(() => void round(), 0);

  return {
    allReady,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(deadline);
      resolveAll(pending.size === 0);
    },
  };
}

export async function answers200(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000), redirect: 'manual' });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * After start-up: keeps checking every app and reports when one stops answering (two misses in a
 * row, so a tsx restart on save is not news) and when it is back.
 */
export function monitorApps(options: {
  apps: readonly DevApp[];
  onDown: (app: DevApp) => void;
  onUp: (app: DevApp) => void;
  intervalMs?: number;
}): { stop(): void } {
  const misses = new Map<string, number>();
  const down = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const round = async () => {
    await Promise.all(
      options.apps.map(async (app) => {
        if (await answers200(app.readyUrl)) {
          misses.set(app.name, 0);
          if (down.delete(app.name)) options.onUp(app);
          return;
        }
        const count = (misses.get(app.name) ?? 0) + 1;
        misses.set(app.name, count);
        if (count === 2 && !down.has(app.name)) {
          down.add(app.name);
          options.onDown(app);
        }
      }),
    );
    if (!stopped) timer = setTimeout(() => void round(), options.intervalMs ?? 5_000);
  };
  timer = setTimeout(() => void round(), options.intervalMs ?? 5_000);
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
