import type { FileEntry } from '@edd/api-contracts';
import type { Queryable } from '@edd/outbox';

export interface FileRow {
  id: string;
  namespaceId: string;
  path: string;
  blobKey: string;
  size: number;
  contentType: string;
  sha256: string;
  createdAt: Date;
  modifiedAt: Date;
}

interface DbFile {
  id: string;
  namespace_id: string;
  path: string;
  blob_key: string;
  size: string;
  content_type: string;
  sha256: string;
  created_at: Date;
  modified_at: Date;
}

const COLUMNS = 'f.id, f.namespace_id, f.path, f.blob_key, f.size::text AS size, f.content_type, f.sha256, f.created_at, f.modified_at';

const toRow = (r: DbFile): FileRow => ({
  id: r.id,
  namespaceId: r.namespace_id,
  path: r.path,
  blobKey: r.blob_key,
  size: Number(r.size),
  contentType: r.content_type,
  sha256: r.sha256,
  createdAt: r.created_at,
  modifiedAt: r.modified_at,
});

export function toFileEntry(namespace: string, file: FileRow): FileEntry {
  return {
    namespace,
    path: file.path,
    name: file.path.slice(file.path.lastIndexOf('/') + 1),
    size: file.size,
    content_type: file.contentType,
    sha256: file.sha256,
    created_at: file.createdAt.toISOString(),
    modified_at: file.modifiedAt.toISOString(),
  };
}

export async function findFile(db: Queryable, namespaceId: string, path: string, options: { forUpdate?: boolean } = {}) {
  const { rows } = await db.query<DbFile>(
    `SELECT ${COLUMNS} FROM files f WHERE f.namespace_id = $1 AND f.path = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [namespaceId, path],
  );
  return rows[0] && toRow(rows[0]);
}

export async function insertFile(db: Queryable, file: Omit<FileRow, 'createdAt' | 'modifiedAt'>): Promise<FileRow> {
  const { rows } = await db.query<DbFile>(
    `INSERT INTO files AS f (id, namespace_id, path, blob_key, size, content_type, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING ${COLUMNS}`,
    [file.id, file.namespaceId, file.path, file.blobKey, file.size, file.contentType, file.sha256],
  );
  return toRow(rows[0] as DbFile);
}

/** Points an existing path at new bytes (the overwrite's swap); created_at stays, modified_at moves. */
export async function replaceFile(db: Queryable, id: string, next: Pick<FileRow, 'blobKey' | 'size' | 'contentType' | 'sha256'>) {
  const { rows } = await db.query<DbFile>(
    `UPDATE files AS f SET blob_key = $2, size = $3, content_type = $4, sha256 = $5, modified_at = now() WHERE f.id = $1
     RETURNING ${COLUMNS}`,
    [id, next.blobKey, next.size, next.contentType, next.sha256],
  );
  return toRow(rows[0] as DbFile);
}

export async function deleteFileRow(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM files WHERE id = $1', [id]);
}

/** Bytes the user stores across their namespaces (deleting ones count until their purge frees them). */
export async function usageOf(db: Queryable, ownerId: string): Promise<number> {
  const { rows } = await db.query<{ bytes: string }>(
    'SELECT coalesce(sum(f.size), 0)::text AS bytes FROM files f JOIN namespaces n ON n.id = f.namespace_id WHERE n.owner_id = $1',
    [ownerId],
  );
  return Number(rows[0]?.bytes ?? 0);
}

export interface ListOptions {
  prefix: string;
  /** Where the previous page stopped (the cursor). */
  after?: ListPosition;
  limit: number;
  /** With `/`: files directly in `prefix`, and its sub-folders rolled up. */
  delimiter?: '/';
}

/** A point in the namespace's path order: paths after `path` (or from it, when `inclusive`). */
export interface ListPosition {
  path: string;
  inclusive: boolean;
}

export interface ListPage {
  files: FileRow[];
  folders: string[];
  /** Where the next page starts, when there may be more. */
  next: ListPosition | undefined;
}

// LIKE pattern for "starts with": the prefix's own % _ \ are literal.
const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

async function scan(db: Queryable, namespaceId: string, prefix: string, from: ListPosition | undefined, count: number) {
  const { rows } = await db.query<DbFile>(
    `SELECT ${COLUMNS} FROM files f WHERE f.namespace_id = $1 AND f.path COLLATE "C" LIKE $2
       AND ($3::text IS NULL OR f.path COLLATE "C" > $3 OR ($4 AND f.path COLLATE "C" = $3))
     ORDER BY f.path COLLATE "C" LIMIT $5`,
    [namespaceId, likePrefix(prefix), from?.path ?? null, from?.inclusive ?? false, count],
  );
  return rows;
}

/**
 * A page of the namespace in bytewise path order, from the (namespace_id, path COLLATE "C") index: a page costs
 * about `limit` rows whatever the namespace's size. With a delimiter, a sub-folder is one entry, and the scan seeks
 * past it (`path >= "folder0"`: "0" follows "/" bytewise), so a folder of 10,000 files costs one extra query.
 */
export async function listFiles(db: Queryable, namespaceId: string, options: ListOptions): Promise<ListPage> {
  const files: FileRow[] = [];
  const folders: string[] = [];
  let from = options.after;
  for (;;) {
    const wanted = options.limit - files.length - folders.length;
    const rows = await scan(db, namespaceId, options.prefix, from, wanted + 1);
    let skipped = false;
    for (const row of rows) {
      if (files.length + folders.length === options.limit) return { files, folders, next: from };
      const slash = options.delimiter ? row.path.indexOf('/', options.prefix.length) : -1;
      if (slash === -1) {
        files.push(toRow(row));
        from = { path: row.path, inclusive: false };
        continue;
      }
      const folder = row.path.slice(0, slash + 1);
      folders.push(folder);
      from = { path: `${folder.slice(0, -1)}0`, inclusive: true };
      skipped = true;
      break;
    }
    if (!skipped) return { files, folders, next: rows.length > wanted ? from : undefined };
  }
}

/** Every file of the admin listing, across namespaces, in (namespace, path) order. */
export async function listAllFiles(db: Queryable, options: { namespaceId?: string; after?: { ns: string; path: string }; limit: number }) {
  const { rows } = await db.query<DbFile & { namespace_name: string }>(
    `SELECT ${COLUMNS}, n.name AS namespace_name FROM files f JOIN namespaces n ON n.id = f.namespace_id
     WHERE NOT n.deleting AND ($1::text IS NULL OR n.id = $1)
       AND ($2::text IS NULL OR (n.name, f.path COLLATE "C") > ($2, $3 COLLATE "C"))
     ORDER BY n.name, f.path COLLATE "C" LIMIT $4`,
    [options.namespaceId ?? null, options.after?.ns ?? null, options.after?.path ?? null, options.limit + 1],
  );
  const page = rows.slice(0, options.limit);
  return {
    files: page.map((r) => ({ namespace: r.namespace_name, file: toRow(r) })),
    more: rows.length > options.limit,
  };
}
