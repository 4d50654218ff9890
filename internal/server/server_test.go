package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/server"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
)

// client talks to a real Ombud server on loopback.
type client struct {
	t     *testing.T
	base  string
	token string
	lang  string
}

type response struct {
	Status int
	Body   map[string]any
	Raw    string
}

func (c *client) do(method, path string, body any) response {
	c.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		r = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := response{Status: resp.StatusCode, Raw: string(raw)}
	json.Unmarshal(raw, &out.Body)
	return out
}

func (c *client) must(status int, method, path string, body any) response {
	c.t.Helper()
	r := c.do(method, path, body)
	if r.Status != status {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, status, r.Raw)
	}
	return r
}

func (r response) errCode() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func (r response) errFields() map[string]any {
	e, _ := r.Body["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	return f
}

func start(t *testing.T, st *store.Store, dsn string) string {
	t.Helper()
	base := startAgain(t, dsn)
	hash, _ := auth.HashPassword("handler-pass")
	if err := st.CreateUser(context.Background(), &auth.User{Username: "nurse", DisplayName: "护理部经办", Role: auth.Handler, Department: "huli", Active: true}, hash); err != nil {
		t.Fatal(err)
	}
	return base
}

// startAgain starts an Ombud server on dsn and returns its base URL.
func startAgain(t *testing.T, dsn string) string {
	t.Helper()
	return runServer(t, server.Config{Addr: "127.0.0.1:0", DB: dsn, Pack: "hospital-taicang", AdminPassword: "admin-pass-1"})
}

// runServer runs an Ombud server with cfg until the test ends and returns
// its base URL.
func runServer(t *testing.T, cfg server.Config) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- server.Run(ctx, cfg, io.Discard, slog.New(slog.NewTextHandler(io.Discard, nil)), ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("server did not start: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	return "http://" + addr
}

func registration() map[string]any {
	return map[string]any{
		"kind": "complaint", "channel": "phone",
		"received_at": "2026-11-20T09:05:00+08:00",
		"complainant": map[string]any{"name": "李先生", "phone": "13912345678"},
		"respondent":  map[string]any{"department": "门诊部", "staff": "收费员小王", "site": "门诊二楼收费处"},
		"subject":     "收费员态度生硬",
		"content":     "缴费时询问费用明细，收费员不耐烦并出言不逊。",
		"demands":     []string{"apology"},
		"evidence":    []map[string]any{{"type": "recording", "count": 1}},
		"category":    "attitude",
	}
}

func TestAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		base := start(t, st, dsn)
		c := &client{t: t, base: base}

		if r := c.must(200, "GET", "/healthz", nil); r.Body["status"] != "ok" {
			t.Fatalf("healthz: %s", r.Raw)
		}
		// Authentication.
		if r := c.must(401, "GET", "/api/v1/cases", nil); r.errCode() != "unauthorized" {
			t.Fatalf("no token: %s", r.Raw)
		}
		r := c.must(401, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": "wrong"})
		if r.errCode() != "login_failed" || !strings.Contains(r.Raw, "用户名或密码错误") {
			t.Fatalf("wrong password, Chinese by default: %s", r.Raw)
		}
		c.lang = "en-US,en;q=0.9"
		if r := c.must(401, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": "wrong"}); !strings.Contains(r.Raw, "Wrong user name or password") {
			t.Fatalf("wrong password in English: %s", r.Raw)
		}
		c.lang = ""
		r = c.must(200, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": "admin-pass-1"})
		c.token, _ = r.Body["token"].(string)

		r = c.must(200, "GET", "/api/v1/policy", nil)
		if r.Body["id"] != "hospital-taicang" || len(r.Body["levels"].([]any)) != 3 {
			t.Fatalf("policy: %s", r.Raw)
		}

		// Invalid input names each bad field.
		r = c.must(400, "POST", "/api/v1/cases", map[string]any{"channel": "pigeon", "complainant": map[string]any{"phone": "12ab"}})
		for _, f := range []string{"channel", "subject", "content", "complainant.phone"} {
			if _, ok := r.errFields()[f]; !ok {
				t.Errorf("missing field error %s: %s", f, r.Raw)
			}
		}
		if r.errCode() != "invalid_input" {
			t.Errorf("code = %s", r.errCode())
		}
		if r := c.must(400, "POST", "/api/v1/cases", map[string]any{"subject": "x", "colour": "red"}); r.errFields()["colour"] == nil {
			t.Errorf("unknown field not named: %s", r.Raw)
		}
		if r := c.must(400, "POST", "/api/v1/cases", `{"received_at": "yesterday"}`); r.errFields()["received_at"] == nil {
			t.Errorf("bad time not named: %s", r.Raw)
		}
		c.must(400, "POST", "/api/v1/cases", `{not json`)

		// Register and walk to closed as admin.
		r = c.must(201, "POST", "/api/v1/cases", registration())
		number, _ := r.Body["number"].(string)
		if !strings.HasPrefix(number, "TS2026") || !strings.HasSuffix(number, "-0001") || r.Body["status"] != "registered" {
			t.Fatalf("registered: %s", r.Raw)
		}
		if ph := r.Body["complainant"].(map[string]any)["phone"]; ph != "139****5678" {
			t.Fatalf("phone shown as %v, want masked", ph)
		}
		if strings.Contains(r.Raw, "13912345678") {
			t.Fatal("the full phone number leaked into the response")
		}
		if d, _ := r.Body["deadlines"].([]any); len(d) != 1 {
			t.Fatalf("deadlines: %s", r.Raw)
		}
		steps := []struct {
			action string
			params map[string]any
			status string
		}{
			{"accept", map[string]any{"level": "2"}, "accepted"},
			{"assign", map[string]any{"department": "jiancha"}, "assigned"},
			{"take", nil, "in_progress"},
			{"propose", map[string]any{"reply": "经调查属实，已对收费员批评教育。"}, "reviewing"},
			{"approve", nil, "approved"},
			{"reply", map[string]any{"method": "phone"}, "replied"},
			{"visit", map[string]any{"satisfaction": "satisfied", "note": "满意"}, "closed"},
		}
		for _, s := range steps {
			var body any
			if s.params != nil {
				body = s.params
			}
			r = c.must(200, "POST", "/api/v1/cases/"+number+"/actions/"+s.action, body)
			if r.Body["status"] != s.status {
				t.Fatalf("%s: status %v, want %s", s.action, r.Body["status"], s.status)
			}
		}
		// An invalid transition.
		if r := c.must(409, "POST", "/api/v1/cases/"+number+"/actions/take", nil); r.errCode() != "invalid_transition" {
			t.Fatalf("take on a closed case: %s", r.Raw)
		}
		c.must(404, "POST", "/api/v1/cases/"+number+"/actions/fly", nil)
		r = c.must(200, "GET", "/api/v1/cases/"+number, nil)
		if ev := r.Body["events"].([]any); len(ev) != 8 {
			t.Fatalf("events: %d", len(ev))
		}
		if acts := r.Body["actions"].([]any); len(acts) != 3 || acts[0] != "reopen" || acts[1] != "comment" || acts[2] != "attach" {
			t.Fatalf("actions on a closed case: %v", acts)
		}
		if strings.Contains(r.Raw, "13912345678") {
			t.Fatal("the full phone number leaked into the events")
		}

		// A voided case keeps its number and is still readable.
		r = c.must(201, "POST", "/api/v1/cases", registration())
		second := r.Body["number"].(string)
		if !strings.HasSuffix(second, "-0002") {
			t.Fatalf("second number %s", second)
		}
		if r := c.must(400, "POST", "/api/v1/cases/"+second+"/actions/void", nil); r.errFields()["reason"] == nil {
			t.Fatalf("void without reason: %s", r.Raw)
		}
		c.must(200, "POST", "/api/v1/cases/"+second+"/actions/void", map[string]any{"reason": "重复登记"})
		if r := c.must(200, "GET", "/api/v1/cases/"+second, nil); r.Body["status"] != "voided" || r.Body["number"] != second {
			t.Fatalf("voided case: %s", r.Raw)
		}
		c.must(404, "GET", "/api/v1/cases/TS209901-0001", nil)

		// Lists and filters.
		if r := c.must(200, "GET", "/api/v1/cases?status=voided", nil); r.Body["total"].(float64) != 1 {
			t.Fatalf("status filter: %s", r.Raw)
		}
		if r := c.must(200, "GET", "/api/v1/cases?q=收费员", nil); r.Body["total"].(float64) != 2 {
			t.Fatalf("q filter: %s", r.Raw)
		}
		if r := c.must(400, "GET", "/api/v1/cases?status=lost&page=0", nil); r.errFields()["status"] == nil || r.errFields()["page"] == nil {
			t.Fatalf("bad filters: %s", r.Raw)
		}

		// The full number is shown on request, with a reason, and logged.
		c.must(400, "POST", "/api/v1/cases/"+number+"/contact", map[string]any{})
		if r := c.must(200, "POST", "/api/v1/cases/"+number+"/contact", map[string]any{"reason": "回访需要"}); r.Body["phone"] != "13912345678" {
			t.Fatalf("contact: %s", r.Raw)
		}
		if r := c.must(200, "GET", "/api/v1/cases/"+number+"/access-log", nil); len(r.Body["access"].([]any)) != 1 {
			t.Fatalf("access log: %s", r.Raw)
		}

		// A department handler sees neither other departments' cases nor their actions.
		nurse := &client{t: t, base: base}
		r = nurse.must(200, "POST", "/api/v1/login", map[string]string{"username": "nurse", "password": "handler-pass"})
		nurse.token = r.Body["token"].(string)
		if r := nurse.must(403, "GET", "/api/v1/cases/"+number, nil); r.errCode() != "forbidden" {
			t.Fatalf("handler reading another department's case: %s", r.Raw)
		}
		if r := nurse.must(200, "GET", "/api/v1/cases", nil); r.Body["total"].(float64) != 0 {
			t.Fatalf("handler's list: %s", r.Raw)
		}
		nurse.must(403, "GET", "/api/v1/cases/"+number+"/access-log", nil)
		nurse.must(204, "POST", "/api/v1/logout", nil)
		nurse.must(401, "GET", "/api/v1/me", nil)

		// Metrics count requests by route pattern and cases by status.
		m := c.must(200, "GET", "/metrics", nil).Raw
		for _, want := range []string{
			`ombud_cases{status="closed"} 1`, `ombud_cases{status="voided"} 1`, "ombud_cases_overdue 0",
			`ombud_http_requests_total{code="201",method="POST",route="POST /api/v1/cases"} 2`,
			`ombud_http_request_duration_seconds_bucket{route="GET /api/v1/cases/{number}"`,
			"ombud_cases_scrape_error 0",
		} {
			if !strings.Contains(m, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		if strings.Contains(m, number) {
			t.Error("a case number became a metric label")
		}
	})
}
