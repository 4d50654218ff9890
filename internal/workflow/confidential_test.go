package workflow_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/seal"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
	"github.com/ombud/ombud/internal/workflow"
)

// report is a named report (实名举报) of a finance clerk by a colleague.
func report() cases.Registration {
	return cases.Registration{
		Kind: "report", Channel: "phone",
		Complainant: cases.Complainant{Name: "李举报", Phone: "13999887766", OtherContact: "微信 lijubao"},
		Respondent:  cases.Respondent{Department: "财务科", Staff: "财务科 王二 会计"},
		Subject:     "财务人员收受回扣",
		Content:     "财务科会计王二在采购结算中收受供应商回扣，有转账记录。",
		Category:    "charges",
	}
}

func TestConfidentialReport(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc := newService(t, st)
		ctx := context.Background()
		// 王二 is a finance handler; 赵六 another.
		for _, u := range []*auth.User{
			{Username: "wanger", DisplayName: "王二", Role: auth.Handler, Department: "caiwu", Active: true},
			{Username: "zhaoliu", DisplayName: "赵六", Role: auth.Handler, Department: "caiwu", Active: true},
			{Username: "admin", DisplayName: "admin", Role: auth.Admin, Active: true},
		} {
			if err := st.CreateUser(ctx, u, "x"); err != nil {
				t.Fatal(err)
			}
		}
		wanger := cases.Actor{Username: "wanger", Role: auth.Handler, Department: "caiwu"}
		zhaoliu := cases.Actor{Username: "zhaoliu", Role: auth.Handler, Department: "caiwu"}

		// Without a key an identity cannot be sealed: refused, nothing stored.
		if _, err := svc.Register(ctx, clerk, report()); !errors.Is(err, workflow.ErrNoIdentityKey) {
			t.Fatalf("a named report without a key: %v, want ErrNoIdentityKey", err)
		}
		anon := report()
		anon.Complainant = cases.Complainant{Anonymous: true}
		a, err := svc.Register(ctx, clerk, anon)
		if err != nil || !a.Confidential || a.Complainant.Sealed != "" {
			t.Fatalf("an anonymous report without a key: %+v, %v", a, err)
		}

		key, _, err := seal.Generate()
		if err != nil {
			t.Fatal(err)
		}
		svc.SetIdentityKey(key)
		c, err := svc.Register(ctx, clerk, report())
		if err != nil {
			t.Fatal(err)
		}
		if !c.Confidential || c.Complainant.Name != "" || c.Complainant.Phone != "" || c.Complainant.OtherContact != "" ||
			seal.KeyOf(c.Complainant.Sealed) != key.ID() {
			t.Fatalf("registered report's complainant = %+v", c.Complainant)
		}
		// The identity is nowhere in the clear: not in the row, not in an
		// event, not found by search or by phone.
		stored, err := st.GetCase(ctx, c.Number)
		if err != nil || stored.Complainant.Sealed != c.Complainant.Sealed || stored.Complainant.Name != "" {
			t.Fatalf("stored case %+v, %v", stored.Complainant, err)
		}
		events, err := st.Events(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			for _, secret := range []string{"李举报", "13999887766", "lijubao"} {
				if strings.Contains(string(e.Payload), secret) {
					t.Errorf("event %s holds %q in the clear", e.Type, secret)
				}
			}
		}
		for _, q := range []string{"李举报", "13999887766", "lijubao"} {
			if got, _, err := svc.List(ctx, clerk, store.Filter{Q: q}); err != nil || len(got) != 0 {
				t.Errorf("search %q found %d cases (%v)", q, len(got), err)
			}
		}
		if n, err := st.CountByPhone(ctx, "13999887766"); err != nil || n != 0 {
			t.Errorf("CountByPhone = %d, %v", n, err)
		}

		// Only a manager or an administrator opens the identity, and each
		// read is logged.
		if _, err := svc.RevealContact(ctx, clerk, c.Number, "回访"); !errors.Is(err, workflow.ErrForbidden) {
			t.Errorf("the clerk opened the identity: %v", err)
		}
		who, err := svc.RevealContact(ctx, vp, c.Number, "核实举报人身份")
		if err != nil || who.Name != "李举报" || who.Phone != "13999887766" || who.OtherContact != "微信 lijubao" || who.Sealed != "" {
			t.Fatalf("manager's reveal = %+v, %v", who, err)
		}
		other, _, _ := seal.Generate()
		wrong := newServiceOn(t, st)
		wrong.SetIdentityKey(other)
		if _, err := wrong.RevealContact(ctx, vp, c.Number, "x"); !errors.Is(err, seal.ErrWrongKey) {
			t.Errorf("reveal with another key: %v, want ErrWrongKey", err)
		}

		// Accepted and assigned to the department: its head sees it, its
		// handlers do not, and the person reported may not be its handler.
		if _, err := svc.Act(ctx, clerk, c.Number, cases.Accept, cases.Params{}); err != nil {
			t.Fatal(err)
		}
		var fe cases.FieldErrors
		if _, err := svc.Act(ctx, clerk, c.Number, cases.Assign, cases.Params{Department: "caiwu", Handler: "wanger"}); !errors.As(err, &fe) || fe["handler"] != "reported_person" {
			t.Fatalf("assigning the report to the person reported: %v", err)
		}
		if _, err := svc.Act(ctx, clerk, c.Number, cases.Assign, cases.Params{Department: "caiwu", Handler: "zhaoliu"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			who  cases.Actor
			sees bool
		}{{zhaoliu, true}, {head, true}, {wanger, false}, {handler, false}, {vp, true}, {clerk, true}} {
			_, _, err := svc.Get(ctx, tc.who, c.Number)
			if (err == nil) != tc.sees {
				t.Errorf("%s reading the report: %v, want seen=%v", tc.who.Username, err, tc.sees)
			}
			list, _, err := svc.List(ctx, tc.who, store.Filter{Q: "回扣"})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, l := range list {
				found = found || l.Number == c.Number
			}
			if found != tc.sees {
				t.Errorf("%s's list has the report: %v, want %v", tc.who.Username, found, tc.sees)
			}
		}
		if _, err := svc.Act(ctx, wanger, c.Number, cases.Take, cases.Params{}); err == nil {
			t.Error("another handler of the department took the report")
		}
		for _, u := range []string{"wanger", "handler-caiwu"} {
			if ns, _, err := st.Notifications(ctx, u, false, 50); err != nil || len(ns) != 0 {
				t.Errorf("%s was notified of the report: %v, %v", u, ns, err)
			}
		}
		if ns, _, err := st.Notifications(ctx, "zhaoliu", false, 50); err != nil || len(ns) == 0 {
			t.Errorf("the report's handler was not notified: %v", err)
		}

		log, err := st.AccessLog(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var whats []string
		for _, l := range log {
			whats = append(whats, l.Actor+":"+l.What)
		}
		joined := strings.Join(whats, " ")
		for _, want := range []string{"vp:reporter_identity", "zhaoliu:confidential_case", "head-caiwu:confidential_case"} {
			if !strings.Contains(joined, want) {
				t.Errorf("access log %v lacks %s", whats, want)
			}
		}
		if strings.Contains(joined, "clerk:reporter_identity") {
			t.Errorf("a refused reveal was logged as a read: %v", whats)
		}
		verify(t, st, svc.Pack)
	})
}

// newServiceOn is a second service on st (whose users exist already).
func newServiceOn(t *testing.T, st *store.Store) *workflow.Service {
	t.Helper()
	pack, err := policy.Load("hospital-taicang")
	if err != nil {
		t.Fatal(err)
	}
	return workflow.New(st, pack)
}
