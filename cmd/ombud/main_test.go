package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

func TestVersion(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"version"}, &out, &errb); code != 0 || !strings.HasPrefix(out.String(), "ombud ") {
		t.Fatalf("version: %d %q", code, out.String())
	}
	if code := run([]string{"fly"}, &out, &errb); code != 2 {
		t.Fatalf("unknown command exit %d, want 2", code)
	}
}

// TestVerifyCommand: `ombud verify` passes on an intact data directory and
// exits 1 naming the case and event once an event is edited.
func TestVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.OpenDataDir(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	pack, _ := policy.Load("generic")
	svc := workflow.New(st, pack)
	clerk := cases.Actor{Username: "clerk", Role: auth.Registrar}
	var number string
	for i := 0; i < 2; i++ {
		c, err := svc.Register(ctx, clerk, cases.Registration{Channel: "web", Complainant: cases.Complainant{Refused: true},
			Subject: "退款迟迟未到账", Content: "申请退款已两周仍未到账"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, clerk, c.Number, cases.Reject, cases.Params{Reason: "不属于受理范围"}); err != nil {
			t.Fatal(err)
		}
		number = c.Number
	}
	var out, errb bytes.Buffer
	if code := run([]string{"verify", "--data", dir}, &out, &errb); code != 0 {
		t.Fatalf("verify on intact data: exit %d: %s %s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "checked 2 cases, 4 events: 0 problems") {
		t.Fatalf("verify output: %s", out.String())
	}
	db := st.DB()
	if _, err := db.Exec("DROP TRIGGER case_events_no_update"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE case_events SET payload = REPLACE(payload, '不属于受理范围', '已解决')
		WHERE seq = 2 AND case_id = (SELECT id FROM cases WHERE number = ?)`, number); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out.Reset()
	if code := run([]string{"verify", "--data", dir}, &out, &errb); code != 1 {
		t.Fatalf("verify on tampered data: exit %d, want 1: %s", code, out.String())
	}
	if want := "case " + number + " event 2"; !strings.Contains(out.String(), want) {
		t.Fatalf("verify output %q does not name %q", out.String(), want)
	}
	if code := run([]string{"verify", "--data", t.TempDir()}, &out, &errb); code != 2 {
		t.Fatalf("verify on an empty directory: exit %d, want 2", code)
	}
}

func TestCalendarCommand(t *testing.T) {
	// A pack with business hours, and a data dir where an administrator
	// entered 2099 (every weekday a working day, 2099-12-31 a closure).
	dir := t.TempDir()
	generic, err := os.ReadFile("../../internal/policy/packs/generic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pack := filepath.Join(dir, "pack.yaml")
	hours := "\ncalendar:\n  hours: \"08:00-12:00,14:00-17:30\"\n"
	if err := os.WriteFile(pack, append(generic, hours...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "calendar"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "calendar", "2099.txt"), []byte("2099-12-31 holiday 本地休息\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The administrator closes 2026-12-31 for the organization's own reasons.
	if err := os.WriteFile(filepath.Join(dir, "calendar", "local.txt"), []byte("# 本单位\n2026-12-31 holiday 院庆\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OMBUD_DATA", t.TempDir())
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"calendar", "due", "2026-02-12T10:00:00+08:00", "5wd"}, 0, "2026-02-27T00:00:00+08:00"},
		{[]string{"calendar", "due", "2026-08-03 09:00", "60d"}, 0, "2026-10-09T00:00:00+08:00"},
		{[]string{"calendar", "due", "2026-11-28 22:30", "24h"}, 0, "2026-11-29T22:30:00+08:00"},
		{[]string{"calendar", "due", "2099-12-30 09:00", "5wd"}, 1, "2100-01-07T00:00:00+08:00"},
		{[]string{"calendar", "due", "yesterday", "5wd"}, 2, ""},
		{[]string{"calendar", "due", "2026-11-28 22:30", "2 weeks"}, 2, ""},
		{[]string{"calendar", "show", "2026"}, 0, "2026-01-04 workday 元旦调休"},
		{[]string{"calendar", "show", "2099"}, 1, ""},
		{[]string{"calendar", "show", "--data", dir, "2099"}, 0, "2099-12-31 holiday 本地休息"},
		// The administrator's 2099 closes 12-31, so 1wd runs into 2100,
		// which nobody entered: the answer comes with a warning.
		{[]string{"calendar", "due", "--data", dir, "2099-12-30 09:00", "1wd"}, 1, "2100-01-02T00:00:00+08:00"},
		{[]string{"calendar", "due", "--data", dir, "2099-12-29 09:00", "1wd"}, 0, "2099-12-31T00:00:00+08:00"},
		// local.txt: 12-31 is closed, so 1wd from 12-30 runs to 2027 (unknown: a warning).
		{[]string{"calendar", "due", "--data", dir, "2026-12-29 09:00", "1wd"}, 0, "2026-12-31T00:00:00+08:00"},
		{[]string{"calendar", "due", "--data", dir, "2026-12-30 09:00", "1wd"}, 1, "2027-01-02T00:00:00+08:00"},
		// Business hours: Friday evening → Monday 08:00 + 4 h; urgent counts at once.
		{[]string{"calendar", "due", "2026-11-27 20:00", "4bh"}, 2, ""},
		{[]string{"calendar", "due", "--pack", pack, "2026-11-27 20:00", "4bh"}, 0, "2026-11-30T12:00:00+08:00"},
		{[]string{"calendar", "due", "--pack", pack, "--urgent", "2026-11-27 20:00", "4bh"}, 0, "2026-11-28T00:00:00+08:00"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := run(tt.args, &out, &errb)
		if code != tt.code || !strings.Contains(out.String(), tt.out) {
			t.Errorf("%v: exit %d, output %q (stderr %q); want exit %d with %q", tt.args, code, out.String(), errb.String(), tt.code, tt.out)
		}
	}
}
