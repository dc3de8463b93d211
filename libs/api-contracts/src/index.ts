// Wire contracts shared by the services and their clients: zod only, no Express, no Node APIs (the dashboard imports it).
export { errorCatalogue, errorCodes, isErrorCode, statusOf, codeForStatus } from './errors/error-catalogue';
export type { ErrorCode } from './errors/error-catalogue';
export { errorBodySchema, errorDetailSchema } from './errors/error-body';
export type { ErrorBody, ErrorDetail } from './errors/error-body';
export * from './auth';
export * from './storage';
export * from './compute';
export * from './notifications';
export * from './health';
