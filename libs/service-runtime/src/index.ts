export { runService } from './run-service';
export type { RunServiceOptions, ServiceDeps } from './run-service';
export { startService, resolveMigrationsDir } from './start-service';
export type { StartServiceBase, StartServiceOptions, StartServiceWithLoaderOptions } from './start-service';
export { connectRedis } from './redis';
export { serviceAppOptions } from './app-options';
export type { ServiceAppDeps } from './app-options';
