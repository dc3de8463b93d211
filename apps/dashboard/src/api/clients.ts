import { createAuthApi, createComputeApi, createHealthApi, createNotificationsApi, createStorageApi } from '@edd/api-client';
import { platform } from '../platform/platform-config';

// One client per service, all sending the platform cookie (HttpOnly `token`, Domain=<base domain>).
export const authApi = createAuthApi({ baseUrl: platform.urls.auth, credentials: 'include' });
export const storageApi = createStorageApi({ baseUrl: platform.urls.storage, credentials: 'include' });
export const computeApi = createComputeApi({ baseUrl: platform.urls.compute, credentials: 'include' });
export const healthApi = createHealthApi({ baseUrl: platform.urls.health, credentials: 'include' });
export const notificationsApi = createNotificationsApi({ baseUrl: platform.urls.notifications, credentials: 'include' });
