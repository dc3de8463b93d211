import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Logger } from '@edd/logger';
import { parseRoutesYaml } from '@edd/route-registry';
import type { Route } from '@edd/route-registry';

/** Reads and validates the routes manifest; throws RouteFileError listing every bad entry. */
export function readRoutesFile(path: string, domain: string): Route[] {
  return parseRoutesYaml(readFileSync(path, 'utf8'), { domain });
}

/**
 * Re-reads the manifest when it changes (a ConfigMap update swaps the mounted file) and hands the routes to
 * `apply` (the store seeds them: NOTIFY then updates every replica). An invalid file is logged and ignored.
 */
export function watchRoutesFile(
  path: string,
  domain: string,
  apply: (routes: Route[]) => Promise<unknown>,
  options: { logger: Logger; intervalMs?: number; debounceMs?: number },
): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const reload = () => {
    timer = undefined;
    let routes: Route[];
    try {
      routes = readRoutesFile(path, domain);
    } catch (error) {
      options.logger.warn('routes file changed but is invalid; keeping the current routes', {
        file: path,
        error: (error as Error).message,
      });
      return;
    }
    apply(routes).then(
      (result) => options.logger.info('routes file re-seeded', { file: path, result }),
      (error: unknown) => options.logger.warn('routes file re-seed failed', { file: path, error }),
    );
  };
  const onChange = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(reload, options.debounceMs ?? 500);
    timer.unref();
  };
  watchFile(path, { interval: options.intervalMs ?? 2_000, persistent: false }, onChange);
  return {
    stop() {
      if (timer) clearTimeout(timer);
      unwatchFile(path, onChange);
    },
  };
}
