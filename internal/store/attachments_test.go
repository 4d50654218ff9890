package store_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
)

// TestFilesAreStoredOncePerContent: content is stored under its SHA-256
// (DATA/attachments/<first 2 hex>/<sha256>), once however often it is put,
// and nothing else is left behind.
func TestFilesAreStoredOncePerContent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		dir := t.TempDir()
		st.SetDataDir(dir)
		content := []byte("evidence: a photo's bytes")
		h := sha256.Sum256(content)
		want := hex.EncodeToString(h[:])
		for range 3 {
			sum, size, err := st.PutFile(bytes.NewReader(content), 100)
			if err != nil {
				t.Fatal(err)
			}
			if sum != want || size != int64(len(content)) {
				t.Fatalf("PutFile = %s, %d; want %s, %d", sum, size, want, len(content))
			}
		}
		var files []string
		filepath.WalkDir(filepath.Join(dir, "attachments"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, strings.TrimPrefix(p, dir+string(filepath.Separator)))
			}
			return err
		})
		if wantPath := filepath.Join("attachments", want[:2], want); len(files) != 1 || files[0] != wantPath {
			t.Fatalf("files %v, want only %s", files, wantPath)
		}
		f, err := st.OpenFile(want)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(f)
		f.Close()
		if !bytes.Equal(got, content) {
			t.Errorf("read back %q", got)
		}
		// Over the limit: refused, and no trace left.
		if _, _, err := st.PutFile(strings.NewReader(strings.Repeat("x", 101)), 100); !errors.Is(err, store.ErrTooLarge) {
			t.Fatalf("101 bytes with a limit of 100: %v", err)
		}
		if entries, _ := os.ReadDir(filepath.Join(dir, "attachments")); len(entries) != 1 {
			t.Errorf("after a refused file the directory holds %d entries, want 1", len(entries))
		}
		// Hashes are checked before they become paths.
		for _, bad := range []string{"../../ombud.db", strings.Repeat("z", 64), want[:10]} {
			if _, err := st.OpenFile(bad); err == nil {
				t.Errorf("OpenFile(%q) opened something", bad)
			}
		}
		// Without a data directory, files are unavailable, never written elsewhere.
		st.SetDataDir("")
		if st.FilesAvailable() {
			t.Error("files available without a data directory")
		}
		if _, _, err := st.PutFile(bytes.NewReader(content), 100); !errors.Is(err, store.ErrNoFiles) {
			t.Errorf("PutFile without a directory: %v", err)
		}
		if _, err := st.OpenFile(want); !errors.Is(err, store.ErrNoFiles) {
			t.Errorf("OpenFile without a directory: %v", err)
		}
	})
}

// TestSQLiteDataDir: an SQLite store keeps files beside its database.
func TestSQLiteDataDir(t *testing.T) {
	dir := t.TempDir()
	st, err := store.OpenDataDir(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sum, _, err := st.PutFile(strings.NewReader("x"), 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "attachments", sum[:2], sum)); err != nil {
		t.Fatal(err)
	}
}
