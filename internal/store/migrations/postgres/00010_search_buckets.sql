-- Search by buckets of case ids, and prefix terms (#10). Every search
-- document carries the term of its bucket, '~' and the case id divided by
-- 16,384 (the store's SearchBucketBits, 14): a search asks the GIN index
-- for its words AND the newest buckets' terms first, so that the index
-- intersects the posting lists itself instead of building a common word's
-- whole match set. And each Latin word or number of 3 characters or more
-- is also indexed by its prefixes of 3 to 16 characters, marked '>' (a
-- search for 138 or 1391 looks up one term instead of every phone number
-- that begins so). And a new column, tri, holds the document's trigrams
-- (each two adjacent overlapping bigrams AB, BC give ABC, at AB's
-- position), under the same
-- GIN index: a three-character search is one term, a longer one the AND
-- of its trigrams, instead of bigrams whose adjacency is checked on each
-- candidate's document. Documents written from this version on carry
-- these terms (internal/store/search.go); this gives them to the older
-- ones, deriving them from the documents' terms and positions. The index
-- is rebuilt rather than updated row by row (much faster for a large
-- table). Kept in step with ../sqlite/00010_search_buckets.sql, which has
-- nothing to do.

-- +goose Up
DROP INDEX case_search_doc;
ALTER TABLE case_search ADD COLUMN tri TSVECTOR NOT NULL DEFAULT '';
UPDATE case_search SET tri = COALESCE((
    SELECT string_agg(quote_literal(t) || ':' || ps, ' ')::tsvector
      FROM (SELECT a.lexeme || right(b.lexeme, 1) AS t, string_agg(a.pos::text, ',' ORDER BY a.pos) AS ps
              FROM (SELECT lexeme, unnest(positions) AS pos FROM unnest(doc) WHERE length(lexeme) = 2) AS a
              JOIN (SELECT lexeme, unnest(positions) AS pos FROM unnest(doc) WHERE length(lexeme) = 2) AS b
                ON b.pos = a.pos + 1 AND right(a.lexeme, 1) = left(b.lexeme, 1)
             GROUP BY 1) AS x), ''),
    doc = doc || ('''~' || (case_id >> 14) || '''')::tsvector || COALESCE(
    (SELECT array_to_tsvector(array_agg(DISTINCT '>' || left(lexeme, k)))
       FROM unnest(doc) AS u (lexeme, positions, weights), generate_series(3, 16) AS k
      WHERE k <= length(lexeme) AND lexeme NOT LIKE '~%' AND lexeme NOT LIKE '>%'),
    ''::tsvector);
CREATE INDEX case_search_doc ON case_search USING GIN (doc, tri);

-- +goose Down
-- Older versions ignore the bucket and prefix terms.
DROP INDEX case_search_doc;
ALTER TABLE case_search DROP COLUMN tri;
CREATE INDEX case_search_doc ON case_search USING GIN (doc);
