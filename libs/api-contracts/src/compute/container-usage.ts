import { z } from 'zod';

/** `GET /internal/containers/usage` (service key): what the health service's `host` source reads per container. */
export const containerUsageSchema = z.object({
  container_id: z.string(),
  owner_id: z.string(),
  name: z.string(),
  status: z.enum(['pending', 'running', 'stopped', 'failed', 'deleted']),
  restarts: z.number().int().min(0),
  /** The instance type's limits. */
  cpu_millis: z.number().int().min(0),
  memory_mb: z.number().int().min(0),
  storage_gb: z.number().min(0),
  /** What the runtime measured; absent when it could not (no memory accounting, or it timed out). */
  memory_used_bytes: z.number().min(0).optional(),
  storage_used_bytes: z.number().min(0).optional(),
  /** CPU time used since the container started (cumulative; the health service takes the rate between samples). */
  cpu_used_seconds: z.number().min(0).optional(),
});
export const containerUsageListSchema = z.object({ containers: z.array(containerUsageSchema) });

export type ContainerUsage = z.infer<typeof containerUsageSchema>;
export type ContainerUsageList = z.infer<typeof containerUsageListSchema>;
