import { HttpError } from '@edd/http';
import { requireLiveAuth } from '@edd/live';
import type { Express } from 'express';
import type { StorageDeps } from '../context';
import { isTransferId } from '../http/transfer-id';
import { claimTransfer } from '../progress/progress-channel';
import { principalOf } from './principal';
import type { ProgressSubscriptions } from '../progress/progress-subscriptions';

/**
 * `GET /sse/progress?id=`: the transfer's progress as SSE `progress` events, whichever replica runs the transfer.
 * Subscribing binds the id to the caller (when the stream opens before the transfer starts), so only its owner
 * ever sees it; the stream ends after the event with `done`.
 */
export function mountProgressRoutes(app: Express, deps: StorageDeps, subscriptions: ProgressSubscriptions): void {
  app.get('/sse/progress', requireLiveAuth(deps.liveAuth), async (req, res) => {
    const id = req.query['id'];
    if (!isTransferId(id))
      throw new HttpError('invalid_request', 'id must be a transfer id (8 to 64 characters of A-Z, a-z, 0-9, "_" and "-")');
    if (!(await claimTransfer(deps.redis, deps.redisPrefix, id, principalOf(req).userId)))
      throw new HttpError('not_found', 'no such transfer');
    const stream = deps.live.sse(req, res);
    const stop = await subscriptions.listen(id, (progress) => {
      stream.send('progress', progress);
      if (progress.done) void stream.close();
    });
    stream.onClose(() => void stop());
  });
}
