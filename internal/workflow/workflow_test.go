package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/audit"
	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
	"github.com/ombud/ombud/internal/workflow"
)

var (
	clerk   = cases.Actor{Username: "clerk", Role: auth.Registrar, Department: "yhb"}
	handler = cases.Actor{Username: "handler-caiwu", Role: auth.Handler, Department: "caiwu"}
	head    = cases.Actor{Username: "head-caiwu", Role: auth.DeptHead, Department: "caiwu"}
	vp      = cases.Actor{Username: "vp", Role: auth.Manager}
)

func newService(t *testing.T, st *store.Store) *workflow.Service {
	t.Helper()
	pack, err := policy.Load("hospital-taicang")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, a := range []cases.Actor{clerk, handler, head, vp} {
		u := &auth.User{Username: a.Username, DisplayName: a.Username, Role: a.Role, Department: a.Department, Active: true}
		if err := st.CreateUser(ctx, u, "x"); err != nil {
			t.Fatal(err)
		}
	}
	return workflow.New(st, pack)
}

func registration() cases.Registration {
	return cases.Registration{
		Kind: "complaint", Channel: "phone",
		Complainant: cases.Complainant{Name: "张女士", Phone: "13812345678"},
		Respondent:  cases.Respondent{Department: "门诊部", Site: "门诊二楼收费处"},
		Subject:     "门诊收费处多收检查费",
		Content:     "11月20日上午在门诊二楼收费处缴费，CT检查被收了两次费用。",
		Demands:     []string{"refund", "apology"},
		Evidence:    []cases.Evidence{{Type: "receipt", Count: 2}},
		Category:    "charges",
	}
}

func verify(t *testing.T, st *store.Store, pack *policy.Pack) {
	t.Helper()
	rep, err := audit.Verify(context.Background(), st, func(string) *policy.Pack { return pack })
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) > 0 {
		t.Fatalf("verify found problems: %v", rep.Problems)
	}
}

func TestWalkToClosed(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc := newService(t, st)
		ctx := context.Background()
		c, err := svc.Register(ctx, clerk, registration())
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != cases.Registered || c.Level != "3" || c.Receiver != "clerk" || c.Clock("reply") == nil {
			t.Fatalf("registered case = %+v", c)
		}
		steps := []struct {
			who  cases.Actor
			act  cases.Action
			p    cases.Params
			want cases.Status
		}{
			{clerk, cases.Accept, cases.Params{Level: "2"}, cases.Accepted},
			{clerk, cases.Assign, cases.Params{Handler: "handler-caiwu"}, cases.Assigned},
			{handler, cases.Take, cases.Params{}, cases.InProgress},
			{handler, cases.Propose, cases.Params{Reply: "经核实系收费员操作失误，已退还多收费用。"}, cases.Reviewing},
			{head, cases.SendBack, cases.Params{Reason: "请补充整改措施"}, cases.InProgress},
			{handler, cases.Propose, cases.Params{Reply: "已退费并对收费员进行培训。"}, cases.Reviewing},
			{head, cases.Approve, cases.Params{}, cases.Approved},
			{clerk, cases.Reply, cases.Params{Method: "phone"}, cases.Replied},
			{clerk, cases.Visit, cases.Params{Satisfaction: cases.Dissatisfied, Note: "希望书面道歉"}, cases.InProgress},
			{handler, cases.Propose, cases.Params{Reply: "已书面致歉。"}, cases.Reviewing},
			{head, cases.Approve, cases.Params{}, cases.Approved},
			{clerk, cases.Reply, cases.Params{Method: "letter"}, cases.Replied},
			{clerk, cases.Visit, cases.Params{Satisfaction: cases.Satisfied}, cases.Closed},
		}
		for i, s := range steps {
			c, err = svc.Act(ctx, s.who, c.Number, s.act, s.p)
			if err != nil {
				t.Fatalf("step %d %s: %v", i, s.act, err)
			}
			if c.Status != s.want {
				t.Fatalf("step %d %s: status %s, want %s", i, s.act, c.Status, s.want)
			}
		}
		if c.Department != "caiwu" || c.Reply != "已书面致歉。" || c.ClosedAt == nil || c.Satisfaction != cases.Satisfied {
			t.Fatalf("closed case = %+v", c)
		}
		got, events, err := svc.Get(ctx, clerk, c.Number)
		if err != nil || len(events) != len(steps)+1 || got.Status != cases.Closed {
			t.Fatalf("Get: %d events, %v", len(events), err)
		}
		verify(t, st, svc.Pack)
	})
}

func TestRefusals(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc := newService(t, st)
		ctx := context.Background()
		c, err := svc.Register(ctx, clerk, registration())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, clerk, c.Number, cases.Take, cases.Params{}); !errors.Is(err, cases.ErrInvalidTransition) {
			t.Errorf("take on a registered case: %v, want invalid transition", err)
		}
		if _, err := svc.Act(ctx, handler, c.Number, cases.Accept, cases.Params{}); !errors.Is(err, workflow.ErrForbidden) {
			t.Errorf("handler accepting: %v, want forbidden", err)
		}
		var fe cases.FieldErrors
		if _, err := svc.Act(ctx, clerk, c.Number, cases.Reject, cases.Params{}); !errors.As(err, &fe) || fe["reason"] == "" {
			t.Errorf("reject without reason: %v, want a field error on reason", err)
		}
		if _, err := svc.Act(ctx, clerk, "TS209901-0001", cases.Accept, cases.Params{}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown case: %v", err)
		}
		svc.Act(ctx, clerk, c.Number, cases.Accept, cases.Params{})
		if _, err := svc.Act(ctx, clerk, c.Number, cases.Assign, cases.Params{Handler: "vp"}); !errors.As(err, &fe) || fe["handler"] == "" {
			t.Errorf("assigning to someone outside the department: %v", err)
		}
		if _, err := svc.Register(ctx, clerk, cases.Registration{Channel: "fax", Complainant: cases.Complainant{Phone: "abc"}}); !errors.As(err, &fe) {
			t.Fatalf("invalid registration: %v", err)
		}
		for _, f := range []string{"channel", "subject", "content", "complainant.phone"} {
			if fe[f] == "" {
				t.Errorf("invalid registration: no error on %s (%v)", f, fe)
			}
		}
		// A voided case keeps its number and stays readable.
		v, err := svc.Act(ctx, clerk, c.Number, cases.Void, cases.Params{Reason: "重复登记"})
		if err != nil || v.Status != cases.Voided {
			t.Fatalf("void: %v", err)
		}
		got, _, err := svc.Get(ctx, vp, c.Number)
		if err != nil || got.Status != cases.Voided || got.Reason != "重复登记" {
			t.Fatalf("voided case read back: %+v, %v", got, err)
		}
		verify(t, st, svc.Pack)
	})
}

// TestConcurrentNumbering registers 60 cases at once: the numbers must be
// contiguous from 0001 with no duplicates. Every other case is flagged to
// managers, so that its transaction reads the accounts: 60 transactions
// are more than PostgreSQL's pool has connections, and a transaction that
// waited for a second one would hold them all (every registration then
// times out).
func TestConcurrentNumbering(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc := newService(t, st)
		fixed := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
		svc.Now = func() time.Time { return fixed }
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		const n = 60
		var wg sync.WaitGroup
		numbers := make([]string, n)
		errs := make([]error, n)
		flagged := make([]bool, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				r := registration()
				r.Subject = fmt.Sprintf("并发登记 %d", i)
				if i%2 == 0 {
					r.Content += "患者家属称已联系电视台记者，要向媒体曝光。"
				}
				c, err := svc.Register(ctx, clerk, r)
				errs[i] = err
				if err == nil {
					numbers[i] = c.Number
					flagged[i] = c.Suggestion != nil && len(c.Suggestion.Notify) > 0
				}
			}(i)
		}
		wg.Wait()
		if !flagged[0] {
			t.Errorf("a case threatening media exposure was not flagged to anyone")
		}
		for i, err := range errs {
			if err != nil {
				t.Fatalf("registration %d: %v", i, err)
			}
		}
		sort.Strings(numbers)
		for i, got := range numbers {
			if want := fmt.Sprintf("TS202611-%04d", i+1); got != want {
				t.Fatalf("number %d = %s, want %s (all: %v)", i, got, want, numbers)
			}
		}
		verify(t, st, svc.Pack)
	})
}

// TestFailedRegistrationSkipsNoNumber: a registration whose transaction
// fails after taking a serial gives the serial back.
func TestFailedRegistrationSkipsNoNumber(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc := newService(t, st)
		ctx := context.Background()
		series := svc.Pack.Series("complaint", time.Now())
		boom := errors.New("crash after allocating")
		err := st.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.NextSerial(ctx, series); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		c, err := svc.Register(ctx, clerk, registration())
		if err != nil {
			t.Fatal(err)
		}
		if want := svc.Pack.FormatNumber("complaint", time.Now(), 1); c.Number != want {
			t.Fatalf("number after a rolled-back registration = %s, want %s", c.Number, want)
		}
	})
}

func TestDepartmentSeesOnlyItsCases(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc := newService(t, st)
		ctx := context.Background()
		a, _ := svc.Register(ctx, clerk, registration())
		svc.Act(ctx, clerk, a.Number, cases.Accept, cases.Params{})
		svc.Act(ctx, clerk, a.Number, cases.Assign, cases.Params{})
		r := registration()
		r.Category = "nursing"
		b, _ := svc.Register(ctx, clerk, r)
		list, total, err := svc.List(ctx, handler, store.Filter{})
		if err != nil || total != 1 || list[0].Number != a.Number {
			t.Fatalf("handler's list: %d cases, %v", total, err)
		}
		if _, _, err := svc.Get(ctx, handler, b.Number); !errors.Is(err, workflow.ErrForbidden) {
			t.Fatalf("handler reading another department's case: %v", err)
		}
		_, total, _ = svc.List(ctx, clerk, store.Filter{})
		if total != 2 {
			t.Fatalf("clerk sees %d cases, want 2", total)
		}
		_, total, _ = svc.List(ctx, clerk, store.Filter{Q: "收费处"})
		if total != 2 {
			t.Fatalf("search 收费处: %d, want 2", total)
		}
		_, total, _ = svc.List(ctx, clerk, store.Filter{Status: []cases.Status{cases.Assigned}})
		if total != 1 {
			t.Fatalf("status filter: %d, want 1", total)
		}
	})
}

func TestOverdue(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc := newService(t, st)
		ctx := context.Background()
		r := registration()
		r.ReceivedAt = time.Now().AddDate(0, 0, -10)
		old, err := svc.Register(ctx, clerk, r)
		if err != nil {
			t.Fatal(err)
		}
		svc.Register(ctx, clerk, registration())
		list, total, err := svc.List(ctx, clerk, store.Filter{Overdue: true})
		if err != nil || total != 1 || list[0].Number != old.Number {
			t.Fatalf("overdue: %d, %v", total, err)
		}
		d := workflow.Deadlines(list[0], time.Now())
		if len(d) != 1 || d[0].State != "breached" {
			t.Fatalf("deadlines of an overdue case: %+v", d)
		}
		// Once replied to, late or not, a case is no longer overdue for a reply.
		svc.Act(ctx, clerk, old.Number, cases.Accept, cases.Params{})
		if _, err := svc.Act(ctx, clerk, old.Number, cases.Reply, cases.Params{Reply: "已答复", Method: "phone"}); err != nil {
			t.Fatal(err)
		}
		if _, total, _ := svc.List(ctx, clerk, store.Filter{Overdue: true}); total != 0 {
			t.Fatalf("a replied case is still listed overdue")
		}
	})
}

// TestDueAssumedWhenTheCalendarLacksTheYear: a limit that runs into a year
// without official holidays is marked as assumed, not silently guessed.
func TestDueAssumedWhenTheCalendarLacksTheYear(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc := newService(t, st)
		ctx := context.Background()
		r := registration()
		r.ReceivedAt = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
		c, err := svc.Register(ctx, clerk, r)
		if err != nil || c.Clock("reply") == nil || c.Clock("reply").Assumed {
			t.Fatalf("a limit inside 2026: %+v, %v", c, err)
		}
		if svc.Cal.Covers(2099) {
			t.Skip("the calendar covers 2099")
		}
		svc.Now = func() time.Time { return time.Date(2099, 12, 30, 9, 0, 0, 0, time.UTC) }
		r.ReceivedAt = time.Time{}
		c, err = svc.Register(ctx, clerk, r)
		if err != nil || c.Clock("reply") == nil || !c.Clock("reply").Assumed {
			t.Fatalf("a limit in 2099: %+v, %v", c, err)
		}
		verify(t, st, svc.Pack)
	})
}
