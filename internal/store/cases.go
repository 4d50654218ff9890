package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/search"
)

// NextSerial allocates the next serial of a numbering series in the
// transaction that inserts the case: a rolled-back registration gives its
// serial back, so numbers are gap-free (R5). The counter row is locked until
// the transaction ends, which orders concurrent registrations.
func (t *Tx) NextSerial(ctx context.Context, series string) (int64, error) {
	var n int64
	err := t.queryRow(ctx, `INSERT INTO counters (series, value) VALUES (?, 1)
		ON CONFLICT (series) DO UPDATE SET value = counters.value + 1
		RETURNING value`, series).Scan(&n)
	return n, err
}

// flag is a boolean as the integer columns hold it (one SQL for both
// databases).
func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// InsertCase stores a new case and its first event.
func (t *Tx) InsertCase(ctx context.Context, c *cases.Case, e cases.Event) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	err = t.queryRow(ctx, `INSERT INTO cases (number, pack, kind, channel, status, category, level,
		department, handler, subject, phone, received_at, registered_at, updated_at, due_at, alarm_at, closed_at,
		seq, head, data, confidential) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.Number, c.Pack, c.Kind, c.Channel, c.Status, c.Category, c.Level, c.Department, c.Handler,
		c.Subject, c.Complainant.Phone, t.d.time(c.ReceivedAt), t.d.time(c.RegisteredAt),
		t.d.time(c.UpdatedAt), t.optTime(c.OpenDue()), t.optTime(c.AlarmAt()), t.optTime(c.ClosedAt),
		c.Seq, c.Head, string(data), flag(c.Confidential)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("insert case %s: %w", c.Number, err)
	}
	if err := t.index(ctx, c, true); err != nil {
		return err
	}
	return t.insertEvent(ctx, c.ID, e)
}

// AppendEvent stores event e and c, the case after applying it. It fails
// with ErrConflict if another transaction appended to the case first.
func (t *Tx) AppendEvent(ctx context.Context, c *cases.Case, e cases.Event) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	res, err := t.exec(ctx, `UPDATE cases SET status = ?, category = ?, level = ?, department = ?,
		handler = ?, updated_at = ?, due_at = ?, alarm_at = ?, closed_at = ?, seq = ?, head = ?, data = ?
		WHERE id = ? AND seq = ?`,
		c.Status, c.Category, c.Level, c.Department, c.Handler, t.d.time(c.UpdatedAt),
		t.optTime(c.OpenDue()), t.optTime(c.AlarmAt()), t.optTime(c.ClosedAt), c.Seq, c.Head, string(data), c.ID, e.Seq-1)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrConflict
	}
	if reindexedBy[e.Type] {
		if err := t.index(ctx, c, false); err != nil {
			return err
		}
	}
	return t.insertEvent(ctx, c.ID, e)
}

func (t *Tx) insertEvent(ctx context.Context, caseID int64, e cases.Event) error {
	_, err := t.exec(ctx, `INSERT INTO case_events (case_id, seq, type, actor, at, payload, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		caseID, e.Seq, e.Type, e.Actor, t.d.time(e.At), string(e.Payload), e.PrevHash, e.Hash)
	return err
}

func (t *Tx) optTime(p *time.Time) any {
	if p == nil {
		return nil
	}
	return t.d.time(*p)
}

// GetCase returns the case with number.
func (s *Store) GetCase(ctx context.Context, number string) (*cases.Case, error) {
	return scanCase(s.cachedQueryRow(ctx, `SELECT id, seq, head, data FROM cases WHERE number = ?`, number))
}

type scanner interface{ Scan(...any) error }

func scanCase(row scanner) (*cases.Case, error) {
	var id, seq int64
	var head, data string
	if err := row.Scan(&id, &seq, &head, &data); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	c := &cases.Case{}
	if err := json.Unmarshal([]byte(data), c); err != nil {
		return nil, fmt.Errorf("case %d: %w", id, err)
	}
	c.ID, c.Seq, c.Head = id, seq, head
	return c, nil
}

// Events returns the event log of case id in order.
func (s *Store) Events(ctx context.Context, caseID int64) ([]cases.Event, error) {
	rows, err := s.query(ctx, `SELECT seq, type, actor, at, payload, prev_hash, hash
		FROM case_events WHERE case_id = ? ORDER BY seq`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []cases.Event
	for rows.Next() {
		var e cases.Event
		var at dbTime
		var payload string
		if err := rows.Scan(&e.Seq, &e.Type, &e.Actor, &at, &payload, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At, e.Payload = at.T, json.RawMessage(payload)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Filter selects cases for a list.
type Filter struct {
	Status     []cases.Status
	Level      string
	Department string
	Kind       string
	Category   string
	// Phone lists the cases from this phone number (exactly).
	Phone string
	// Visible, when set, limits the list to cases of this department or
	// handled by VisibleHandler (a department user's view); with
	// HideConfidential, the department's confidential cases are left out
	// unless VisibleHandler handles them (a handler's view).
	Visible          string
	VisibleHandler   string
	HideConfidential bool
	Q                string // full-text search (package search): number, people, subject, content, reply
	Overdue          bool
	// DueBefore and DueAfter list cases whose earliest running clock is
	// due in [DueAfter, DueBefore) (due soon: from now).
	DueBefore, DueAfter time.Time
	// SortDue lists only cases with a running clock, soonest due first.
	SortDue       bool
	Now           time.Time
	Limit, Offset int
}

// ListCases returns a page of cases, newest first, and the total matching.
func (s *Store) ListCases(ctx context.Context, f Filter) ([]*cases.Case, int, error) {
	var where []string
	var args []any
	if len(f.Status) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?,", len(f.Status)), ",")
		where = append(where, "status IN ("+ph+")")
		for _, st := range f.Status {
			args = append(args, string(st))
		}
	}
	for _, eq := range []struct{ col, v string }{{"level", f.Level}, {"department", f.Department},
		{"kind", f.Kind}, {"category", f.Category}, {"phone", f.Phone}} {
		if eq.v != "" {
			where = append(where, eq.col+" = ?")
			args = append(args, eq.v)
		}
	}
	if f.Visible != "" || f.VisibleHandler != "" {
		if f.HideConfidential {
			where = append(where, "((department = ? AND confidential = 0) OR handler = ?)")
		} else {
			where = append(where, "(department = ? OR handler = ?)")
		}
		args = append(args, f.Visible, f.VisibleHandler)
	}
	if f.Overdue {
		where = append(where, "due_at < ?")
		args = append(args, s.d.time(f.Now))
	}
	if !f.DueBefore.IsZero() {
		where = append(where, "due_at < ?")
		args = append(args, s.d.time(f.DueBefore))
	}
	if !f.DueAfter.IsZero() {
		where = append(where, "due_at >= ?")
		args = append(args, s.d.time(f.DueAfter))
	}
	if f.SortDue && f.DueBefore.IsZero() && f.DueAfter.IsZero() && !f.Overdue {
		where = append(where, "due_at IS NOT NULL")
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	q := search.Parse(f.Q)
	filtered := len(where) > 0
	var m matchSQL
	if len(q) > 0 {
		m = s.d.match(q)
	}
	// within returns the FROM … WHERE of the list and its arguments; with
	// a condition on the case id (cond, cargs), of the matches of a search
	// in that range; with check, of the matches that pass the match's
	// check too. The range comes before the match, so that a row outside
	// it is never checked against its document.
	filters, fargs := where, args
	within := func(cond string, cargs []any, check bool) (string, []any) {
		w, a := slices.Clone(filters), slices.Clone(fargs)
		if cond != "" {
			w, a = append(w, cond), append(a, cargs...)
		}
		if len(q) > 0 {
			w, a = append(w, m.where), append(a, m.args...)
			if check && m.check != "" {
				w, a = append(w, m.check), append(a, m.checkArgs...)
			}
		}
		from := " FROM cases " + m.join
		if len(q) > 0 && !filtered {
			// A search without filters reads the index alone.
			from = " FROM case_search"
		}
		if len(w) > 0 {
			from += " WHERE " + strings.Join(w, " AND ")
		}
		return from, a
	}
	if len(q) > 0 {
		return s.search(ctx, f, within, m)
	}
	from, args := within("", nil, false)
	// Totals are counted up to CountCap: an exact count of a million
	// closed cases costs more than the page itself and tells a clerk
	// nothing more than "over ten thousand".
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1"+from+" LIMIT ?) n", append(args, CountCap+1)...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := " ORDER BY registered_at DESC, cases.id DESC"
	if f.SortDue {
		order = " ORDER BY due_at, cases.id"
	}
	out, err := scanCases(s.query(ctx, "SELECT cases.id, cases.seq, cases.head, cases.data"+from+order+" LIMIT ? OFFSET ?",
		append(args, f.Limit, f.Offset)...))
	return out, total, err
}

// search lists the matches of a search. It reads the ids of the newest
// SearchWindow+1 matches, whose number is the total ("more than the
// window" beyond). Up to SearchWindow matches are ranked by relevance,
// then recency; more are listed newest first — relevance would weigh a
// common word against itself (and SQLite's bm25 reads the word's whole
// posting list to learn how rare it is: 25–45 ms for a common character at
// a million cases), and a search that common is narrowed by recency anyway.
// Only the page's cases are read. within gives the FROM … WHERE of the
// matches with a condition on the case id (see ListCases); m is the
// dialect's match.
func (s *Store) search(ctx context.Context, f Filter, within func(cond string, cargs []any, check bool) (string, []any),
	m matchSQL) ([]*cases.Case, int, error) {
	id := m.id
	query := s.query
	if settings := s.d.searchSettings(); len(settings) > 0 {
		tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return nil, 0, err
		}
		defer tx.Rollback()
		for _, set := range settings {
			if _, err := tx.ExecContext(ctx, set); err != nil {
				return nil, 0, err
			}
		}
		query = func(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
			return tx.QueryContext(ctx, s.d.rebind(q), args...)
		}
	}
	want := searchWindow + 1
	var ids []int64
	// newest appends the ids of the newest matches in a range, up to want.
	newest := func(cond string, cargs []any) error {
		from, args := within(cond, cargs, true)
		sel := "SELECT " + id + from + " ORDER BY " + id + " DESC LIMIT ?"
		if m.check != "" {
			// The check reads each row's terms: the candidates are
			// sorted first (OFFSET 0 keeps the check out of the
			// subquery), then checked newest first until enough match.
			from, args = within(cond, cargs, false)
			sel = "SELECT cid FROM (SELECT " + id + " AS cid, doc, tri" + from + " ORDER BY " + id + " DESC OFFSET 0) w WHERE " +
				m.check + " LIMIT ?"
			args = append(args, m.checkArgs...)
		}
		rows, err := query(ctx, sel, append(args, want-len(ids))...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n int64
			if err := rows.Scan(&n); err != nil {
				return err
			}
			ids = append(ids, n)
		}
		return rows.Err()
	}
	if !searchByBuckets(s.d) {
		// The index yields matches newest first (SQLite's FTS5) and stops
		// at the limit.
		if err := newest("", nil); err != nil {
			return nil, 0, err
		}
	} else {
		// The index yields all matches at once (a GIN bitmap, visited in
		// the table's order), and each match it yields costs a visit to
		// the row for its id. So it is asked for the newest buckets of ids
		// first (the two newest: a common word is answered from the newest
		// 16,384–32,768 cases), then for as many older buckets as the
		// density of matches seen so far says hold the matches still
		// wanted, with a margin (four times as many while none are seen);
		// a range of at least half of what is left takes all of it, by id
		// rather than by buckets (searchSteps).
		var top int64 // outside the search's transaction, whose settings forbid the index scan MAX needs
		if err := s.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM cases").Scan(&top); err != nil {
			return nil, 0, err
		}
		err := searchSteps(top, want, func(lo, hi int64) (int, error) {
			before := len(ids)
			cond, cargs := s.d.inBuckets(id, lo, hi)
			if lo == 0 {
				cond, cargs = id+" < ?", []any{(hi + 1) << searchBucketBits}
			}
			err := newest(cond, cargs)
			return len(ids) - before, err
		})
		if err != nil {
			return nil, 0, err
		}
	}
	total := len(ids)
	if total <= searchWindow {
		// Every match is known: they are ranked. The page is cut from the
		// ranked matches before the cases are read: joining first would
		// read every match's case (its JSON, on overflow pages) to keep
		// fifty.
		from, args := within("", nil, true)
		out, err := scanCases(query(ctx, "SELECT c.id, c.seq, c.head, c.data FROM (SELECT cid, rnk FROM ("+
			s.d.rankWindow(id, m.rank, from)+") w ORDER BY rnk, cid DESC LIMIT ? OFFSET ?) m JOIN cases c ON c.id = m.cid ORDER BY m.rnk, c.id DESC",
			append(args, searchWindow, f.Limit, f.Offset)...))
		return out, total, err
	}
	page := ids[min(f.Offset, searchWindow):min(f.Offset+f.Limit, searchWindow)]
	if len(page) == 0 {
		return nil, total, nil
	}
	in := make([]any, len(page))
	for i, n := range page {
		in[i] = n
	}
	out, err := scanCases(query(ctx, "SELECT id, seq, head, data FROM cases WHERE id IN ("+
		strings.TrimSuffix(strings.Repeat("?,", len(page)), ",")+") ORDER BY id DESC", in...))
	return out, total, err
}

// scanCases reads the cases a query returns.
func scanCases(rows *sql.Rows, err error) ([]*cases.Case, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*cases.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// searchSteps calls step for ranges of buckets lo…hi of the ids up to
// top, from the newest bucket down, until want matches are found or every
// bucket is covered; step returns how many matches its range held. A range
// of lo 0 is the last. The first range is the two newest buckets; each
// next one is as wide as the density seen so far (matches per id covered)
// says holds the matches still wanted, with a quarter's margin (four times
// the width so far while no match is seen), and takes everything left
// when that is no more than twice the range.
func searchSteps(top int64, want int, step func(lo, hi int64) (int, error)) error {
	size := int64(1) << searchBucketBits
	found, covered, width := 0, int64(0), int64(2)
	for hi := top >> searchBucketBits; hi >= 0 && found < want; {
		lo := max(hi-width+1, 0)
		if lo <= hi/2 {
			lo = 0
		}
		n, err := step(lo, hi)
		if err != nil {
			return err
		}
		found, covered = found+n, covered+min(top+1, (hi+1)*size)-lo*size
		hi = lo - 1
		if found == 0 {
			width *= 4
		} else {
			width = int64(want-found)*covered*5/(4*int64(found))/size + 1
		}
	}
	return nil
}

// CountCapFor is the largest total ListCases counts for f; beyond it the
// total says one more ("more than the cap"): CountCap for a list, the
// SearchWindow for a search — the most a search lists, and on PostgreSQL
// each match counted is a row visited (a phrase's, a document read and
// checked).
func (s *Store) CountCapFor(f Filter) int {
	if len(search.Parse(f.Q)) > 0 {
		return searchWindow
	}
	return CountCap
}

// CountCap is the largest total ListCases counts; beyond it the total
// says CountCap+1 ("more than CountCap").
const CountCap = 10000

// SearchWindow is how many of the most recent matches a search ranks by
// relevance.
const SearchWindow = 2000

// SearchBucketBits: a search on a store whose index yields matches in no
// useful order asks for them by buckets of 1<<SearchBucketBits case ids
// (16,384), newest first (see search and dialect.inBuckets).
const SearchBucketBits = 14

// Tests lower the window and the buckets and choose whether searches go by
// buckets, to exercise both paths on both stores with a few hundred cases.
var (
	searchWindow     = SearchWindow
	searchBucketBits = SearchBucketBits
	searchByBuckets  = dialect.unorderedMatches
)

// EachCase calls fn for every case, in number order, with its events.
func (s *Store) EachCase(ctx context.Context, fn func(c *cases.Case, events []cases.Event) error) error {
	var last int64
	for {
		rows, err := s.query(ctx, `SELECT id, seq, head, data FROM cases WHERE id > ? ORDER BY id LIMIT 500`, last)
		if err != nil {
			return err
		}
		var batch []*cases.Case
		for rows.Next() {
			c, err := scanCase(rows)
			if err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		// One query for the events of the whole batch, not one per case.
		byCase, err := s.eventsBetween(ctx, batch[0].ID, batch[len(batch)-1].ID)
		if err != nil {
			return err
		}
		for _, c := range batch {
			if err := fn(c, byCase[c.ID]); err != nil {
				return err
			}
			last = c.ID
		}
	}
}

// eventsBetween returns the events of cases first…last by case id, in order.
func (s *Store) eventsBetween(ctx context.Context, first, last int64) (map[int64][]cases.Event, error) {
	rows, err := s.query(ctx, `SELECT case_id, seq, type, actor, at, payload, prev_hash, hash
		FROM case_events WHERE case_id BETWEEN ? AND ? ORDER BY case_id, seq`, first, last)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]cases.Event{}
	for rows.Next() {
		var id int64
		var e cases.Event
		var at dbTime
		var payload string
		if err := rows.Scan(&id, &e.Seq, &e.Type, &e.Actor, &at, &payload, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At, e.Payload = at.T, json.RawMessage(payload)
		out[id] = append(out[id], e)
	}
	return out, rows.Err()
}

// Counters returns every numbering series with its last serial.
func (s *Store) Counters(ctx context.Context) (map[string]int64, error) {
	rows, err := s.query(ctx, `SELECT series, value FROM counters`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// GetCase reads the case with number inside the transaction.
func (t *Tx) GetCase(ctx context.Context, number string) (*cases.Case, error) {
	return scanCase(t.queryRow(ctx, `SELECT id, seq, head, data FROM cases WHERE number = ?`, number))
}

// Access is one recorded read of sensitive data.
type Access struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	What   string    `json:"what"`
	Reason string    `json:"reason,omitempty"`
}

// LogAccess records that actor read sensitive data (what) of a case.
func (s *Store) LogAccess(ctx context.Context, caseID int64, actor, what, reason string) error {
	_, err := s.exec(ctx, `INSERT INTO access_log (at, actor, case_id, what, reason) VALUES (?, ?, ?, ?, ?)`,
		s.d.time(time.Now()), actor, caseID, what, reason)
	return err
}

// AccessLog lists the recorded reads of a case's sensitive data, oldest first.
func (s *Store) AccessLog(ctx context.Context, caseID int64) ([]Access, error) {
	rows, err := s.query(ctx, `SELECT at, actor, what, reason FROM access_log WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Access
	for rows.Next() {
		var a Access
		var at dbTime
		if err := rows.Scan(&at, &a.Actor, &a.What, &a.Reason); err != nil {
			return nil, err
		}
		a.At = at.T
		out = append(out, a)
	}
	return out, rows.Err()
}

// CountByStatus returns how many cases are in each status.
func (s *Store) CountByStatus(ctx context.Context) (map[cases.Status]int, error) {
	rows, err := s.query(ctx, `SELECT status, COUNT(*) FROM cases GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[cases.Status]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[cases.Status(st)] = n
	}
	return out, rows.Err()
}

// CountByPhone returns how many cases have come from phone number phone.
func (s *Store) CountByPhone(ctx context.Context, phone string) (int, error) {
	var n int
	err := s.cachedQueryRow(ctx, `SELECT COUNT(*) FROM cases WHERE phone = ?`, phone).Scan(&n)
	return n, err
}

// CountOverdue returns how many cases still owe a reply whose deadline has passed.
func (s *Store) CountOverdue(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM cases WHERE due_at < ?`, s.d.time(now)).Scan(&n)
	return n, err
}

// Agree stores value under name in the settings every instance shares,
// unless a value is there already, and returns the value stored: the first
// instance's, which every later one must match.
func (s *Store) Agree(ctx context.Context, name, value string) (string, error) {
	if _, err := s.exec(ctx, `INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, value); err != nil {
		return "", err
	}
	var stored string
	err := s.queryRow(ctx, `SELECT value FROM settings WHERE name = ?`, name).Scan(&stored)
	return stored, err
}
