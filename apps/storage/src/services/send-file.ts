import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import type { StorageDeps } from '../context';
import type { FileRow } from '../data/files';
import { evaluatePreconditions, preconditionFailed } from '../http/conditional';
import { fileResponseHeaders, FILE_SECURITY_HEADERS } from '../http/content-safety';
import { etagForSha256 } from '../http/entity-tag';
import { formatHttpDate } from '../http/http-date';
import { multipartByteranges } from '../http/multipart-byteranges';
import { contentRange, evaluateRange, rangeNotSatisfiable } from '../http/range';
import { silentReporter, type ProgressReporter } from '../progress/progress-reporter';

/** Security headers first, on every answer of a file route, errors included. */
export function setFileSecurityHeaders(res: Response): void {
  res.set(FILE_SECURITY_HEADERS);
}

/**
 * Answers a GET/HEAD of a stored file: validators (ETag = sha256, Last-Modified), preconditions (304/412), Range
 * (206 single, 206 multipart/byteranges, 416), then the bytes streamed from the blob store with bounded memory.
 * `progressFor` is called with the number of bytes the answer carries, when the transfer reports progress.
 */
export async function sendFile(
  deps: StorageDeps,
  req: Request,
  res: Response,
  file: FileRow,
  options: { download: boolean; progressFor?: (total: number) => ProgressReporter },
): Promise<void> {
  const validators = { etag: etagForSha256(file.sha256), lastModified: file.modifiedAt.getTime() };
  const presentation = fileResponseHeaders({ contentType: file.contentType, path: file.path }, options.download);
  const headers = {
    ...presentation,
    ETag: validators.etag,
    'Last-Modified': formatHttpDate(validators.lastModified),
    'Accept-Ranges': 'bytes',
    // Revalidate every time: visibility can change, and the ETag makes revalidation cheap.
    'Cache-Control': 'private, no-cache',
  };
  // Errors are thrown before the file's headers are set: a JSON error must not go out typed as the file.
  const precondition = evaluatePreconditions(req, validators);
  if (precondition === 'precondition-failed') throw preconditionFailed();
  const decision = precondition === 'proceed' ? evaluateRange(req, { ...validators, size: file.size }) : undefined;
  if (decision?.kind === 'unsatisfiable') throw rangeNotSatisfiable(file.size);
  res.set(headers);
  if (!decision) return void res.status(304).end();
  if (decision.kind === 'partial' && decision.ranges.length > 1) {
    const multipart = multipartByteranges({
      ranges: decision.ranges,
      size: file.size,
      contentType: presentation['Content-Type'] ?? 'application/octet-stream',
      open: (range) => deps.blobs.read(file.blobKey, { start: range.start, end: range.end }),
    });
    res.status(206).set({ 'Content-Type': multipart.contentType, 'Content-Length': String(multipart.contentLength) });
    return stream(req, res, () => multipart.body(), multipart.contentLength, options.progressFor);
  }
  const [range] = decision.kind === 'partial' ? decision.ranges : [];
  if (range) {
    const length = range.end - range.start + 1;
    res.status(206).set({ 'Content-Range': contentRange(range, file.size), 'Content-Length': String(length) });
    return stream(req, res, () => deps.blobs.read(file.blobKey, range), length, options.progressFor);
  }
  res.status(200).set('Content-Length', String(file.size));
  return stream(req, res, () => deps.blobs.read(file.blobKey), file.size, options.progressFor);
}

async function stream(
  req: Request,
  res: Response,
  open: () => Readable | Promise<Readable>,
  length: number,
  progressFor: ((total: number) => ProgressReporter) | undefined,
): Promise<void> {
  if (req.method === 'HEAD') return void res.end();
  // Opened before the headers go, so a missing blob is still a clean error answer.
  const body = await open();
  const progress = progressFor?.(length) ?? silentReporter;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      progress.advance(chunk.length);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(body, counter, res);
    progress.finish();
  } catch (error) {
    // Headers are gone: the cut connection (shorter than Content-Length) tells the client.
    progress.fail(error instanceof Error ? error.message : String(error));
    res.destroy();
  }
}
