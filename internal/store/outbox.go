package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Message states in the outbox.
const (
	MessagePending = "pending" // waiting for its (next) attempt
	MessageSending = "sending" // claimed by a worker until its claim expires
	MessageSent    = "sent"
	MessageFailed  = "failed" // given up after the last attempt, or refused for good
)

// ErrLimit is returned when a counted allowance (the sends of an access
// code) is used up.
var ErrLimit = errors.New("limit reached")

// Message is an outbound message (email, SMS) in the outbox. Its body is
// emptied once it is sent or has failed: it may hold a secret.
type Message struct {
	ID        int64  `json:"id"`
	Channel   string `json:"channel"`
	Recipient string `json:"recipient"`
	Subject   string `json:"subject"`
	Body      string `json:"-"`
	// Params are the values the body was made from (number, code), for
	// SMS gateways that send only registered templates; emptied with the
	// body.
	Params map[string]string `json:"-"`
	// Kind says what the message is (access_code).
	Kind string `json:"kind"`
	// CaseID is the case it is about, 0 for none; Number its number (when
	// listed).
	CaseID        int64      `json:"-"`
	Number        string     `json:"number,omitempty"`
	State         string     `json:"state"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LastError     string     `json:"last_error"`
	CreatedAt     time.Time  `json:"created_at"`
	SentAt        *time.Time `json:"sent_at"`
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Enqueue adds m to the outbox, due at once, in the transaction that
// decided to send it: it is delivered exactly when that transaction
// commits. It sets m's id, state and times.
func (t *Tx) Enqueue(ctx context.Context, m *Message, now time.Time) error {
	m.State, m.Attempts, m.NextAttemptAt, m.CreatedAt = MessagePending, 0, now, now
	params := ""
	if len(m.Params) > 0 {
		b, err := json.Marshal(m.Params)
		if err != nil {
			return err
		}
		params = string(b)
	}
	return t.queryRow(ctx, `INSERT INTO outbox (channel, recipient, subject, body, params, kind, case_id, state, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.Channel, m.Recipient, m.Subject, m.Body, params, m.Kind, nullID(m.CaseID),
		MessagePending, t.d.time(now), t.d.time(now)).Scan(&m.ID)
}

// Enqueue adds m to the outbox in a transaction of its own.
func (s *Store) Enqueue(ctx context.Context, m *Message, now time.Time) error {
	return s.InTx(ctx, func(t *Tx) error { return t.Enqueue(ctx, m, now) })
}

// CountCodeSend counts one more send of case caseID's access code, unless
// max sends were counted already (ErrLimit).
func (t *Tx) CountCodeSend(ctx context.Context, caseID int64, max int) error {
	res, err := t.exec(ctx, `UPDATE public_access SET code_sends = code_sends + 1 WHERE case_id = ? AND code_sends < ?`, caseID, max)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrLimit
	}
	return nil
}

// ClaimMessages claims up to limit messages due at now of the given
// channels for holder until now+lease: pending ones whose next attempt has
// come, and ones whose previous claim expired (its worker died). Each
// claim counts as an attempt. Several workers may claim at once: a message
// goes to one of them (on PostgreSQL the rows are locked, skipping those
// another worker is claiming; SQLite has one writer). Messages whose claim
// expired on their last attempt (maxAttempts) are failed instead.
func (s *Store) ClaimMessages(ctx context.Context, holder string, channels []string, now time.Time, lease time.Duration, maxAttempts, limit int) ([]Message, error) {
	if len(channels) == 0 || limit <= 0 {
		return nil, nil
	}
	if _, err := s.exec(ctx, `UPDATE outbox SET state = ?, body = '', params = '', claimed_by = '', claimed_until = NULL,
		last_error = 'the worker sending it stopped before finishing'
		WHERE state = ? AND claimed_until < ? AND attempts >= ?`,
		MessageFailed, MessageSending, s.d.time(now), maxAttempts); err != nil {
		return nil, err
	}
	in, args := "?", []any{channels[0]}
	for _, c := range channels[1:] {
		in += ", ?"
		args = append(args, c)
	}
	// due is checked in the subquery and again on the row updated: on
	// PostgreSQL a concurrent claim of the same row makes the update wait
	// and then re-check only the outer condition.
	due := `((state = ? AND next_attempt_at <= ?) OR (state = ? AND claimed_until < ?)) AND channel IN (` + in + `)`
	dueArgs := append([]any{MessagePending, s.d.time(now), MessageSending, s.d.time(now)}, args...)
	q := `UPDATE outbox SET state = ?, claimed_by = ?, claimed_until = ?, attempts = attempts + 1
		WHERE id IN (SELECT id FROM outbox WHERE ` + due + ` ORDER BY next_attempt_at, id LIMIT ?` + s.d.skipLocked() + `)
		AND ` + due + `
		RETURNING id, channel, recipient, subject, body, params, kind, case_id, attempts, next_attempt_at, created_at`
	all := []any{MessageSending, holder, s.d.time(now.Add(lease))}
	all = append(all, dueArgs...)
	all = append(all, limit)
	all = append(all, dueArgs...)
	rows, err := s.w.QueryContext(ctx, s.d.rebind(q), all...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		m := Message{State: MessageSending}
		var caseID sql.NullInt64
		var next, created dbTime
		var params string
		if err := rows.Scan(&m.ID, &m.Channel, &m.Recipient, &m.Subject, &m.Body, &params, &m.Kind, &caseID, &m.Attempts,
			&next, &created); err != nil {
			return nil, err
		}
		if params != "" {
			if err := json.Unmarshal([]byte(params), &m.Params); err != nil {
				return nil, fmt.Errorf("outbox message %d: params: %w", m.ID, err)
			}
		}
		m.CaseID, m.NextAttemptAt, m.CreatedAt = caseID.Int64, next.T, created.T
		out = append(out, m)
	}
	return out, rows.Err()
}

// MarkSent records message id sent at now and empties its body. It reports
// whether the message was still being sent (false: it was finished
// already, by this or another worker).
func (s *Store) MarkSent(ctx context.Context, id int64, now time.Time) (bool, error) {
	res, err := s.exec(ctx, `UPDATE outbox SET state = ?, sent_at = ?, body = '', params = '', claimed_by = '', claimed_until = NULL, last_error = ''
		WHERE id = ? AND state = ?`, MessageSent, s.d.time(now), id, MessageSending)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RetryMessage puts message id, claimed by holder, back in the queue for
// another attempt at next, keeping the error.
func (s *Store) RetryMessage(ctx context.Context, id int64, holder string, next time.Time, errText string) error {
	_, err := s.exec(ctx, `UPDATE outbox SET state = ?, next_attempt_at = ?, last_error = ?, claimed_by = '', claimed_until = NULL
		WHERE id = ? AND state = ? AND claimed_by = ?`, MessagePending, s.d.time(next), errText, id, MessageSending, holder)
	return err
}

// FailMessage gives up message id, claimed by holder, keeping the error and
// emptying its body.
func (s *Store) FailMessage(ctx context.Context, id int64, holder string, errText string) error {
	_, err := s.exec(ctx, `UPDATE outbox SET state = ?, last_error = ?, body = '', params = '', claimed_by = '', claimed_until = NULL
		WHERE id = ? AND state = ? AND claimed_by = ?`, MessageFailed, errText, id, MessageSending, holder)
	return err
}

// ReleaseMessage hands back message id, claimed by holder but not tried
// (the worker is stopping): it is due again at once, and the claim does
// not count as an attempt.
func (s *Store) ReleaseMessage(ctx context.Context, id int64, holder string) error {
	_, err := s.exec(ctx, `UPDATE outbox SET state = ?, attempts = attempts - 1, claimed_by = '', claimed_until = NULL
		WHERE id = ? AND state = ? AND claimed_by = ?`, MessagePending, id, MessageSending, holder)
	return err
}

// Outbox lists the newest messages, without their bodies, with the numbers
// of their cases; state, if not "", keeps only messages in it.
func (s *Store) Outbox(ctx context.Context, state string, limit int) ([]Message, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := `SELECT o.id, o.channel, o.recipient, o.subject, o.kind, o.case_id, COALESCE(c.number, ''), o.state, o.attempts,
		o.next_attempt_at, o.last_error, o.created_at, o.sent_at FROM outbox o LEFT JOIN cases c ON c.id = o.case_id`
	var args []any
	if state != "" {
		q += ` WHERE o.state = ?`
		args = append(args, state)
	}
	rows, err := s.query(ctx, q+` ORDER BY o.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Message{}
	for rows.Next() {
		var m Message
		var caseID sql.NullInt64
		var next, created, sent dbTime
		if err := rows.Scan(&m.ID, &m.Channel, &m.Recipient, &m.Subject, &m.Kind, &caseID, &m.Number, &m.State, &m.Attempts,
			&next, &m.LastError, &created, &sent); err != nil {
			return nil, err
		}
		m.CaseID, m.NextAttemptAt, m.CreatedAt, m.SentAt = caseID.Int64, next.T, created.T, sent.ptr()
		out = append(out, m)
	}
	return out, rows.Err()
}

// Message returns message id with its body and params (empty once sent
// or failed).
func (s *Store) Message(ctx context.Context, id int64) (*Message, error) {
	var m Message
	var caseID sql.NullInt64
	var next, created, sent dbTime
	var params string
	err := s.queryRow(ctx, `SELECT id, channel, recipient, subject, body, params, kind, case_id, state, attempts, next_attempt_at,
		last_error, created_at, sent_at FROM outbox WHERE id = ?`, id).Scan(&m.ID, &m.Channel, &m.Recipient, &m.Subject,
		&m.Body, &params, &m.Kind, &caseID, &m.State, &m.Attempts, &next, &m.LastError, &created, &sent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	m.CaseID, m.NextAttemptAt, m.CreatedAt, m.SentAt = caseID.Int64, next.T, created.T, sent.ptr()
	if params != "" {
		if err := json.Unmarshal([]byte(params), &m.Params); err != nil {
			return nil, err
		}
	}
	return &m, nil
}

// OutboxCounts returns how many messages wait for delivery (pending or
// being sent) and how many failed.
func (s *Store) OutboxCounts(ctx context.Context) (waiting, failed int, err error) {
	err = s.queryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN state IN (?, ?) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN state = ? THEN 1 ELSE 0 END), 0)
		FROM outbox WHERE state IN (?, ?, ?)`, MessagePending, MessageSending, MessageFailed,
		MessagePending, MessageSending, MessageFailed).Scan(&waiting, &failed)
	return waiting, failed, err
}
