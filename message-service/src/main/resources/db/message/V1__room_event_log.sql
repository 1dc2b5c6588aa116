-- The room event log: every change in a room, in commit order. seq is assigned per room at commit;
-- id is a UUIDv7 the clients use to name events (sync "from", edit/delete targets).
CREATE TABLE events (
  room_id       uuid        NOT NULL,
  seq           bigint      NOT NULL,
  id            uuid        NOT NULL UNIQUE,
  kind          text        NOT NULL,
  sender        text,
  sender_device uuid,
  body          jsonb       NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (room_id, seq)
);

-- The last sequence number of each room: one row lock per append serialises a room's writers
-- without a table scan.
CREATE TABLE room_heads (
  room_id  uuid   PRIMARY KEY,
  last_seq bigint NOT NULL
);

-- Idempotent retries: the first result of (device, request id) is returned for a repeat.
CREATE TABLE requests (
  device_id  uuid        NOT NULL,
  request_id text        NOT NULL,
  result     jsonb       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, request_id)
);

-- Each member's read pointer, feeding unread counts.
CREATE TABLE read_pointers (
  room_id  uuid   NOT NULL,
  username text   NOT NULL,
  seq      bigint NOT NULL,
  PRIMARY KEY (room_id, username)
);
