export { createServiceApp, GATEWAY_NETWORKS } from './service-app';
export type { ServiceAppOptions, ReadinessCheck } from './service-app';
export { HttpError, httpErrors } from './errors';
export type { HttpErrorOptions } from './errors';
export { sendHttpError } from './send-error';
export { parseBody } from './parse-body';
export { isAllowedOrigin } from './cors';
export { serve } from './serve';
export type { RunningServer, ServeOptions } from './serve';
