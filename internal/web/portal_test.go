package web_test

import (
	"bytes"
	"context"
	"html"
	"image"
	"image/png"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/api"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/i18n"
	"github.com/ombud/ombud/internal/workflow"
)

// generous are public limits no test reaches.
var generous = api.PublicLimits{RequestsPerMinute: 6000, RequestBurst: 1000, RegistrationsPerHour: 6000, RegistrationBurst: 1000}

func portalEnv(t *testing.T) *env {
	e := newEnv(t)
	e.ui.SetPublicLimiter(api.NewPublicLimiter(generous))
	return e
}

type part struct {
	field, name string
	data        []byte
}

// postMultipart posts a form with files as a browser does.
func (c *client) postMultipart(path string, v url.Values, files ...part) resp {
	c.e.t.Helper()
	return c.multipart(path, v, "", files...)
}

// multipart posts form v with files, with an Accept header if accept is set.
func (c *client) multipart(path string, v url.Values, accept string, files ...part) resp {
	c.e.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, vs := range v {
		for _, x := range vs {
			w.WriteField(k, x)
		}
	}
	for _, f := range files {
		fw, _ := w.CreateFormFile(f.field, f.name)
		fw.Write(f.data)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return c.do(req)
}

func smallPNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func portalForm() url.Values {
	return url.Values{
		"kind": {"complaint"}, "category": {"attitude"}, "subject": {"挂号窗口态度生硬"},
		"content":          {"今天上午在门诊一楼挂号，窗口工作人员大声呵斥。\r\n希望道歉。"},
		"complainant.name": {"陈女士"}, "complainant.phone": {"13812345678"}, "privacy_consent": {"1"},
	}
}

var (
	doneNumberRE = regexp.MustCompile(`id="case-number">([^<]+)<`)
	doneCodeRE   = regexp.MustCompile(`id="access-code">([^<]+)<`)
)

func TestPortalForm(t *testing.T) {
	e := portalEnv(t)
	c := e.client() // nobody logged in
	r := c.get("/portal")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /portal: %d %s", r.Status, r.Body)
	}
	mustContain(t, r.Body, `<html lang="zh-CN">`, "我要反映问题", `enctype="multipart/form-data"`,
		`name="privacy_consent" value="1" required`, "个人信息保护说明", `type="file" name="attachments" multiple`,
		`accept="image/*,video/*,audio/*,application/pdf,`, ".heic", ".amr", `data-max-bytes="10485760"`,
		`value="complaint" checked`, "服务态度", "不确定，由工作人员判断", "举报内容严格保密", "/static/portal.js",
		`href="/lang?to=en&amp;back=%2Fportal"`, `href="/portal/track"`)
	mustNotContain(t, r.Body, `name="csrf"`, "退出", "/cases/new")
	// 咨询, 建议, 投诉, 举报 in that order.
	body := r.Body
	last := -1
	for _, k := range []string{`value="consultation"`, `value="suggestion"`, `value="complaint"`, `value="report"`} {
		i := strings.Index(body, k)
		if i < last {
			t.Errorf("%s out of order", k)
		}
		last = i
	}
	if r := c.get("/portal?kind=report"); !strings.Contains(r.Body, `value="report" checked`) || !strings.Contains(r.Body, `data-kind="report"`) {
		t.Error("/portal?kind=report does not choose 举报")
	}
	// In English.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/portal", nil)
	req.Header.Set("Accept-Language", "en")
	mustContain(t, c.do(req).Body, "Report a problem", "Privacy notice", "Service attitude")
	// The staff login page leads the public here.
	mustContain(t, c.get("/login").Body, `href="/portal"`, "群众投诉举报、查询进度请点这里")
	// The stylesheet and the script are served.
	for _, p := range []string{"/static/portal.css", "/static/portal.js"} {
		if r := c.get(p); r.Status != http.StatusOK {
			t.Errorf("%s: %d", p, r.Status)
		}
	}
}

func TestPortalSubmitWithPhoto(t *testing.T) {
	e := portalEnv(t)
	c := e.client()
	photo := smallPNG(t)
	r := c.postMultipart("/portal", portalForm(), part{"attachments", "窗口.png", photo}, part{"attachments", "挂号单.pdf", []byte("%PDF-1.4\n%%EOF\n")})
	if r.Status != http.StatusOK {
		t.Fatalf("submit: %d\n%s", r.Status, r.Body)
	}
	nm, cm := doneNumberRE.FindStringSubmatch(r.Body), doneCodeRE.FindStringSubmatch(r.Body)
	if nm == nil || cm == nil {
		t.Fatalf("no number or code on the result page:\n%s", r.Body)
	}
	number, code := nm[1], cm[1]
	if !regexp.MustCompile(`^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$`).MatchString(code) {
		t.Fatalf("code %q", code)
	}
	mustContain(t, r.Body, "提交成功", "请立即抄写或截图保存查询码", "data-copy=", "复制编号和查询码",
		`href="/portal/track?number=`+number+`"`)
	mustNotContain(t, r.Body, "/lang?to=") // switching language would lose the code
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q: the page with the code must not be stored", cc)
	}
	k := e.caseOf(number)
	if k.RegisteredBy != workflow.PublicActor || k.Channel != "web" || k.Complainant.Phone != "13812345678" ||
		k.Content != "今天上午在门诊一楼挂号，窗口工作人员大声呵斥。\n希望道歉。" || len(k.Evidence) != 2 {
		t.Fatalf("case %+v", k)
	}
	if _, err := e.svc.TrackPublic(context.Background(), number, code); err != nil {
		t.Fatalf("the code shown does not open the case: %v", err)
	}

	// Staff see the attachments on the case page and download them safely.
	clerk := e.login("clerk")
	page := clerk.get("/cases/" + number)
	mustContain(t, page.Body, `id="attachments"`, "窗口.png", "挂号单.pdf", "网上提交", "照片 × 1", "医患关系办公室")
	links := regexp.MustCompile(`href="(/cases/`+regexp.QuoteMeta(number)+`/attachments/\d+)"`).FindAllStringSubmatch(page.Body, -1)
	if len(links) < 2 {
		t.Fatalf("attachment links: %v", links)
	}
	var seen []string
	for _, l := range links {
		if slices.Contains(seen, l[1]) {
			continue
		}
		seen = append(seen, l[1])
		d := clerk.get(l[1])
		if d.Status != http.StatusOK {
			t.Fatalf("GET %s: %d", l[1], d.Status)
		}
		h := d.Header
		// A PDF is shown by the browser's viewer, which Chromium does not
		// run sandboxed; everything else is sandboxed.
		if pdf := h.Get("Content-Type") == "application/pdf"; h.Get("X-Content-Type-Options") != "nosniff" ||
			(h.Get("Content-Security-Policy") == "sandbox") == pdf {
			t.Errorf("%s headers %v", l[1], h)
		}
		disp, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
		if err != nil {
			t.Fatalf("Content-Disposition %q: %v", h.Get("Content-Disposition"), err)
		}
		switch h.Get("Content-Type") {
		case "image/png":
			if disp != "inline" || params["filename"] != "窗口.png" || d.Body != string(photo) {
				t.Errorf("photo served as %s %v", disp, params)
			}
		case "application/pdf":
			if disp != "inline" || params["filename"] != "挂号单.pdf" {
				t.Errorf("PDF served as %s %v", disp, params)
			}
			// Its download link downloads it, sandboxed.
			dl := clerk.get(l[1] + "?download=1")
			if disp, _, _ := mime.ParseMediaType(dl.Header.Get("Content-Disposition")); disp != "attachment" ||
				dl.Header.Get("Content-Security-Policy") != "sandbox" {
				t.Errorf("PDF downloaded with %v", dl.Header)
			}
		default:
			t.Errorf("%s served as %q", l[1], h.Get("Content-Type"))
		}
	}
	// Only for those who may see the case.
	if r := e.login("cw").get(seen[0]); r.Status != http.StatusForbidden {
		t.Errorf("another department: %d, want 403", r.Status)
	}
	if r := e.client().get(seen[0]); r.Status != http.StatusSeeOther {
		t.Errorf("logged out: %d, want a redirect to the login", r.Status)
	}
	for _, p := range []string{"/cases/" + number + "/attachments/999", "/cases/" + number + "/attachments/x"} {
		if r := clerk.get(p); r.Status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, r.Status)
		}
	}
	// The central office's inbox says a case came in.
	mustContain(t, clerk.get("/inbox").Body, "由群众在网上提交")
}

func TestPortalErrorsKeepInput(t *testing.T) {
	e := portalEnv(t)
	c := e.client()
	f := portalForm()
	f.Del("privacy_consent")
	f.Set("subject", "")
	f.Set("complainant.phone", "打我电话")
	r := c.postMultipart("/portal", f, part{"attachments", "a.png", smallPNG(t)})
	if r.Status != http.StatusBadRequest {
		t.Fatalf("status %d", r.Status)
	}
	mustContain(t, r.Body, "输入有误，请检查标出的字段", i18n.T("zh-CN", "field.consent_required"), "必填",
		"电话号码格式不正确", "附件需要重新选择", html.EscapeString("今天上午在门诊一楼挂号"), `value="陈女士"`,
		`value="attitude" selected`, `value="complaint" checked`, `href="/lang?to=en&amp;back=%2Fportal"`)
	// A file that is not what it says.
	r = c.postMultipart("/portal", portalForm(), part{"attachments", "x.png", []byte("<html><script>alert(1)</script>")})
	if r.Status != http.StatusBadRequest {
		t.Fatalf("html as png: %d", r.Status)
	}
	mustContain(t, r.Body, i18n.T("zh-CN", "field.file_type_mismatch"))
	// Without JavaScript the form may come URL-encoded, without files.
	r = c.post("/portal", portalForm())
	if r.Status != http.StatusOK || doneCodeRE.FindString(r.Body) == "" {
		t.Fatalf("URL-encoded form: %d", r.Status)
	}
	if n, _ := e.st.CountByStatus(context.Background()); n[cases.Registered] != 1 {
		t.Errorf("cases registered: %v, want only the valid one", n)
	}
}

func TestPortalTrackAndRate(t *testing.T) {
	e := portalEnv(t)
	ctx := context.Background()
	f := workflow.PublicForm{Kind: "complaint", Subject: "候诊区地面湿滑", Content: "候诊区地面有水。", Anonymous: true, Consent: true}
	k, code, err := e.svc.RegisterPublic(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	r := c.get("/portal/track?number=" + url.QueryEscape(k.Number))
	mustContain(t, r.Body, `name="number" value="`+k.Number+`"`, `name="code" value=""`)

	r = c.post("/portal/track", url.Values{"number": {k.Number}, "code": {"2345-6789-ABCD"}})
	if r.Status != http.StatusNotFound {
		t.Fatalf("wrong code: %d", r.Status)
	}
	mustContain(t, r.Body, "受理编号或查询码不正确", `value="`+k.Number+`"`)
	if r := c.post("/portal/track", url.Values{"number": {k.Number}}); r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "必填") {
		t.Errorf("no code: %d", r.Status)
	}

	r = c.post("/portal/track", url.Values{"number": {" " + k.Number + " "}, "code": {strings.ToLower(strings.ReplaceAll(code, "-", ""))}})
	if r.Status != http.StatusOK {
		t.Fatalf("track: %d\n%s", r.Status, r.Body)
	}
	mustContain(t, r.Body, "已收到，等待受理", "候诊区地面湿滑", "预计答复时间")
	mustNotContain(t, r.Body, `action="/portal/rate"`, "候诊区地面有水")

	// Staff reply; the complainant reads it and is not satisfied.
	e.act(k.Number, cases.Accept, cases.Params{})
	e.act(k.Number, cases.Reply, cases.Params{Reply: "已安排保洁每小时巡查。", Method: "web"})
	r = c.post("/portal/track", url.Values{"number": {k.Number}, "code": {code}})
	mustContain(t, r.Body, "已答复，请查看并评价", "已安排保洁每小时巡查。", `action="/portal/rate"`,
		`name="code" value="`+code+`"`, "满意", "基本满意", "不满意")
	mustNotContain(t, r.Body, "预计答复时间")
	rate := url.Values{"number": {k.Number}, "code": {code}, "satisfaction": {""}, "note": {"地面还是湿"}}
	r = c.post("/portal/rate", rate)
	if r.Status != http.StatusBadRequest {
		t.Fatalf("rating without a verdict: %d", r.Status)
	}
	mustContain(t, r.Body, "必填", "地面还是湿")
	rate.Set("satisfaction", "dissatisfied")
	r = c.post("/portal/rate", rate)
	if r.Status != http.StatusOK {
		t.Fatalf("rate: %d\n%s", r.Status, r.Body)
	}
	mustContain(t, r.Body, "我们将重新办理", "正在办理", "不满意")
	mustNotContain(t, r.Body, `action="/portal/rate"`)
	if got := e.caseOf(k.Number); got.Status != cases.InProgress || got.Satisfaction != cases.Dissatisfied {
		t.Fatalf("case after dissatisfied: %s %s", got.Status, got.Satisfaction)
	}
	// Rating again is not possible until the next reply.
	rate.Set("satisfaction", "satisfied")
	if r := c.post("/portal/rate", rate); r.Status != http.StatusConflict {
		t.Errorf("rating again: %d", r.Status)
	}
	// The case page names the complainant as who rated.
	mustContain(t, e.login("clerk").get("/cases/"+k.Number).Body, "投诉人本人", "网上提交")
	if r := c.post("/portal/rate", url.Values{"number": {k.Number}, "code": {"2345-6789-ABCD"}, "satisfaction": {"satisfied"}}); r.Status != http.StatusNotFound {
		t.Errorf("rating with a wrong code: %d", r.Status)
	}
}

func TestPortalRefusesCrossOriginPosts(t *testing.T) {
	e := portalEnv(t)
	c := e.client()
	for _, p := range []string{"/portal", "/portal/track", "/portal/rate"} {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+p, strings.NewReader(portalForm().Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if r := c.do(req); r.Status != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d, want 403", p, r.Status)
		}
	}
	if n, _ := e.st.CountByStatus(context.Background()); len(n) != 0 {
		t.Errorf("a cross-site post registered: %v", n)
	}
}

func TestPortalRateLimited(t *testing.T) {
	e := newEnv(t)
	e.ui.SetPublicLimiter(api.NewPublicLimiter(api.PublicLimits{RequestsPerMinute: 0.001, RequestBurst: 3,
		RegistrationsPerHour: 0.001, RegistrationBurst: 1}))
	c := e.client()
	if r := c.post("/portal", portalForm()); r.Status != http.StatusOK {
		t.Fatalf("first: %d", r.Status)
	}
	r := c.post("/portal", portalForm())
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("second registration: %d, want 429", r.Status)
	}
	mustContain(t, r.Body, "请求过于频繁，请稍后再试", "挂号窗口态度生硬")
	c.post("/portal/track", url.Values{"number": {"x"}, "code": {"y"}})
	r = c.post("/portal/track", url.Values{"number": {"x"}, "code": {"y"}})
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("tracking over the limit: %d, want 429", r.Status)
	}
	mustContain(t, r.Body, "请求过于频繁，请稍后再试")
	// Pages are not limited.
	if r := c.get("/portal/track"); r.Status != http.StatusOK {
		t.Errorf("GET /portal/track: %d", r.Status)
	}
}

// TestPortalMessages: the messages of the public flows exist in both languages.
func TestPortalMessages(t *testing.T) {
	var keys []string
	for _, s := range workflow.PublicStatuses {
		keys = append(keys, "ui.portal.status."+s)
	}
	for _, s := range []string{"satisfied", "basically_satisfied", "dissatisfied"} {
		keys = append(keys, "ui.portal.rated."+s, "ui.note.rated_"+s)
	}
	for _, k := range []string{"consultation", "suggestion", "complaint", "report"} {
		keys = append(keys, "ui.portal.kind_hint."+k)
	}
	for _, f := range []string{"name_phone_or_anonymous", "consent_required", "too_many_files", "file_too_large",
		"unsupported_file", "empty_file", "unreadable_file", "unknown_field", "invalid_type"} {
		keys = append(keys, "field."+f)
	}
	keys = append(keys, "error.too_large", "error.attachments_unavailable", "ui.note.public_case",
		"ui.actor."+workflow.PublicActor, "ui.actor."+workflow.ComplainantActor)
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("no text for %s", k)
		}
	}
}
