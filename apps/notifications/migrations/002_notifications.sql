-- Notifications: the real schema replaces the stub's table, which nothing ever wrote (no consumer of notify.> existed).
DROP TABLE notifications;

CREATE TABLE notifications (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id    text NOT NULL UNIQUE,
  user_id     text NOT NULL,
  title       text NOT NULL,
  message     text NOT NULL,
  link        text NOT NULL DEFAULT '',
  category    text NOT NULL,
  scope       text NOT NULL DEFAULT '',
  source      text NOT NULL,
  read        boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user_newest ON notifications (user_id, id DESC);
CREATE INDEX notifications_user_unread ON notifications (user_id) WHERE NOT read;
CREATE INDEX notifications_read_age ON notifications (created_at) WHERE read;

-- Every event id taken in (stored, muted or not), kept longer than the NOTIFICATIONS stream keeps events (7 days):
-- a redelivery or a replay never stores a notification twice, nor brings back one the user deleted.
CREATE TABLE notification_events (
  event_id    text PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_events_age ON notification_events (received_at);

-- The newest notification id of each user. Its row lock orders one user's inserts, so a user's ids are
-- committed in increasing order: a live socket's "last id sent" is an exact cursor (see src/live).
CREATE TABLE notification_heads (
  user_id     text PRIMARY KEY,
  last_id     bigint NOT NULL
);

-- scope '' mutes the whole category.
CREATE TABLE notification_mutes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     text NOT NULL,
  category    text NOT NULL,
  scope       text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, category, scope)
);
