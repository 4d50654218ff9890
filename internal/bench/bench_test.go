package bench

import (
	"context"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/server"
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
