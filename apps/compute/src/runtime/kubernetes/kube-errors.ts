/** The HTTP status of a failed Kubernetes call (client-node v2 throws ApiException with `code`), if it has one. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') return error.code;
  return undefined;
}

export const isNotFound = (error: unknown) => statusOf(error) === 404;

/** Returns undefined for a 404 instead of throwing: "missing" is an answer, not a failure, for an idempotent driver. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** A message for people from an ApiException (its body is the API's Status object) or anything else. */
export function describeKubeError(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'body' in error) {
    const body = (error as { body: unknown }).body;
    const parsed = typeof body === 'string' ? safeJson(body) : body;
    if (parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string') return parsed.message;
  }
  return error instanceof Error ? error.message : String(error);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
