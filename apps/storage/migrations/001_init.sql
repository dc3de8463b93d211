-- Namespaces group a user's files; visibility decides who may list and read them.
CREATE TABLE namespaces (
  id          text PRIMARY KEY,
  owner_id    text NOT NULL,
  name        text NOT NULL,
  visibility  text NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'visible', 'public')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (owner_id, name)
);

CREATE TABLE files (
  id            text PRIMARY KEY,
  namespace_id  text NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
  path          text NOT NULL,
  size_bytes    bigint NOT NULL CHECK (size_bytes >= 0),
  content_type  text NOT NULL DEFAULT 'application/octet-stream',
  sha256        text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (namespace_id, path)
);
