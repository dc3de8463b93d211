import { createContainerRequestSchema, type Container } from '@edd/api-contracts';
import { answerWithinTransaction, HttpError, parseBody } from '@edd/http';
import type { Queryable } from '@edd/outbox';
import type { Express } from 'express';
import type { ComputeDeps } from '../context';
import { findOwnedContainer, listContainersOf, setDesiredState, type ContainerRow } from '../data/containers';
import { describeContainer, describeContainers } from '../services/container-view';
import { enqueueContainerEvent } from '../services/container-events';
import { createContainer } from '../services/create-container';
import { containerIdOf, principalOf, requireComputeScope } from './guards';
import { idempotentCreate } from './idempotent';

const USAGE_TIMEOUT_MS = 2_000;
const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** `/compute/containers`: a user's containers and their lifecycle (the reconciler does the runtime work). */
export function mountContainerRoutes(app: Express, deps: ComputeDeps): void {
  app.get('/compute/containers', requireComputeScope('containers', 'read'), async (req, res) => {
    const rows = await listContainersOf(deps.db, principalOf(req).userId);
    res.json({ containers: await describeContainers(deps.db, deps.config, rows) });
  });

  // After the scope check: a caller who may not create holds no key.
  app.post('/compute/containers', requireComputeScope('containers', 'create'), idempotentCreate(deps), async (req, res) => {
    const body = parseBody(createContainerRequestSchema, req.body);
    let answer: Container | undefined;
    const row = await createContainer(deps, principalOf(req).userId, body, async (client, created) => {
      answer = await describeContainer(client, deps.config, created);
      await answerWithinTransaction(res, client, 201, answer);
    });
    deps.kick(row.id);
    // Set by the hook, which runs in every transaction that commits.
    res.status(201).json(answer);
  });

  app.get('/compute/containers/:id', requireComputeScope('containers', 'read', true), async (req, res) => {
    const row = await owned(deps, principalOf(req).userId, containerIdOf(req));
    const view = await describeContainer(deps.db, deps.config, row);
    res.json(row.status === 'running' ? { ...view, ...(await usageOf(deps, row.id)) } : view);
  });

  app.delete('/compute/containers/:id', requireComputeScope('containers', 'delete', true), async (req, res) => {
    const id = containerIdOf(req);
    await deps.db.tx(async (client) => {
      await owned({ db: client }, principalOf(req).userId, id, true);
      // Gone for the user and the gateway from the commit on; the reconciler removes it from the runtime.
      await enqueueContainerEvent(client, 'compute.container.deleted', await setDesiredState(client, id, 'deleted'));
    });
    deps.kick(id);
    res.status(204).end();
  });

  for (const [action, desired] of [
    ['start', 'running'],
    ['stop', 'stopped'],
  ] as const) {
    app.post(`/compute/containers/:id/${action}`, requireComputeScope('containers', 'update', true), async (req, res) => {
      const id = containerIdOf(req);
      const row = await deps.db.tx(async (client) => {
        const current = await owned({ db: client }, principalOf(req).userId, id, true);
        if (current.desiredState === desired) return current;
        const next = await setDesiredState(client, id, desired);
        if (next.status !== current.status) await enqueueContainerEvent(client, 'compute.container.updated', next);
        return next;
      });
      deps.kick(id);
      res.json(await describeContainer(deps.db, deps.config, row));
    });
  }
}

/** The caller's live container, or 404 (another user's container answers exactly like one that does not exist). */
export async function owned(deps: { db: Queryable }, ownerId: string, id: string, forUpdate = false): Promise<ContainerRow> {
  const row = await findOwnedContainer(deps.db, ownerId, id, { forUpdate });
  if (!row) throw new HttpError('not_found', 'container not found');
  return row;
}

/** Live memory and disk use, when the runtime answers in time; omitted otherwise. */
async function usageOf(deps: ComputeDeps, id: string): Promise<{ memory_used_mb?: number; storage_used_gb?: number }> {
  try {
    const usage = await Promise.race([
      deps.runtime.usage(id),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('usage timed out')), USAGE_TIMEOUT_MS).unref()),
    ]);
    return {
      ...(usage.memoryBytes !== undefined ? { memory_used_mb: Math.round((usage.memoryBytes / MIB) * 10) / 10 } : {}),
      ...(usage.storageBytes !== undefined ? { storage_used_gb: Math.round((usage.storageBytes / GIB) * 100) / 100 } : {}),
    };
  } catch (error) {
    deps.logger.warn('container usage unavailable', { containerId: id, error: String(error) });
    return {};
  }
}
