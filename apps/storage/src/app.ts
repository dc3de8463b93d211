import { createServiceApp } from '@edd/http';
import { serviceAppOptions } from '@edd/service-runtime';
import type { StorageDeps } from './context';
import { ProgressSubscriptions } from './progress/progress-subscriptions';
import { mountAdminRoutes } from './routes/admin';
import { mountFileRoutes } from './routes/files';
import { mountNamespaceRoutes } from './routes/namespaces';
import { mountProgressRoutes } from './routes/progress';
import { mountShareRoutes } from './routes/shares';
import { isTusRequest, mountTusRoutes } from './routes/tus';
import { isUploadRequest, mountUploadRoutes } from './routes/upload';
import { createTusUploads } from './uploads/tus-uploads';

const JSON_TYPE = /^application\/json\b/i;

/** What the dashboard sends and reads across origins: ranges and validators, the transfer id, and tus 1.0's headers. */
const STORAGE_CORS = {
  allowHeaders: [
    'Range',
    'If-Range',
    'If-None-Match',
    'If-Modified-Since',
    'If-Match',
    'X-File-Size',
    'X-Transfer-Id',
    'Tus-Resumable',
    'Upload-Length',
    'Upload-Metadata',
    'Upload-Offset',
    'Upload-Defer-Length',
    'Upload-Concat',
  ],
  exposeHeaders: [
    'Content-Range',
    'Accept-Ranges',
    'ETag',
    'Last-Modified',
    'Content-Disposition',
    'Location',
    'Upload-Offset',
    'Upload-Length',
    'Upload-Expires',
    'Tus-Resumable',
    'Tus-Version',
    'Tus-Extension',
    'Tus-Max-Size',
  ],
};

/**
 * Namespaces and files: a user's buckets, streamed uploads, downloads, share links and transfer progress.
 * Routes with fixed words (`/storage/namespaces`, `/storage/files`, ...) are mounted before the catch-all file URL.
 * `closeStorage()` releases the progress subscriber connection; `sweepExpiredUploads()` removes expired tus parts.
 */
export function createApp(deps: StorageDeps) {
  const subscriptions = new ProgressSubscriptions(deps.redis, deps.redisPrefix);
  const tus = createTusUploads(deps);
  const app = createServiceApp(
    serviceAppOptions('storage', deps, {
      corsHeaders: STORAGE_CORS,
      // An uploaded .json file is bytes to store, not a request body to parse.
      parseJsonBody: (req) => JSON_TYPE.test(req.headers['content-type'] ?? '') && !isUploadRequest(req) && !isTusRequest(req),
    }),
    (routes) => {
      mountNamespaceRoutes(routes, deps);
      mountShareRoutes(routes, deps);
      mountAdminRoutes(routes, deps);
      mountProgressRoutes(routes, deps, subscriptions);
      mountTusRoutes(routes, tus);
      mountFileRoutes(routes, deps);
      mountUploadRoutes(routes, deps);
    },
  );
  return Object.assign(app, {
    closeStorage: () => subscriptions.close(),
    sweepExpiredUploads: (orphanAfterMs: number) => tus.sweepExpired(orphanAfterMs),
  });
}
