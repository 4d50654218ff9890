package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
)

// TestFailedBodiesLeaveNoTrace runs many transactions at once, half of
// which fail after taking a serial. On SQLite they share commits (group
// commit): the failed ones must give their serials back and the others
// must all be committed.
func TestFailedBodiesLeaveNoTrace(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		ctx := context.Background()
		const n = 80
		boom := errors.New("fails after allocating")
		var mu sync.Mutex
		got := map[int64]bool{}
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				var serial int64
				err := st.InTx(ctx, func(tx *store.Tx) error {
					var err error
					if serial, err = tx.NextSerial(ctx, "test:series"); err != nil {
						return err
					}
					if i%2 == 1 {
						return boom
					}
					return nil
				})
				switch {
				case i%2 == 1 && !errors.Is(err, boom):
					t.Errorf("body %d: %v, want its own error", i, err)
				case i%2 == 0 && err != nil:
					t.Errorf("body %d: %v", i, err)
				case err == nil:
					mu.Lock()
					got[serial] = true
					mu.Unlock()
				}
			}(i)
		}
		wg.Wait()
		counters, err := st.Counters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counters["test:series"] != n/2 {
			t.Fatalf("counter = %d, want %d", counters["test:series"], n/2)
		}
		for i := int64(1); i <= n/2; i++ {
			if !got[i] {
				t.Fatalf("serial %d was not handed to a committed body: %v", i, got)
			}
		}
	})
}
