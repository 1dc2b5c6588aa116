-- Accounts. Usernames are stored case-folded (the protocol folds them) and are the user id that
-- other services see; the uuid stays inside the auth service.
CREATE TABLE users (
  id            uuid        PRIMARY KEY,
  username      text        NOT NULL UNIQUE,
  email         text        NOT NULL,
  fullname      text        NOT NULL,
  dob           date        NOT NULL,
  password_hash text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

-- One row per (user, device uuid); chat_pubkey is the device's X25519 end-to-end key (PEM).
CREATE TABLE devices (
  user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  device_id   uuid        NOT NULL,
  chat_pubkey text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, device_id)
);

-- Session tokens: PostgreSQL is the source of truth for revocation; Redis caches it.
CREATE TABLE tokens (
  token_id   uuid        PRIMARY KEY,
  user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  device_id  uuid        NOT NULL,
  issued_at  timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX tokens_live_by_device ON tokens (user_id, device_id) WHERE revoked_at IS NULL;
