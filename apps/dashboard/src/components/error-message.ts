import { isApiError } from '@edd/api-client';

/** A sentence a person can act on, from whatever a request threw. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) {
    if (error.status === 0) return 'The service could not be reached. Check your connection and try again.';
    if (error.status === 429 && error.retryAfterSeconds !== undefined)
      return `Too many attempts. Try again in ${error.retryAfterSeconds} seconds.`;
    if (error.status === 403) return error.message || 'You are not allowed to do that.';
    return capitalise(error.message);
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

function capitalise(text: string): string {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : 'Something went wrong.';
}
