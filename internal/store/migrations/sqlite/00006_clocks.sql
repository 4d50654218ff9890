-- SLA clocks and supervision (督办). Kept in lockstep with the other dialect.
-- due_at becomes the earliest due time of a case's running clocks (any step,
-- not only the reply); alarm_at is when the supervisor next has work on
-- the case (a reminder or an escalation), read through cases_alarm.

-- +goose Up
ALTER TABLE cases ADD COLUMN alarm_at TEXT;
CREATE INDEX cases_alarm ON cases (alarm_at);

-- The in-app inbox: assignments, reminders, escalations, extension requests.
-- Written in the transaction of the event that caused it, so a reminder
-- exists exactly once with its event.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    username   TEXT NOT NULL,
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    number     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    clock      TEXT NOT NULL DEFAULT '',
    event_seq  BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notifications_user ON notifications (username, read_at, id);

-- Leases let one of several Ombud processes run a periodic job at a time.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE leases;
DROP TABLE notifications;
DROP INDEX cases_alarm;
ALTER TABLE cases DROP COLUMN alarm_at;
