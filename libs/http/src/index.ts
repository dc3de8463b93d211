export { createServiceApp, GATEWAY_NETWORKS } from './service-app';
export type { ServiceAppOptions, ReadinessCheck, Authentication } from './service-app';
export { UNMATCHED_ROUTE, OTHER_ROUTE } from './metrics';
export { presentsServiceKey } from './service-key';
export { HttpError, httpErrors } from './errors';
export { parseBody } from './parse-body';
export { isAllowedOrigin } from './cors';
export { serve } from './serve';
export type { RunningServer, ServeOptions } from './serve';
