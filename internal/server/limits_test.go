package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
)

// TestTimeLimitsAPI: deadlines on a case, the calendar endpoint, pausing,
// extensions, the supervision board and the inbox, over HTTP.
func TestTimeLimitsAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		c := &client{t: t, base: start(t, st, dsn)}
		r := c.must(200, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": "admin-pass-1"})
		c.token, _ = r.Body["token"].(string)

		// Received the day before the National Day holiday: two working
		// days are 10-08 and 10-09, so the reply is due 2026-10-09 24:00.
		reg := registration()
		reg["received_at"] = "2026-09-30T10:00:00+08:00"
		r = c.must(201, "POST", "/api/v1/cases", reg)
		number := r.Body["number"].(string)
		ds := r.Body["deadlines"].([]any)
		d := ds[0].(map[string]any)
		if len(ds) != 1 || d["name"] != "reply" || d["due_at"] != "2026-10-09T16:00:00Z" || d["state"] != "breached" {
			t.Fatalf("deadlines %v", ds)
		}

		q := url.Values{"from": {"2026-09-30T10:00:00+08:00"}, "duration": {"2wd"}}
		r = c.must(200, "GET", "/api/v1/calendar/due?"+q.Encode(), nil)
		if r.Body["due_at"] != "2026-10-10T00:00:00+08:00" || r.Body["assumed"] != false {
			t.Fatalf("calendar/due: %s", r.Raw)
		}
		r = c.must(400, "GET", "/api/v1/calendar/due?from=2026-09-30&duration=2weeks", nil)
		if r.errFields()["duration"] == nil {
			t.Fatalf("bad duration: %s", r.Raw)
		}
		r = c.must(400, "GET", "/api/v1/calendar/due?from=2026-09-30&duration=4bh", nil)
		if f, _ := r.errFields()["duration"].(string); !strings.Contains(f, "工作时间") {
			t.Fatalf("business hours without hours: %s", r.Raw)
		}

		// The case is overdue: on the board and in the overdue list.
		r = c.must(200, "GET", "/api/v1/cases?overdue=true", nil)
		if r.Body["total"] != 1.0 {
			t.Fatalf("overdue list: %s", r.Raw)
		}
		r = c.must(200, "GET", "/api/v1/supervision", nil)
		counts := r.Body["counts"].([]any)
		if len(counts) != 1 || counts[0].(map[string]any)["overdue"] != 1.0 || len(r.Body["overdue"].([]any)) != 1 {
			t.Fatalf("supervision: %s", r.Raw)
		}

		// Pausing needs a reason; a paused case is not overdue.
		r = c.must(400, "POST", "/api/v1/cases/"+number+"/actions/pause", map[string]any{})
		if r.errFields()["reason"] == nil {
			t.Fatalf("pause without reason: %s", r.Raw)
		}
		r = c.must(200, "POST", "/api/v1/cases/"+number+"/actions/pause", map[string]any{"reason": "等待患者提供录音"})
		if st := r.Body["deadlines"].([]any)[0].(map[string]any)["state"]; st != "paused" {
			t.Fatalf("paused: %v", st)
		}
		if r := c.must(200, "GET", "/api/v1/cases?overdue=true", nil); r.Body["total"] != 0.0 {
			t.Fatalf("a paused case listed overdue: %s", r.Raw)
		}
		c.must(409, "POST", "/api/v1/cases/"+number+"/actions/pause", map[string]any{"reason": "again"})
		c.must(200, "POST", "/api/v1/cases/"+number+"/actions/resume", nil)

		// Extensions are bounded by the pack (hospital: 5 days in total).
		r = c.must(400, "POST", "/api/v1/cases/"+number+"/actions/request_extension", map[string]any{"days": 9, "reason": "复杂"})
		if r.errFields()["days"] == nil {
			t.Fatalf("9 days: %s", r.Raw)
		}
		r = c.must(400, "POST", "/api/v1/cases/"+number+"/actions/request_extension", map[string]any{"days": 2, "until": "2026-12-01", "reason": "x"})
		if r.errFields()["until"] == nil {
			t.Fatalf("days and until: %s", r.Raw)
		}
		r = c.must(200, "POST", "/api/v1/cases/"+number+"/actions/request_extension", map[string]any{"days": 3, "reason": "需多科室会诊"})
		if x, _ := r.Body["extension"].(map[string]any); x == nil || x["days"] != 3.0 {
			t.Fatalf("request: %s", r.Raw)
		}
		r = c.must(200, "POST", "/api/v1/cases/"+number+"/actions/approve_extension", nil)
		if r.Body["inform"] != "extended" || r.Body["extension"] != nil {
			t.Fatalf("approve: %s", r.Raw)
		}
		r = c.must(200, "POST", "/api/v1/cases/"+number+"/actions/contact", map[string]any{"method": "phone", "note": "已告知延期"})
		if _, ok := r.Body["inform"]; ok {
			t.Fatalf("contact did not clear inform: %s", r.Raw)
		}

		// The inbox: admin requested the extension, so its decision is there.
		r = c.must(200, "GET", "/api/v1/notifications", nil)
		list := r.Body["notifications"].([]any)
		if r.Body["unread"] != 1.0 || len(list) != 1 || list[0].(map[string]any)["kind"] != "extension_approved" {
			t.Fatalf("inbox: %s", r.Raw)
		}
		if r := c.must(200, "POST", "/api/v1/notifications/read", map[string]any{}); r.Body["unread"] != 0.0 {
			t.Fatalf("mark read: %s", r.Raw)
		}
	})
}
