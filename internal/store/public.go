package store

import (
	"context"
	"time"

	"github.com/ombud/ombud/internal/cases"
)

// InsertPublicAccess stores the hash of the access code of case caseID, in
// the transaction that registers it.
func (t *Tx) InsertPublicAccess(ctx context.Context, caseID int64, codeHash string, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO public_access (case_id, code_hash, created_at) VALUES (?, ?, ?)`,
		caseID, codeHash, t.d.time(at))
	return err
}

// PublicCase returns the case with number and the hash of its access code,
// "" when it has none (a case not registered by the public).
func (s *Store) PublicCase(ctx context.Context, number string) (*cases.Case, string, error) {
	var hash string
	c, err := scanCase(withMore{s.cachedQueryRow(ctx, `SELECT c.id, c.seq, c.head, c.data, COALESCE(p.code_hash, '')
		FROM cases c LEFT JOIN public_access p ON p.case_id = c.id WHERE c.number = ?`, number), []any{&hash}})
	if err != nil {
		return nil, "", err
	}
	return c, hash, nil
}

// withMore scans a row into what scanCase asks for, then into more.
type withMore struct {
	row  scanner
	more []any
}

func (w withMore) Scan(dest ...any) error { return w.row.Scan(append(dest, w.more...)...) }
