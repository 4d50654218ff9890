package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func enqueue(t *testing.T, st *store.Store, n int, at time.Time) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		m := &store.Message{Channel: "sms", Recipient: fmt.Sprintf("1380000%04d", i), Subject: "s", Kind: "access_code",
			Body: fmt.Sprintf("code %d", i), Params: map[string]string{"code": fmt.Sprint(i)}}
		if err := st.Enqueue(context.Background(), m, at); err != nil {
			t.Fatal(err)
		}
		if m.ID == 0 || m.State != store.MessagePending {
			t.Fatalf("enqueued %+v", m)
		}
		ids = append(ids, m.ID)
	}
	return ids
}

// TestClaimIsExclusive: two instances (two stores on one database) claim
// at once, over and over; every message is claimed by exactly one of them.
func TestClaimIsExclusive(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		ctx := context.Background()
		other, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		const n = 200
		ids := enqueue(t, st, n, t0)
		var mu sync.Mutex
		claimedBy := map[int64][]string{}
		var wg sync.WaitGroup
		for i, s := range []*store.Store{st, other, st, other, st, other, st, other} {
			holder := fmt.Sprintf("worker-%d", i)
			wg.Go(func() {
				for {
					msgs, err := s.ClaimMessages(ctx, holder, []string{"sms"}, t0, time.Minute, 5, 5)
					if err != nil {
						t.Error(err)
						return
					}
					if len(msgs) == 0 {
						return
					}
					mu.Lock()
					for _, m := range msgs {
						claimedBy[m.ID] = append(claimedBy[m.ID], holder)
					}
					mu.Unlock()
					for _, m := range msgs {
						if m.Attempts != 1 || m.Body == "" || m.Params["code"] == "" {
							t.Errorf("claimed %+v", m)
						}
						if ok, err := s.MarkSent(ctx, m.ID, t0); err != nil || !ok {
							t.Errorf("mark %d sent: %v %v", m.ID, ok, err)
						}
					}
				}
			})
		}
		wg.Wait()
		for _, id := range ids {
			if len(claimedBy[id]) != 1 {
				t.Errorf("message %d claimed by %v", id, claimedBy[id])
			}
		}
		if waiting, failed, err := st.OutboxCounts(ctx); err != nil || waiting != 0 || failed != 0 {
			t.Errorf("counts after sending everything: %d waiting, %d failed, %v", waiting, failed, err)
		}
	})
}

// TestOutboxLifecycle: a claim holds a message until it expires; a retry
// waits for its time; sent and failed messages lose their body and params.
func TestOutboxLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		ctx := context.Background()
		ids := enqueue(t, st, 2, t0)
		claim := func(holder string, at time.Time, channels ...string) []store.Message {
			t.Helper()
			if channels == nil {
				channels = []string{"sms"}
			}
			msgs, err := st.ClaimMessages(ctx, holder, channels, at, time.Minute, 3, 10)
			if err != nil {
				t.Fatal(err)
			}
			return msgs
		}
		get := func(id int64) *store.Message {
			t.Helper()
			m, err := st.Message(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		if msgs := claim("a", t0, "email"); len(msgs) != 0 {
			t.Fatalf("claimed %d sms messages asking for email", len(msgs))
		}
		if msgs := claim("a", t0.Add(-time.Second)); len(msgs) != 0 {
			t.Fatalf("claimed %d messages before they were due", len(msgs))
		}
		if msgs := claim("a", t0); len(msgs) != 2 {
			t.Fatalf("claimed %d of 2", len(msgs))
		}
		// Held by a until the claim expires.
		if msgs := claim("b", t0.Add(59*time.Second)); len(msgs) != 0 {
			t.Fatalf("b took %d messages a holds", len(msgs))
		}
		// A retry by someone else than the holder does nothing.
		if err := st.RetryMessage(ctx, ids[0], "b", t0, "x"); err != nil {
			t.Fatal(err)
		}
		if m := get(ids[0]); m.State != store.MessageSending {
			t.Fatalf("state after another's retry: %s", m.State)
		}
		// a tried the first and failed: it waits for its next attempt.
		if err := st.RetryMessage(ctx, ids[0], "a", t0.Add(30*time.Second), "connection refused"); err != nil {
			t.Fatal(err)
		}
		// a hands the second back untried: due again, the attempt not counted.
		if err := st.ReleaseMessage(ctx, ids[1], "a"); err != nil {
			t.Fatal(err)
		}
		m := get(ids[0])
		if m.State != store.MessagePending || m.Attempts != 1 || m.LastError != "connection refused" ||
			!m.NextAttemptAt.Equal(t0.Add(30*time.Second)) || m.Body == "" {
			t.Fatalf("after a retry: %+v", m)
		}
		if m := get(ids[1]); m.State != store.MessagePending || m.Attempts != 0 {
			t.Fatalf("after release: %+v", m)
		}
		msgs := claim("b", t0.Add(10*time.Second))
		if len(msgs) != 1 || msgs[0].ID != ids[1] {
			t.Fatalf("before the retry time, claimed %+v", msgs)
		}
		if ok, err := st.MarkSent(ctx, ids[1], t0.Add(11*time.Second)); err != nil || !ok {
			t.Fatal(ok, err)
		}
		if ok, _ := st.MarkSent(ctx, ids[1], t0.Add(12*time.Second)); ok {
			t.Error("a message was marked sent twice")
		}
		sent := get(ids[1])
		if sent.State != store.MessageSent || sent.Body != "" || sent.Params != nil || sent.SentAt == nil ||
			!sent.SentAt.Equal(t0.Add(11*time.Second)) || sent.Recipient == "" || sent.Subject == "" {
			t.Fatalf("sent: %+v", sent)
		}
		// The retry comes due; its worker dies holding it, twice: the claim
		// expires and another takes it, until its last attempt expires too
		// and it fails.
		at := t0.Add(30 * time.Second)
		for attempt := 2; attempt <= 3; attempt++ {
			msgs := claim(fmt.Sprint("w", attempt), at)
			if len(msgs) != 1 || msgs[0].Attempts != attempt {
				t.Fatalf("attempt %d: claimed %+v", attempt, msgs)
			}
			at = at.Add(time.Minute + time.Second)
		}
		if msgs := claim("w4", at); len(msgs) != 0 {
			t.Fatalf("claimed after the last attempt: %+v", msgs)
		}
		failed := get(ids[0])
		if failed.State != store.MessageFailed || failed.Body != "" || failed.Params != nil || failed.Attempts != 3 || failed.LastError == "" {
			t.Fatalf("after its last attempt expired: %+v", failed)
		}
		waiting, nfailed, err := st.OutboxCounts(ctx)
		if err != nil || waiting != 0 || nfailed != 1 {
			t.Fatalf("counts: %d waiting, %d failed, %v", waiting, nfailed, err)
		}
		list, err := st.Outbox(ctx, "", 10)
		if err != nil || len(list) != 2 || list[0].ID != ids[1] || list[0].Body != "" {
			t.Fatalf("outbox list: %+v %v", list, err)
		}
		if list, _ := st.Outbox(ctx, store.MessageFailed, 10); len(list) != 1 || list[0].ID != ids[0] {
			t.Fatalf("failed list: %+v", list)
		}
	})
}
