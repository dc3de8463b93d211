import { authErrors } from './errors';

export interface JsonResponse {
  status: number;
  body: unknown;
}

/**
 * GET with a hard deadline covering connect, headers and body: the auth service being slow or
 * down turns into a 503 for our caller, never a hung request.
 */
export async function getJson(url: string, headers: Record<string, string>, timeoutMs: number): Promise<JsonResponse> {
  try {
    const response = await fetch(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...headers },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, body };
  } catch {
    throw authErrors.unavailable();
  }
}
