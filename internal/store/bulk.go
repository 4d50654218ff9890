package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/search"
)

// Bulk loading: many cases, built elsewhere with their complete event logs,
// written in large transactions with multi-row INSERTs. It is for loading
// generated or migrated data (ombud gen); the workflow never uses it.
//
// A bulk transaction inserts its cases, their events and search terms (the
// same terms InsertCase and AppendEvent index), then moves the counters of
// the numbering series the cases' numbers come from, and commits: the
// counters always cover exactly the committed cases, so numbers stay
// gap-free and later registrations continue after them.

// BulkCase is a case ready to be bulk-loaded: the case as its events left
// it, its events, and what the store derives from them.
type BulkCase struct {
	Case   *cases.Case
	Events []cases.Event
	data   string
	doc    search.Doc
}

// PrepareBulk checks that c is the head of events and computes what the
// store writes for it: the case row's JSON and its search terms. It does
// the CPU-heavy part of a bulk load and may run in many goroutines at once.
func PrepareBulk(c *cases.Case, events []cases.Event) (BulkCase, error) {
	if len(events) == 0 || c.Seq != int64(len(events)) || c.Head != events[len(events)-1].Hash {
		return BulkCase{}, fmt.Errorf("bulk: case %s: the case is not the head of its %d events", c.Number, len(events))
	}
	data, err := json.Marshal(c)
	if err != nil {
		return BulkCase{}, err
	}
	return BulkCase{Case: c, Events: events, data: string(data), doc: search.Index(searchText(c))}, nil
}

// SerialRange says that a bulk transaction takes the serials From+1 … To
// of a numbering series: the series' counter must still be From (0: no
// counter yet) and becomes To.
type SerialRange struct {
	Series   string
	From, To int64
}

// ErrCountersMoved is returned by BulkTx.Commit when a numbering series
// moved after its numbers were allocated (cases registered meanwhile, or
// bulk transactions committed out of order).
var ErrCountersMoved = errors.New("bulk: a numbering series moved while loading (cases registered at the same time?)")

// Bulk is a bulk load in progress. On SQLite it holds the write connection
// (no other write runs until Close) with settings for loading; on
// PostgreSQL each transaction takes a connection of the pool.
type Bulk struct {
	s    *Store
	conn *sql.Conn // SQLite
	// restore undoes the connection settings made for the load.
	restore []string

	mu  sync.Mutex
	sql map[string]string
}

// bulkPragmas are the SQLite settings of a bulk load: a large page cache
// (the index pages of the case, event and search tables stay in memory)
// and no sync on commit (a crash may lose the last transactions, never
// consistency: each carries its cases, their events and the counters).
var bulkPragmas = []struct{ name, value string }{
	{"cache_size", "-262144"}, // 256 MiB
	{"synchronous", "OFF"},
}

// bulkHashSize is the FTS5 hashsize of a bulk load on SQLite. FTS5 keeps
// the terms of new rows in memory until they pass hashsize (1 MiB by
// default), then writes them as a segment, which it merges with others
// later; a large hash writes about one segment per transaction, with much
// less merging.
const bulkHashSize = 64 << 20

// BeginBulk starts a bulk load. Close it to give the connection back and
// restore its settings.
func (s *Store) BeginBulk(ctx context.Context) (*Bulk, error) {
	b := &Bulk{s: s, sql: map[string]string{}}
	if s.d.name() != "sqlite" {
		return b, nil
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	b.conn = conn
	for _, p := range bulkPragmas {
		var old string
		if err := conn.QueryRowContext(ctx, "PRAGMA "+p.name).Scan(&old); err != nil {
			b.Close()
			return nil, fmt.Errorf("bulk: read pragma %s: %w", p.name, err)
		}
		b.restore = append(b.restore, "PRAGMA "+p.name+" = "+old)
		if _, err := conn.ExecContext(ctx, "PRAGMA "+p.name+" = "+p.value); err != nil {
			b.Close()
			return nil, fmt.Errorf("bulk: set pragma %s: %w", p.name, err)
		}
	}
	var old int64 = 1 << 20
	err = conn.QueryRowContext(ctx, `SELECT v FROM case_search_config WHERE k = 'hashsize'`).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		b.Close()
		return nil, fmt.Errorf("bulk: read the search index's hashsize: %w", err)
	}
	const set = `INSERT INTO case_search (case_search, rank) VALUES ('hashsize', %d)`
	b.restore = append(b.restore, fmt.Sprintf(set, old))
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(set, bulkHashSize)); err != nil {
		b.Close()
		return nil, fmt.Errorf("bulk: set the search index's hashsize: %w", err)
	}
	// A bulk load merges as it writes (FTS5's default); the group
	// committer's merging (ftsmerge.go) takes over again afterwards.
	const automerge = `INSERT INTO case_search (case_search, rank) VALUES ('automerge', %d)`
	if s.merging.Load() {
		b.restore = append(b.restore, fmt.Sprintf(automerge, 0))
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(automerge, 4)); err != nil {
			b.Close()
			return nil, fmt.Errorf("bulk: set the search index's automerge: %w", err)
		}
	}
	return b, nil
}

// Writers is how many bulk transactions are worth running at once: one on
// SQLite (one writer), two on PostgreSQL.
func (b *Bulk) Writers() int {
	if b.conn != nil {
		return 1
	}
	return 2
}

// Close restores the connection's settings and gives it back.
func (b *Bulk) Close() error {
	if b.conn == nil {
		return nil
	}
	var err error
	for i := len(b.restore) - 1; i >= 0; i-- {
		if _, e := b.conn.ExecContext(context.Background(), b.restore[i]); e != nil && err == nil {
			err = e
		}
	}
	if e := b.conn.Close(); err == nil {
		err = e
	}
	return err
}

// Insert writes batch and moves series in one transaction.
func (b *Bulk) Insert(ctx context.Context, batch []BulkCase, series []SerialRange) error {
	t, err := b.Begin(ctx)
	if err != nil {
		return err
	}
	if err := t.Insert(ctx, batch); err != nil {
		t.Rollback()
		return err
	}
	return t.Commit(ctx, series)
}

// BulkTx is one transaction of a bulk load. On PostgreSQL several may run
// at once, each on its own connection; they must commit in the order of
// their numbers (Commit checks the counters).
type BulkTx struct {
	b  *Bulk
	tx *sql.Tx
}

// Begin starts a bulk transaction.
func (b *Bulk) Begin(ctx context.Context) (*BulkTx, error) {
	var tx *sql.Tx
	var err error
	if b.conn != nil {
		tx, err = b.conn.BeginTx(ctx, nil)
	} else {
		tx, err = b.s.w.BeginTx(ctx, nil)
	}
	if err != nil {
		return nil, err
	}
	return &BulkTx{b: b, tx: tx}, nil
}

// Rollback abandons the transaction.
func (t *BulkTx) Rollback() error { return t.tx.Rollback() }

// Rows per multi-row INSERT: SQLite binds at most 32766 parameters per
// statement, PostgreSQL 65535.
const (
	bulkCaseRows   = 1000 // × 20 parameters
	bulkEventRows  = 4000 // × 8
	bulkSearchRows = 4000 // × 3
)

const bulkCaseCols = `number, pack, kind, channel, status, category, level, department, handler, subject, phone,
	received_at, registered_at, updated_at, due_at, alarm_at, closed_at, seq, head, data, confidential`

// Insert writes cases with their events and search terms. It sets each
// case's ID.
func (t *BulkTx) Insert(ctx context.Context, batch []BulkCase) error {
	b, tx, d := t.b, t.tx, t.b.s.d
	optTime := func(p *time.Time) any {
		if p == nil {
			return nil
		}
		return d.time(*p)
	}

	// Cases, returning their IDs.
	args := make([]any, 0, bulkEventRows*8)
	for lo := 0; lo < len(batch); lo += bulkCaseRows {
		part := batch[lo:min(lo+bulkCaseRows, len(batch))]
		args = args[:0]
		for _, bc := range part {
			c := bc.Case
			args = append(args, c.Number, c.Pack, c.Kind, c.Channel, string(c.Status), c.Category, c.Level,
				c.Department, c.Handler, c.Subject, c.Complainant.Phone, d.time(c.ReceivedAt),
				d.time(c.RegisteredAt), d.time(c.UpdatedAt), optTime(c.OpenDue()), optTime(c.AlarmAt()), optTime(c.ClosedAt),
				c.Seq, c.Head, bc.data, flag(c.Confidential))
		}
		q := b.statement("cases", len(part), "INSERT INTO cases ("+bulkCaseCols+") VALUES ",
			"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", " RETURNING id, number")
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("bulk: insert cases: %w", err)
		}
		ids := make(map[string]int64, len(part))
		for rows.Next() {
			var id int64
			var number string
			if err := rows.Scan(&id, &number); err != nil {
				rows.Close()
				return err
			}
			ids[number] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("bulk: insert cases: %w", err)
		}
		for _, bc := range part {
			id, ok := ids[bc.Case.Number]
			if !ok {
				return fmt.Errorf("bulk: case %s was not inserted", bc.Case.Number)
			}
			bc.Case.ID = id
		}
	}

	// Events, many cases' to a statement.
	args = args[:0]
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		q := b.statement("events", n, "INSERT INTO case_events (case_id, seq, type, actor, at, payload, prev_hash, hash) VALUES ",
			"(?, ?, ?, ?, ?, ?, ?, ?)", "")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("bulk: insert events: %w", err)
		}
		args, n = args[:0], 0
		return nil
	}
	for _, bc := range batch {
		for _, e := range bc.Events {
			args = append(args, bc.Case.ID, e.Seq, e.Type, e.Actor, d.time(e.At), string(e.Payload), e.PrevHash, e.Hash)
			if n++; n == bulkEventRows {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}

	// Search terms, as the dialect's index stores them.
	prefix, row := "INSERT INTO case_search (rowid, bigrams, unigrams) VALUES ", "(?, ?, ?)"
	if d.name() == "postgres" {
		prefix = "INSERT INTO case_search (case_id, doc) VALUES "
		row = "(?, setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'B'))"
	}
	for lo := 0; lo < len(batch); lo += bulkSearchRows {
		part := batch[lo:min(lo+bulkSearchRows, len(batch))]
		args = args[:0]
		for _, bc := range part {
			args = append(args, bc.Case.ID, bc.doc.Bigrams, bc.doc.Unigrams)
		}
		if _, err := tx.ExecContext(ctx, b.statement("search", len(part), prefix, row, ""), args...); err != nil {
			return fmt.Errorf("bulk: index cases: %w", err)
		}
	}
	return nil
}

// Commit moves the counters of series and commits. It fails with
// ErrCountersMoved (and rolls back) if a counter is not where the range
// starts, as when a case was registered in the series during the load: on
// PostgreSQL a registration that comes after the counter moved waits for
// the commit and continues after the loaded cases; one that came before
// makes the load fail.
func (t *BulkTx) Commit(ctx context.Context, series []SerialRange) error {
	d := t.b.s.d
	for _, r := range series {
		res, err := t.tx.ExecContext(ctx, d.rebind(`INSERT INTO counters (series, value) VALUES (?, ?)
			ON CONFLICT (series) DO UPDATE SET value = excluded.value WHERE counters.value = ?`), r.Series, r.To, r.From)
		if err == nil {
			var n int64
			if n, err = res.RowsAffected(); err == nil && n != 1 {
				err = fmt.Errorf("%w: %s is no longer %d", ErrCountersMoved, r.Series, r.From)
			}
		}
		if err != nil {
			t.tx.Rollback()
			return fmt.Errorf("bulk: counter %s: %w", r.Series, err)
		}
	}
	return t.tx.Commit()
}

// statement returns the multi-row INSERT prefix + n × row + suffix in the
// dialect's placeholders, built once per size.
func (b *Bulk) statement(name string, n int, prefix, row, suffix string) string {
	key := fmt.Sprint(name, n)
	b.mu.Lock()
	defer b.mu.Unlock()
	if q, ok := b.sql[key]; ok {
		return q
	}
	var sb strings.Builder
	sb.WriteString(prefix)
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(row)
	}
	sb.WriteString(suffix)
	q := b.s.d.rebind(sb.String())
	b.sql[key] = q
	return q
}
