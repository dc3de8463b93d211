import { authErrors } from './errors';

export interface JsonResponse {
  status: number;
  body: unknown;
}

/**
 * A request with a hard deadline covering connect, headers and body: the auth service being slow or
 * down turns into a 503 for our caller, never a hung request.
 */
export async function getJson(url: string, headers: Record<string, string>, timeoutMs: number): Promise<JsonResponse> {
  return requestJson(url, 'GET', headers, undefined, timeoutMs);
}

/** POST a JSON body, with the same deadline and 503 mapping as getJson. */
export async function postJson(url: string, headers: Record<string, string>, body: unknown, timeoutMs: number): Promise<JsonResponse> {
  return requestJson(url, 'POST', { 'content-type': 'application/json', ...headers }, JSON.stringify(body), timeoutMs);
}

async function requestJson(
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  payload: string | undefined,
  timeoutMs: number,
): Promise<JsonResponse> {
  try {
    const response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...headers },
      body: payload,
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
