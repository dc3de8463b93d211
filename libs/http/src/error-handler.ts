import { STATUS_CODES } from 'node:http';
import { codeForStatus } from '@edd/api-contracts';
import type { Logger } from '@edd/logger';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './errors';
import { sendHttpError } from './send-error';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** Maps what body-parser throws to our catalogue; its own messages can echo input, so we word them. */
function fromBodyParser(error: BodyParserError): HttpError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new HttpError('payload_too_large');
    case 'entity.parse.failed':
      return new HttpError('invalid_request', 'malformed JSON body');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError('unsupported_media_type');
    case 'request.aborted':
      return new HttpError('invalid_request', 'request aborted');
    default:
      // Other client errors raised by Express itself (http-errors marked `expose`, or the router's URIError for a
      // malformed %-escape in a path parameter) get the generic code of their 4xx status (invalid_request for statuses
      // the catalogue does not list), with the standard reason phrase as wording.
      if (
        (error.expose === true || error instanceof URIError) &&
        typeof error.status === 'number' &&
        error.status >= 400 &&
        error.status < 500
      )
        return new HttpError(codeForStatus(error.status), (STATUS_CODES[error.status] ?? 'bad request').toLowerCase());
      return undefined;
  }
}

export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const known = error instanceof HttpError ? error : fromBodyParser((error ?? {}) as BodyParserError);
    if (!known) {
      // req.log carries the requestId (and userId once authenticated).
      (req.log ?? logger).error('unhandled error', {
        method: req.method,
        path: req.path,
        error: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
      });
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendHttpError(res, known ?? new HttpError('internal'));
  };
}

export function notFoundHandler(_req: Request, res: Response): void {
  sendHttpError(res, new HttpError('not_found'));
}
