-- Search by buckets of case ids (#10): PostgreSQL's search documents gain
-- the term of their bucket (../postgres/00010_search_buckets.sql). FTS5
-- reads a range of rowids straight from its index and needs nothing.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
