-- The API's model (issue 9). 001's tables were never written to (the service was a stub), so they are replaced
-- rather than altered: names become platform-wide, 'visible' goes, files point at their bytes by blob key.
DROP TABLE IF EXISTS files;
DROP TABLE IF EXISTS namespaces;

CREATE TABLE namespaces (
  id          text PRIMARY KEY,
  -- Unique platform-wide, first come first served; a deleting namespace keeps its name until its purge finishes.
  name        text NOT NULL UNIQUE,
  owner_id    text NOT NULL,
  visibility  text NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'public')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  -- Set when a deletion starts: the namespace is gone for every reader, and a restarted purge resumes it.
  deleting    boolean NOT NULL DEFAULT false
);
CREATE INDEX namespaces_owner ON namespaces (owner_id);
CREATE INDEX namespaces_deleting ON namespaces (deleting) WHERE deleting;

CREATE TABLE files (
  id            text PRIMARY KEY,
  namespace_id  text NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
  path          text NOT NULL,
  -- Each version's bytes live under a fresh key, so an overwrite swaps the row and never rewrites bytes in place.
  blob_key      text NOT NULL UNIQUE,
  size          bigint NOT NULL CHECK (size >= 0),
  content_type  text NOT NULL,
  sha256        text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  modified_at   timestamptz NOT NULL DEFAULT now()
);
-- The listing's order and cursor (path > $cursor) and prefix scans: C collation makes LIKE 'prefix%' use the index
-- and orders paths bytewise, the same on every server.
CREATE UNIQUE INDEX files_namespace_path ON files (namespace_id, path COLLATE "C");

CREATE TABLE shares (
  id           text PRIMARY KEY,
  -- sha256 of the secret in the link: the secret itself is shown once and never stored.
  secret_hash  text NOT NULL,
  namespace_id text NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
  path         text NOT NULL,
  owner_id     text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked      boolean NOT NULL DEFAULT false
);
CREATE INDEX shares_owner ON shares (owner_id, created_at DESC);
