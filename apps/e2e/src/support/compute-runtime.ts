import { urls } from './e2e-env';
import { gatewayFetch } from './gateway-fetch';

interface Readiness {
  checks?: Record<string, string>;
  details?: Record<string, string>;
}

/** Compute's own word on its runtime (`/readyz`, advisory `runtime` check): undefined when containers can run. */
export async function runtimeUnavailableReason(): Promise<string | undefined> {
  const response = await gatewayFetch(`${urls.compute}/readyz`, { headers: { accept: 'application/json' } });
  const body = (await response.json().catch(() => ({}))) as Readiness;
  if (response.status !== 200) return `compute is not ready (/readyz answered ${response.status})`;
  if (body.checks?.runtime && body.checks.runtime !== 'ok') return body.details?.runtime ?? `runtime check is ${body.checks.runtime}`;
  return undefined;
}
