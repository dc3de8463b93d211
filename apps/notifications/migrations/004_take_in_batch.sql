-- Taking in a batch of notify events in one statement, so one round trip and one commit (one WAL flush) for all of
-- them: at 1,000 notifications/s one commit per event kept the intake waiting on PostgreSQL, and it fell seconds
-- behind whenever the machine was busy. Per event, the same steps as take_in_notification (003): claim the event id
-- (a redelivery, or the same id twice in one batch, finds it taken), drop a muted one, insert, move the user's head;
-- in the array's order, so one user's notifications keep the stream's order. Every head row the batch touches is
-- locked first, in user-id order: two replicas' batches sharing users wait for each other instead of deadlocking,
-- and a user's ids still commit in increasing order. Returns one row per event, in order, with the stored row.
-- take_in_notification stays for replicas of the previous version during a rolling update.
CREATE FUNCTION take_in_notifications(p_events jsonb)
RETURNS TABLE (
  event_id text, outcome text, previous_id bigint,
  id bigint, user_id text, title text, message text, link text, category text, scope text, read boolean, created_at timestamptz
)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  e record;
  stored notifications%ROWTYPE;
BEGIN
  INSERT INTO notification_heads (user_id, last_id)
    SELECT DISTINCT x.u, 0::bigint FROM (SELECT jsonb_array_elements(p_events)->>'userId' AS u) x ORDER BY x.u
    ON CONFLICT DO NOTHING;
  PERFORM 1 FROM notification_heads h
    WHERE h.user_id IN (SELECT jsonb_array_elements(p_events)->>'userId')
    ORDER BY h.user_id FOR UPDATE;
  FOR e IN
    SELECT t.ev->>'eventId' AS "eventId", t.ev->>'userId' AS "userId", t.ev->>'title' AS title, t.ev->>'message' AS message,
      t.ev->>'link' AS link, t.ev->>'category' AS category, t.ev->>'scope' AS scope, t.ev->>'source' AS source
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(ev, ord)
    ORDER BY t.ord
  LOOP
    event_id := e."eventId";
    previous_id := NULL; id := NULL; user_id := NULL; title := NULL; message := NULL; link := NULL;
    category := NULL; scope := NULL; read := NULL; created_at := NULL;
    INSERT INTO notification_events AS ne (event_id) VALUES (e."eventId") ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      outcome := 'duplicate';
      RETURN NEXT;
      CONTINUE;
    END IF;
    PERFORM 1 FROM notification_mutes m
      WHERE m.user_id = e."userId" AND m.category = e.category AND (m.scope = '' OR m.scope = e.scope) LIMIT 1;
    IF FOUND THEN
      outcome := 'muted';
      RETURN NEXT;
      CONTINUE;
    END IF;
    SELECT h.last_id INTO previous_id FROM notification_heads h WHERE h.user_id = e."userId";
    INSERT INTO notifications AS n (event_id, user_id, title, message, link, category, scope, source)
      VALUES (e."eventId", e."userId", e.title, e.message, e.link, e.category, e.scope, e.source)
      RETURNING n.* INTO stored;
    UPDATE notification_heads h SET last_id = stored.id WHERE h.user_id = e."userId";
    outcome := 'stored';
    id := stored.id; user_id := stored.user_id; title := stored.title; message := stored.message; link := stored.link;
    category := stored.category; scope := stored.scope; read := stored.read; created_at := stored.created_at;
    RETURN NEXT;
  END LOOP;
END
$$;
