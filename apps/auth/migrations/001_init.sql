-- Auth service schema. Public ids (users.public_id, every other table's id) are random strings:
-- they leave the service in JWTs, events and URLs, so they must not reveal counts or order.

CREATE TABLE users (
  id            serial PRIMARY KEY,
  public_id     text        NOT NULL UNIQUE,
  username      text        NOT NULL,
  display_name  text        NOT NULL,
  password_hash text        NOT NULL,
  is_admin      boolean     NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_username_format CHECK (username ~ '^[a-z0-9_.-]{3,32}$'),
  CONSTRAINT users_display_name_length CHECK (char_length(display_name) <= 64)
);
-- Case-insensitive uniqueness without the citext extension (usernames are stored lower-case anyway).
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));

CREATE TABLE sessions (
  id            text        PRIMARY KEY,
  user_id       integer     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  revoke_reason text,
  ip            text,
  user_agent    text
);
CREATE INDEX sessions_active_by_user ON sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE service_accounts (
  id         text        PRIMARY KEY,
  owner_id   integer     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name       text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
  scopes     jsonb       NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_accounts_by_owner ON service_accounts (owner_id);

CREATE TABLE api_tokens (
  id                 text        PRIMARY KEY,
  owner_id           integer     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- Set for service-account tokens, which carry no scopes of their own: they inherit the account's.
  service_account_id text        REFERENCES service_accounts (id) ON DELETE CASCADE,
  name               text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
  -- sha256 of the high-entropy secret; the secret itself is never stored.
  secret_hash        bytea       NOT NULL,
  scopes             jsonb,
  expires_at         timestamptz,
  last_used_at       timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  revoked_at         timestamptz,
  CONSTRAINT api_tokens_scopes_xor_account CHECK ((service_account_id IS NULL) = (scopes IS NOT NULL))
);
CREATE INDEX api_tokens_by_owner ON api_tokens (owner_id);
CREATE INDEX api_tokens_by_account ON api_tokens (service_account_id) WHERE service_account_id IS NOT NULL;

CREATE TABLE signing_keys (
  kid           text        PRIMARY KEY,
  alg           text        NOT NULL,
  -- {"format":"aes-256-gcm",...} when AUTH_KEY_ENCRYPTION_SECRET is set, {"format":"plain","jwk":{...}} otherwise.
  private_jwk   jsonb       NOT NULL,
  public_jwk    jsonb       NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  retired_at    timestamptz,
  -- A retired key stays published until the last token it signed has expired.
  expires_after timestamptz
);

CREATE TABLE audit_log (
  id      bigserial   PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text,
  action  text        NOT NULL,
  target  text,
  ip      text,
  outcome text        NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  details jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
