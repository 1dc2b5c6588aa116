-- Edits, deletes and pins name the message they act on. Indexing that target lets a delete erase a
-- message's edits without scanning the room's log.
ALTER TABLE events ADD COLUMN target uuid;
CREATE INDEX events_by_target ON events (target) WHERE target IS NOT NULL;
