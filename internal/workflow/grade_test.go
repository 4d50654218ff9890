package workflow_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
	"github.com/ombud/ombud/internal/workflow"
)

// withRules is the hospital pack with a level-1 rule that the responsible
// leader must confirm and that notifies the leadership.
func withRules(t *testing.T, svc *workflow.Service) {
	t.Helper()
	p, err := policy.Load("testdata/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	svc.Pack, svc.Cal = p, p.CalendarOn(calendar.Default)
}

// TestSuggestionAndGrade: registration runs the rules — the case takes the
// suggested level (its deadlines follow) and the leader is told — and only
// the role the rule names confirms the grade; changing it re-times the
// clocks and is an event with the reason.
func TestSuggestionAndGrade(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc := newService(t, st)
		withRules(t, svc)
		ctx := context.Background()
		r := registration()
		r.Content = "收费处多收费用，我已经联系了电视台记者，准备曝光。"
		r.Category = "" // the rules may not set it; keywords are absent: none
		c, err := svc.Register(ctx, clerk, r)
		if err != nil {
			t.Fatal(err)
		}
		s := c.Suggestion
		if s == nil || s.Level != "1" || c.Level != "1" || s.ConfirmBy != "manager" || len(s.Reasons) == 0 || s.Reasons[0].Rule != "test-media" {
			t.Fatalf("suggestion %+v, level %s", s, c.Level)
		}
		if len(s.Reasons[0].Matched) == 0 || s.Reasons[0].Matched[0].Text != "电视台" {
			t.Fatalf("matched %+v", s.Reasons[0].Matched)
		}
		if got := inbox(t, st, "vp", c.Number); len(got) != 1 || got[0] != "flagged" {
			t.Fatalf("the leader's inbox %v", got)
		}
		if cases.MayConfirm(clerk, c, svc.Pack) {
			t.Fatal("the clerk may not confirm a grade the leader must confirm")
		}
		if _, err := svc.Act(ctx, clerk, c.Number, cases.Grade, cases.Params{Level: "2", Reason: "x"}); !errors.Is(err, workflow.ErrForbidden) {
			t.Fatalf("clerk grading: %v", err)
		}
		if _, err := svc.Act(ctx, vp, c.Number, cases.Grade, cases.Params{Level: "2"}); !isField(err, "reason", "required") {
			t.Fatalf("grade without reason: %v", err)
		}
		if c, err = svc.Act(ctx, vp, c.Number, cases.Grade, cases.Params{Level: "2", Reason: "经核实未见报道，院内影响"}); err != nil {
			t.Fatal(err)
		}
		if c.Level != "2" || c.GradedBy != "vp" || c.Reason == "" {
			t.Fatalf("graded: level %s by %q reason %q", c.Level, c.GradedBy, c.Reason)
		}
		// A calm complaint keeps the default level, which the clerk confirms.
		c2, err := svc.Register(ctx, clerk, registration())
		if err != nil {
			t.Fatal(err)
		}
		if c2.Level != "3" || c2.Suggestion.ConfirmBy != "registrar" || !cases.MayConfirm(clerk, c2, svc.Pack) {
			t.Fatalf("calm case: level %s, %+v", c2.Level, c2.Suggestion)
		}
		// A level the registrant chose stands over the rules' suggestion.
		r3 := registration()
		r3.Content, r3.Level = "要去微博曝光", "2"
		c3, err := svc.Register(ctx, clerk, r3)
		if err != nil || c3.Level != "2" || c3.Suggestion.Level != "1" {
			t.Fatalf("given level: %v, level %s, suggested %+v", err, c3.Level, c3.Suggestion)
		}
		// Evaluating does not register anything.
		sg, err := svc.Evaluate(ctx, clerk, r)
		if err != nil || sg.Level != "1" {
			t.Fatalf("evaluate: %+v %v", sg, err)
		}
		verify(t, st, svc.Pack)
	})
}
