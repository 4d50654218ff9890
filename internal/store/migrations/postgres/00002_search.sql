-- Full-text search, PostgreSQL dialect: the terms package search derives
-- (character bigrams weighted A, unigrams weighted B) as a tsvector with a
-- GIN index. The store writes it in the same transaction as the case.
-- SQLite keeps the same terms in an FTS5 table.

-- +goose Up
CREATE TABLE case_search (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id),
    doc     TSVECTOR NOT NULL
);
CREATE INDEX case_search_doc ON case_search USING GIN (doc);

-- +goose Down
DROP TABLE case_search;
