-- The API's model (issue 10). 001's tables were never written to (the service was a stub), so they are replaced
-- rather than altered: desired state next to observed status, keys a container trusts, sealed per-container keys.
DROP TABLE IF EXISTS ingress_rules;
DROP TABLE IF EXISTS ssh_keys;
DROP TABLE IF EXISTS containers;

-- One row per user who ever created a container: locked FOR UPDATE while counting, so two concurrent creates of
-- the same user cannot both pass the containers-per-user limit.
CREATE TABLE compute_users (
  user_id     text PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE containers (
  id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9]{8}$'),
  owner_id        text NOT NULL,
  name            text NOT NULL,
  instance_type   text NOT NULL,
  cpu_millis      integer NOT NULL CHECK (cpu_millis > 0),
  memory_mb       integer NOT NULL CHECK (memory_mb > 0),
  storage_gb      integer NOT NULL CHECK (storage_gb > 0),
  image           text NOT NULL,
  pull_policy     text NOT NULL DEFAULT 'IfNotPresent' CHECK (pull_policy IN ('IfNotPresent', 'Always')),
  ssh_enabled     boolean NOT NULL DEFAULT true,
  mount_paths     text[] NOT NULL DEFAULT ARRAY['/root'],
  -- What the user asked for; the reconciler makes the runtime match it. 'deleted' rows go once the runtime removed them.
  desired_state   text NOT NULL DEFAULT 'running' CHECK (desired_state IN ('running', 'stopped', 'deleted')),
  -- What the runtime was last seen doing.
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'stopped', 'failed')),
  address         text,
  status_message  text,
  restarts        integer NOT NULL DEFAULT 0,
  -- Consecutive failed attempts to apply: the reconciler waits longer after each (backoff).
  failures        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  -- Which compute replica is reconciling it, until when: two replicas never drive one container at once.
  lease_owner     text,
  lease_until     timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  started_at      timestamptz,
  stopped_at      timestamptz
);
CREATE INDEX containers_owner ON containers (owner_id) WHERE desired_state <> 'deleted';
-- A name is unique among a user's live containers.
CREATE UNIQUE INDEX containers_owner_name ON containers (owner_id, name) WHERE desired_state <> 'deleted';

CREATE TABLE ssh_keys (
  id           text PRIMARY KEY,
  owner_id     text NOT NULL,
  name         text NOT NULL,
  -- `<type> <base64>` only: the comment and any options are never stored.
  public_key   text NOT NULL,
  key_type     text NOT NULL,
  bits         integer NOT NULL,
  fingerprint  text NOT NULL CHECK (fingerprint LIKE 'SHA256:%'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (owner_id, fingerprint)
);

-- Which of its owner's keys a container trusts (root's authorized_keys, and the gateway's login check).
CREATE TABLE container_keys (
  container_id  text NOT NULL REFERENCES containers (id) ON DELETE CASCADE,
  key_id        text NOT NULL REFERENCES ssh_keys (id) ON DELETE CASCADE,
  PRIMARY KEY (container_id, key_id)
);
CREATE INDEX container_keys_key ON container_keys (key_id);

CREATE TABLE ingress_rules (
  container_id   text NOT NULL REFERENCES containers (id) ON DELETE CASCADE,
  external_port  integer NOT NULL CHECK (external_port IN (80, 443) OR external_port BETWEEN 8000 AND 8999),
  target_port    integer NOT NULL CHECK (target_port BETWEEN 1 AND 65535),
  protocol       text NOT NULL DEFAULT 'http' CHECK (protocol IN ('http', 'tls')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (container_id, external_port)
);

-- The container's SSH host key (the gateway pins it) and its platform key (only this container trusts it).
-- Private halves are sealed (AES-256-GCM, see src/crypto/sealing.ts); public halves are plain.
CREATE TABLE container_secrets (
  container_id          text PRIMARY KEY REFERENCES containers (id) ON DELETE CASCADE,
  host_public_key       text NOT NULL,
  host_private_sealed   text NOT NULL,
  platform_public_key   text NOT NULL,
  platform_private_sealed text NOT NULL
);
