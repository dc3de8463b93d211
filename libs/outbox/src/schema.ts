import type { Migration } from '@edd/db';

/** The LISTEN/NOTIFY channel an insert into event_outbox wakes the relay on (delivered at commit). */
export const OUTBOX_CHANNEL = 'event_outbox';

/**
 * The tables of the outbox and of idempotent consumers, applied with the service's own migrations
 * (ids prefixed `outbox_`; kept as code, not files, so a bundled service carries them).
 */
export const outboxMigrations: readonly Migration[] = [
  {
    id: 'outbox_001_event_outbox',
    sql: `
CREATE TABLE event_outbox (
  id uuid PRIMARY KEY,                               -- the event id, sent as Nats-Msg-Id
  seq bigint GENERATED ALWAYS AS IDENTITY NOT NULL,  -- publication order (created_at ties within a transaction)
  type text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  failed_at timestamptz,                             -- set only when the bus refuses the event itself (never for an outage)
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX event_outbox_unsent ON event_outbox (seq) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX event_outbox_sent_at ON event_outbox (sent_at) WHERE sent_at IS NOT NULL;

CREATE FUNCTION event_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('${OUTBOX_CHANNEL}', '');
  RETURN NULL;
END $$;
-- Once per statement; PostgreSQL folds identical notifications of one transaction into one, sent at commit.
CREATE TRIGGER event_outbox_inserted AFTER INSERT ON event_outbox FOR EACH STATEMENT EXECUTE FUNCTION event_outbox_notify();
`,
  },
  {
    id: 'outbox_002_processed_events',
    sql: `
CREATE TABLE processed_events (
  consumer text NOT NULL,
  event_id text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);
`,
  },
];
