-- SQLite's search table becomes contentless in this version; PostgreSQL's
-- tsvector holds no copy of the text already. Nothing to do: the file
-- keeps both dialects' migration versions in step.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
