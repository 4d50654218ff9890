package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// ErrNoFiles is returned when attachments cannot be stored or read because
// the store has no data directory for files (a PostgreSQL deployment
// started without one).
var ErrNoFiles = errors.New("attachments are unavailable: no data directory is configured for files")

// ErrTooLarge is returned by PutFile for content over its limit.
var ErrTooLarge = errors.New("file too large")

// Attachment is a file attached to a case. Its content is stored once per
// distinct content, under its SHA-256 (see PutFile).
type Attachment struct {
	ID          int64     `json:"id"`
	CaseID      int64     `json:"-"`
	SHA256      string    `json:"sha256"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
}

// SetDataDir sets the data directory attachments are stored under
// (DATA/attachments). An SQLite store has its database's directory; a
// PostgreSQL store has none until this is called (with a directory every
// instance shares). "" makes attachments unavailable. Call it before the
// store is used.
func (s *Store) SetDataDir(dir string) { s.dataDir = dir }

// FilesAvailable reports whether attachments can be stored and read.
func (s *Store) FilesAvailable() bool { return s.dataDir != "" }

func (s *Store) filesDir() (string, error) {
	if s.dataDir == "" {
		return "", ErrNoFiles
	}
	return filepath.Join(s.dataDir, "attachments"), nil
}

// filePath is where the content with SHA-256 sum lives.
func filePath(dir, sum string) string { return filepath.Join(dir, sum[:2], sum) }

// PutFile stores the content r yields, at most limit bytes (ErrTooLarge
// beyond), and returns its SHA-256 in hex and its size. Content already
// stored is not written again. The file is on disk (synced) when PutFile
// returns, before any row refers to it; a row that is then not committed
// leaves an unreferenced file, which is harmless.
func (s *Store) PutFile(r io.Reader, limit int64) (sum string, size int64, err error) {
	dir, err := s.filesDir()
	if err != nil {
		return "", 0, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", 0, err
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return "", 0, err
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, limit+1))
	if err != nil {
		return "", 0, err
	}
	if size > limit {
		return "", 0, ErrTooLarge
	}
	if err := tmp.Sync(); err != nil {
		return "", 0, err
	}
	if err := tmp.Close(); err != nil {
		return "", 0, err
	}
	sum = hex.EncodeToString(h.Sum(nil))
	final := filePath(dir, sum)
	if st, err := os.Stat(final); err == nil && st.Size() == size {
		return sum, size, nil // the same content is there already
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return "", 0, err
	}
	// Renaming is atomic: a reader sees the whole file or none, and two
	// uploads of the same content may race harmlessly.
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", 0, err
	}
	tmp = nil
	syncDir(filepath.Dir(final))
	return sum, size, nil
}

// syncDir makes a rename in dir durable, where the system supports it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// OpenFile opens the stored content with SHA-256 sum.
func (s *Store) OpenFile(sum string) (*os.File, error) {
	dir, err := s.filesDir()
	if err != nil {
		return nil, err
	}
	if len(sum) != sha256.Size*2 {
		return nil, fmt.Errorf("bad content hash %q", sum)
	}
	if _, err := hex.DecodeString(sum); err != nil {
		return nil, fmt.Errorf("bad content hash %q", sum)
	}
	return os.Open(filePath(dir, sum))
}

// InsertAttachment records attachment a of its case (its content stored
// with PutFile) and sets its id.
func (t *Tx) InsertAttachment(ctx context.Context, a *Attachment) error {
	return t.queryRow(ctx, `INSERT INTO attachments (case_id, sha256, name, content_type, size, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.CaseID, a.SHA256, a.Name, a.ContentType, a.Size, t.d.time(a.CreatedAt), a.CreatedBy).Scan(&a.ID)
}

const attachmentCols = `id, case_id, sha256, name, content_type, size, created_at, created_by`

func scanAttachment(row scanner) (Attachment, error) {
	var a Attachment
	var at dbTime
	err := row.Scan(&a.ID, &a.CaseID, &a.SHA256, &a.Name, &a.ContentType, &a.Size, &at, &a.CreatedBy)
	a.CreatedAt = at.T
	return a, err
}

// Attachments lists the attachments of case caseID in the order they were added.
func (s *Store) Attachments(ctx context.Context, caseID int64) ([]Attachment, error) {
	rows, err := s.query(ctx, `SELECT `+attachmentCols+` FROM attachments WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Attachment{}
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Attachment returns attachment id of case caseID.
func (s *Store) Attachment(ctx context.Context, caseID, id int64) (*Attachment, error) {
	a, err := scanAttachment(s.queryRow(ctx, `SELECT `+attachmentCols+` FROM attachments WHERE case_id = ? AND id = ?`, caseID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}
