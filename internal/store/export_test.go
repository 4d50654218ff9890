package store

import "context"

// Remigrate rolls the schema back to version v, then migrates it up again.
func (s *Store) Remigrate(ctx context.Context, v int64) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, v); err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// SetSearchWindow makes searches rank the n most recent matches and, when
// buckets is set, ask for them by buckets of 1<<bits case ids (as on
// PostgreSQL) on either store, or else read the newest matches straight
// from the index (as on SQLite). Documents carry the bucket they were
// indexed in: a test sets bits before it registers cases. It returns a
// function that restores the defaults.
func SetSearchWindow(n, bits int, buckets bool) (restore func()) {
	searchWindow, searchBucketBits = n, bits
	searchByBuckets = func(dialect) bool { return buckets }
	return func() {
		searchWindow, searchBucketBits, searchByBuckets = SearchWindow, SearchBucketBits, dialect.unorderedMatches
	}
}
