package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

// TestSearchIndexStaysMerged: with FTS5's own merging off, the group
// committer's merge steps keep the index to a few segments while cases
// keep coming, and searches find every case.
func TestSearchIndexStaysMerged(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenDataDir(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pack, _ := policy.Load("generic")
	svc := workflow.New(st, pack)
	clerk := cases.Actor{Username: "clerk", Role: auth.Registrar}
	const workers, each = 16, 500
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				_, err := svc.Register(ctx, clerk, cases.Registration{Channel: "phone", Complainant: cases.Complainant{Anonymous: true},
					Subject: fmt.Sprintf("第%d组第%d件 退款", w, i),
					Content: fmt.Sprintf("门诊收费处多收费用，编号 w%di%d，要求退款并道歉。", w, i)})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// However the load left time between commits, the committer merges
	// on its own once it stops (a bounded wait, not a timing assertion).
	var segments int
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if segments, err = st.SearchSegments(ctx); err != nil {
			t.Fatal(err)
		}
		if segments <= 10 || time.Now().After(deadline) {
			break
		}
	}
	t.Logf("%d cases, %d search index segments", workers*each, segments)
	if segments > 10 {
		t.Errorf("the search index has %d segments after %d registrations and 30 s: merging does not keep up", segments, workers*each)
	}
	// Every case is found by its own number in the text.
	for w := range workers {
		for i := 100; i < each; i += 37 { // three digits: no other number starts with them
			q := fmt.Sprintf("w%di%d", w, i)
			if _, total, err := st.ListCases(ctx, store.Filter{Q: q, Limit: 1}); err != nil || total != 1 {
				t.Errorf("search %s: %d, %v", q, total, err)
			}
		}
	}
	if err := st.CheckSearchIndex(ctx); err != nil {
		t.Errorf("integrity: %v", err)
	}
}
