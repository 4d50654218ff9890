package store

import (
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var (
	tableRE  = regexp.MustCompile(`(?s)CREATE TABLE (\w+) \((.*?)\n\);`)
	columnRE = regexp.MustCompile(`(?m)^\s+(\w+)\s+[A-Z]`)
	indexRE  = regexp.MustCompile(`CREATE INDEX (\w+) ON (\w+ \([^)]*\))`)
)

// schema summarizes the tables, columns and indexes a migration creates.
func schema(t *testing.T, dialect string) map[string]string {
	t.Helper()
	files, err := fs.Glob(migrations, "migrations/"+dialect+"/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no %s migrations: %v", dialect, err)
	}
	out := map[string]string{}
	for _, f := range files {
		data, _ := migrations.ReadFile(f)
		up := strings.SplitN(string(data), "-- +goose Down", 2)[0]
		name := f[strings.LastIndex(f, "/")+1:]
		out["file "+name] = "present"
		for _, m := range tableRE.FindAllStringSubmatch(up, -1) {
			var cols []string
			for _, c := range columnRE.FindAllStringSubmatch(m[2], -1) {
				if c[1] != "PRIMARY" {
					cols = append(cols, c[1])
				}
			}
			sort.Strings(cols)
			out["table "+m[1]] = strings.Join(cols, ",")
		}
		for _, m := range indexRE.FindAllStringSubmatch(up, -1) {
			out["index "+m[1]] = m[2]
		}
	}
	return out
}

// dialectSpecific are the objects that differ on purpose: the search index is
// an FTS5 virtual table on SQLite and a GIN-indexed tsvector on PostgreSQL.
var dialectSpecific = map[string]bool{"table case_search": true, "index case_search_doc": true}

// TestMigrationsAgree: the SQLite and PostgreSQL migrations create the same
// tables with the same columns and indexes, file by file.
func TestMigrationsAgree(t *testing.T) {
	lite, pg := schema(t, "sqlite"), schema(t, "postgres")
	for k := range dialectSpecific {
		delete(lite, k)
		delete(pg, k)
	}
	if len(lite) < 5 {
		t.Fatalf("parsed too little of the schema: %v", lite)
	}
	for k, v := range lite {
		if pg[k] != v {
			t.Errorf("%s: sqlite %q, postgres %q", k, v, pg[k])
		}
	}
	for k := range pg {
		if _, ok := lite[k]; !ok {
			t.Errorf("%s only in postgres", k)
		}
	}
}

func TestRebind(t *testing.T) {
	got := postgresDialect{}.rebind("SELECT a FROM t WHERE b = ? AND c IN (?, ?)")
	if want := "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"; got != want {
		t.Fatalf("rebind = %q, want %q", got, want)
	}
}

// TestBucketMigrationBits: migration 00010 gives old documents the bucket
// terms the store writes (SearchBucketBits).
func TestBucketMigrationBits(t *testing.T) {
	data, err := migrations.ReadFile("migrations/postgres/00010_search_buckets.sql")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("(case_id >> %d)", SearchBucketBits); !strings.Contains(string(data), want) {
		t.Errorf("migration 00010 does not compute buckets as %s", want)
	}
}
