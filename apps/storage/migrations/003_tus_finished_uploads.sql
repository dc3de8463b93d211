-- The tus uploads that became files, written in the file's own transaction: a process that dies after that commit
-- and before it marks the upload finished on disk (its .tus record) finds here, at the client's repeated PATCH, that
-- the file is stored already (tus-uploads.ts). Rows go once the upload's record has expired.
CREATE TABLE tus_finished_uploads (
  upload_id    text PRIMARY KEY,
  finished_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tus_finished_uploads_finished_at ON tus_finished_uploads (finished_at);
