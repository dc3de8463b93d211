-- Containers a user runs, their ingress rules and the SSH keys the gateway authenticates with.
CREATE TABLE containers (
  id           text PRIMARY KEY,
  owner_id     text NOT NULL,
  name         text NOT NULL,
  image        text NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'stopped', 'failed', 'deleted')),
  ssh_enabled  boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (owner_id, name)
);

CREATE TABLE ingress_rules (
  container_id   text NOT NULL REFERENCES containers (id) ON DELETE CASCADE,
  external_port  integer NOT NULL CHECK (external_port = 443 OR external_port BETWEEN 8000 AND 8999),
  target_port    integer NOT NULL CHECK (target_port BETWEEN 1 AND 65535),
  protocol       text NOT NULL DEFAULT 'http' CHECK (protocol IN ('http', 'tls', 'tcp')),
  PRIMARY KEY (container_id, external_port)
);

CREATE TABLE ssh_keys (
  id           text PRIMARY KEY,
  owner_id     text NOT NULL,
  name         text NOT NULL,
  public_key   text NOT NULL,
  fingerprint  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (owner_id, fingerprint)
);
