package bench

import (
	"context"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/server"
	"github.com/ombud/ombud/internal/store"
)

// TestRegisterLoad runs a short, bounded load against a loopback server:
// every request must be acknowledged and counted. (It checks the harness;
// the figures themselves are reported by `ombud bench`, not asserted.)
func TestRegisterLoad(t *testing.T) {
	s, err := Start(context.Background(), server.Config{DataDir: t.TempDir(), Pack: "generic"}, 8)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	r := Register(s, 8, 0, 5*time.Second, 200)
	if r.OK != 200 || r.Errors != 0 || r.Latency.N != 200 || r.Latency.P50 <= 0 || r.Latency.P99 < r.Latency.P50 {
		t.Fatalf("closed loop: %s", r)
	}
	r = Register(s, 0, 100, 5*time.Second, 50)
	if r.OK != 50 || r.Errors != 0 {
		t.Fatalf("open loop: %s", r)
	}
	if peak, now := RSS(); peak <= 0 || now <= 0 {
		t.Fatalf("RSS not read: %d %d", peak, now)
	}
}

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	l := Summarize(ds)
	if l.N != 100 || l.P50 != 51*time.Millisecond || l.P99 != 100*time.Millisecond || l.Max != 100*time.Millisecond {
		t.Fatalf("%+v", l)
	}
}

// TestQueries runs each store measurement once on a small store: the
// harness must find what it looks for (the figures come from
// `ombud bench`).
func TestQueries(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Start(ctx, server.Config{DataDir: dir, Pack: "generic"}, 4)
	if err != nil {
		t.Fatal(err)
	}
	if r := Register(s, 4, 0, 5*time.Second, 40); r.OK != 40 {
		t.Fatalf("register: %s", r)
	}
	s.Stop()
	st, err := store.OpenDataDir(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res, err := Search(ctx, st, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(SearchQueries)+1 || res[len(res)-1].Latency.N == 0 {
		t.Fatalf("search results: %+v", res)
	}
	hits := map[string]int{}
	for _, r := range res {
		hits[r.Class] = r.Hits
	}
	// The registrations' subjects contain 护士, 收费, 排队 ... and phones 138…
	if hits["2 chars"] == 0 || hits["phone prefix"] == 0 {
		t.Fatalf("searches found nothing: %v", hits)
	}
	if _, n, err := Sweep(ctx, st, 1); err != nil || n != 0 {
		t.Fatalf("sweep: %d overdue, %v", n, err)
	}
	if _, _, err := Paging(ctx, st, 2, 1); err != nil {
		t.Fatal(err)
	}
}
