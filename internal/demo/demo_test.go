package demo

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/gen/gentest"
	"github.com/ombud/ombud/internal/server"
	"github.com/ombud/ombud/internal/store"
)

func TestSeed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := server.Config{DataDir: dir, Pack: Pack, AdminPassword: Password}
	var out bytes.Buffer
	start := time.Now()
	if err := Seed(ctx, cfg, 60, &out); err != nil {
		t.Fatalf("Seed: %v\n%s", err, out.String())
	}
	t.Logf("seeded 60 cases in %v", time.Since(start))
	for _, want := range []string{"clerk", "handler-yiwu", "head-yiwu", "vp", "auditor", Password, "已生成 60 个示例案件"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	st, pack, err := server.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	count := func(f store.Filter) int { return gentest.Count(t, st, f) }
	if n := count(store.Filter{}); n != 60+len(portalSamples) {
		t.Errorf("%d cases, want 60 and %d from the portal", n, len(portalSamples))
	}
	// The portal's samples: tracked with the printed codes, one a sealed report.
	if !strings.Contains(out.String(), "查询码") {
		t.Errorf("output lacks the portal samples' access codes:\n%s", out.String())
	}
	sealed := 0
	list, _, err := st.ListCases(ctx, store.Filter{Kind: "report", Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Complainant.Sealed != "" && c.Confidential && c.Complainant.Phone == "" {
			sealed++
		}
	}
	if sealed == 0 {
		t.Error("no sealed report in the demo")
	}
	gentest.CheckCoverage(t, st, pack)
	if count(store.Filter{Overdue: true, Now: time.Now()}) == 0 {
		t.Error("no overdue case")
	}

	// Every case: a verifiable chain, sensible times and texts, all
	// channels, a send-back, a dissatisfied visit and the manager's approval.
	now := time.Now()
	channels := map[string]bool{}
	var sentBack, unhappy, managerApproved, urgent, group, refused, anonymous bool
	err = st.EachCase(ctx, func(c *cases.Case, events []cases.Event) error {
		channels[c.Channel] = true
		urgent = urgent || c.Urgent
		group = group || c.Complainant.GroupSize > 1
		refused = refused || c.Complainant.Refused
		anonymous = anonymous || c.Complainant.Anonymous
		gentest.CheckCase(t, c, events, now)
		if c.Status == cases.Closed && c.Category != "" && c.Department != "" { // consultations may be answered directly
			if cat, _ := pack.Category(c.Category); c.Department != cat.Department {
				t.Errorf("%s of category %s closed by department %s", c.Number, c.Category, c.Department)
			}
		}
		for _, e := range events {
			switch cases.Action(e.Type) {
			case cases.SendBack:
				sentBack = true
			case cases.Approve:
				managerApproved = managerApproved || e.Actor == "vp"
			case cases.Visit:
				unhappy = unhappy || strings.Contains(string(e.Payload), `"dissatisfied"`)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	gentest.CheckChannels(t, pack, channels)
	for name, ok := range map[string]bool{"send_back": sentBack, "dissatisfied visit": unhappy,
		"approval by vp": managerApproved, "urgent": urgent, "group complaint": group,
		"refused personal data": refused, "anonymous": anonymous} {
		if !ok {
			t.Errorf("no case with %s", name)
		}
	}

	if rep := gentest.Verify(t, st, pack); rep.Cases != 60+len(portalSamples) {
		t.Errorf("verify checked %d cases, want %d", rep.Cases, 60+len(portalSamples))
	}

	users := map[string]auth.Role{"admin": auth.Admin, "clerk": auth.Registrar, "vp": auth.Manager, "auditor": auth.Auditor}
	for _, d := range pack.Departments {
		users["handler-"+d.Code] = auth.Handler
		users["head-"+d.Code] = auth.DeptHead
	}
	for name, role := range users {
		u, hash, err := st.UserByName(ctx, name)
		if err != nil {
			t.Errorf("user %s: %v", name, err)
			continue
		}
		if u.Role != role || !u.Active {
			t.Errorf("user %s: role %s active %v, want %s", name, u.Role, u.Active, role)
		}
		if role == auth.Handler || role == auth.DeptHead {
			if d := strings.SplitN(name, "-", 2)[1]; u.Department != d {
				t.Errorf("user %s in department %q, want %q", name, u.Department, d)
			}
		}
		if name == "clerk" || name == "admin" {
			if ok, err := auth.CheckPassword(hash, Password); !ok || err != nil {
				t.Errorf("user %s: password %s does not log in (%v)", name, Password, err)
			}
		}
	}

	// A second run reuses the data.
	out.Reset()
	if err := Seed(ctx, cfg, 60, &out); err != nil {
		t.Fatalf("second Seed: %v", err)
	}
	if n := count(store.Filter{}); n != 60+len(portalSamples) {
		t.Errorf("after a second Seed %d cases, want %d", n, 60+len(portalSamples))
	}
	if !strings.Contains(out.String(), "沿用") {
		t.Errorf("second Seed does not say it reuses the data:\n%s", out.String())
	}
}
