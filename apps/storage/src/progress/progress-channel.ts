import type { TransferProgress } from '@edd/api-contracts';
import type { Redis } from 'ioredis';

/** How long a transfer id stays bound to its owner: longer than any transfer's pause, short enough to forget. */
export const TRANSFER_OWNER_TTL_SECONDS = 6 * 60 * 60;

/** Redis names of one transfer: the pub/sub channel its progress travels on, and the key naming its owner. */
export function transferKeys(prefix: string, id: string) {
  return { channel: `${prefix}progress:${id}`, owner: `${prefix}transfer-owner:${id}` };
}

/**
 * Binds the transfer id to `userId` (first come: the subscriber that connects early, or the transfer itself), and
 * answers whether `userId` is its owner. Another user reusing the id is refused, so nobody can watch or pollute a
 * stranger's transfer.
 */
export async function claimTransfer(redis: Redis, prefix: string, id: string, userId: string): Promise<boolean> {
  const { owner } = transferKeys(prefix, id);
  const set = await redis.set(owner, userId, 'EX', TRANSFER_OWNER_TTL_SECONDS, 'NX');
  if (set === 'OK') return true;
  const current = await redis.get(owner);
  if (current === userId) {
    await redis.expire(owner, TRANSFER_OWNER_TTL_SECONDS);
    return true;
  }
  return false;
}

export async function publishProgress(redis: Redis, prefix: string, progress: TransferProgress): Promise<void> {
  await redis.publish(transferKeys(prefix, progress.id).channel, JSON.stringify(progress));
}
