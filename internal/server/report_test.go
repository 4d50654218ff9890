package server_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/seal"
	"github.com/ombud/ombud/internal/server"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
)

// TestPublicReport: a hospital serves staff whistleblowing beside patient
// complaints. A named report through the public API goes to the
// whistleblowing pack; its reporter is sealed in what staff read, and only
// opened by an administrator or manager, with a reason, into the access log.
func TestPublicReport(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		key, material, err := seal.Generate()
		if err != nil {
			t.Fatal(err)
		}
		c := &client{t: t, base: runServer(t, server.Config{Addr: "127.0.0.1:0", DB: dsn, Pack: "hospital-taicang",
			Packs: []string{"whistleblowing"}, AdminPassword: "admin-pass-1", IdentityKey: seal.Encode(material),
			PublicLimits: generous})}
		r := c.must(201, "POST", "/api/v1/public/cases", map[string]any{
			"kind": "report", "subject": "工程部人员私自承揽热力工程",
			"content":         "工程部张某借用公司名义私自承揽小区供热改造工程，收取现金。",
			"complainant":     map[string]any{"name": "周举报", "phone": "13700001111"},
			"respondent":      map[string]any{"staff": "张某", "department": "工程部 项目经理", "site": "幸福小区"},
			"privacy_consent": true,
		})
		number := r.Body["number"].(string)
		if !strings.HasPrefix(number, "JB") {
			t.Fatalf("the report was not numbered by the whistleblowing pack: %s", r.Raw)
		}
		// A complaint still goes to the hospital.
		if r := c.must(201, "POST", "/api/v1/public/cases", publicCase()); strings.HasPrefix(r.Body["number"].(string), "JB") {
			t.Fatalf("a complaint went to the whistleblowing pack: %s", r.Raw)
		}

		r = c.must(200, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": "admin-pass-1"})
		c.token, _ = r.Body["token"].(string)
		r = c.must(200, "GET", "/api/v1/cases/"+number, nil)
		for _, secret := range []string{"周举报", "13700001111", "1111"} {
			if strings.Contains(r.Raw, secret) {
				t.Errorf("the staff API shows %q of a sealed reporter: %s", secret, r.Raw)
			}
		}
		if r.Body["pack"] != "whistleblowing" || r.Body["confidential"] != true ||
			!strings.Contains(r.Raw, `"sealed":"v1.`+key.ID()+`"`) ||
			!strings.Contains(r.Raw, `"staff":"张某"`) || !strings.Contains(r.Raw, `"site":"幸福小区"`) {
			t.Fatalf("staff view of the report: %s", r.Raw)
		}
		c.must(400, "POST", "/api/v1/cases/"+number+"/contact", map[string]any{})
		r = c.must(200, "POST", "/api/v1/cases/"+number+"/contact", map[string]any{"reason": "核实举报人身份"})
		if !strings.Contains(r.Raw, "周举报") || !strings.Contains(r.Raw, "13700001111") {
			t.Fatalf("opened identity: %s", r.Raw)
		}
		if _, err := st.Users(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

// TestIdentityKeyMismatch: an instance with another key than the one the
// database's identities are sealed with refuses to start.
func TestIdentityKeyMismatch(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := server.Config{DataDir: dir, Pack: "generic"}
	st, _, err := server.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	first, err := server.IdentityKey(ctx, cfg, st, log)
	if err != nil || first == nil {
		t.Fatalf("first start: %v, %v", first, err)
	}
	again, err := server.IdentityKey(ctx, cfg, st, log)
	if err != nil || again.ID() != first.ID() {
		t.Fatalf("second start with the key file: %v, %v", again, err)
	}
	_, material, _ := seal.Generate()
	cfg.IdentityKey = seal.Encode(material)
	if _, err := server.IdentityKey(ctx, cfg, st, log); err == nil || !strings.Contains(err.Error(), first.ID()) {
		t.Fatalf("another key: %v, want a refusal naming key %s", err, first.ID())
	}
	cfg.IdentityKey = "short"
	if _, err := server.IdentityKey(ctx, cfg, st, log); err == nil {
		t.Fatal("a malformed key was accepted")
	}
}
