import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadServiceConfig, serviceConfigProblems } from '@edd/config';
import type { ServiceConfig } from '@edd/config';
import { createLogger, drainLogTransports } from '@edd/logger';
import type { Logger } from '@edd/logger';
import type express from 'express';
import type { z } from 'zod';
import { runService } from './run-service';
import type { RunServiceOptions } from './run-service';
import type { DatabaseOption, DependencyOptions, ServiceDeps } from './service-deps';

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

type DbOpt = DatabaseOption | undefined;

/**
 * What every service passes to startService, whichever way it reads its configuration. X is the app buildApp
 * returns: startExtras gets that same app, so what both need (a socket hub, a reconciler) never waits in module state.
 */
export interface StartServiceBase<
  C extends ServiceConfig,
  D extends DbOpt = undefined,
  E extends boolean = false,
  R extends boolean = false,
  A extends boolean = false,
  X extends express.Express = express.Express,
> extends DependencyOptions<D, E, R, A> {
  name: string;
  buildApp: (deps: ServiceDeps<D, E, R, A>, config: C, logger: Logger) => Promise<X> | X;
  /** Extra cleanup after the HTTP server drained (stop consumers, timers). */
  onShutdown?: ReadonlyArray<() => Promise<void>>;
  /** Starts what the service runs besides HTTP (a gRPC port, consumers) once the app is built; returns how to stop it. */
  startExtras?: (deps: ServiceDeps<D, E, R, A>, config: C, logger: Logger, app: X) => Promise<() => Promise<void>>;
}

/** The common case: serviceConfigShape(defaultPort) plus the service's own variables. */
export interface StartServiceOptions<
  S extends ConfigShape,
  D extends DbOpt = undefined,
  E extends boolean = false,
  R extends boolean = false,
  A extends boolean = false,
  X extends express.Express = express.Express,
> extends StartServiceBase<ServiceConfig & z.infer<z.ZodObject<S>>, D, E, R, A, X> {
  defaultPort: number;
  /** The service's own variables, on top of serviceConfigShape. */
  configShape?: S;
}

/** For a service that completes its configuration itself (derived values, production-only rules). */
export interface StartServiceWithLoaderOptions<
  C extends ServiceConfig,
  D extends DbOpt = undefined,
  E extends boolean = false,
  R extends boolean = false,
  A extends boolean = false,
  X extends express.Express = express.Express,
> extends StartServiceBase<C, D, E, R, A, X> {
  /** Reads the environment once; throw ConfigError (or any Error) to refuse to start with a clear message. */
  loadConfig: () => C;
}

/**
 * What the overloads accept, as the implementation sees it: `never` parameters so each overload's buildApp (typed by
 * its own options) fits; runService connected what the options ask for, which is what those types promise.
 */
interface StartServiceImplementationOptions extends DependencyOptions {
  name: string;
  onShutdown?: ReadonlyArray<() => Promise<void>>;
  defaultPort?: number;
  configShape?: ConfigShape;
  loadConfig?: () => ServiceConfig;
  buildApp: (deps: never, config: never, logger: Logger) => ReturnType<RunServiceOptions['buildApp']>;
  startExtras?: (deps: never, config: never, logger: Logger, app: never) => Promise<() => Promise<void>>;
}

/** A service's whole main(): config, logger, dependencies, server; a startup failure exits 1 with a clear message. */
export async function startService<
  C extends ServiceConfig,
  D extends DbOpt = undefined,
  E extends boolean = false,
  R extends boolean = false,
  A extends boolean = false,
  X extends express.Express = express.Express,
>(options: StartServiceWithLoaderOptions<C, D, E, R, A, X>): Promise<void>;
export async function startService<
  S extends ConfigShape,
  D extends DbOpt = undefined,
  E extends boolean = false,
  R extends boolean = false,
  A extends boolean = false,
  X extends express.Express = express.Express,
>(options: StartServiceOptions<S, D, E, R, A, X>): Promise<void>;
export async function startService(options: StartServiceImplementationOptions): Promise<void> {
  let logger: Logger = createLogger({ service: options.name });
  try {
    const config = options.loadConfig
      ? options.loadConfig()
      : (loadServiceConfig(options.defaultPort ?? 0, options.configShape) as ServiceConfig);
    // The shared production rules hold whichever way the service read its configuration.
    const problems = serviceConfigProblems(config);
    if (problems.length) throw new ConfigError(problems);
    logger = createLogger({ service: options.name, level: config.LOG_LEVEL });
    const { buildApp, startExtras } = options;
    await runService({
      ...options,
      config,
      logger,
      buildApp: (deps) => buildApp(deps as never, config as never, logger),
      startExtras: startExtras && ((deps, app) => startExtras(deps as never, config as never, logger, app as never)),
    });
  } catch (error) {
    if (error instanceof ConfigError) logger.error(error.message, { problems: error.problems });
    else logger.error('failed to start', { error: error instanceof Error ? error.message : String(error) });
    // Why it did not start is worth the most in the log service: send it before exiting (bounded).
    await drainLogTransports();
    process.exit(1);
  }
}
