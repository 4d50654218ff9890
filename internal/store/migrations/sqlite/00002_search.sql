-- Full-text search, SQLite dialect: an FTS5 table over the terms package
-- search derives (character bigrams and unigrams), rowid = cases.id. The
-- store writes it in the same transaction as the case.
-- PostgreSQL keeps the same terms in case_search.doc (tsvector, GIN).

-- +goose Up
CREATE VIRTUAL TABLE case_search USING fts5 (bigrams, unigrams, tokenize = 'unicode61 remove_diacritics 0');

-- +goose Down
DROP TABLE case_search;
