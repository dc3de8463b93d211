import { z } from 'zod';
import { errorCodes, type ErrorCode } from './error-catalogue';

/** One problem of a request, e.g. `{ path: 'display_name', message: 'Too big: expected string to have <=64 characters' }`. */
export const errorDetailSchema = z.object({
  /** Dot-separated path of the field in the body; empty for the body as a whole. */
  path: z.string(),
  message: z.string(),
});
export type ErrorDetail = z.infer<typeof errorDetailSchema>;

/**
 * What every service answers on failure. `error` is the human wording (kept from the first version of the API),
 * `code` the stable machine name from the catalogue, `details` only where it helps (which fields failed).
 */
export const errorBodySchema = z.object({
  error: z.string(),
  code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]),
  details: z.array(errorDetailSchema).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
