export { runService } from './run-service';
export type { RunServiceOptions } from './run-service';
export type { AnyServiceDeps, DatabaseOption, DependencyOptions, ServiceDeps } from './service-deps';
export { startService, resolveMigrationsDir } from './start-service';
export type { StartServiceBase, StartServiceOptions, StartServiceWithLoaderOptions } from './start-service';
export { connectRedis } from './redis';
export { serviceAppOptions } from './app-options';
export type { ServiceAppDeps } from './app-options';
