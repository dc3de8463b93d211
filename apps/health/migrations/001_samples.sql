-- Node and pod samples: 'raw' every 5 s (kept 24 h), and averages per 1 m / 5 m / 15 m bucket (kept 30 d).
-- Only the elected sampler writes; every replica reads, so history is the same whichever one answers.
CREATE TABLE node_samples (
  resolution      text NOT NULL CHECK (resolution IN ('raw', '1m', '5m', '15m')),
  node            text NOT NULL,
  t               timestamptz NOT NULL,
  cpu_percent     double precision NOT NULL,
  memory_percent  double precision NOT NULL,
  disk_percent    double precision NOT NULL,
  PRIMARY KEY (resolution, node, t)
);
CREATE INDEX node_samples_by_time ON node_samples (resolution, t);

-- A pod is known by namespace and name; owner_id is who may read its history (NULL: the platform's own).
CREATE TABLE pod_samples (
  resolution      text NOT NULL CHECK (resolution IN ('raw', '1m', '5m', '15m')),
  namespace       text NOT NULL,
  name            text NOT NULL,
  t               timestamptz NOT NULL,
  owner_id        text,
  cpu_nanocores   double precision NOT NULL,
  memory_bytes    double precision NOT NULL,
  disk_bytes      double precision NOT NULL,
  PRIMARY KEY (resolution, namespace, name, t)
);
CREATE INDEX pod_samples_by_time ON pod_samples (resolution, t);
CREATE INDEX pod_samples_by_owner ON pod_samples (owner_id, resolution, t);

-- The latest full snapshot (what /cluster-info and /pod-metrics answer), one row.
CREATE TABLE latest_snapshot (
  id            smallint PRIMARY KEY CHECK (id = 1),
  collected_at  timestamptz NOT NULL,
  body          jsonb NOT NULL
);

-- ERROR log entries seen on log.error.<source>, for the error-burst rule (kept 1 h).
CREATE TABLE log_errors (
  event_id  text PRIMARY KEY,
  source    text NOT NULL,
  t         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX log_errors_by_time ON log_errors (t, source);

-- Alerts: one row per firing episode of a rule on a subject; resolved_at is set when the condition clears.
CREATE TABLE alerts (
  id            bigserial PRIMARY KEY,
  rule          text NOT NULL,
  alert_key     text NOT NULL,
  severity      text NOT NULL CHECK (severity IN ('warning', 'critical')),
  title         text NOT NULL,
  message       text NOT NULL,
  subject       text NOT NULL,
  owner_id      text,
  fired_at      timestamptz NOT NULL DEFAULT now(),
  resolved_at   timestamptz,
  notified_at   timestamptz
);
-- At most one firing episode per key.
CREATE UNIQUE INDEX alerts_one_firing ON alerts (alert_key) WHERE resolved_at IS NULL;
CREATE INDEX alerts_recent ON alerts (fired_at DESC);
