import { FILE_LIST_LIMIT_DEFAULT, FILE_LIST_LIMIT_MAX, namespaceNameSchema } from '@edd/api-contracts';
import { requireAdmin } from '@edd/auth-client';
import { HttpError, parseBody } from '@edd/http';
import type { Express } from 'express';
import { z } from 'zod';
import type { StorageDeps } from '../context';
import { listAllFiles, toFileEntry } from '../data/files';
import { findNamespace, listAllNamespaces } from '../data/namespaces';

const adminFilesQuery = z.object({
  namespace: namespaceNameSchema.optional(),
  cursor: z.string().max(4096).optional(),
  limit: z.coerce.number().int().min(1).max(FILE_LIST_LIMIT_MAX).default(FILE_LIST_LIMIT_DEFAULT),
});

/** Every user's namespaces and files, for an admin's session. */
export function mountAdminRoutes(app: Express, deps: StorageDeps): void {
  app.get('/storage/admin/namespaces', requireAdmin, async (_req, res) => {
    res.json({ namespaces: await listAllNamespaces(deps.db) });
  });

  app.get('/storage/admin/files', requireAdmin, async (req, res) => {
    const query = parseBody(adminFilesQuery, req.query);
    const ns = query.namespace === undefined ? undefined : await findNamespace(deps.db, query.namespace);
    if (query.namespace !== undefined && !ns) throw new HttpError('not_found', 'namespace not found');
    const page = await listAllFiles(deps.db, {
      namespaceId: ns?.id,
      after: query.cursor ? decode(query.cursor) : undefined,
      limit: query.limit,
    });
    const last = page.files[page.files.length - 1];
    res.json({
      files: page.files.map(({ namespace, file }) => toFileEntry(namespace, file)),
      next_cursor: page.more && last ? Buffer.from(JSON.stringify([last.namespace, last.file.path])).toString('base64url') : null,
    });
  });
}

function decode(cursor: string): { ns: string; path: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') return { ns: value[0], path: value[1] };
  } catch {
    // the 400 below
  }
  throw new HttpError('invalid_request', 'cursor is not one this service made');
}
