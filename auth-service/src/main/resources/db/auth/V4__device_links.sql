-- Linking a new device (docs/e2e.md §10): a device's live request to receive past messages' keys,
-- with the chat key it had when it asked, and the sealed blobs the account's other devices relay to
-- it. The server cannot open a blob; both tables only ever hold rows for a few minutes.
CREATE TABLE link_requests (
  user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  device_id   uuid        NOT NULL,
  chat_pubkey text        NOT NULL,
  nonce       text        NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (user_id, device_id)
);

CREATE TABLE link_blobs (
  id            bigserial   PRIMARY KEY,
  user_id       uuid        NOT NULL,
  target_device uuid        NOT NULL,
  from_device   uuid        NOT NULL,
  blob          text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (user_id, target_device) REFERENCES link_requests (user_id, device_id) ON DELETE CASCADE
);
CREATE INDEX link_blobs_by_target ON link_blobs (user_id, target_device);
