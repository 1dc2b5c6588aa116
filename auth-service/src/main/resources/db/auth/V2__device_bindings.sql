-- A device id belongs to the first account that logs in with it (DESIGN §5): another account that
-- announces the same id in CONN_INIT cannot log in on it. last_seen_at moves at every LOGIN and token
-- issue, for DEVICES.
CREATE TABLE device_bindings (
  device_id    uuid        PRIMARY KEY,
  user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  bound_at     timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX device_bindings_by_user ON device_bindings (user_id);

-- Devices seen before this migration: each goes to the account that used it first.
INSERT INTO device_bindings (device_id, user_id, bound_at, last_seen_at)
SELECT DISTINCT ON (device_id) device_id, user_id, seen, seen
FROM (
  SELECT device_id, user_id, created_at AS seen FROM devices
  UNION ALL
  SELECT device_id, user_id, issued_at AS seen FROM tokens
) used
ORDER BY device_id, seen;
