-- A container's version: raised in the transaction of every change a container event reports
-- (services/container-events.ts), so the versions of one container grow in commit order and whoever receives its
-- events or lists it (the dashboard's live feed, the gateway) can tell a late event from a newer state.
ALTER TABLE containers ADD COLUMN version bigint NOT NULL DEFAULT 0;
