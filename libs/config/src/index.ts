export { loadConfig, ConfigError, env } from './load-config';
export { serviceConfigShape, DEFAULT_DOMAIN, DEFAULT_INFRA } from './service-config';
export type { ServiceConfig } from './service-config';
