package supervise_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
	"github.com/ombud/ombud/internal/supervise"
	"github.com/ombud/ombud/internal/workflow"
)

// clock is a fake time shared by every instance in a test.
type clock struct{ ns atomic.Int64 }

func (c *clock) now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *clock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *clock) add(d time.Duration) { c.ns.Add(int64(d)) }

var clerk = cases.Actor{Username: "clerk", Role: auth.Registrar, Department: "yhb"}

// instance is one Ombud process: its own store handle, service and
// scheduler on the shared database.
func instance(t *testing.T, st *store.Store, pack *policy.Pack, clk *clock, name string) (*workflow.Service, *supervise.Scheduler) {
	svc := workflow.New(st, pack)
	svc.Now = clk.now
	sch := supervise.New(st, map[string]*workflow.Service{pack.ID: svc}, name, slog.New(slog.NewTextHandler(io.Discard, nil)))
	sch.Now, sch.Batch = clk.now, 7 // small batches: a pass takes several rounds
	return svc, sch
}

func seed(t *testing.T, st *store.Store) {
	ctx := context.Background()
	for _, u := range []*auth.User{
		{Username: "clerk", Role: auth.Registrar, Department: "yhb", Active: true},
		{Username: "handler-caiwu", Role: auth.Handler, Department: "caiwu", Active: true},
		{Username: "head-caiwu", Role: auth.DeptHead, Department: "caiwu", Active: true},
	} {
		u.DisplayName = u.Username
		if err := st.CreateUser(ctx, u, "x"); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTwoSchedulersSendEachReminderOnce runs two scheduler instances, each
// with its own connection to one database, through a week of cases' time
// limits, passing at the same moments, and counts reminders, escalations
// and notifications: each exactly once. Then it repeats the overlap with
// the lease out of the way (each instance its own lease name) to show the
// event sequence guard alone keeps them single.
func TestTwoSchedulersSendEachReminderOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		ctx := context.Background()
		pack, err := policy.Load("hospital-taicang")
		if err != nil {
			t.Fatal(err)
		}
		seed(t, st)
		st2, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st2.Close()

		clk := &clock{}
		start := time.Date(2026, 11, 2, 9, 0, 0, 0, calendar.Shanghai) // a Monday
		clk.set(start)
		svcA, a := instance(t, st, pack, clk, "a")
		_, b := instance(t, st2, pack, clk, "b")

		const n = 30
		for i := 0; i < n; i++ {
			r := cases.Registration{Kind: "complaint", Channel: "phone", Subject: fmt.Sprintf("案件 %d", i),
				Content: "收费有误", Category: "charges", Complainant: cases.Complainant{Name: "张女士", Phone: "13812345678"},
				ReceivedAt: clk.now().Add(-time.Duration(i) * 10 * time.Minute)}
			c, err := svcA.Register(ctx, clerk, r)
			if err != nil {
				t.Fatal(err)
			}
			if i%3 == 0 { // a third are assigned: their reminders go to the department
				if _, err := svcA.Act(ctx, clerk, c.Number, cases.Accept, cases.Params{}); err != nil {
					t.Fatal(err)
				}
				if _, err := svcA.Act(ctx, clerk, c.Number, cases.Assign, cases.Params{Department: "caiwu"}); err != nil {
					t.Fatal(err)
				}
			}
		}

		pass := func(scheds ...*supervise.Scheduler) {
			var wg sync.WaitGroup
			for _, s := range scheds {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := s.Pass(ctx); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
		}
		// Half the cases: the lease lets one instance work at a time.
		for clk.now().Before(start.Add(36 * time.Hour)) {
			clk.add(30 * time.Minute)
			pass(a, b)
		}
		// Then without the lease: three schedulers, each under a lease of
		// its own, work at once on the same cases.
		for clk.now().Before(start.Add(7 * 24 * time.Hour)) {
			clk.add(30 * time.Minute)
			pass(ownLease(a, "x"), ownLease(b, "y"), ownLease(b, "z"))
		}
		if ok, err := st.AcquireLease(ctx, supervise.LeaseName, "a", clk.now(), time.Minute); err != nil || !ok {
			t.Fatalf("a could not renew its own lease: %v %v", ok, err)
		}
		if ok, err := st2.AcquireLease(ctx, supervise.LeaseName, "b", clk.now(), time.Minute); err != nil || ok {
			t.Fatalf("b took a's valid lease: %v %v", ok, err)
		}

		// Every case: one reminder (75%) and one escalation (its 2wd limit
		// passed), no more.
		var notes int
		err = st.EachCase(ctx, func(c *cases.Case, events []cases.Event) error {
			counts := map[string]int{}
			for _, e := range events {
				counts[e.Type]++
			}
			if counts[cases.EventRemind] != 1 || counts[cases.EventEscalate] != 1 {
				t.Errorf("case %s: %d reminders, %d escalations; want 1 and 1", c.Number, counts[cases.EventRemind], counts[cases.EventEscalate])
			}
			if c.AlarmAt() != nil || c.Inform != "late" {
				t.Errorf("case %s: alarm %v, inform %q", c.Number, c.AlarmAt(), c.Inform)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{"clerk", "handler-caiwu", "head-caiwu"} {
			list, _, err := st.Notifications(ctx, u, false, 200)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, nt := range list {
				key := nt.Number + "/" + nt.Kind + "/" + nt.Clock
				if seen[key] {
					t.Errorf("%s got %s twice", u, key)
				}
				seen[key] = true
			}
			notes += len(list)
		}
		// Unassigned cases (20) remind and escalate to the clerk; assigned
		// ones (10) remind the department's two people and escalate to them
		// and the clerk; each assignment also told the department (2); and
		// for every case the clerk must tell the complainant it is late.
		if want := 20*2 + 10*(2+3) + 10*2 + 30; notes != want {
			t.Fatalf("%d notifications, want %d", notes, want)
		}
	})
}

// ownLease returns a copy of s under a lease of its own, so that it does
// not wait for the other instances.
func ownLease(s *supervise.Scheduler, name string) *supervise.Scheduler {
	c := *s
	c.Lease = name
	return &c
}
