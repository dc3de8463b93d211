import type { ContainerUsage } from '@edd/api-contracts';
import type { Express, RequestHandler } from 'express';
import type { ComputeDeps } from '../context';
import { listRunningContainers, type ContainerRow } from '../data/containers';

const USAGE_TIMEOUT_MS = 2_000;

/**
 * `GET /internal/containers/usage`: each running container with its limits and what the runtime measures, for the
 * health service (its `host` source). A runtime that does not answer in time leaves the figures out, never the row.
 */
export function mountInternalUsageRoute(app: Express, deps: ComputeDeps, guard: RequestHandler): void {
  app.get('/internal/containers/usage', guard, async (_req, res) => {
    const rows = await listRunningContainers(deps.db);
    res.json({ containers: await Promise.all(rows.map((row) => usageOf(deps, row))) });
  });
}

async function usageOf(deps: ComputeDeps, row: ContainerRow): Promise<ContainerUsage> {
  const base: ContainerUsage = {
    container_id: row.id,
    owner_id: row.ownerId,
    name: row.name,
    status: row.status,
    restarts: row.restarts,
    cpu_millis: row.cpuMillis,
    memory_mb: row.memoryMb,
    storage_gb: row.storageGb,
  };
  try {
    const usage = await Promise.race([
      deps.runtime.usage(row.id),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('usage timed out')), USAGE_TIMEOUT_MS).unref()),
    ]);
    return {
      ...base,
      ...(usage.memoryBytes !== undefined ? { memory_used_bytes: usage.memoryBytes } : {}),
      ...(usage.storageBytes !== undefined ? { storage_used_bytes: usage.storageBytes } : {}),
      ...(usage.cpuSeconds !== undefined ? { cpu_used_seconds: usage.cpuSeconds } : {}),
    };
  } catch (error) {
    deps.logger.warn('container usage unavailable', { containerId: row.id, error: String(error) });
    return base;
  }
}
