package notify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/notify"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
)

var (
	t0      = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	discard = slog.New(slog.NewTextHandler(io.Discard, nil))
)

// fakeSender records what it sends and fails as told.
type fakeSender struct {
	mu   sync.Mutex
	sent map[int64]int
	// fail returns the error of the nth call (0 based), nil to succeed.
	fail  func(n int) error
	calls int
	// during, if set, runs inside each send.
	during func()
}

func (f *fakeSender) Send(_ context.Context, m store.Message) error {
	f.mu.Lock()
	n := f.calls
	f.calls++
	f.mu.Unlock()
	if f.during != nil {
		f.during()
	}
	if f.fail != nil {
		if err := f.fail(n); err != nil {
			return err
		}
	}
	if m.Body == "" {
		return errors.New("empty body")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sent == nil {
		f.sent = map[int64]int{}
	}
	f.sent[m.ID]++
	return nil
}

func (f *fakeSender) Name() string { return "fake" }

// clock is a settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) add(d time.Duration) { c.set(c.now().Add(d)) }

func worker(st *store.Store, s notify.Sender, holder string, c *clock) *notify.Worker {
	w := notify.NewWorker(st, map[string]notify.Sender{notify.SMS: s}, holder, discard)
	w.Now = c.now
	return w
}

func enqueue(t *testing.T, st *store.Store, n int) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		m := &store.Message{Channel: notify.SMS, Recipient: fmt.Sprintf("1390000%04d", i), Subject: "编号和查询码",
			Body: "【医院】受理编号：X，查询码：ABCD-EFGH-JKMN", Kind: "access_code"}
		if err := st.Enqueue(context.Background(), m, t0); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	return ids
}

func message(t *testing.T, st *store.Store, id int64) *store.Message {
	t.Helper()
	m, err := st.Message(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTwoWorkersDeliverEachMessageOnce: two instances on one database,
// delivering at once, send every message exactly once, and no body stays.
func TestTwoWorkersDeliverEachMessageOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		ctx := context.Background()
		other, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		ids := enqueue(t, st, 40)
		c := &clock{t: t0}
		var sender fakeSender
		var wg sync.WaitGroup
		for i, s := range []*store.Store{st, other} {
			w := worker(s, &sender, fmt.Sprint("instance-", i), c)
			w.Batch = 3
			wg.Go(func() {
				for {
					n, err := w.Pass(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if n == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		for _, id := range ids {
			if sender.sent[id] != 1 {
				t.Errorf("message %d sent %d times", id, sender.sent[id])
			}
			if m := message(t, st, id); m.State != store.MessageSent || m.Body != "" || m.Attempts != 1 {
				t.Errorf("message %d after delivery: %+v", id, m)
			}
		}
	})
}

// TestRetriesWithBackoffThenFails: a message that cannot be sent is tried
// again after 30 s, then 60 s, and fails after the last attempt, keeping
// the error and losing its body.
func TestRetriesWithBackoffThenFails(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		ctx := context.Background()
		id := enqueue(t, st, 1)[0]
		c := &clock{t: t0}
		sender := &fakeSender{fail: func(int) error { return errors.New("gateway unreachable") }}
		w := worker(st, sender, "w", c)
		w.MaxAttempts = 3
		steps := []struct {
			after   time.Duration // since the previous step
			claimed int
			state   string
		}{
			{0, 1, store.MessagePending},
			{29 * time.Second, 0, store.MessagePending}, // waits 30 s
			{time.Second, 1, store.MessagePending},
			{59 * time.Second, 0, store.MessagePending}, // then 60 s
			{time.Second, 1, store.MessageFailed},       // the third and last attempt
			{time.Hour, 0, store.MessageFailed},
		}
		for i, s := range steps {
			c.add(s.after)
			n, err := w.Pass(ctx)
			if err != nil {
				t.Fatal(err)
			}
			m := message(t, st, id)
			if n != s.claimed || m.State != s.state {
				t.Fatalf("step %d: claimed %d, state %s; want %d, %s", i, n, m.State, s.claimed, s.state)
			}
		}
		m := message(t, st, id)
		if m.Attempts != 3 || m.LastError != "gateway unreachable" || m.Body != "" || m.SentAt != nil {
			t.Fatalf("failed message: %+v", m)
		}
		if sender.calls != 3 {
			t.Fatalf("%d sends, want 3", sender.calls)
		}
	})
}

// TestRetryThenSent: a passing error is tried again and the second attempt
// succeeds; a permanent error fails the message at once.
func TestRetryThenSent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		ctx := context.Background()
		ids := enqueue(t, st, 2)
		c := &clock{t: t0}
		sender := &fakeSender{fail: func(n int) error {
			switch n {
			case 0:
				return errors.New("timeout")
			case 1:
				return notify.Permanent(errors.New("550 no such user"))
			}
			return nil
		}}
		w := worker(st, sender, "w", c)
		if _, err := w.Pass(ctx); err != nil {
			t.Fatal(err)
		}
		if m := message(t, st, ids[1]); m.State != store.MessageFailed || m.Attempts != 1 || m.LastError != "550 no such user" {
			t.Fatalf("after a permanent error: %+v", m)
		}
		c.add(notify.Backoff(1))
		if _, err := w.Pass(ctx); err != nil {
			t.Fatal(err)
		}
		if m := message(t, st, ids[0]); m.State != store.MessageSent || m.Attempts != 2 || m.Body != "" || m.LastError != "" {
			t.Fatalf("after the second attempt: %+v", m)
		}
	})
}

// TestStoppingHandsBackUntriedMessages: a worker told to stop while
// sending finishes that send and hands back the rest of its claim untried,
// due at once for any worker; so does one whose claim is too short to send
// in safely.
func TestStoppingHandsBackUntriedMessages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		ids := enqueue(t, st, 3)
		c := &clock{t: t0}
		ctx, cancel := context.WithCancel(context.Background())
		sender := &fakeSender{during: cancel}
		w := worker(st, sender, "w", c)
		if n, err := w.Pass(ctx); err != nil || n != 3 {
			t.Fatalf("pass: %d, %v", n, err)
		}
		if m := message(t, st, ids[0]); m.State != store.MessageSent {
			t.Fatalf("the message in flight: %+v", m)
		}
		for _, id := range ids[1:] {
			if m := message(t, st, id); m.State != store.MessagePending || m.Attempts != 0 || m.Body == "" {
				t.Fatalf("a message not tried: %+v", m)
			}
		}
		short := worker(st, &fakeSender{}, "short", c)
		short.Lease = short.SendTimeout / 2
		if n, err := short.Pass(context.Background()); err != nil || n != 2 {
			t.Fatalf("pass with a short claim: %d, %v", n, err)
		}
		for _, id := range ids[1:] {
			if m := message(t, st, id); m.State != store.MessagePending || m.Attempts != 0 {
				t.Fatalf("sent without time left on the claim: %+v", m)
			}
		}
		other := worker(st, &fakeSender{}, "other", c)
		if n, err := other.Pass(context.Background()); err != nil || n != 2 {
			t.Fatalf("another worker's pass: %d, %v", n, err)
		}
	})
}

func TestBackoff(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want time.Duration
	}{{1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute}, {7, 32 * time.Minute}, {8, time.Hour}, {30, time.Hour}} {
		if got := notify.Backoff(tt.n); got != tt.want {
			t.Errorf("Backoff(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

func TestMaskRecipient(t *testing.T) {
	for _, tt := range []struct{ channel, in, want string }{
		{notify.SMS, "13812345678", "138****5678"},
		{notify.Email, "chen@example.org", "c***@example.org"},
		{notify.Email, "陈女士@例子.中国", "陈***@例子.中国"},
	} {
		if got := notify.MaskRecipient(tt.channel, tt.in); got != tt.want {
			t.Errorf("MaskRecipient(%s, %s) = %s, want %s", tt.channel, tt.in, got, tt.want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"chen@example.org", true},
		{"a.b+c@mail.example.com.cn", true},
		{"chen@localhost", false},
		{"Chen <chen@example.org>", false},
		{"chen", false},
		{"chen@example.org\r\nBcc: x@example.org", false},
		{"", false},
	} {
		if got := notify.ValidEmail(tt.in); got != tt.want {
			t.Errorf("ValidEmail(%q) = %v", tt.in, got)
		}
	}
}
