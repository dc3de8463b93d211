import type { Queryable } from '@edd/outbox';
import type { Sealer } from '../crypto/sealing';
import type { ContainerRow } from '../data/containers';
import { listIngressRules } from '../data/ingress';
import { loadSecrets } from '../data/secrets';
import type { ContainerSpec } from '../runtime/container-runtime';
import { authorizedKeyLines } from '../services/authorized-keys';

/** What the runtime must make of a container row: its limits, mounts, host key, authorized_keys and ingress ports. */
export async function buildContainerSpec(db: Queryable, sealer: Sealer, row: ContainerRow): Promise<ContainerSpec> {
  const [secrets, lines, rules] = await Promise.all([
    loadSecrets(db, sealer, row.id),
    authorizedKeyLines(db, row.id),
    listIngressRules(db, row.id),
  ]);
  if (!secrets) throw new Error(`container ${row.id} has no key pairs`);
  return {
    id: row.id,
    ownerId: row.ownerId,
    image: row.image,
    pullPolicy: row.pullPolicy,
    cpuMillis: row.cpuMillis,
    memoryMb: row.memoryMb,
    storageGb: row.storageGb,
    mountPaths: row.mountPaths,
    sshEnabled: row.sshEnabled,
    hostKey: secrets.hostKey,
    authorizedKeys: lines,
    ingressPorts: [...new Set(rules.map((r) => r.targetPort))].sort((a, b) => a - b),
  };
}
