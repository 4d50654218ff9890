-- Ombud schema, SQLite dialect. Kept in lockstep with ../postgres/00001_init.sql:
-- same tables, columns and indexes; only types differ (times are TEXT in UTC,
-- fixed width, so they sort as strings). store_test checks both agree.

-- +goose Up
CREATE TABLE counters (
    series TEXT PRIMARY KEY,
    value  BIGINT NOT NULL
);

CREATE TABLE cases (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    pack          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    channel       TEXT NOT NULL,
    status        TEXT NOT NULL,
    category      TEXT NOT NULL DEFAULT '',
    level         TEXT NOT NULL DEFAULT '',
    department    TEXT NOT NULL DEFAULT '',
    handler       TEXT NOT NULL DEFAULT '',
    subject       TEXT NOT NULL,
    phone         TEXT NOT NULL DEFAULT '',
    received_at   TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    due_at        TEXT,
    closed_at     TEXT,
    seq           BIGINT NOT NULL,
    head          TEXT NOT NULL,
    data          TEXT NOT NULL
);
CREATE INDEX cases_status ON cases (status, registered_at);
CREATE INDEX cases_department ON cases (department, status);
CREATE INDEX cases_registered ON cases (registered_at);
CREATE INDEX cases_phone ON cases (phone);

CREATE TABLE case_events (
    case_id   BIGINT NOT NULL REFERENCES cases (id),
    seq       BIGINT NOT NULL,
    type      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL,
    payload   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);

-- +goose StatementBegin
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
-- +goose StatementEnd

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    department    TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Every read of sensitive data (an unmasked phone number, a whistleblower's
-- identity) is recorded here (R28, R29).
CREATE TABLE access_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    what    TEXT NOT NULL,
    reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_case ON access_log (case_id, at);

-- +goose Down
DROP TABLE access_log;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE counters;
