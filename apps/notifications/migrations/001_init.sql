-- Notifications consumed from notify.{user_id}, kept until read and then for a while.
CREATE TABLE notifications (
  id          text PRIMARY KEY,
  user_id     text NOT NULL,
  title       text NOT NULL,
  message     text NOT NULL,
  category    text NOT NULL,
  link        text,
  source      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  read_at     timestamptz
);
CREATE INDEX notifications_user_unread ON notifications (user_id, created_at DESC) WHERE read_at IS NULL;
