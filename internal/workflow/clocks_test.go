package workflow_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
	"github.com/ombud/ombud/internal/workflow"
)

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, calendar.Shanghai)
}

// inbox returns the kinds of user's notifications about case number, oldest first.
func inbox(t *testing.T, st *store.Store, user, number string) []string {
	t.Helper()
	list, _, err := st.Notifications(context.Background(), user, false, 200)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Number == number {
			out = append(out, list[i].Kind)
		}
	}
	return out
}

// TestExtensionFlow: a department asks for more time, the responsible
// leader approves within the hospital's bound of 5 days (第十一条), the
// complainant must then be told, and the clerk's contact records that.
func TestExtensionFlow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc := newService(t, st)
		ctx := context.Background()
		now := at(2026, 11, 2, 9, 0)
		svc.Now = func() time.Time { return now }
		c, err := svc.Register(ctx, clerk, registration())
		if err != nil {
			t.Fatal(err)
		}
		c = walk(t, svc, c.Number, step{clerk, cases.Accept, cases.Params{}},
			step{clerk, cases.Assign, cases.Params{Department: "caiwu"}}, step{handler, cases.Take, cases.Params{}})
		if got := inbox(t, st, "handler-caiwu", c.Number); len(got) != 1 || got[0] != "assigned" {
			t.Fatalf("handler inbox %v, want [assigned]", got)
		}
		if _, err := svc.Act(ctx, handler, c.Number, cases.RequestExtension, cases.Params{Days: 6, Reason: "需调取监控"}); !isField(err, "days", "beyond_bound") {
			t.Fatalf("6 days: %v, want beyond_bound", err)
		}
		if _, err := svc.Act(ctx, handler, c.Number, cases.RequestExtension, cases.Params{Days: 2}); !isField(err, "reason", "required") {
			t.Fatalf("no reason: %v", err)
		}
		if c, err = svc.Act(ctx, handler, c.Number, cases.RequestExtension, cases.Params{Days: 2, Reason: "需调取监控"}); err != nil {
			t.Fatal(err)
		}
		if c.Extension == nil || c.Extension.Days != 2 || c.Extension.By != "handler-caiwu" {
			t.Fatalf("pending extension %+v", c.Extension)
		}
		if got := inbox(t, st, "vp", c.Number); len(got) != 1 || got[0] != "extension_requested" {
			t.Fatalf("the leader's inbox %v", got)
		}
		// Only the approver the pack names (分管领导) approves; a second
		// request waits for the first.
		if _, err := svc.Act(ctx, head, c.Number, cases.ApproveExtension, cases.Params{}); !errors.Is(err, workflow.ErrForbidden) {
			t.Fatalf("department head approving: %v, want forbidden", err)
		}
		if _, err := svc.Act(ctx, handler, c.Number, cases.RequestExtension, cases.Params{Days: 1, Reason: "x"}); !errors.Is(err, cases.ErrInvalidTransition) {
			t.Fatalf("second request: %v, want invalid transition", err)
		}
		if c, err = svc.Act(ctx, vp, c.Number, cases.ApproveExtension, cases.Params{}); err != nil {
			t.Fatal(err)
		}
		// Due Wednesday 11-04 24:00; two more days end Friday 11-06 24:00.
		k := c.Clock("reply")
		if !k.Due.Equal(at(2026, 11, 7, 0, 0)) || k.ExtendedDays != 2 || c.Extension != nil || c.Inform != "extended" {
			t.Fatalf("after approval %+v, inform %q", k, c.Inform)
		}
		if got := inbox(t, st, "handler-caiwu", c.Number); len(got) != 2 || got[1] != "extension_approved" {
			t.Fatalf("handler inbox %v", got)
		}
		if c, err = svc.Act(ctx, clerk, c.Number, cases.Contact, cases.Params{Method: "phone", Note: "已告知患者延期至11月6日"}); err != nil {
			t.Fatal(err)
		}
		if c.Inform != "" {
			t.Fatalf("inform still %q after the contact", c.Inform)
		}
		// A rejected request moves nothing.
		if _, err = svc.Act(ctx, handler, c.Number, cases.RequestExtension, cases.Params{Days: 4, Reason: "x"}); !isField(err, "days", "beyond_bound") {
			t.Fatalf("2 + 4 days: %v", err)
		}
		if c, err = svc.Act(ctx, handler, c.Number, cases.RequestExtension, cases.Params{Until: "2026-11-09", Reason: "x"}); err != nil {
			t.Fatal(err)
		}
		if c, err = svc.Act(ctx, vp, c.Number, cases.RejectExtension, cases.Params{Reason: "请按期答复"}); err != nil {
			t.Fatal(err)
		}
		if k := c.Clock("reply"); !k.Due.Equal(at(2026, 11, 7, 0, 0)) || c.Extension != nil {
			t.Fatalf("after rejection %+v", k)
		}
		verify(t, st, svc.Pack)
	})
}

// step is one action a test takes on a case.
type step struct {
	a   cases.Actor
	act cases.Action
	p   cases.Params
}

// walk takes the steps on the case with number and returns it after them.
func walk(t *testing.T, svc *workflow.Service, number string, steps ...step) *cases.Case {
	t.Helper()
	var c *cases.Case
	for _, s := range steps {
		var err error
		if c, err = svc.Act(context.Background(), s.a, number, s.act, s.p); err != nil {
			t.Fatalf("%s: %v", s.act, err)
		}
	}
	return c
}

func isField(err error, field, key string) bool {
	var fe cases.FieldErrors
	return errors.As(err, &fe) && fe[field] == key
}

// TestPauseAndResume: waiting for the complainant's material stops the
// clock and takes the case off the overdue list; resuming gives back the
// time that was left.
func TestPauseAndResume(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc := newService(t, st)
		ctx := context.Background()
		now := at(2026, 11, 2, 9, 0)
		svc.Now = func() time.Time { return now }
		c, err := svc.Register(ctx, clerk, registration())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, clerk, c.Number, cases.Pause, cases.Params{}); !isField(err, "reason", "required") {
			t.Fatalf("pause without a reason: %v", err)
		}
		if _, err := svc.Act(ctx, clerk, c.Number, cases.Resume, cases.Params{}); !errors.Is(err, cases.ErrInvalidTransition) {
			t.Fatalf("resume a running clock: %v", err)
		}
		now = at(2026, 11, 4, 0, 0) // one working day left
		if c, err = svc.Act(ctx, clerk, c.Number, cases.Pause, cases.Params{Reason: "等待患者提供缴费凭证"}); err != nil {
			t.Fatal(err)
		}
		now = at(2026, 11, 20, 9, 0)
		overdue := func() int {
			list, _, err := svc.List(ctx, clerk, store.Filter{Overdue: true})
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		if n := overdue(); n != 0 {
			t.Fatalf("a paused case is listed overdue (%d)", n)
		}
		if c, err = svc.Act(ctx, clerk, c.Number, cases.Resume, cases.Params{}); err != nil {
			t.Fatal(err)
		}
		if k := c.Clock("reply"); k.State != cases.ClockRunning || !k.Due.Equal(at(2026, 11, 23, 9, 0)) {
			t.Fatalf("resumed %+v, want due Monday 11-23 09:00", k)
		}
		now = at(2026, 11, 23, 10, 0)
		if n := overdue(); n != 1 {
			t.Fatalf("overdue after the resumed limit: %d", n)
		}
		ds := workflow.Deadlines(c, now)
		if len(ds) != 1 || ds[0].State != "breached" {
			t.Fatalf("deadlines %+v", ds)
		}
		verify(t, st, svc.Pack)
	})
}

// TestSuperviseNotifies: the supervisor reminds whoever holds the case and
// escalates a missed limit to the department head and the central office.
func TestSuperviseNotifies(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc := newService(t, st)
		ctx := context.Background()
		now := at(2026, 11, 2, 9, 0)
		svc.Now = func() time.Time { return now }
		c, err := svc.Register(ctx, clerk, registration())
		if err != nil {
			t.Fatal(err)
		}
		walk(t, svc, c.Number, step{clerk, cases.Accept, cases.Params{}},
			step{clerk, cases.Assign, cases.Params{Department: "caiwu", Handler: "handler-caiwu"}})
		now = at(2026, 11, 3, 9, 0)
		if did, err := svc.Supervise(ctx, c.Number); err != nil || did {
			t.Fatalf("nothing due yet: %v %v", did, err)
		}
		now = at(2026, 11, 4, 9, 0)
		if did, err := svc.Supervise(ctx, c.Number); err != nil || !did {
			t.Fatalf("reminder: %v %v", did, err)
		}
		now = at(2026, 11, 5, 0, 1)
		if did, err := svc.Supervise(ctx, c.Number); err != nil || !did {
			t.Fatalf("escalation: %v %v", did, err)
		}
		if did, _ := svc.Supervise(ctx, c.Number); did {
			t.Fatal("escalated twice")
		}
		want := map[string][]string{
			"handler-caiwu": {"assigned", "remind", "escalate"},
			"head-caiwu":    {"escalate"},
			"clerk":         {"escalate", "inform_complainant"},
			"vp":            nil,
		}
		for user, kinds := range want {
			if got := inbox(t, st, user, c.Number); len(got) != len(kinds) || len(kinds) > 0 && got[len(got)-1] != kinds[len(kinds)-1] {
				t.Errorf("%s: %v, want %v", user, got, kinds)
			}
		}
		c, _ = st.GetCase(ctx, c.Number)
		if c.Inform != "late" {
			t.Fatalf("inform %q: the complainant must be told the case is late", c.Inform)
		}
		b, err := svc.Board(ctx, clerk, 24*time.Hour, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Overdue) != 1 || len(b.Counts) != 1 || b.Counts[0].Department != "caiwu" || b.Counts[0].Overdue != 1 {
			t.Fatalf("board %+v", b)
		}
		if b, _ := svc.Board(ctx, cases.Actor{Username: "h", Role: "handler", Department: "huli"}, 24*time.Hour, 10); len(b.Overdue) != 0 || len(b.Counts) != 0 {
			t.Fatalf("another department sees %+v", b)
		}
		verify(t, st, svc.Pack)
	})
}
