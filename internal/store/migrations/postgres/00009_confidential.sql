-- Confidential cases (#5, whistleblowing). Kept in lockstep with
-- ../sqlite/00009_confidential.sql.

-- +goose Up
-- A confidential case (a report, 举报) is seen in a department only by its
-- handler: the list filters on this column. Cases registered before this
-- version keep 0 — their events are immutable, and their identity was not
-- sealed.
ALTER TABLE cases ADD COLUMN confidential INTEGER NOT NULL DEFAULT 0;

-- Settings every instance must agree on, written once: identity_key is
-- the id (a digest, not the key) of the key that seals identities, so that
-- an instance started with another key refuses to start.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE settings;
ALTER TABLE cases DROP COLUMN confidential;
