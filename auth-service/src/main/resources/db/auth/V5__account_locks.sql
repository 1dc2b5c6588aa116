-- An administrator's lock (parley-admin lock): while set, LOGIN with the right password answers
-- ACCOUNT_LOCKED and no token is issued. Nullable and without a default, so adding it rewrites no row
-- and the previous release's statements (which never name it) keep working during a rolling upgrade.
ALTER TABLE users ADD COLUMN locked_at timestamptz;
