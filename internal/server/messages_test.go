package server_test

import (
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
)

// TestPublicMessages: the complainant and the office write to each other
// through the tracking page: the complainant with the access code, the
// office with the message action; the thread names no staff member.
func TestPublicMessages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		base := startPublic(t, dsn, generous)
		pub := &client{t: t, base: base}
		r := pub.must(201, "POST", "/api/v1/public/cases", publicCase())
		number, code := r.Body["number"].(string), r.Body["access_code"].(string)
		path := "/api/v1/public/cases/" + number

		if r := pub.withCode("POST", path+"/messages", code, map[string]string{"text": "  "}); r.Status != 400 ||
			!strings.Contains(r.Raw, `"text"`) {
			t.Fatalf("empty message: %d %s", r.Status, r.Raw)
		}
		if r := pub.withCode("POST", path+"/messages", "AAAA-BBBB-CCCC", map[string]string{"text": "补充"}); r.Status != 404 {
			t.Fatalf("wrong code: %d", r.Status)
		}
		if r := pub.withCode("POST", path+"/messages", code, map[string]string{"text": strings.Repeat("长", 2001)}); r.Status != 400 {
			t.Fatalf("over-long message: %d", r.Status)
		}
		r = pub.withCode("POST", path+"/messages", code, map[string]string{"text": "补充：当时的工作人员胸牌号是 1024。"})
		if r.Status != 201 {
			t.Fatalf("message: %d %s", r.Status, r.Raw)
		}

		staff := &client{t: t, base: base}
		lr := staff.must(200, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": "admin-pass-1"})
		staff.token, _ = lr.Body["token"].(string)
		r = staff.must(200, "GET", "/api/v1/cases/"+number, nil)
		if !strings.Contains(r.Raw, `"public_message"`) || !strings.Contains(r.Raw, "胸牌号是 1024") {
			t.Fatalf("the staff view lacks the complainant's message: %s", r.Raw)
		}
		staff.must(400, "POST", "/api/v1/cases/"+number+"/actions/message", map[string]any{})
		staff.must(200, "POST", "/api/v1/cases/"+number+"/actions/message", map[string]any{"note": "收到，请问具体是几点钟？"})

		r = pub.withCode("GET", path, code, nil)
		msgs, _ := r.Body["messages"].([]any)
		if len(msgs) != 2 || r.Body["can_message"] != true {
			t.Fatalf("thread: %s", r.Raw)
		}
		first, second := msgs[0].(map[string]any), msgs[1].(map[string]any)
		if first["from"] != "you" || !strings.Contains(first["text"].(string), "1024") ||
			second["from"] != "office" || second["text"] != "收到，请问具体是几点钟？" {
			t.Fatalf("thread: %s", r.Raw)
		}
		if strings.Contains(r.Raw, "admin") {
			t.Errorf("the public thread names a staff member: %s", r.Raw)
		}

		// A case registered by staff has no tracking page: no messages to it.
		reg := staff.must(201, "POST", "/api/v1/cases", registration())
		staff.must(409, "POST", "/api/v1/cases/"+reg.Body["number"].(string)+"/actions/message", map[string]any{"note": "您好"})
	})
}
