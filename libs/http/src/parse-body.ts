import type { z } from 'zod';
import { httpErrors } from './errors';

/** Validates a request body against `schema`; the first problems become one 400 message. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const message = result.error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  throw httpErrors.badRequest(message);
}
