import { codeForStatus } from '@edd/api-contracts';
import { HttpError } from '@edd/http';

/** What tus answers: a status and a body (here always the platform's JSON error). */
export interface TusAnswer {
  status_code: number;
  body: string;
}

/** Thrown from a tus hook: tus sends `status_code` and `body` as they are. */
export function tusError(error: HttpError): TusAnswer {
  return { status_code: error.status, body: JSON.stringify(error.toBody()) };
}

/**
 * Every error tus answers with, as `{"error": "...", "code": "..."}`: ours keep their code and message, tus's own
 * (`Upload-Offset conflict`, `Tus-Resumable Required`) keep their status and text; anything else is a 500 without detail.
 */
export function toTusAnswer(error: unknown): TusAnswer & { unexpected: boolean } {
  if (error instanceof HttpError) return { ...tusError(error), unexpected: false };
  if (isTusAnswer(error)) {
    if (error.body.startsWith('{')) return { ...error, unexpected: false };
    const message = error.body.trim() || 'upload refused';
    return {
      status_code: error.status_code,
      body: JSON.stringify({ error: message, code: codeForStatus(error.status_code) }),
      unexpected: false,
    };
  }
  return { status_code: 500, body: JSON.stringify({ error: 'internal error', code: codeForStatus(500) }), unexpected: true };
}

function isTusAnswer(value: unknown): value is TusAnswer {
  return (
    typeof value === 'object' &&
    value !== null &&
    'status_code' in value &&
    typeof value.status_code === 'number' &&
    'body' in value &&
    typeof value.body === 'string'
  );
}
