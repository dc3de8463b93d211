import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorCatalogue, statusOf, type ErrorCode } from '@edd/api-contracts';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** The platform's error body `{"error","code"}`, with the status the catalogue gives `code`. */
export function sendError(
  res: ServerResponse,
  code: ErrorCode,
  message: string = errorCatalogue[code].message,
  headers?: Record<string, string>,
): void {
  sendJson(res, statusOf(code), { error: message, code }, headers);
}

export class BodyError extends Error {
  constructor(
    readonly code: 'invalid_request' | 'payload_too_large',
    message: string,
  ) {
    super(message);
  }
}

/** Reads a JSON body of at most `limit` bytes; BodyError `payload_too_large` when larger, `invalid_request` when not JSON. */
export async function readJsonBody(req: IncomingMessage, limit = 64 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyError('payload_too_large', `request body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) throw new BodyError('invalid_request', 'request body must be a JSON object');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new BodyError('invalid_request', 'request body is not valid JSON');
  }
}
