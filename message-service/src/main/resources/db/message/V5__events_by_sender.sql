-- DELETE_ACCOUNT turns everything a person sent into tombstones: the index finds their events
-- without scanning every room's log. Only the kinds that carry content are indexed.
CREATE INDEX events_by_sender ON events (sender) WHERE kind IN ('msg.sent', 'msg.edited', 'msg.deleted', 'key.saved');
