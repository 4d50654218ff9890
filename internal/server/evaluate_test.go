package server_test

import (
	"testing"

	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
)

// TestEvaluateAPI: the rules' suggestion for a complaint, explained by rule
// ids and matched words, without registering it; the same on registration;
// the grade confirmed by the role the pack names.
func TestEvaluateAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		c := &client{t: t, base: start(t, st, dsn)}
		r := c.must(200, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": "admin-pass-1"})
		c.token, _ = r.Body["token"].(string)

		body := registration()
		body["content"] = "护士态度恶劣，我已经向电视台反映了，网上已经有人转发。"
		r = c.must(200, "POST", "/api/v1/evaluate", body)
		s := r.Body["suggestion"].(map[string]any)
		if r.Body["pack"] != "hospital-taicang" || s["level"] != "1" || s["confirm_by"] != "manager" {
			t.Fatalf("suggestion: %s", r.Raw)
		}
		var fired bool
		for _, x := range s["reasons"].([]any) {
			reason := x.(map[string]any)
			if reason["rule"] != "level1-authority-media" {
				continue
			}
			fired = true
			if reason["source"] != "第十七条" || len(reason["matched"].([]any)) == 0 {
				t.Fatalf("reason without its source or words: %v", reason)
			}
			if m := reason["matched"].([]any)[0].(map[string]any); m["text"] != "电视台" || m["signal"] != "media" {
				t.Fatalf("matched %v", m)
			}
		}
		if !fired {
			t.Fatalf("level1-authority-media did not fire: %s", r.Raw)
		}
		if d := s["deadlines"].([]any); len(d) != 1 || d[0].(map[string]any)["name"] != "reply" {
			t.Fatalf("deadlines: %v", d)
		}
		// Nothing was registered.
		if r := c.must(200, "GET", "/api/v1/cases", nil); r.Body["total"] != 0.0 {
			t.Fatalf("evaluate registered a case: %s", r.Raw)
		}
		// Another built-in pack can be tried; an unknown one is 404.
		other := registration()
		delete(other, "category") // the hospital's categories are not the generic pack's
		r = c.must(200, "POST", "/api/v1/evaluate?pack=generic", other)
		if r.Body["pack"] != "generic" {
			t.Fatalf("generic: %s", r.Raw)
		}
		c.must(404, "POST", "/api/v1/evaluate?pack=nope", body)
		c.must(400, "POST", "/api/v1/evaluate", map[string]any{"channel": "pigeon"})
		r = c.must(200, "GET", "/api/v1/packs", nil)
		if packs := r.Body["packs"].([]any); len(packs) < 2 || packs[0].(map[string]any)["serving"] != true {
			t.Fatalf("packs: %s", r.Raw)
		}

		// Registration records the same suggestion and takes its level.
		r = c.must(201, "POST", "/api/v1/cases", body)
		number := r.Body["number"].(string)
		if r.Body["level"] != "1" || r.Body["suggestion"].(map[string]any)["level"] != "1" {
			t.Fatalf("registered: %s", r.Raw)
		}
		// The nurse (a handler) may not confirm; admin may, with a reason.
		n := &client{t: t, base: c.base}
		r = n.must(200, "POST", "/api/v1/login", map[string]string{"username": "nurse", "password": "handler-pass"})
		n.token, _ = r.Body["token"].(string)
		n.must(403, "POST", "/api/v1/cases/"+number+"/actions/grade", map[string]any{"level": "2", "reason": "x"})
		c.must(400, "POST", "/api/v1/cases/"+number+"/actions/grade", map[string]any{"level": "2"})
		r = c.must(200, "POST", "/api/v1/cases/"+number+"/actions/grade", map[string]any{"level": "2", "reason": "核实后为院内影响"})
		if r.Body["level"] != "2" || r.Body["graded_by"] != "admin" {
			t.Fatalf("graded: %s", r.Raw)
		}
	})
}
