package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ombud/ombud/internal/auth"
)

// CreateUser adds a user with an argon2id password hash.
func (s *Store) CreateUser(ctx context.Context, u *auth.User, passwordHash string) error {
	return s.w.QueryRowContext(ctx, s.d.rebind(`INSERT INTO users (username, display_name, role, department,
		password_hash, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		u.Username, u.DisplayName, string(u.Role), u.Department, passwordHash, u.Active,
		s.d.time(time.Now())).Scan(&u.ID)
}

// CountUsers returns how many users exist.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// UserByName returns a user and their password hash.
func (s *Store) UserByName(ctx context.Context, username string) (*auth.User, string, error) {
	u := &auth.User{}
	var hash, role string
	err := s.queryRow(ctx, `SELECT id, username, display_name, role, department, active, password_hash
		FROM users WHERE username = ?`, username).
		Scan(&u.ID, &u.Username, &u.DisplayName, &role, &u.Department, &u.Active, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", ErrNotFound
	}
	u.Role = auth.Role(role)
	return u, hash, err
}

// Users lists every user.
func (s *Store) Users(ctx context.Context) ([]*auth.User, error) {
	return scanUsers(s.query(ctx, usersQuery))
}

// Users lists every account, read in the transaction. A transaction must
// read through itself: on PostgreSQL one pool of connections serves
// transactions and reads, and transactions that each wait for a second
// connection would hold every one of them.
func (t *Tx) Users(ctx context.Context) ([]*auth.User, error) {
	return scanUsers(t.tx.QueryContext(ctx, t.d.rebind(usersQuery)))
}

const usersQuery = `SELECT id, username, display_name, role, department, active FROM users ORDER BY id`

func scanUsers(rows *sql.Rows, err error) ([]*auth.User, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*auth.User
	for rows.Next() {
		u := &auth.User{}
		var role string
		if err := rows.Scan(&u.ID, &u.Username, &u.DisplayName, &role, &u.Department, &u.Active); err != nil {
			return nil, err
		}
		u.Role = auth.Role(role)
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateSession stores a login session by the hash of its token.
func (s *Store) CreateSession(ctx context.Context, tokenHash string, userID int64, csrf string, ttl time.Duration) error {
	now := time.Now()
	_, err := s.exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		tokenHash, userID, csrf, s.d.time(now), s.d.time(now.Add(ttl)))
	return err
}

// SessionUser returns the active user of an unexpired session and its CSRF token.
func (s *Store) SessionUser(ctx context.Context, tokenHash string) (*auth.User, string, error) {
	u := &auth.User{}
	var role, csrf string
	err := s.cachedQueryRow(ctx, `SELECT u.id, u.username, u.display_name, u.role, u.department, u.active, s.csrf
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.active`, tokenHash, s.d.time(time.Now())).
		Scan(&u.ID, &u.Username, &u.DisplayName, &role, &u.Department, &u.Active, &csrf)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", ErrNotFound
	}
	u.Role = auth.Role(role)
	return u, csrf, err
}

// DeleteSession logs a session out.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}
