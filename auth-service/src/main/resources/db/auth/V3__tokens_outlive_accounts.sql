-- A deleted account's token rows stay (revoked) until they expire: the revocation cache is refilled
-- from them after a Redis restart, and without them a still-signed token of the deleted account could
-- authenticate as a later account that takes the same username. user_id then names an account that
-- no longer exists, so it cannot be a foreign key.
ALTER TABLE tokens DROP CONSTRAINT tokens_user_id_fkey;
