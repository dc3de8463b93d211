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
export { GATEWAY_FORWARDING_HEADER_LINES, isValidRequestId, MAX_CLIENT_HEADER_LINES, SERVICE_MAX_HEADER_LINES } from './http-rules';
