import { eventCatalog } from '@edd/events';
import type { EventData } from '@edd/events';
import type { Logger } from '@edd/logger';
import { z } from 'zod';

/** One container as the compute service describes it: the `compute.container.*` event payload. */
export type ContainerRecord = EventData<'compute.container.updated'>;

/** Where the full container list comes from during a resynchronisation. */
export interface ContainerSource {
  /** Every container compute knows about; `undefined` when the source cannot answer right now (skip this round). */
  list(): Promise<ContainerRecord[] | undefined>;
}

export interface HttpContainerSourceOptions {
  /** COMPUTE_INTERNAL_URL, e.g. http://127.0.0.1:4003 */
  baseUrl: string;
  /** SERVICE_API_KEY, sent as X-Service-Key. */
  serviceKey?: string;
  logger: Logger;
  timeoutMs?: number;
}

// `GET /internal/containers` -> { "containers": [<compute.container.* payload>, ...] }
const listSchema = z.object({ containers: z.array(eventCatalog['compute.container.updated'].schema) });

/**
 * Compute's internal listing over HTTP. Compute may not be deployed (connection refused) or may not
 * have the endpoint yet (404): both mean "no answer", logged once per state change, never thrown.
 */
export class HttpContainerSource implements ContainerSource {
  private lastProblem: string | undefined;

  constructor(private readonly options: HttpContainerSourceOptions) {}

  async list(): Promise<ContainerRecord[] | undefined> {
    const url = new URL('/internal/containers', this.options.baseUrl);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/json', ...(this.options.serviceKey ? { 'x-service-key': this.options.serviceKey } : {}) },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
    } catch (error) {
      return this.unavailable(`unreachable: ${causeOf(error)}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      return this.unavailable(`answered ${response.status}`);
    }
    const parsed = listSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) return this.unavailable(`invalid body: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    if (this.lastProblem) this.options.logger.info('container resync source is back', { url: url.href });
    this.lastProblem = undefined;
    return parsed.data.containers;
  }

  private unavailable(problem: string): undefined {
    if (problem !== this.lastProblem) this.options.logger.warn('container resync source unavailable', { problem });
    this.lastProblem = problem;
    return undefined;
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
