import type { createContainerRequestSchema } from '@edd/api-contracts';
import { HttpError } from '@edd/http';
import type { Queryable } from '@edd/outbox';
import type { z } from 'zod';
import { imagePrefixOf } from '../config';
import type { ComputeDeps } from '../context';
import { countLiveContainers, insertContainer, lockComputeUser, type ContainerRow } from '../data/containers';
import { insertSecrets } from '../data/secrets';
import { findSshKeys, trustKeys } from '../data/ssh-keys';
import { sizeContainer } from '../domain/instance-types';
import { checkImage, checkMountPaths } from '../domain/limits';
import { generateContainerSecrets } from './container-keys';
import { enqueueContainerEvent } from './container-events';
import { newContainerId } from './ids';

type CreateRequest = z.output<typeof createContainerRequestSchema>;

/**
 * Validates the request against the catalogue and limits, then, in one transaction holding the user's row lock
 * (so concurrent creates are counted one after another): the limit check, the row, its trusted keys, its sealed key
 * pairs and the `created` event. The reconciler provisions it afterwards.
 */
export async function createContainer(
  deps: ComputeDeps,
  ownerId: string,
  body: CreateRequest,
  /** Runs last inside the transaction (the route keeps its Idempotency-Key answer there). */
  withinTransaction?: (client: Queryable, row: ContainerRow) => Promise<void>,
): Promise<ContainerRow> {
  const size = sizeContainer(body.instance_type, body.memory_mb, body.storage_gb);
  if (!size.ok) throw new HttpError('invalid_request', size.error);
  const mounts = checkMountPaths(body.mount_paths);
  if (!mounts.ok) throw new HttpError('invalid_request', mounts.error);
  const image = checkImage(body.image ?? deps.config.COMPUTE_DEFAULT_IMAGE, {
    defaultImage: deps.config.COMPUTE_DEFAULT_IMAGE,
    prefix: imagePrefixOf(deps.config),
  });
  if (!image.ok) throw new HttpError('invalid_request', image.error);
  const keyIds = [...new Set(body.ssh_key_ids)];
  // Key generation is CPU work: done before the transaction holds the lock.
  const id = newContainerId();
  const secrets = generateContainerSecrets(id);

  return deps.db.tx(async (client) => {
    await lockComputeUser(client, ownerId);
    const live = await countLiveContainers(client, ownerId);
    const max = deps.config.COMPUTE_MAX_CONTAINERS;
    if (live >= max) throw new HttpError('conflict', `container limit: at most ${max} containers per user (delete one first)`);
    const keys = await findSshKeys(client, ownerId, keyIds);
    if (keys.length !== keyIds.length) {
      const missing = keyIds.filter((k) => !keys.some((key) => key.id === k));
      throw new HttpError('invalid_request', `ssh_key_ids: no such key of yours: ${missing.join(', ')}`);
    }
    const row = await insertContainer(client, {
      id,
      ownerId,
      name: body.name,
      instanceType: size.type.name,
      cpuMillis: size.type.cpuMillis,
      memoryMb: size.memoryMb,
      storageGb: size.storageGb,
      image: image.value,
      pullPolicy: body.pull_policy,
      sshEnabled: body.ssh_enabled,
      mountPaths: mounts.value,
    });
    if (!row) throw new HttpError('conflict', `you already have a container named "${body.name}"`);
    await trustKeys(client, id, keyIds);
    await insertSecrets(client, deps.sealer, id, secrets);
    await enqueueContainerEvent(client, 'compute.container.created', row);
    await withinTransaction?.(client, row);
    return row;
  });
}
