-- The public portal (#5). Kept in lockstep with ../postgres/00007_public.sql.

-- +goose Up
-- A case registered by a member of the public has one access code, with
-- which its complainant tracks and rates it. Only the code's SHA-256 (over
-- the case number and the code) is stored; the code is shown once.
CREATE TABLE public_access (
    case_id    BIGINT PRIMARY KEY REFERENCES cases (id),
    code_hash  TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Files attached to a case. The content lives on disk, content-addressed
-- under DATA/attachments/<first 2 hex>/<sha256>: equal files are stored once.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    sha256       TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE INDEX attachments_case ON attachments (case_id, id);
CREATE INDEX attachments_sha256 ON attachments (sha256);

-- +goose Down
DROP TABLE attachments;
DROP TABLE public_access;
