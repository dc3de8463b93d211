import { containerUsageListSchema, type ContainerUsage } from '@edd/api-contracts';

export interface ComputeContainersOptions {
  computeUrl: string;
  serviceKey: string;
  timeoutMs?: number;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Reads compute's `GET /internal/containers/usage`: every running container with its owner, limits and usage. */
export async function fetchContainerUsage(options: ComputeContainersOptions): Promise<ContainerUsage[]> {
  const res = await fetch(new URL('/internal/containers/usage', options.computeUrl), {
    headers: { 'x-service-key': options.serviceKey, accept: 'application/json' },
    signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
  });
  if (!res.ok) throw new Error(`compute answered ${res.status} for /internal/containers/usage`);
  const text = await res.text();
  if (text.length > MAX_BODY_BYTES) throw new Error('compute usage answer is too large');
  return containerUsageListSchema.parse(JSON.parse(text)).containers;
}
