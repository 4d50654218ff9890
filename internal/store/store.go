// Package store persists cases, their event log, users and sessions in
// SQLite (embedded, the default) or PostgreSQL (production), with one set of
// queries for both. The few differences between the two live in dialect.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/ombud/ombud/internal/search"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

//go:embed migrations
var migrations embed.FS

// ErrNotFound is returned when a row asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a case changed between reading and writing it.
var ErrConflict = errors.New("the case was changed by someone else at the same time")

// Store is the database. Writes go through w, reads through r; on SQLite w
// is a single connection (SQLite has one writer) and r a pool of read-only
// ones, on PostgreSQL both are the same pool.
type Store struct {
	w, r *sql.DB
	d    dialect
	// ws and rs cache prepared statements of w and r: SQLite spends more
	// time parsing a statement than running an insert.
	ws, rs *stmtCache
	// commits, on SQLite, feeds the group committer (see groupCommit).
	commits chan *commitReq
	// merging: the group committer merges the search index (ftsmerge.go).
	merging atomic.Bool
	stop    chan struct{}
	stopped chan struct{}
	closed  atomic.Bool
	// dataDir is the data directory attachments are stored under ("": none,
	// attachments are unavailable); see SetDataDir.
	dataDir string
}

// Open connects to dsn and applies migrations. dsn is a PostgreSQL URL
// (postgres://...) or a path to an SQLite database file.
func Open(ctx context.Context, dsn string) (*Store, error) {
	var s *Store
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s, err = openPostgres(dsn)
	} else {
		s, err = openSQLite(strings.TrimPrefix(dsn, "sqlite:"))
	}
	if err != nil {
		return nil, err
	}
	if s.d.name() == "sqlite" {
		// pgx caches prepared statements per connection by itself.
		s.ws, s.rs = newStmtCache(s.w), newStmtCache(s.r)
		// An SQLite database's directory is its data directory.
		if path := strings.TrimPrefix(dsn, "sqlite:"); path != ":memory:" {
			s.dataDir = filepath.Dir(path)
		}
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.startMerging(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenDataDir opens (creating if needed) the SQLite database in dir.
func OpenDataDir(ctx context.Context, dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return Open(ctx, filepath.Join(dir, "ombud.db"))
}

func openSQLite(path string) (*Store, error) {
	// WAL lets readers run beside the writer; synchronous=FULL makes a
	// commit durable before it is acknowledged; _txlock=immediate takes the
	// write lock at BEGIN so that transactions never deadlock upgrading it.
	base := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"
	w, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.Ping(); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	s := &Store{w: w, r: r, d: sqliteDialect{}, commits: make(chan *commitReq, 1024),
		stop: make(chan struct{}), stopped: make(chan struct{})}
	go s.groupCommit()
	return s, nil
}

func openPostgres(dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(20)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return &Store{w: db, r: db, d: postgresDialect{}}, nil
}

// stmtCache holds prepared statements by query text. Only fixed query
// texts go through it, and it stops growing at maxStmts as a safeguard.
//
// A transaction must not prepare on the pool (on SQLite the pool's one
// connection is the transaction's: it would wait for itself), so inside a
// transaction lookup only notes a missing statement, which runs unprepared
// that time and is prepared once the transaction has ended.
type stmtCache struct {
	db      *sql.DB
	mu      sync.Mutex
	m       map[string]*sql.Stmt
	pending map[string]bool
}

const maxStmts = 256

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// lookup returns the prepared statement for q, or nil after noting q to be
// prepared later (nil always without a cache).
func (c *stmtCache) lookup(q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.m[q]
	if st == nil && len(c.m)+len(c.pending) < maxStmts {
		c.pending[q] = true
	}
	return st
}

// preparePending prepares the statements lookup noted.
func (c *stmtCache) preparePending(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	var todo []string
	for q := range c.pending {
		todo = append(todo, q)
	}
	clear(c.pending)
	c.mu.Unlock()
	for _, q := range todo {
		c.get(ctx, q)
	}
}

func (c *stmtCache) get(ctx context.Context, q string) (*sql.Stmt, error) {
	c.mu.Lock()
	st, ok := c.m[q]
	c.mu.Unlock()
	if ok {
		return st, nil
	}
	// Prepare without holding the lock: preparing waits for a connection,
	// and transactions holding connections call lookup.
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[q]; ok {
		st.Close()
		return old, nil
	}
	if len(c.m) < maxStmts {
		c.m[q] = st
	}
	return st, nil
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = map[string]*sql.Stmt{}
}

func (s *Store) migrate(ctx context.Context) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// migrations is the goose provider of the store's dialect.
func (s *Store) migrations() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+s.d.name())
	if err != nil {
		return nil, err
	}
	var opts []goose.ProviderOption
	if s.d.name() == "postgres" {
		// Several instances may start at once: one migrates, the others wait.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(s.d.goose(), s.w, sub, opts...)
}

// Close closes the database. Closing again does nothing.
func (s *Store) Close() error {
	if !s.closed.CompareAndSwap(false, true) {
		return nil
	}
	if s.stop != nil {
		close(s.stop)
		<-s.stopped
	}
	s.ws.close()
	s.rs.close()
	err := s.w.Close()
	if s.r != s.w {
		if e := s.r.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Dialect names the database: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name() }

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.r.PingContext(ctx) }

// Tx is a write transaction.
type Tx struct {
	tx *sql.Tx
	d  dialect
	s  *Store
	// search holds the SQLite search documents to write before commit.
	search map[int64]pendingDoc
}

// InTx runs fn in a write transaction, committed if fn returns nil; it
// returns once the commit is durable.
//
// On SQLite, concurrent calls share one transaction (group commit) and one
// sync to disk. If any of them fails, the shared transaction is rolled
// back and each runs again in a transaction of its own, so fn may run twice
// and must start from what it reads in the transaction.
func (s *Store) InTx(ctx context.Context, fn func(*Tx) error) error {
	if s.commits != nil {
		req := &commitReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
		select {
		case s.commits <- req:
		case <-ctx.Done():
			return ctx.Err()
		}
		return <-req.done
	}
	return s.inTx(ctx, fn)
}

func (s *Store) inTx(ctx context.Context, fn func(*Tx) error) error {
	defer s.ws.preparePending(context.Background())
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	t := &Tx{tx: tx, d: s.d, s: s}
	if err := fn(t); err != nil {
		tx.Rollback()
		return err
	}
	if err := t.flushSearch(ctx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// commitReq is a transaction body waiting for the group committer.
type commitReq struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
}

// maxGroup bounds how many transaction bodies one commit carries.
const maxGroup = 256

// groupCommit runs queued transaction bodies, as many as are waiting (up to
// maxGroup), in one transaction, and commits once. It
// does not wait for a batch to fill: bodies queue up while the previous
// commit syncs, which is what makes the batches.
func (s *Store) groupCommit() {
	defer close(s.stopped)
	var m merger
	idle := time.NewTicker(ftsMergeIdle)
	defer idle.Stop()
	for {
		var batch []*commitReq
		select {
		case req := <-s.commits:
			batch = append(batch, req)
		case <-idle.C:
			s.mergeIdle(&m)
			continue
		case <-s.stop:
			return
		}
	drain:
		for len(batch) < maxGroup {
			select {
			case req := <-s.commits:
				batch = append(batch, req)
			default:
				break drain
			}
		}
		s.commitGroup(batch)
		s.mergeBetween(len(batch), &m)
	}
}

func (s *Store) commitGroup(batch []*commitReq) {
	if len(batch) > 1 {
		// Optimistically run every body in one transaction. Savepoints
		// would isolate a failing body, but each one makes FTS5 flush its
		// pending index to disk, which costs more than it saves.
		err := s.inTx(context.Background(), func(t *Tx) error {
			for _, req := range batch {
				if err := req.ctx.Err(); err != nil {
					return err
				}
				if err := req.fn(t); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			for _, req := range batch {
				req.done <- nil
			}
			return
		}
	}
	// A body failed (or there is only one): the shared transaction is
	// rolled back whole, and each body runs again on its own, getting its
	// own result. Bodies are closures that start from what they read in the
	// transaction, so running one again is safe.
	for _, req := range batch {
		req.done <- s.inTx(req.ctx, req.fn)
	}
}

func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q = t.d.rebind(q)
	if st := t.s.ws.lookup(q); st != nil {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, q, args...)
}

// queryRow runs a query of fixed text in the transaction, prepared once.
func (t *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = t.d.rebind(q)
	if st := t.s.ws.lookup(q); st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, q, args...)
}

// cachedQueryRow runs a read of fixed text, prepared once.
func (s *Store) cachedQueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if s.rs == nil {
		return s.queryRow(ctx, q, args...)
	}
	st, err := s.rs.get(ctx, s.d.rebind(q))
	if err != nil {
		return s.r.QueryRowContext(ctx, s.d.rebind(q), args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return s.r.QueryContext(ctx, s.d.rebind(q), args...)
}

func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return s.r.QueryRowContext(ctx, s.d.rebind(q), args...)
}

func (s *Store) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return s.w.ExecContext(ctx, s.d.rebind(q), args...)
}

// dialect is what differs between SQLite and PostgreSQL.
type dialect interface {
	name() string
	goose() goose.Dialect
	// rebind turns ? placeholders into the dialect's.
	rebind(q string) string
	// time turns a time into a query argument.
	time(t time.Time) any
	// index stores the search terms of case id.
	index(ctx context.Context, t *Tx, id int64, doc search.Doc, isNew bool) error
	// match returns how a search selects and ranks the cases matching q.
	match(q search.Query) matchSQL
	// skipLocked ends a SELECT whose rows an UPDATE then claims: on
	// PostgreSQL it locks them, skipping rows another claim holds; SQLite
	// has one writer and needs nothing.
	skipLocked() string
	// unorderedMatches reports that the index yields matches in no useful
	// order, so that a search asks for them by buckets of case ids, newest
	// first (see Store.search), rather than stop after the newest
	// SearchWindow.
	unorderedMatches() bool
	// inBuckets returns the condition, and its arguments, that a match of
	// a search lies in the buckets lo…hi of case ids (ids lo<<bits up to
	// (hi+1)<<bits − 1, bits being searchBucketBits), given match's id.
	inBuckets(id string, lo, hi int64) (string, []any)
	// rankWindow returns the query of the newest matches (up to a limit,
	// its last argument) as cid with their rank as rnk, given match's id
	// and rank and the FROM … WHERE of the search.
	rankWindow(id, rank, from string) string
	// searchSettings are statements that set up a read-only transaction
	// for a search's queries.
	searchSettings() []string
}

type sqliteDialect struct{}

func (sqliteDialect) name() string             { return "sqlite" }
func (sqliteDialect) goose() goose.Dialect     { return goose.DialectSQLite3 }
func (sqliteDialect) rebind(q string) string   { return q }
func (sqliteDialect) unorderedMatches() bool   { return false }
func (sqliteDialect) searchSettings() []string { return nil }

// timeLayout is how SQLite stores times: UTC, fixed width, so that they
// compare correctly as strings.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func (sqliteDialect) time(t time.Time) any { return t.UTC().Format(timeLayout) }
func (sqliteDialect) skipLocked() string   { return "" }

type postgresDialect struct{}

func (postgresDialect) name() string         { return "postgres" }
func (postgresDialect) goose() goose.Dialect { return goose.DialectPostgres }
func (postgresDialect) time(t time.Time) any { return t.UTC() }
func (postgresDialect) skipLocked() string   { return " FOR UPDATE SKIP LOCKED" }

// unorderedMatches: a GIN index yields a bitmap of all matches, visited in
// the table's physical order.
func (postgresDialect) unorderedMatches() bool { return true }

// searchSettings keep a search on bitmap plans. The planner costs
// "doc @@ query" as a cheap operator, but on any row it must check it reads
// the document from TOAST: for a common word it would scan the table, or
// walk the primary key newest first, checking every row — hundreds of
// milliseconds at a million cases — where the GIN bitmap (ANDed with the
// primary key's id range) reads no document at all.
func (postgresDialect) searchSettings() []string {
	return []string{"SET LOCAL enable_seqscan = off", "SET LOCAL enable_indexscan = off"}
}

func (postgresDialect) rebind(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// dbTime scans a time stored by either dialect.
type dbTime struct {
	T     time.Time
	Valid bool
}

func (d *dbTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		d.Valid = false
		return nil
	case time.Time:
		d.T, d.Valid = v.UTC(), true
		return nil
	case string:
		return d.parse(v)
	case []byte:
		return d.parse(string(v))
	}
	return fmt.Errorf("cannot scan %T as a time", v)
}

func (d *dbTime) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	d.T, d.Valid = t.UTC(), true
	return nil
}

// DB returns the database handle writes go through, for maintenance tools
// and tests that must reach under the store (e.g. to simulate tampering).
func (s *Store) DB() *sql.DB { return s.w }

func (d dbTime) ptr() *time.Time {
	if !d.Valid {
		return nil
	}
	return &d.T
}
