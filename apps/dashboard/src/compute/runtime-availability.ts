// Whether compute can run containers, from its `/readyz`: the `runtime` check is advisory, so compute stays ready
// without a runtime and says why under `details.runtime`.

export type RuntimeAvailability = { available: true } | { available: false; reason: string };

const UNREACHABLE = 'The compute service could not be reached.';

/** Reads compute's `/readyz` answer (status code and JSON body, if any). */
export function runtimeAvailability(status: number, body: unknown): RuntimeAvailability {
  const readiness = typeof body === 'object' && body !== null ? (body as { checks?: unknown; details?: unknown }) : {};
  const checks = asRecord(readiness.checks);
  const details = asRecord(readiness.details);
  if (checks.runtime === 'degraded' || checks.runtime === 'failing') {
    const reason = typeof details.runtime === 'string' && details.runtime ? details.runtime : 'The container runtime is not available.';
    return { available: false, reason };
  }
  if (status >= 200 && status < 300) return { available: true };
  return { available: false, reason: status === 0 ? UNREACHABLE : `The compute service is not ready (it answered ${status}).` };
}

export const computeUnreachable: RuntimeAvailability = { available: false, reason: UNREACHABLE };

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
