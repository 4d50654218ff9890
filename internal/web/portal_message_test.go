package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/workflow"
)

// TestPortalThread: an anonymous reporter adds details on the tracking
// page, the central office is told, asks a question back with the message
// action on the case page, and the reporter reads it with the code.
func TestPortalThread(t *testing.T) {
	e := portalEnv(t)
	ctx := context.Background()
	k, code, err := e.svc.RegisterPublic(ctx, workflow.PublicForm{Kind: "report", Subject: "药房有人倒卖药品",
		Content: "药房夜班有人把药品带出医院。", Anonymous: true, Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	pub := e.client()
	r := pub.post("/portal/track", url.Values{"number": {k.Number}, "code": {code}})
	mustContain(t, r.Body, `action="/portal/message"`, "还没有留言")

	if r := pub.post("/portal/message", url.Values{"number": {k.Number}, "code": {code}, "text": {" "}}); r.Status != http.StatusBadRequest {
		t.Errorf("an empty message: %d", r.Status)
	}
	r = pub.post("/portal/message", url.Values{"number": {k.Number}, "code": {code}, "text": {"补充：每周三夜班，监控在药房门口。"}})
	if r.Status != http.StatusOK {
		t.Fatalf("message: %d\n%s", r.Status, r.Body)
	}
	mustContain(t, r.Body, "留言已发送", "每周三夜班")

	clerk := e.login("clerk")
	mustContain(t, clerk.get("/inbox").Body, k.Number)
	page := clerk.get("/cases/" + k.Number)
	mustContain(t, page.Body, "投诉人留言", "每周三夜班", `action="/cases/`+k.Number+`/actions/message"`)
	r = clerk.post("/cases/"+k.Number+"/actions/message", clerk.form(url.Values{"note": {"请问监控的具体位置？"}}))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("staff message: %d\n%s", r.Status, r.Body)
	}
	r = pub.post("/portal/track", url.Values{"number": {k.Number}, "code": {code}})
	mustContain(t, r.Body, "受理单位", "请问监控的具体位置？", "每周三夜班")
	mustNotContain(t, r.Body, "王登记", "clerk")

	// A case registered by staff offers no message form.
	own := e.register("电话投诉", "other")
	mustNotContain(t, clerk.get("/cases/"+own.Number).Body, "/actions/message")
	if c := e.caseOf(k.Number); c.Status != cases.Registered {
		t.Errorf("messages changed the status: %s", c.Status)
	}
}
