import type { Queryable } from '@edd/outbox';
import type { ComputeDeps } from '../context';
import { findContainer } from '../data/containers';
import { loadPublicKeys } from '../data/secrets';
import { trustedKeys } from '../data/ssh-keys';
import { withTimeLimit } from '../reconcile/time-limit';

/** root's authorized_keys: the owner's keys the container trusts, then the container's own platform key. */
export async function authorizedKeyLines(db: Queryable, containerId: string): Promise<string[]> {
  const [keys, own] = await Promise.all([trustedKeys(db, containerId), loadPublicKeys(db, containerId)]);
  return [...keys.map((k) => k.publicKey), ...(own ? [own.platformKey] : [])];
}

/**
 * Rewrites authorized_keys in these containers where they run (a key was added or removed), without a restart.
 * Failures are logged: the reconciler's next apply carries the same keys, so a missed update heals itself.
 */
export async function pushAuthorizedKeys(
  deps: Pick<ComputeDeps, 'db' | 'runtime' | 'logger'>,
  containerIds: readonly string[],
): Promise<void> {
  await Promise.all(
    containerIds.map(async (id) => {
      try {
        const row = await findContainer(deps.db, id);
        if (!row || row.status !== 'running' || row.desiredState !== 'running') return;
        await withTimeLimit(deps.runtime.setAuthorizedKeys(id, await authorizedKeyLines(deps.db, id)), 15_000, 'updating authorized_keys');
      } catch (error) {
        deps.logger.warn('authorized_keys update failed; the next reconcile retries it', { containerId: id, error: String(error) });
      }
    }),
  );
}
