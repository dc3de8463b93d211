export { ApiError, isApiError, hasErrorCode } from './api-error';
export type { ApiErrorInit } from './api-error';
export type { ErrorCode, ErrorDetail } from '@edd/api-contracts';
export type { ClientOptions, FetchLike } from './json-client';
export { platformUrls, platformServices, type PlatformService, type PlatformUrls, type PlatformUrlOptions } from './platform-urls';
export { createAuthApi, createAuthInternalApi, tokenIdOf, type AuthApi, type AuthInternalOptions } from './auth/auth-api';
export type * from './auth/auth-types';
export type * from './event-types';
export { createStorageApi, tusUploadMetadata, type StorageApi, type StorageClientOptions, type UploadOptions } from './storage/storage-api';
export { encodeFilePath, TUS_UPLOADS_PATH } from './storage/storage-paths';
export {
  isAbortError,
  fetchUploadTransport,
  xhrUploadTransport,
  type UploadProgress,
  type UploadRequest,
  type UploadTransport,
} from './storage/upload-transport';
export type * from './storage/storage-types';
export { createComputeApi, type ComputeApi } from './compute/compute-api';
export type * from './compute/compute-types';
export { createHealthApi, type HealthApi, type SeriesWindow } from './health/health-api';
export type * from './health/health-types';
export { createNotificationsApi, type NotificationsApi } from './notifications/notifications-api';
export type { Notification, NotificationFrame, NotificationMute } from './notifications/notifications-api';
