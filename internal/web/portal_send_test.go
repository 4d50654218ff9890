package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/api"
	"github.com/ombud/ombud/internal/notify"
	"github.com/ombud/ombud/internal/store"
)

// submitted submits the portal's form and returns the case's number and
// access code from the page after it, and the page.
func submitted(t *testing.T, c *client, form url.Values) (number, code, page string) {
	t.Helper()
	r := c.post("/portal", form)
	nm, cm := doneNumberRE.FindStringSubmatch(r.Body), doneCodeRE.FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || nm == nil || cm == nil {
		t.Fatalf("submit: %d\n%s", r.Status, r.Body)
	}
	return nm[1], cm[1], r.Body
}

// TestPortalSendCode: the page after a submission offers to send the
// number and code by SMS (to the complaint's phone, masked) and email;
// each send is queued and said so on the page, which keeps the number and
// code; a wrong address is shown at its field; after 3 sends no more.
func TestPortalSendCode(t *testing.T) {
	e := portalEnv(t)
	e.svc.Outbound = []string{notify.SMS, notify.Email}
	c := e.client()
	number, code, page := submitted(t, c, portalForm())
	mustContain(t, page, `id="send-code"`, `action="/portal/send-code"`, "发送到手机或邮箱", "发短信到 138****5678",
		`name="channel" value="sms"`, `name="channel" value="email"`, `type="email"`, `name="code" value="`+code+`"`)
	mustNotContain(t, page, "13812345678")

	send := func(v url.Values) resp {
		t.Helper()
		v.Set("number", number)
		if v.Get("code") == "" {
			v.Set("code", code)
		}
		return c.post("/portal/send-code", v)
	}
	r := send(url.Values{"channel": {"sms"}})
	if r.Status != http.StatusOK {
		t.Fatalf("send by SMS: %d\n%s", r.Status, r.Body)
	}
	mustContain(t, r.Body, `id="send-done"`, "已安排发送短信到 138****5678", `id="case-number">`+number, `id="access-code">`+code,
		"发短信到 138****5678", "投诉已收到")
	r = send(url.Values{"channel": {"email"}, "email": {"chen@example"}})
	if r.Status != http.StatusBadRequest {
		t.Fatalf("a wrong address: %d", r.Status)
	}
	mustContain(t, r.Body, `id="send-error"`, "电子邮件地址格式不正确", `value="chen@example"`, `aria-invalid="true"`, `id="access-code">`+code)
	r = send(url.Values{"channel": {"email"}, "email": {"chen@example.org"}})
	if r.Status != http.StatusOK {
		t.Fatalf("send by email: %d\n%s", r.Status, r.Body)
	}
	mustContain(t, r.Body, "已安排发送邮件到 c***@example.org")
	mustNotContain(t, r.Body, `value="chen@example.org"`)
	msgs, err := e.st.Outbox(context.Background(), "", 10)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("outbox: %+v %v", msgs, err)
	}
	if msgs[0].Channel != notify.Email || msgs[0].Recipient != "chen@example.org" || msgs[1].Recipient != "13812345678" ||
		msgs[1].Number != number || msgs[1].State != store.MessagePending {
		t.Fatalf("queued %+v", msgs)
	}
	full, err := e.st.Message(context.Background(), msgs[1].ID)
	if err != nil || !strings.Contains(full.Body, code) || !strings.Contains(full.Body, number) {
		t.Fatalf("the SMS's text: %+v %v", full, err)
	}
	send(url.Values{"channel": {"sms"}})
	r = send(url.Values{"channel": {"sms"}})
	if r.Status != http.StatusConflict {
		t.Fatalf("fourth send: %d", r.Status)
	}
	mustContain(t, html.UnescapeString(r.Body), "已发送 3 次", `id="access-code">`+code)
	// A wrong code is answered as in tracking.
	r = send(url.Values{"channel": {"sms"}, "code": {"ZZZZ-ZZZZ-ZZZZ"}})
	if r.Status != http.StatusNotFound {
		t.Fatalf("wrong code: %d", r.Status)
	}
	mustContain(t, r.Body, "受理编号或查询码不正确")
	mustNotContain(t, r.Body, "ZZZZ-ZZZZ-ZZZZ", `id="send-code"`)
	// Cross-site posts are refused.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/portal/send-code",
		strings.NewReader(url.Values{"number": {number}, "code": {code}, "channel": {"sms"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := c.do(req); r.Status != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", r.Status)
	}
	if msgs, _ := e.st.Outbox(context.Background(), "", 10); len(msgs) != 3 {
		t.Errorf("%d messages queued, want 3", len(msgs))
	}
}

// TestPortalSendCodeOffers: without configured channels nothing is
// offered; without a phone in the complaint, only email; in English.
func TestPortalSendCodeOffers(t *testing.T) {
	e := portalEnv(t)
	c := e.client()
	_, _, page := submitted(t, c, portalForm())
	mustNotContain(t, page, `id="send-code"`, "/portal/send-code")

	e.svc.Outbound = []string{notify.SMS, notify.Email}
	form := portalForm()
	form.Del("complainant.phone")
	number, code, page := submitted(t, c, form)
	mustContain(t, page, `id="send-code"`, `name="channel" value="email"`)
	mustNotContain(t, page, `name="channel" value="sms"`)
	// SMS asked for all the same: refused, saying why.
	r := c.post("/portal/send-code", url.Values{"number": {number}, "code": {code}, "channel": {"sms"}})
	if r.Status != http.StatusConflict {
		t.Fatalf("SMS without a phone: %d", r.Status)
	}
	mustContain(t, r.Body, "您提交时没有留电话号码")

	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/portal/send-code",
		strings.NewReader(url.Values{"number": {number}, "code": {code}, "channel": {"email"}, "email": {"chen@example.org"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "en")
	r = c.do(req)
	if r.Status != http.StatusOK {
		t.Fatalf("in English: %d", r.Status)
	}
	mustContain(t, r.Body, "An email to c***@example.org is on its way", "Send to your phone or email")
	msgs, _ := e.st.Outbox(context.Background(), "", 1)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Subject, "Your case number and access code") {
		t.Fatalf("the English message: %+v", msgs)
	}
}

// TestPortalSendCodeRateLimited: the public rate limit applies; the page
// keeps the number and code.
func TestPortalSendCodeRateLimited(t *testing.T) {
	e := newEnv(t)
	e.svc.Outbound = []string{notify.SMS}
	e.ui.SetPublicLimiter(api.NewPublicLimiter(api.PublicLimits{RequestsPerMinute: 0.001, RequestBurst: 2,
		RegistrationsPerHour: 1, RegistrationBurst: 1}))
	c := e.client()
	number, code, _ := submitted(t, c, portalForm())
	v := url.Values{"number": {number}, "code": {code}, "channel": {"sms"}}
	if r := c.post("/portal/send-code", v); r.Status != http.StatusOK {
		t.Fatalf("first send: %d", r.Status)
	}
	r := c.post("/portal/send-code", v)
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("over the limit: %d", r.Status)
	}
	mustContain(t, r.Body, "请求过于频繁", `id="access-code">`+code)
	if msgs, _ := e.st.Outbox(context.Background(), "", 10); len(msgs) != 1 {
		t.Fatalf("%d messages queued, want 1", len(msgs))
	}
}
