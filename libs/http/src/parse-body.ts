import type { z } from 'zod';
import { httpErrors } from './errors';

const MAX_DETAILS = 20;

/**
 * Validates a request body against `schema` (usually one of @edd/api-contracts): `invalid_request` with the first
 * problems as one message and every problem (up to 20) in `details`.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.slice(0, MAX_DETAILS).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const message = details
    .slice(0, 3)
    .map((detail) => (detail.path ? `${detail.path}: ${detail.message}` : detail.message))
    .join('; ');
  throw httpErrors.badRequest(message, details);
}
