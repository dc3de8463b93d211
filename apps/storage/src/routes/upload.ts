import type { Readable } from 'node:stream';
import type { FileEntry } from '@edd/api-contracts';
import { HttpError } from '@edd/http';
import busboy from 'busboy';
import type { Express, Request } from 'express';
import type { StorageDeps } from '../context';
import { findNamespace, type NamespaceRow } from '../data/namespaces';
import { decideFileWrite } from '../domain/access';
import { allowedNamespace, assertAllowed } from '../domain/access-errors';
import { parseFilePath } from '../domain/names';
import { fileTarget, rawPathname } from '../http/file-target';
import { storedContentType } from '../http/media-type';
import { silentReporter, transferProgress } from '../progress/transfer';
import { setFileSecurityHeaders } from '../services/send-file';
import { storeFile } from '../services/store-file';
import { FILE_URL } from './files';

const MULTIPART = /^multipart\/form-data\b/i;

/** True for the requests whose body is a file's bytes: express.json must leave them alone (see app.ts). */
export function isUploadRequest(req: { method?: string; url?: string }): boolean {
  if (req.method !== 'POST' || !req.url) return false;
  const pathname = rawPathname(req.url);
  return FILE_URL.test(pathname) && !/^\/storage\/(namespaces|shares)\/?$/.test(pathname);
}

/** `POST /storage/<ns>/<path>`: a raw body, or multipart/form-data with a `file` part. */
export function mountUploadRoutes(app: Express, deps: StorageDeps): void {
  app.post(FILE_URL, async (req, res) => {
    setFileSecurityHeaders(res);
    const target = fileTarget(rawPathname(req.originalUrl), '/storage/');
    const found = await findNamespace(deps.db, target.namespace);
    const overwrite = req.query['overwrite'] === 'true';
    const ns = allowedNamespace(decideFileWrite(req.principal, found, 'create'), found, 'create');
    if (overwrite) assertAllowed(decideFileWrite(req.principal, ns, 'update'), 'update');
    const announced = announcedSize(req);
    const progressFor = await transferProgress(deps, req, 'upload');
    const progress = progressFor?.(announced ?? 0) ?? silentReporter;
    // A client that goes away mid-body aborts the write: nothing is stored.
    const aborted = new AbortController();
    req.once('close', () => {
      if (!req.complete) aborted.abort(new Error('the client closed the connection before the upload finished'));
    });
    const common = { deps, namespace: ns, overwrite, declaredSize: announced, signal: aborted.signal, progress };
    try {
      const entry = MULTIPART.test(req.headers['content-type'] ?? '')
        ? await multipartUpload(req, target.rest, common)
        : await storeFile(deps, {
            ...common,
            path: parseFilePath(target.rest),
            contentType: storedContentType(req.headers['content-type']),
            exactSize: contentLength(req),
            source: req,
          });
      progress.finish();
      res.status(201).json(entry);
    } catch (error) {
      progress.fail(error instanceof Error ? error.message : String(error));
      // The rest of the body is not read: close the connection after the answer rather than drain it.
      if (!req.complete) res.set('Connection', 'close');
      throw error;
    }
  });
}

interface CommonUpload {
  deps: StorageDeps;
  namespace: NamespaceRow;
  overwrite: boolean;
  declaredSize: number | undefined;
  signal: AbortSignal;
  progress: typeof silentReporter;
}

/**
 * The first `file` part is the file (other parts are skipped). The URL's path names the file, or, ending in `/`
 * (or empty), the folder the part's filename goes in.
 */
function multipartUpload(req: Request, rest: string, common: CommonUpload): Promise<FileEntry> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, parts: 50, fields: 20 } });
  } catch (error) {
    throw new HttpError('invalid_request', `malformed multipart/form-data: ${(error as Error).message}`);
  }
  return new Promise<FileEntry>((resolve, reject) => {
    let started = false;
    parser.on('file', (field: string, stream: Readable, info: busboy.FileInfo) => {
      if (field !== 'file' || started) return void stream.resume();
      started = true;
      const folder = rest === '' || rest.endsWith('/');
      let path: string;
      try {
        if (folder && !info.filename) throw new HttpError('invalid_request', 'the file part has no filename, and the URL names a folder');
        path = parseFilePath(folder ? `${rest}${info.filename}` : rest);
      } catch (error) {
        stream.resume();
        return reject(error);
      }
      storeFile(common.deps, { ...common, path, contentType: storedContentType(info.mimeType), source: stream }).then(resolve, reject);
    });
    parser.on('error', (error: Error) => reject(new HttpError('invalid_request', `malformed multipart/form-data: ${error.message}`)));
    parser.on('close', () => {
      if (!started) reject(new HttpError('invalid_request', 'multipart/form-data upload without a "file" part'));
    });
    common.signal.addEventListener('abort', () => reject(common.signal.reason), { once: true });
    req.pipe(parser);
  });
}

function contentLength(req: Request): number | undefined {
  const value = req.headers['content-length'];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The size the client announced: X-File-Size, else a raw body's Content-Length (a multipart one counts the framing). */
function announcedSize(req: Request): number | undefined {
  const header = req.headers['x-file-size'];
  if (header !== undefined) {
    if (typeof header !== 'string' || !/^\d{1,16}$/.test(header))
      throw new HttpError('invalid_request', 'X-File-Size must be a number of bytes', {
        details: [{ path: 'X-File-Size', message: 'not a number' }],
      });
    return Number(header);
  }
  return MULTIPART.test(req.headers['content-type'] ?? '') ? undefined : contentLength(req);
}
