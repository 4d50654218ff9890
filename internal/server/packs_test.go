package server_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/server"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
)

// TestSeveralPacks: a hospital runs patient complaints and staff
// whistleblowing on one deployment. Each case belongs to its pack, is
// numbered and handled under it, whichever pack is the default.
func TestSeveralPacks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		c := &client{t: t, base: runServer(t, server.Config{Addr: "127.0.0.1:0", DB: dsn, Pack: "hospital-taicang",
			Packs: []string{"whistleblowing"}, AdminPassword: "admin-pass-1"})}
		r := c.must(200, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": "admin-pass-1"})
		c.token, _ = r.Body["token"].(string)

		r = c.must(200, "GET", "/api/v1/packs", nil)
		packs := r.Body["packs"].([]any)
		if packs[0].(map[string]any)["id"] != "hospital-taicang" || packs[1].(map[string]any)["id"] != "whistleblowing" ||
			packs[1].(map[string]any)["serving"] != true || packs[2].(map[string]any)["serving"] != false {
			t.Fatalf("packs: %s", r.Raw)
		}
		if r := c.must(200, "GET", "/api/v1/policy?pack=whistleblowing", nil); r.Body["id"] != "whistleblowing" {
			t.Fatalf("policy: %s", r.Raw)
		}
		c.must(404, "GET", "/api/v1/policy?pack=car-dealer", nil) // built in, but not served here

		complaint := c.must(201, "POST", "/api/v1/cases", registration())
		report := c.must(201, "POST", "/api/v1/cases?pack=whistleblowing", map[string]any{
			"kind": "report", "channel": "letter", "complainant": map[string]any{"anonymous": true},
			"subject": "工程部人员私自承揽热力工程", "content": "工程部某员工借用公司名义私自承揽小区供热改造工程。"})
		c.must(404, "POST", "/api/v1/cases?pack=nope", registration())
		// The hospital's category does not exist in the whistleblowing pack.
		c.must(400, "POST", "/api/v1/cases?pack=whistleblowing", registration())

		if complaint.Body["pack"] != "hospital-taicang" || report.Body["pack"] != "whistleblowing" ||
			!strings.HasPrefix(report.Body["number"].(string), "JB") || report.Body["level"] != "report" {
			t.Fatalf("registered:\n%s\n%s", complaint.Raw, report.Raw)
		}
		// Acting on the report goes by its own pack: it is accepted at its
		// only level and routed to its own discipline office.
		number := report.Body["number"].(string)
		r = c.must(200, "POST", "/api/v1/cases/"+number+"/actions/accept", map[string]any{"category": "private-contracting"})
		if r.Body["level"] != "report" || r.Body["category"] != "private-contracting" {
			t.Fatalf("accepted: %s", r.Raw)
		}
		c.must(200, "POST", "/api/v1/cases/"+number+"/actions/assign", map[string]any{})
		r = c.must(200, "GET", "/api/v1/cases/"+number, nil)
		if r.Body["department"] != "jijian" {
			t.Fatalf("assigned: %s", r.Raw)
		}
		// Both are in the one list.
		if r := c.must(200, "GET", "/api/v1/cases", nil); r.Body["total"] != 2.0 {
			t.Fatalf("list: %s", r.Raw)
		}
	})
}

// TestPacksThatNumberAlike: two packs that would give two cases one
// number are refused at start.
func TestPacksThatNumberAlike(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := server.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Pack: "hospital-taicang",
		Packs: []string{"generic"}, AdminPassword: "admin-pass-1"}
	err := server.Run(ctx, cfg, io.Discard, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err == nil || !strings.Contains(err.Error(), "would both number a case") {
		t.Fatalf("got %v", err)
	}
}
