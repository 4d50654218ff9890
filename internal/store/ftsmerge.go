package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"time"
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
// still nobody waits), one step every ftsMergeEvery transactions while
// they keep coming, and more after ftsMergeIdle without any, so that the index stays merged under any load and no
// registration waits for more than one step. A bulk load (BeginBulk)
// merges as it writes, as before.

const (
	ftsMergePages = 32                     // pages one merge step writes at most
	ftsMergeEvery = 64                     // bodies after which a step is taken even under load
	ftsMergeSteps = 16                     // steps one idle moment takes at most
	ftsMergeIdle  = 200 * time.Millisecond // how long the committer waits before merging on its own
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

// merger is the group committer's merging state.
type merger struct {
	since   int  // transaction bodies committed since the last step
	pending bool // there may be merge work left
}

// mergeBetween is the group committer's merging after a commit of n
// transaction bodies.
func (s *Store) mergeBetween(n int, m *merger) {
	if !s.merging.Load() {
		return
	}
	m.since += n
	m.pending = true
	if len(s.commits) > 0 && m.since < ftsMergeEvery {
		return
	}
	m.since = 0
	s.mergeWhileIdle(m)
}

// mergeIdle goes on merging when nothing has been committed for a while
// (ftsMergeIdle) and work may be left: after a burst, the index ends
// merged however little time the burst left between commits.
func (s *Store) mergeIdle(m *merger) {
	if s.merging.Load() && m.pending {
		s.mergeWhileIdle(m)
	}
}

// mergeWhileIdle takes up to ftsMergeSteps steps, stopping early when
// there is no work left or a transaction waits.
func (s *Store) mergeWhileIdle(m *merger) {
	for i := 0; i < ftsMergeSteps; i++ {
		worked, err := s.mergeStep(context.Background())
		if err != nil {
			return // merging is housekeeping: the next step tries again
		}
		if !worked {
			m.pending = false
			return
		}
		if len(s.commits) > 0 {
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
