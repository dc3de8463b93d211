import type { Queryable } from '@edd/outbox';
import type { Sealer } from '../crypto/sealing';

/** A container's own key pairs, opened (private halves in OpenSSH format). */
export interface ContainerSecrets {
  hostKey: { publicKey: string; privateKey: string };
  platformKey: { publicKey: string; privateKey: string };
}

// The sealed value is bound to its container and role: one moved to another row or column does not open.
const contextOf = (containerId: string, role: 'host' | 'platform') => `${containerId}:${role}`;

export async function insertSecrets(db: Queryable, sealer: Sealer, containerId: string, secrets: ContainerSecrets): Promise<void> {
  await db.query(
    `INSERT INTO container_secrets (container_id, host_public_key, host_private_sealed, platform_public_key, platform_private_sealed)
     VALUES ($1, $2, $3, $4, $5)`,
    [
      containerId,
      secrets.hostKey.publicKey,
      sealer.seal(secrets.hostKey.privateKey, contextOf(containerId, 'host')),
      secrets.platformKey.publicKey,
      sealer.seal(secrets.platformKey.privateKey, contextOf(containerId, 'platform')),
    ],
  );
}

interface DbSecrets {
  host_public_key: string;
  host_private_sealed: string;
  platform_public_key: string;
  platform_private_sealed: string;
}

/** The opened key pairs; throws SealingError when the secret changed or a value was altered. */
export async function loadSecrets(db: Queryable, sealer: Sealer, containerId: string): Promise<ContainerSecrets | undefined> {
  const { rows } = await db.query<DbSecrets>('SELECT * FROM container_secrets WHERE container_id = $1', [containerId]);
  const row = rows[0];
  if (!row) return undefined;
  return {
    hostKey: { publicKey: row.host_public_key, privateKey: sealer.open(row.host_private_sealed, contextOf(containerId, 'host')) },
    platformKey: {
      publicKey: row.platform_public_key,
      privateKey: sealer.open(row.platform_private_sealed, contextOf(containerId, 'platform')),
    },
  };
}

/** Public halves only (no unsealing). */
export async function loadPublicKeys(db: Queryable, containerId: string): Promise<{ hostKey: string; platformKey: string } | undefined> {
  const { rows } = await db.query<DbSecrets>('SELECT host_public_key, platform_public_key FROM container_secrets WHERE container_id = $1', [
    containerId,
  ]);
  return rows[0] && { hostKey: rows[0].host_public_key, platformKey: rows[0].platform_public_key };
}
