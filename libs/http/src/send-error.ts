import type { Response } from 'express';
import type { HttpError } from './errors';

/** Writes an HttpError as the answer: its headers, its status, and `{"error", "code", "details"?}`. */
export function sendHttpError(res: Response, error: HttpError): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status).json(error.toBody());
}
