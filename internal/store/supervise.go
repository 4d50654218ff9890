package store

import (
	"context"
	"time"
)

// Notification is one entry of a user's in-app inbox.
type Notification struct {
	ID       int64  `json:"id"`
	Username string `json:"-"`
	CaseID   int64  `json:"-"`
	Number   string `json:"number"`
	// Kind is assigned, remind, escalate, inform_complainant,
	// extension_requested, extension_approved, extension_rejected.
	Kind string `json:"kind"`
	// Clock names the time limit a reminder or escalation is about.
	Clock     string     `json:"clock,omitempty"`
	EventSeq  int64      `json:"event_seq"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// Notify adds notifications to inboxes in the transaction of the event
// that caused them: they exist exactly when the event does.
func (t *Tx) Notify(ctx context.Context, ns []Notification) error {
	for _, n := range ns {
		if _, err := t.exec(ctx, `INSERT INTO notifications (username, case_id, number, kind, clock, event_seq, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, n.Username, n.CaseID, n.Number, n.Kind, n.Clock, n.EventSeq,
			t.d.time(n.CreatedAt)); err != nil {
			return err
		}
	}
	return nil
}

// Notifications returns a user's newest notifications (unread only when
// asked) and how many are unread.
func (s *Store) Notifications(ctx context.Context, username string, unreadOnly bool, limit int) ([]Notification, int, error) {
	var unread int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE username = ? AND read_at IS NULL`,
		username).Scan(&unread); err != nil {
		return nil, 0, err
	}
	q := `SELECT id, case_id, number, kind, clock, event_seq, created_at, read_at FROM notifications WHERE username = ?`
	if unreadOnly {
		q += ` AND read_at IS NULL`
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := s.query(ctx, q+` ORDER BY id DESC LIMIT ?`, username, limit)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []Notification{}
	for rows.Next() {
		n := Notification{Username: username}
		var created dbTime
		var read dbTime
		if err := rows.Scan(&n.ID, &n.CaseID, &n.Number, &n.Kind, &n.Clock, &n.EventSeq, &created, &read); err != nil {
			return nil, 0, err
		}
		n.CreatedAt, n.ReadAt = created.T, read.ptr()
		out = append(out, n)
	}
	return out, unread, rows.Err()
}

// MarkRead marks a user's notification read, or all of them when id is 0.
func (s *Store) MarkRead(ctx context.Context, username string, id int64, now time.Time) error {
	q, args := `UPDATE notifications SET read_at = ? WHERE username = ? AND read_at IS NULL`, []any{s.d.time(now), username}
	if id != 0 {
		q += ` AND id = ?`
		args = append(args, id)
	}
	_, err := s.exec(ctx, q, args...)
	return err
}

// CaseRef names a case and its pack.
type CaseRef struct{ Number, Pack string }

// Alarms returns the cases whose supervisor work (a reminder or an
// escalation) is due by now, earliest first.
func (s *Store) Alarms(ctx context.Context, now time.Time, limit int) ([]CaseRef, error) {
	rows, err := s.query(ctx, `SELECT number, pack FROM cases WHERE alarm_at <= ? ORDER BY alarm_at LIMIT ?`, s.d.time(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CaseRef
	for rows.Next() {
		var c CaseRef
		if err := rows.Scan(&c.Number, &c.Pack); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// OldestAlarm is the earliest pending alarm, nil when none is pending: how
// far the supervisor lags behind is now minus it.
func (s *Store) OldestAlarm(ctx context.Context, now time.Time) (*time.Time, error) {
	var t dbTime
	err := s.queryRow(ctx, `SELECT MIN(alarm_at) FROM cases WHERE alarm_at <= ?`, s.d.time(now)).Scan(&t)
	return t.ptr(), err
}

// AcquireLease takes or renews the lease called name for holder until
// now+ttl, unless another holder's lease is still valid. It reports
// whether holder has the lease.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	res, err := s.exec(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.holder = excluded.holder OR leases.expires_at < ?`,
		name, holder, s.d.time(now.Add(ttl)), s.d.time(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseLease gives up holder's lease called name.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	_, err := s.exec(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder)
	return err
}

// DueCount is a department's number of overdue and due-soon cases.
type DueCount struct {
	Department string `json:"department"`
	Overdue    int    `json:"overdue"`
	DueSoon    int    `json:"due_soon"`
}

// DueCounts counts, per department, the cases with a running clock past
// due at now, and those due before soon. Cases not yet assigned count
// under the department "".
func (s *Store) DueCounts(ctx context.Context, now, soon time.Time) ([]DueCount, error) {
	rows, err := s.query(ctx, `SELECT department,
		SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END), SUM(CASE WHEN due_at >= ? THEN 1 ELSE 0 END)
		FROM cases WHERE due_at < ? GROUP BY department ORDER BY department`,
		s.d.time(now), s.d.time(now), s.d.time(soon))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []DueCount{}
	for rows.Next() {
		var d DueCount
		if err := rows.Scan(&d.Department, &d.Overdue, &d.DueSoon); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// OpenCount is how many cases of one level and department are still open.
type OpenCount struct {
	Level      string `json:"level"`
	Department string `json:"department"`
	N          int    `json:"n"`
}

// OpenCounts counts the open cases (not closed, voided, not accepted or
// forwarded) by level and department; visible limits them to one
// department's (and handler's) cases as in Filter.
func (s *Store) OpenCounts(ctx context.Context, visible, visibleHandler string) ([]OpenCount, error) {
	q := `SELECT level, department, COUNT(*) FROM cases
		WHERE status NOT IN ('closed', 'voided', 'not_accepted', 'forwarded')`
	var args []any
	if visible != "" || visibleHandler != "" {
		q += ` AND (department = ? OR handler = ?)`
		args = append(args, visible, visibleHandler)
	}
	rows, err := s.query(ctx, q+` GROUP BY level, department ORDER BY level, department`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []OpenCount{}
	for rows.Next() {
		var c OpenCount
		if err := rows.Scan(&c.Level, &c.Department, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
