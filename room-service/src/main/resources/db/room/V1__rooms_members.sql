-- Rooms: type 0 direct, 1 group, 2 channel. A direct room's pair key ("alice bob", sorted) makes
-- "creating an existing pair returns the same room" a unique-index lookup.
CREATE TABLE rooms (
  id         uuid        PRIMARY KEY,
  type       smallint    NOT NULL CHECK (type IN (0, 1, 2)),
  name       text,
  direct_key text        UNIQUE,
  created_by text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);

-- Membership by username (the user id every service shares). role: 0 owner, 1 admin, 2 member.
CREATE TABLE members (
  room_id   uuid        NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  username  text        NOT NULL,
  role      smallint    NOT NULL CHECK (role IN (0, 1, 2)),
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (room_id, username)
);
CREATE INDEX members_by_user ON members (username);
