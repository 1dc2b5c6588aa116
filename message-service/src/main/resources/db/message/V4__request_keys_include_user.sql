-- Idempotency keys name the user as well as the device: keyed by (device, request id) alone, another
-- account that announced a victim's device id and guessed request ids received the victim's MSG_OK
-- replies, and made the victim's later sends with those ids "succeed" without being stored. A user's
-- record can now only answer that user's retries.
ALTER TABLE requests ADD COLUMN username text;

-- Existing records belong to the sender of the event they name. A record whose event is gone has no
-- answer to give a retry (the look-up joins the event), so it is dropped rather than guessed.
UPDATE requests r SET username = e.sender FROM events e WHERE e.id = (r.result->>'event')::uuid;
DELETE FROM requests WHERE username IS NULL;
ALTER TABLE requests ALTER COLUMN username SET NOT NULL;

-- Not backward compatible, on purpose: a replica of the previous build inserts no username and names
-- the old key in ON CONFLICT, so during a rolling deploy its sends with a request id fail (nothing is
-- stored or acknowledged, the client retries and reaches an upgraded replica). Keeping the old key
-- until a later migration would keep the hijack open until then.
ALTER TABLE requests DROP CONSTRAINT requests_pkey;
ALTER TABLE requests ADD PRIMARY KEY (username, device_id, request_id);
