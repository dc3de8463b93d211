-- The archive: WARN and above, and audit entries, one partition per UTC day (created by the writer as days come,
-- dropped after the retention period). The key includes the day column (a partitioned table's unique keys must)
-- and the live-tier position, so a redelivered batch inserts nothing twice.
CREATE TABLE log_entries (
  ts          timestamptz NOT NULL,
  stream_seq  bigint      NOT NULL,
  position    integer     NOT NULL,
  source      text        NOT NULL,
  level       smallint    NOT NULL CHECK (level BETWEEN 0 AND 3),
  message     text        NOT NULL,
  attributes  jsonb       NOT NULL DEFAULT '{}'::jsonb,
  -- Who the entry is about (attributes.ownerId of an entry naming a container): what a non-admin may read.
  owner_id    text,
  PRIMARY KEY (ts, stream_seq, position)
) PARTITION BY RANGE (ts);

CREATE INDEX log_entries_source_ts ON log_entries (source, ts);
CREATE INDEX log_entries_owner_ts ON log_entries (owner_id, ts) WHERE owner_id IS NOT NULL;
