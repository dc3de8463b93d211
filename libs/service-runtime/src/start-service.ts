import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig as loadConfigFromShape, serviceConfigShape } from '@edd/config';
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

type ConfigShape = Record<string, z.ZodType>;

/** What every service passes to startService, whichever way it reads its configuration. */
export interface StartServiceBase<C extends ServiceConfig> extends Omit<
  RunServiceOptions,
  'config' | 'logger' | 'buildApp' | 'startExtras'
> {
  buildApp: (deps: ServiceDeps, config: C, logger: Logger) => ReturnType<RunServiceOptions['buildApp']>;
  startExtras?: (deps: ServiceDeps, config: C, logger: Logger) => Promise<() => Promise<void>>;
}

/** The common case: serviceConfigShape(defaultPort) plus the service's own variables. */
export interface StartServiceOptions<
  S extends ConfigShape,
  C extends ServiceConfig & z.infer<z.ZodObject<S>> = ServiceConfig & z.infer<z.ZodObject<S>>,
> extends StartServiceBase<C> {
  defaultPort: number;
  /** The service's own variables, on top of serviceConfigShape. */
  configShape?: S;
}

/** For a service that completes its configuration itself (derived values, production-only rules). */
export interface StartServiceWithLoaderOptions<C extends ServiceConfig> extends StartServiceBase<C> {
  /** Reads the environment once; throw ConfigError (or any Error) to refuse to start with a clear message. */
  loadConfig: () => C;
}

/** A service's whole main(): config, logger, dependencies, server; a startup failure exits 1 with a clear message. */
export async function startService<C extends ServiceConfig>(options: StartServiceWithLoaderOptions<C>): Promise<void>;
export async function startService<S extends ConfigShape>(options: StartServiceOptions<S>): Promise<void>;
export async function startService(
  options: StartServiceWithLoaderOptions<ServiceConfig> | StartServiceOptions<ConfigShape, ServiceConfig>,
): Promise<void> {
  let logger: Logger = createLogger({ service: options.name });
  try {
    const config =
      'loadConfig' in options
        ? options.loadConfig()
        : (loadConfigFromShape({ ...serviceConfigShape(options.defaultPort), ...(options.configShape ?? {}) }) as ServiceConfig);
    logger = createLogger({ service: options.name, level: config.LOG_LEVEL });
    const { buildApp, startExtras } = options;
    await runService({
      ...options,
      config,
      logger,
      buildApp: (deps) => buildApp(deps, config, logger),
      startExtras: startExtras && ((deps) => startExtras(deps, config, logger)),
    });
  } catch (error) {
    if (error instanceof ConfigError) logger.error(error.message, { problems: error.problems });
    else logger.error('failed to start', { error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
}
