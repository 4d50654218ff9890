package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/notify/notifytest"
	"github.com/ombud/ombud/internal/server"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
)

// waitSent waits until the message with id is sent (or the test's patience
// ends), and returns it.
func waitSent(t *testing.T, st *store.Store, id int64) *store.Message {
	t.Helper()
	for range 500 {
		m, err := st.Message(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if m.State == store.MessageSent {
			return m
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("message %d was not sent", id)
	return nil
}

func received[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(20 * time.Second):
		t.Fatal("nothing was delivered")
	}
	var zero T
	return zero
}

// TestSendCodeAPI: the complainant has the number and access code sent by
// SMS (to the complaint's phone) or email, proving they know the code, at
// most 3 times; the worker delivers through the configured mail server and
// SMS gateway, and no body stays in the database. Administrators see the
// outbox without bodies; /metrics counts it.
func TestSendCodeAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		mail := notifytest.StartSMTP(t, notifytest.SMTPOptions{})
		gw := notifytest.StartSMSGateway(t)
		base := runServer(t, server.Config{Addr: "127.0.0.1:0", DB: dsn, DataDir: t.TempDir(), Pack: "hospital-taicang",
			AdminPassword: "admin-pass-1", PublicLimits: generous,
			SMTP: mail.URL("", "", "noreply@example.org"), SMSURL: gw.URL, SMSToken: "gw-token"})
		pub := &client{t: t, base: base}
		r := pub.must(201, "POST", "/api/v1/public/cases", publicCase())
		number, code := r.Body["number"].(string), r.Body["access_code"].(string)
		path := "/api/v1/public/cases/" + number + "/send-code"

		// Refusals, before anything is sent.
		wrong := "ZZZZ-ZZZZ-ZZZZ"
		for _, tt := range []struct {
			code   string
			body   any
			status int
			err    string
			field  string
		}{
			{wrong, map[string]any{"channel": "sms"}, 404, "not_found", ""},
			{"", map[string]any{"channel": "sms"}, 404, "not_found", ""},
			{code, map[string]any{"channel": "fax"}, 400, "invalid_input", "channel"},
			{code, map[string]any{}, 400, "invalid_input", "channel"},
			{code, map[string]any{"channel": "email"}, 400, "invalid_input", "email"},
			{code, map[string]any{"channel": "email", "email": "chen at example"}, 400, "invalid_input", "email"},
			{code, map[string]any{"channel": "sms", "phone": "13900000000"}, 400, "invalid_input", "phone"},
			{code, "not json", 400, "bad_request", ""},
		} {
			r := pub.withCode("POST", path, tt.code, tt.body)
			if r.Status != tt.status || r.errCode() != tt.err || (tt.field != "" && r.errFields()[tt.field] == nil) {
				t.Errorf("%v with code %q: %d %s", tt.body, tt.code, r.Status, r.Raw)
			}
		}
		if r := pub.withCode("POST", "/api/v1/public/cases/TS2099-99999/send-code", code, map[string]any{"channel": "sms"}); r.Status != 404 {
			t.Errorf("unknown number: %d %s", r.Status, r.Raw)
		}

		// By SMS: to the complaint's phone, shown masked.
		r = pub.withCode("POST", path, code, map[string]any{"channel": "sms"})
		if r.Status != http.StatusAccepted || r.Body["to"] != "138****5678" || r.Body["channel"] != "sms" {
			t.Fatalf("send by SMS: %d %s", r.Status, r.Raw)
		}
		sms := received(t, gw.Received)
		if sms.To != "13812345678" || !strings.Contains(sms.Text, number) || !strings.Contains(sms.Text, code) ||
			sms.Params["code"] != code || sms.Params["number"] != number || sms.Kind != "access_code" ||
			sms.Authorization != "Bearer gw-token" || !strings.Contains(sms.Text, "太仓") {
			t.Fatalf("the gateway received %+v", sms)
		}
		// By email, in English when asked in English.
		en := &client{t: t, base: base, lang: "en"}
		r = en.withCode("POST", path, strings.ToLower(code), map[string]any{"channel": "email", "email": " chen@example.org "})
		if r.Status != http.StatusAccepted || r.Body["to"] != "c***@example.org" {
			t.Fatalf("send by email: %d %s", r.Status, r.Raw)
		}
		m := received(t, mail.Received)
		if m.To[0] != "chen@example.org" || m.From != "noreply@example.org" || !strings.Contains(m.Body, code) ||
			!strings.Contains(m.Body, "access code") || !strings.Contains(m.Subject, "access code") {
			t.Fatalf("the mail server received %+v", m)
		}

		// The third is allowed, the fourth refused.
		pub.must0(http.StatusAccepted, path, code, map[string]any{"channel": "sms"})
		received(t, gw.Received)
		r = en.withCode("POST", path, code, map[string]any{"channel": "sms"})
		if r.Status != http.StatusConflict || r.errCode() != "send_limit_reached" || !strings.Contains(r.Raw, "3 times") {
			t.Fatalf("fourth send: %d %s", r.Status, r.Raw)
		}

		// The outbox: for administrators, without bodies; all sent, bodies gone.
		admin := &client{t: t, base: base}
		admin.token, _ = admin.must(200, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": "admin-pass-1"}).Body["token"].(string)
		var ids []int64
		for range 100 {
			r = admin.must(200, "GET", "/api/v1/outbox", nil)
			msgs, _ := r.Body["messages"].([]any)
			ids = nil
			sent := 0
			for _, x := range msgs {
				mm := x.(map[string]any)
				ids = append(ids, int64(mm["id"].(float64)))
				if mm["state"] == "sent" {
					sent++
				}
			}
			if len(msgs) == 3 && sent == 3 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if len(ids) != 3 {
			t.Fatalf("outbox: %s", r.Raw)
		}
		for _, secret := range []string{code, "13812345678", "chen@example.org", "body"} {
			if strings.Contains(r.Raw, secret) {
				t.Errorf("the outbox shows %q: %s", secret, r.Raw)
			}
		}
		for _, want := range []string{`"number":"` + number + `"`, `"recipient":"138****5678"`, `"kind":"access_code"`, `"attempts":1`} {
			if !strings.Contains(r.Raw, want) {
				t.Errorf("the outbox lacks %s: %s", want, r.Raw)
			}
		}
		for _, id := range ids {
			if m := waitSent(t, st, id); m.Body != "" || m.Params != nil {
				t.Errorf("message %d kept its body after sending: %+v", id, m)
			}
		}
		if r := admin.do("GET", "/api/v1/outbox?state=lost", nil); r.Status != 400 {
			t.Errorf("unknown state: %d", r.Status)
		}
		hash, _ := auth.HashPassword("handler-pass")
		if err := st.CreateUser(context.Background(), &auth.User{Username: "nurse", DisplayName: "护理部经办", Role: auth.Handler,
			Department: "huli", Active: true}, hash); err != nil {
			t.Fatal(err)
		}
		nurse := &client{t: t, base: base}
		nurse.token, _ = nurse.must(200, "POST", "/api/v1/login", map[string]string{"username": "nurse", "password": "handler-pass"}).Body["token"].(string)
		if r := nurse.do("GET", "/api/v1/outbox", nil); r.Status != 403 {
			t.Errorf("a handler sees the outbox: %d", r.Status)
		}
		if r := pub.do("GET", "/api/v1/outbox", nil); r.Status != 401 {
			t.Errorf("the public sees the outbox: %d", r.Status)
		}
		metrics := pub.must(200, "GET", "/metrics", nil).Raw
		for _, want := range []string{"\nombud_outbox_pending 0\n", "\nombud_outbox_failed 0\n"} {
			if !strings.Contains(metrics, want) {
				t.Errorf("/metrics lacks %q", strings.TrimSpace(want))
			}
		}
	})
}

// must0 posts body with the access code and checks the status.
func (c *client) must0(status int, path, code string, body any) response {
	c.t.Helper()
	r := c.withCode("POST", path, code, body)
	if r.Status != status {
		c.t.Fatalf("POST %s: %d, want %d: %s", path, r.Status, status, r.Raw)
	}
	return r
}

// TestSendCodeChannels: a channel that is not configured is not offered
// (409 channel_unavailable, nothing queued); SMS needs a phone in the
// complaint (409 no_phone); with --log-messages both are offered and
// delivered to the log.
func TestSendCodeChannels(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		mail := notifytest.StartSMTP(t, notifytest.SMTPOptions{})
		base := runServer(t, server.Config{Addr: "127.0.0.1:0", DB: dsn, Pack: "hospital-taicang", AdminPassword: "admin-pass-1",
			PublicLimits: generous, SMTP: mail.URL("", "", "noreply@example.org")})
		pub := &client{t: t, base: base}
		r := pub.must(201, "POST", "/api/v1/public/cases", publicCase())
		number, code := r.Body["number"].(string), r.Body["access_code"].(string)
		path := "/api/v1/public/cases/" + number + "/send-code"
		if r := pub.withCode("POST", path, code, map[string]any{"channel": "sms"}); r.Status != 409 || r.errCode() != "channel_unavailable" {
			t.Fatalf("SMS without a gateway: %d %s", r.Status, r.Raw)
		}
		noPhone := publicCase()
		noPhone["complainant"] = map[string]any{"name": "陈女士"}
		r = pub.must(201, "POST", "/api/v1/public/cases", noPhone)
		number2, code2 := r.Body["number"].(string), r.Body["access_code"].(string)

		logged := runServer(t, server.Config{Addr: "127.0.0.1:0", DB: dsn, Pack: "hospital-taicang", PublicLimits: generous, LogMessages: true})
		lpub := &client{t: t, base: logged}
		if r := lpub.withCode("POST", "/api/v1/public/cases/"+number2+"/send-code", code2, map[string]any{"channel": "sms"}); r.Status != 409 || r.errCode() != "no_phone" {
			t.Fatalf("SMS without a phone: %d %s", r.Status, r.Raw)
		}
		r = lpub.withCode("POST", path, code, map[string]any{"channel": "sms"})
		if r.Status != http.StatusAccepted {
			t.Fatalf("SMS to the log: %d %s", r.Status, r.Raw)
		}
		list, err := st.Outbox(context.Background(), "", 10)
		if err != nil || len(list) != 1 {
			t.Fatalf("outbox: %+v %v", list, err)
		}
		// The first instance has no SMS sender: only the second delivers it.
		if m := waitSent(t, st, list[0].ID); m.Channel != "sms" || m.Body != "" {
			t.Fatalf("delivered to the log: %+v", m)
		}
	})
}
