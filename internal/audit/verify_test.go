package audit_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/audit"
	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
	"github.com/ombud/ombud/internal/workflow"
)

func seed(t *testing.T, st *store.Store) (*workflow.Service, []*cases.Case) {
	t.Helper()
	pack, err := policy.Load("generic")
	if err != nil {
		t.Fatal(err)
	}
	svc := workflow.New(st, pack)
	clerk := cases.Actor{Username: "clerk", Role: auth.Registrar}
	var out []*cases.Case
	for i := 0; i < 3; i++ {
		c, err := svc.Register(context.Background(), clerk, cases.Registration{Channel: "phone",
			Complainant: cases.Complainant{Anonymous: true}, Subject: "态度差", Content: "窗口工作人员态度差"})
		if err != nil {
			t.Fatal(err)
		}
		c, err = svc.Act(context.Background(), clerk, c.Number, cases.Accept, cases.Params{})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return svc, out
}

func check(t *testing.T, st *store.Store, pack *policy.Pack) *audit.Report {
	t.Helper()
	rep, err := audit.Verify(context.Background(), st, func(string) *policy.Pack { return pack })
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// allowTampering removes the append-only guard, as someone with direct
// access to the database could.
func allowTampering(t *testing.T, st *store.Store) {
	t.Helper()
	var q []string
	if st.Dialect() == "sqlite" {
		q = []string{"DROP TRIGGER case_events_no_update", "DROP TRIGGER case_events_no_delete"}
	} else {
		q = []string{"ALTER TABLE case_events DISABLE TRIGGER case_events_no_update"}
	}
	for _, s := range q {
		if _, err := st.DB().Exec(s); err != nil {
			t.Fatal(err)
		}
	}
}

func TestEventsAreAppendOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		seed(t, st)
		if _, err := st.DB().Exec("UPDATE case_events SET actor = 'mallory'"); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("update of an event: %v, want refused as append-only", err)
		}
		if _, err := st.DB().Exec("DELETE FROM case_events"); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("delete of events: %v, want refused as append-only", err)
		}
	})
}

func TestVerifyDetectsTampering(t *testing.T) {
	tests := []struct {
		name   string
		sql    string // %s is the second case's id
		expect string // in the problem text
	}{
		{"edited payload", `UPDATE case_events SET payload = REPLACE(payload, '"accepted"', '"closed"') WHERE case_id = %s AND seq = 2`, "event 2"},
		{"edited actor", `UPDATE case_events SET actor = 'mallory' WHERE case_id = %s AND seq = 1`, "event 1"},
		{"deleted last event", `DELETE FROM case_events WHERE case_id = %s AND seq = 2`, "log ends at 1"},
		{"edited case row", `UPDATE cases SET data = REPLACE(data, '态度差', '已解决') WHERE id = %s`, "differs from the projection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
				svc, cs := seed(t, st)
				if rep := check(t, st, svc.Pack); len(rep.Problems) != 0 || rep.Cases != 3 || rep.Events != 6 {
					t.Fatalf("clean store: %+v", rep)
				}
				allowTampering(t, st)
				victim := cs[1]
				if _, err := st.DB().Exec(strings.ReplaceAll(tt.sql, "%s", itoa(victim.ID))); err != nil {
					t.Fatal(err)
				}
				rep := check(t, st, svc.Pack)
				if len(rep.Problems) != 1 {
					t.Fatalf("problems = %v, want exactly one", rep.Problems)
				}
				p := rep.Problems[0].String()
				if rep.Problems[0].Case != victim.Number || !strings.Contains(p, tt.expect) {
					t.Fatalf("problem %q should name case %s and say %q", p, victim.Number, tt.expect)
				}
			})
		})
	}
}

func TestVerifyDetectsMissingNumbers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc, cs := seed(t, st)
		allowTampering(t, st)
		id := itoa(cs[2].ID)
		searchRow := "DELETE FROM case_search WHERE rowid = " + id
		if st.Dialect() == "postgres" {
			searchRow = "DELETE FROM case_search WHERE case_id = " + id
		}
		for _, q := range []string{"DELETE FROM case_events WHERE case_id = " + id, searchRow, "DELETE FROM cases WHERE id = " + id} {
			if _, err := st.DB().Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		rep := check(t, st, svc.Pack)
		if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Message, "serial 3 has no case") {
			t.Fatalf("problems = %v, want the missing third number", rep.Problems)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
