-- Outbound messages to people outside (email, SMS). Kept in lockstep with
-- ../postgres/00008_outbox.sql.

-- +goose Up
-- The outbox: a message is written in the transaction that decides to send
-- it, and a delivery worker (package notify, in every instance) claims due
-- messages with a lease (claimed_by until claimed_until), sends them and
-- marks them sent, or retries them later, or gives up (failed). The body
-- and params (the values of the message's template, JSON, for SMS gateways
-- that send only templates) are emptied once the message leaves the queue
-- (sent or failed): they may hold a secret such as a case's access code.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    params          TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    case_id         BIGINT REFERENCES cases (id),
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by      TEXT NOT NULL DEFAULT '',
    claimed_until   TEXT,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_case ON outbox (case_id, kind);

-- How many times the complainant had the number and access code sent to
-- them (at most workflow.MaxCodeSends).
ALTER TABLE public_access ADD COLUMN code_sends INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE public_access DROP COLUMN code_sends;
DROP TABLE outbox;
