package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/seal"
)

// TestSealedReporter: the case page of a named report shows the reporter
// as sealed; the clerk cannot open it, the manager can, with a reason.
func TestSealedReporter(t *testing.T) {
	e := newEnv(t)
	key, _, err := seal.Generate()
	if err != nil {
		t.Fatal(err)
	}
	e.svc.SetIdentityKey(key)
	k, err := e.svc.Register(context.Background(), cases.Actor{Username: "clerk", Role: auth.Registrar, Department: "yhb"},
		cases.Registration{Kind: "report", Channel: "phone", Subject: "药房人员收受回扣", Content: "药房某人收受医药代表回扣。",
			Complainant: cases.Complainant{Name: "吴实名", Phone: "13655554444"}})
	if err != nil {
		t.Fatal(err)
	}
	path := "/cases/" + k.Number

	clerk := e.login("clerk")
	page := clerk.get(path)
	mustContain(t, page.Body, "实名（身份加密保密）", "保密")
	mustNotContain(t, page.Body, "吴实名", "13655554444", "4444", `action="`+path+`/contact"`)
	if r := clerk.post(path+"/contact", clerk.form(url.Values{"reason": {"回访"}})); r.Status != http.StatusForbidden {
		t.Errorf("the clerk opened the reporter's identity: %d", r.Status)
	}

	boss := e.login("boss")
	page = boss.get(path)
	mustContain(t, page.Body, `action="`+path+`/contact"`, "查看举报人身份")
	r := boss.post(path+"/contact", boss.form(url.Values{"reason": {"核实举报人身份"}}))
	if r.Status != http.StatusOK {
		t.Fatalf("manager's reveal: %d", r.Status)
	}
	mustContain(t, r.Body, "吴实名", "13655554444", "举报人身份（本次查看已记录，严禁泄露）")
	mustNotContain(t, boss.get(path).Body, "吴实名")

	// The list and the printed slip show no identity either.
	for _, p := range []string{"/cases?q=" + url.QueryEscape("回扣"), path + "/slip", path + "/voucher"} {
		r := clerk.get(p)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d", p, r.Status)
		}
		mustContain(t, r.Body, k.Number)
		mustNotContain(t, r.Body, "吴实名", "4444")
	}
}

// TestPortalNamedReport: a named report through the portal, naming the
// person reported, is registered confidential with the identity sealed;
// without a key it is refused with a message and the form kept.
func TestPortalNamedReport(t *testing.T) {
	e := portalEnv(t)
	c := e.client()
	f := url.Values{
		"kind": {"report"}, "subject": {"收费员私收现金"}, "content": {"11月20日门诊收费处有收费员收现金不开票。"},
		"respondent.staff": {"收费员 王某"}, "respondent.department": {"财务科"}, "respondent.site": {"门诊二楼收费处"},
		"complainant.name": {"孙实名"}, "complainant.phone": {"13911112222"}, "privacy_consent": {"1"},
	}
	page := c.get("/portal?kind=report")
	mustContain(t, page.Body, `name="respondent.staff"`, "加密保存", `value="report" checked`)

	r := c.post("/portal", f)
	if r.Status != http.StatusServiceUnavailable {
		t.Fatalf("a named report without a key: %d", r.Status)
	}
	mustContain(t, r.Body, "收费员 王某", "孙实名")

	key, _, _ := seal.Generate()
	e.svc.SetIdentityKey(key)
	r = c.post("/portal", f)
	if r.Status != http.StatusOK {
		t.Fatalf("submit: %d\n%s", r.Status, r.Body)
	}
	nm := doneNumberRE.FindStringSubmatch(r.Body)
	if nm == nil {
		t.Fatalf("no number:\n%s", r.Body)
	}
	got := e.caseOf(nm[1])
	if !got.Confidential || got.Complainant.Name != "" || got.Complainant.Sealed == "" ||
		got.Respondent != (cases.Respondent{Staff: "收费员 王某", Department: "财务科", Site: "门诊二楼收费处"}) {
		t.Fatalf("registered report: %+v", got)
	}
	// A field over its length is refused with the field named.
	f.Set("respondent.site", string(make([]rune, 101)))
	if r := c.post("/portal", f); r.Status != http.StatusBadRequest {
		t.Errorf("an over-long place: %d", r.Status)
	}
}

// TestSubjectFromText: a registration without a subject takes the text's
// first sentence.
func TestSubjectFromText(t *testing.T) {
	e := newEnv(t)
	c := e.login("clerk")
	r := c.post("/cases", c.form(url.Values{"kind": {"complaint"}, "channel": {"phone"},
		"complainant.name": {"陈女士"}, "complainant.phone": {"13812345678"},
		"content": {"药房发错了药，回家才发现。要求道歉。"}, "receiver": {"clerk"}}))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("register: %d\n%s", r.Status, r.Body)
	}
	number := r.Header.Get("Location")[len("/cases/"):]
	if got := e.caseOf(number).Subject; got != "药房发错了药，回家才发现" {
		t.Errorf("subject %q", got)
	}
}
