package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
)

// FTS5 merges the segments of its index as it writes: by default, each
// flush that crosses another 64 written pages also merges 64 pages per
// level of the index — inside the commit of whichever registration
// crossed the line. At a few hundred thousand cases that is a 50–120 ms
// stall for every registration in that commit, the whole 99th percentile
// of registration latency.
//
// So the store turns FTS5's automerge off and has the group committer do
// the merging between commits: a step of at most ftsMergePages pages
// whenever no transaction is waiting (repeated while there is work and
// still nobody waits), and one step every ftsMergeEvery commits while
// they keep coming, so that the index stays merged under any load and no
// registration waits for more than one step. A bulk load (BeginBulk)
// merges as it writes, as before.

const (
	ftsMergePages = 32  // pages one merge step writes at most
	ftsMergeEvery = 128 // commits after which a step is taken even under load
	ftsMergeSteps = 16  // steps one idle moment takes at most
)

// ftsStructure is the FTS5 row that describes the index's segments: a
// merge step that changes it did some work.
const ftsStructure = `SELECT block FROM case_search_data WHERE id = 10`

// startMerging turns FTS5's own merging off and lets the group committer
// merge (SQLite; once the search table exists).
func (s *Store) startMerging(ctx context.Context) error {
	if s.commits == nil {
		return nil
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO case_search (case_search, rank) VALUES ('automerge', 0)`); err != nil {
		return err
	}
	s.merging.Store(true)
	return nil
}

// mergeStep does one step of merge work on the search index and reports
// whether there was any.
func (s *Store) mergeStep(ctx context.Context) (worked bool, err error) {
	err = s.inTx(ctx, func(t *Tx) error {
		var before, after []byte
		if err := t.tx.QueryRowContext(ctx, ftsStructure).Scan(&before); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO case_search (case_search, rank) VALUES ('merge', ?)`, ftsMergePages); err != nil {
			return err
		}
		if err := t.tx.QueryRowContext(ctx, ftsStructure).Scan(&after); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		worked = !bytes.Equal(before, after)
		return nil
	})
	return worked, err
}

// mergeBetween is the group committer's merging after a commit of n
// transaction bodies; since counts the commits since the last step.
func (s *Store) mergeBetween(n int, since *int) {
	if !s.merging.Load() {
		return
	}
	*since += n
	if len(s.commits) > 0 && *since < ftsMergeEvery {
		return
	}
	*since = 0
	for i := 0; i < ftsMergeSteps; i++ {
		worked, err := s.mergeStep(context.Background())
		if err != nil || !worked || len(s.commits) > 0 {
			// An error is left to the next step: merging is housekeeping,
			// the index is correct without it.
			return
		}
	}
}

// SearchSegments counts the segments of the SQLite search index (0 on
// PostgreSQL): a measure of how merged it is.
func (s *Store) SearchSegments(ctx context.Context) (int, error) {
	if s.d.name() != "sqlite" {
		return 0, nil
	}
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM case_search_idx`).Scan(&n)
	return n, err
}

// CheckSearchIndex runs FTS5's integrity check of the SQLite search index.
func (s *Store) CheckSearchIndex(ctx context.Context) error {
	if s.d.name() != "sqlite" {
		return nil
	}
	_, err := s.exec(ctx, `INSERT INTO case_search (case_search) VALUES ('integrity-check')`)
	return err
}
