-- Deduplication records are kept for a bounded time (see MessageVerticle.REQUEST_RETENTION); the
-- index makes the periodic purge a range delete instead of a scan.
CREATE INDEX requests_by_age ON requests (created_at);
