-- The search table keeps only its index: the terms are never read back, and
-- their stored copy made up a quarter of a large database. contentless_delete
-- lets the store still replace a case's terms.

-- +goose Up
CREATE VIRTUAL TABLE case_search_new USING fts5 (bigrams, unigrams, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO case_search_new (rowid, bigrams, unigrams) SELECT rowid, bigrams, unigrams FROM case_search;
DROP TABLE case_search;
ALTER TABLE case_search_new RENAME TO case_search;

-- +goose Down
CREATE VIRTUAL TABLE case_search_old USING fts5 (bigrams, unigrams, tokenize = 'unicode61 remove_diacritics 0');
DROP TABLE case_search;
ALTER TABLE case_search_old RENAME TO case_search;
