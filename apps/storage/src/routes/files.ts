import { fileListQuerySchema } from '@edd/api-contracts';
import { HttpError, parseBody } from '@edd/http';
import { enqueueEvent } from '@edd/outbox';
import type { Express, Request, Response } from 'express';
import type { StorageDeps } from '../context';
import { deleteFileRow, findFile, listFiles, toFileEntry, type ListPosition } from '../data/files';
import { findNamespace } from '../data/namespaces';
import { decideFileRead, decideFileWrite } from '../domain/access';
import { allowedNamespace } from '../domain/access-errors';
import { parseFilePath } from '../domain/names';
import { fileTarget, rawPathname } from '../http/file-target';
import { transferProgress } from '../progress/transfer';
import { sendFile, setFileSecurityHeaders } from '../services/send-file';

/** Any path under `/storage/<ns>/`; the routes with fixed words (namespaces, files, ...) are mounted first. */
export const FILE_URL = /^\/storage\/[^/]+(?:\/.*)?$/;
const DOWNLOAD_URL = /^\/storage\/download\/[^/]+\/.+$/;

/** Listing, reading and deleting files. Uploads are in upload.ts. */
export function mountFileRoutes(app: Express, deps: StorageDeps): void {
  app.get('/storage/files', async (req, res) => {
    const query = parseBody(fileListQuerySchema, req.query);
    const found = await findNamespace(deps.db, query.namespace);
    const ns = allowedNamespace(decideFileRead(req.principal, found), found, 'read');
    const page = await listFiles(deps.db, ns.id, {
      prefix: query.prefix,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: query.limit,
      delimiter: query.delimiter,
    });
    res.json({
      files: page.files.map((file) => toFileEntry(ns.name, file)),
      folders: page.folders,
      next_cursor: page.next ? encodeCursor(page.next) : null,
    });
  });

  app.get(DOWNLOAD_URL, (req, res) => readFile(deps, req, res, '/storage/download/', true));
  app.get(FILE_URL, (req, res) => readFile(deps, req, res, '/storage/', false));

  app.delete(FILE_URL, async (req, res) => {
    setFileSecurityHeaders(res);
    const target = fileTarget(rawPathname(req.originalUrl), '/storage/');
    const path = parseFilePath(target.rest);
    const removed = await deps.db.tx(async (client) => {
      const found = await findNamespace(client, target.namespace);
      const ns = allowedNamespace(decideFileWrite(req.principal, found, 'delete'), found, 'delete');
      const file = await findFile(client, ns.id, path, { forUpdate: true });
      if (!file) throw new HttpError('not_found', 'file not found');
      await deleteFileRow(client, file.id);
      await enqueueEvent(client, 'storage.file.deleted', {
        namespace: ns.name,
        path: file.path,
        size: file.size,
        sha256: file.sha256,
        contentType: file.contentType,
        ownerId: ns.ownerId,
      });
      return file;
    });
    await deps.blobs
      .delete(removed.blobKey)
      .catch((error: unknown) => req.log.warn('deleted file’s blob not removed (orphan)', { key: removed.blobKey, error: String(error) }));
    res.status(204).end();
  });
}

async function readFile(deps: StorageDeps, req: Request, res: Response, base: string, download: boolean) {
  setFileSecurityHeaders(res);
  const target = fileTarget(rawPathname(req.originalUrl), base);
  const found = await findNamespace(deps.db, target.namespace);
  const ns = allowedNamespace(decideFileRead(req.principal, found), found, 'read');
  const path = parseFilePath(target.rest);
  const file = await findFile(deps.db, ns.id, path);
  if (!file) throw new HttpError('not_found', 'file not found');
  await sendFile(deps, req, res, file, { download, progressFor: await transferProgress(deps, req, 'download') });
}

// The cursor is opaque to clients: where the previous page stopped, base64url JSON.
function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.path, position.inclusive ? 1 : 0])).toString('base64url');
}

function decodeCursor(cursor: string): ListPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && (value[1] === 0 || value[1] === 1))
      return { path: value[0], inclusive: value[1] === 1 };
  } catch {
    // falls through to the 400
  }
  throw new HttpError('invalid_request', 'cursor is not one this service made', {
    details: [{ path: 'cursor', message: 'invalid cursor' }],
  });
}
