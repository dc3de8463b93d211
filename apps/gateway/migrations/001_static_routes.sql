-- Static routes of the gateway (seeded from manifests/gateway-routes.yaml, edited through the admin API).
-- Values are stored normalised by libs/route-registry: lowercase host without port, path prefix
-- starting with '/' and without trailing '/', target as an http(s) origin.
CREATE TABLE static_routes (
  id           serial  PRIMARY KEY,
  host         text    NOT NULL,
  path_prefix  text    NOT NULL CHECK (path_prefix LIKE '/%'),
  target       text    NOT NULL,
  strip_prefix boolean NOT NULL DEFAULT false,
  priority     integer NOT NULL DEFAULT 0,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (host, path_prefix)
);

-- Every replica LISTENs on 'gateway_routes' and reloads the whole table on a notification, so one
-- notification per statement is enough (a multi-row seed costs one reload, not one per row).
-- NOTIFY is delivered at COMMIT, so a replica never reloads a half-applied change.
CREATE FUNCTION notify_gateway_routes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gateway_routes', TG_OP);
  RETURN NULL;
END;
$$;

CREATE TRIGGER static_routes_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON static_routes
  FOR EACH STATEMENT EXECUTE FUNCTION notify_gateway_routes();
