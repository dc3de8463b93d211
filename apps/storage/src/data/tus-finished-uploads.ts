import type { Queryable } from '@edd/outbox';

/** Records that the tus upload `uploadId` became a file: called in the transaction that commits the file. */
export async function recordFinishedUpload(db: Queryable, uploadId: string): Promise<void> {
  await db.query('INSERT INTO tus_finished_uploads (upload_id) VALUES ($1)', [uploadId]);
}

/** True when the tus upload `uploadId` already became a file (its commit happened, whatever its record on disk says). */
export async function isFinishedUpload(db: Queryable, uploadId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM tus_finished_uploads WHERE upload_id = $1', [uploadId]);
  return rows.length > 0;
}

/** Forgets uploads finished more than `olderThanMs` ago (their records have expired: no client can ask again). */
export async function forgetFinishedUploads(db: Queryable, olderThanMs: number): Promise<number> {
  const { rowCount } = await db.query(
    'DELETE FROM tus_finished_uploads WHERE finished_at < now() - make_interval(secs => $1::float8 / 1000)',
    [olderThanMs],
  );
  return rowCount ?? 0;
}
