// Package storetest opens fresh stores for tests: an SQLite database in a
// temporary directory always, and a fresh PostgreSQL database as well when
// OMBUD_TEST_PG names a server (postgres://user@host:port/db). .ci/run
// starts a throwaway PostgreSQL cluster and sets it, so that every store
// test runs on both databases.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/ombud/ombud/internal/store"
)

// Backend is a database to run a test on.
type Backend struct {
	Name string
	// Open returns a new, empty, migrated store (closed when the test ends)
	// and its DSN, so that a test can open the same database again.
	Open func(t testing.TB) (*store.Store, string)
}

// Backends lists SQLite and, when OMBUD_TEST_PG is set, PostgreSQL.
func Backends() []Backend {
	out := []Backend{{Name: "sqlite", Open: openSQLite}}
	if dsn := os.Getenv("OMBUD_TEST_PG"); dsn != "" {
		out = append(out, Backend{Name: "postgres", Open: func(t testing.TB) (*store.Store, string) { return openPostgres(t, dsn) }})
	}
	return out
}

// Run runs fn as a subtest on every backend.
func Run(t *testing.T, fn func(t *testing.T, st *store.Store, dsn string)) {
	for _, b := range Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st, dsn := b.Open(t)
			fn(t, st, dsn)
		})
	}
}

func openSQLite(t testing.TB) (*store.Store, string) {
	dsn := t.TempDir() + "/ombud.db"
	return open(t, dsn), dsn
}

var dbSeq atomic.Int64

func openPostgres(t testing.TB, admin string) (*store.Store, string) {
	name := fmt.Sprintf("ombud_test_%d_%d", time.Now().UnixNano()%1e9, dbSeq.Add(1))
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	dsn := u.String()
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return open(t, dsn), dsn
}

func open(t testing.TB, dsn string) *store.Store {
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", strings.SplitN(dsn, "?", 2)[0], err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
