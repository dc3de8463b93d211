import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, serviceConfigShape } from '@edd/config';
import type { ServiceConfig } from '@edd/config';
import { createLogger } from '@edd/logger';
import type { Logger } from '@edd/logger';
import type { z } from 'zod';
import { runService } from './run-service';
import type { RunServiceOptions, ServiceDeps } from './run-service';

/**
 * The migrations folder of the app whose entry file is `entryUrl`: `../migrations` from `src/main.ts`
 * when run from source, `./migrations` beside a bundled `main.mjs`.
 */
export function resolveMigrationsDir(entryUrl: string): string {
  for (const candidate of ['./migrations', '../migrations']) {
    const dir = fileURLToPath(new URL(candidate, entryUrl));
    if (existsSync(dir)) return dir;
  }
  throw new Error(`no migrations folder next to ${fileURLToPath(entryUrl)}`);
}

export interface StartServiceOptions<S extends Record<string, z.ZodType>, C extends ServiceConfig & z.infer<z.ZodObject<S>>>
  extends Omit<RunServiceOptions, 'config' | 'logger' | 'buildApp' | 'startExtras'> {
  defaultPort: number;
  /** The service's own variables, on top of serviceConfigShape. */
  configShape?: S;
  buildApp: (deps: ServiceDeps, config: C, logger: Logger) => ReturnType<RunServiceOptions['buildApp']>;
  startExtras?: (deps: ServiceDeps, config: C, logger: Logger) => Promise<() => Promise<void>>;
}

/** A service's whole main(): config, logger, dependencies, server; a startup failure exits 1 with a clear message. */
export async function startService<S extends Record<string, z.ZodType>>(
  options: StartServiceOptions<S, ServiceConfig & z.infer<z.ZodObject<S>>>,
): Promise<void> {
  let logger: Logger = createLogger({ service: options.name });
  try {
    const config = loadConfig({ ...serviceConfigShape(options.defaultPort), ...(options.configShape ?? {}) }) as ServiceConfig &
      z.infer<z.ZodObject<S>>;
    logger = createLogger({ service: options.name, level: config.LOG_LEVEL });
    const { startExtras } = options;
    await runService({
      ...options,
      config,
      logger,
      buildApp: (deps) => options.buildApp(deps, config, logger),
      startExtras: startExtras && ((deps) => startExtras(deps, config, logger)),
    });
  } catch (error) {
    if (error instanceof ConfigError) logger.error(error.message, { problems: error.problems });
    else logger.error('failed to start', { error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
}
