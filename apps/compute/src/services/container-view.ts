import type { AdminContainer, Container, IngressRule } from '@edd/api-contracts';
import type { Queryable } from '@edd/outbox';
import type { ComputeConfig } from '../config';
import type { ContainerRow } from '../data/containers';
import { ingressRulesOf, type IngressRow } from '../data/ingress';
import { trustedKeyIds } from '../data/ssh-keys';

export const hostnameOf = (config: ComputeConfig, id: string): string => `${id}.compute.${config.EDD_DOMAIN}`;

/** `ssh -p <port> <id>@<domain>`: the gateway's SSH plane routes by the login name. */
export const sshCommandOf = (config: ComputeConfig, id: string): string => `ssh -p ${config.COMPUTE_SSH_PORT} ${id}@${config.EDD_DOMAIN}`;

export function ingressView(config: ComputeConfig, rule: IngressRow): IngressRule {
  const host = hostnameOf(config, rule.containerId);
  return {
    port: rule.externalPort,
    target_port: rule.targetPort,
    protocol: rule.protocol,
    url: rule.protocol === 'tls' ? `https://${host}/` : `http://${host}${rule.externalPort === 80 ? '' : `:${rule.externalPort}`}/`,
    created_at: rule.createdAt.toISOString(),
  };
}

function view(config: ComputeConfig, row: ContainerRow, rules: IngressRow[], keyIds: string[]): Container {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    desired_state: row.desiredState,
    status_message: row.statusMessage,
    restarts: row.restarts,
    hostname: hostnameOf(config, row.id),
    ...(row.sshEnabled ? { ssh_command: sshCommandOf(config, row.id) } : {}),
    instance_type: row.instanceType,
    cpu_millis: row.cpuMillis,
    memory_mb: row.memoryMb,
    storage_gb: row.storageGb,
    image: row.image,
    pull_policy: row.pullPolicy,
    ssh_enabled: row.sshEnabled,
    https_enabled: rules.some((r) => r.protocol === 'tls'),
    mount_paths: row.mountPaths,
    ssh_key_ids: keyIds,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    version: row.version,
  };
}

/** The API's view of several containers, with their rules and keys read in two queries (not one per container). */
export async function describeContainers(db: Queryable, config: ComputeConfig, rows: ContainerRow[]): Promise<Container[]> {
  const ids = rows.map((r) => r.id);
  const [rules, keys] = await Promise.all([ingressRulesOf(db, ids), trustedKeyIds(db, ids)]);
  return rows.map((row) => view(config, row, rules.get(row.id) ?? [], keys.get(row.id) ?? []));
}

export async function describeContainer(db: Queryable, config: ComputeConfig, row: ContainerRow): Promise<Container> {
  const [container] = await describeContainers(db, config, [row]);
  if (!container) throw new Error(`no view of container ${row.id}`);
  return container;
}

export async function describeForAdmin(db: Queryable, config: ComputeConfig, rows: ContainerRow[]): Promise<AdminContainer[]> {
  const owners = new Map(rows.map((r) => [r.id, r.ownerId]));
  const views = await describeContainers(db, config, rows);
  return views.map((v) => ({ ...v, owner_id: owners.get(v.id) ?? '' }));
}
