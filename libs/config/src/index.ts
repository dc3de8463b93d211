export { loadConfig, ConfigError, env } from './load-config';
export {
  serviceConfigShape,
  serviceConfigProblems,
  loadServiceConfig,
  DEFAULT_DOMAIN,
  DEFAULT_INFRA,
  DEV_SERVICE_API_KEY,
  DEV_ENTRY_POINTS,
  publicEntryPoints,
} from './service-config';
export type { ServiceConfig } from './service-config';
