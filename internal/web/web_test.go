package web_test

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/api"
	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/i18n"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/web"
	"github.com/ombud/ombud/internal/workflow"
)

const password = "secret-pass-1"

var (
	hashOnce sync.Once
	pwHash   string
)

// env is a running UI on a fresh SQLite store with one user per role.
type env struct {
	t   *testing.T
	srv *httptest.Server
	svc *workflow.Service
	st  *store.Store
	ui  *web.UI
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenDataDir(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pack, err := policy.Load("hospital-taicang")
	if err != nil {
		t.Fatal(err)
	}
	svc := workflow.New(st, pack)
	hashOnce.Do(func() { pwHash, err = auth.HashPassword(password) })
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []*auth.User{
		{Username: "clerk", DisplayName: "王登记", Role: auth.Registrar, Department: "yhb"},
		{Username: "jc", DisplayName: "李监察", Role: auth.Handler, Department: "jiancha"},
		{Username: "cw", DisplayName: "张财务", Role: auth.Handler, Department: "caiwu"},
		{Username: "audit", DisplayName: "赵审计", Role: auth.Auditor},
		{Username: "boss", DisplayName: "周院长", Role: auth.Manager},
		{Username: "jchead", DisplayName: "孙主任", Role: auth.DeptHead, Department: "jiancha"},
		{Username: "gone", DisplayName: "离职", Role: auth.Registrar, Department: "yhb"},
	} {
		u.Active = u.Username != "gone"
		if err := st.CreateUser(ctx, u, pwHash); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	mux := http.NewServeMux()
	// The API shares the mux in production: mounting both checks that the
	// routes do not conflict.
	api.New(svc, log).Register(mux)
	ui := web.New(svc, log)
	ui.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, svc: svc, st: st, ui: ui}
}

// client is a browser: it keeps cookies and does not follow redirects.
type client struct {
	e    *env
	hc   *http.Client
	csrf string
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type resp struct {
	Status int
	Body   string
	Header http.Header
	Cookie []*http.Cookie
}

// untranslated finds a message key shown instead of its text.
var untranslated = regexp.MustCompile(`\b(ui|status|action|kind|field|error|role|demand|evidence|method|satisfaction|deadline|event)\.[a-z_]+[a-z]\b`)

var tags = regexp.MustCompile(`<[^>]*>`)

func (c *client) do(req *http.Request) resp {
	c.e.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := resp{Status: res.StatusCode, Body: string(b), Header: res.Header, Cookie: res.Cookies()}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if m := untranslated.FindString(tags.ReplaceAllString(r.Body, " ")); m != "" {
			c.e.t.Errorf("%s %s shows the untranslated key %q", req.Method, req.URL.Path, m)
		}
	}
	return r
}

func (c *client) get(path string) resp {
	c.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.e.srv.URL+path, nil)
	return c.do(req)
}

func (c *client) post(path string, v url.Values) resp {
	c.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// form returns v with the session's CSRF token added.
func (c *client) form(v url.Values) url.Values {
	out := url.Values{"csrf": {c.csrf}}
	for k, vs := range v {
		out[k] = vs
	}
	return out
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// login logs in as user and remembers the CSRF token of the session.
func (e *env) login(user string) *client {
	e.t.Helper()
	c := e.client()
	r := c.post("/login", url.Values{"username": {user}, "password": {password}})
	if r.Status != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d\n%s", user, r.Status, r.Body)
	}
	page := c.get("/cases")
	m := csrfRE.FindStringSubmatch(page.Body)
	if m == nil {
		e.t.Fatalf("no csrf token on /cases:\n%s", page.Body)
	}
	c.csrf = m[1]
	return c
}

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func mustNotContain(t *testing.T, body string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(body, w) {
			t.Errorf("page shows %q", w)
		}
	}
}

// register registers a case directly through the service.
func (e *env) register(subject, category string) *cases.Case {
	e.t.Helper()
	c, err := e.svc.Register(context.Background(), cases.Actor{Username: "clerk", Role: auth.Registrar, Department: "yhb"},
		cases.Registration{Kind: "complaint", Channel: "phone", Subject: subject, Content: subject + "，详情见电话记录。",
			Category: category, Complainant: cases.Complainant{Name: "陈女士", Phone: "13812345678"}})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *env) caseOf(number string) *cases.Case {
	e.t.Helper()
	c, err := e.st.GetCase(context.Background(), number)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func TestLoggedOutRedirectsToLogin(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, tc := range []struct {
		method, path, location string
	}{
		{"GET", "/", "/login?next=%2F"},
		{"GET", "/cases", "/login?next=%2Fcases"},
		{"GET", "/cases?status=registered", "/login?next=%2Fcases%3Fstatus%3Dregistered"},
		{"GET", "/cases/new", "/login?next=%2Fcases%2Fnew"},
		{"GET", "/cases/TS202601-0001", "/login?next=%2Fcases%2FTS202601-0001"},
		{"GET", "/cases/TS202601-0001/slip", "/login?next=%2Fcases%2FTS202601-0001%2Fslip"},
		{"GET", "/no/such/page", "/login?next=%2Fno%2Fsuch%2Fpage"},
		{"POST", "/cases", "/login"},
		{"POST", "/cases/TS202601-0001/actions/accept", "/login"},
	} {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			var r resp
			if tc.method == "GET" {
				r = c.get(tc.path)
			} else {
				r = c.post(tc.path, url.Values{"subject": {"x"}})
			}
			if r.Status != http.StatusSeeOther || r.Header.Get("Location") != tc.location {
				t.Errorf("status %d location %q, want 303 %q", r.Status, r.Header.Get("Location"), tc.location)
			}
		})
	}
	// The login page itself is public, in Chinese by default.
	r := c.get("/login")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /login: %d", r.Status)
	}
	mustContain(t, r.Body, "太仓市第一人民医院", "用户名", "密码", `name="username"`)
	// A cookie with an unknown token is no session.
	u, _ := url.Parse(e.srv.URL)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: web.SessionCookie, Value: "forged", Path: "/"}})
	if r := c.get("/cases"); r.Status != http.StatusSeeOther {
		t.Errorf("forged session: status %d, want 303", r.Status)
	}
	if n, _ := e.st.CountUsers(context.Background()); n == 0 {
		t.Fatal("no users")
	}
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name, user, pass string
		status           int
		want             string
	}{
		{"wrong password", "clerk", "nope", http.StatusUnauthorized, "用户名或密码错误"},
		{"unknown user", "nobody", password, http.StatusUnauthorized, "用户名或密码错误"},
		{"inactive user", "gone", password, http.StatusUnauthorized, "用户名或密码错误"},
		{"empty password", "clerk", "", http.StatusUnauthorized, "用户名或密码错误"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.client()
			r := c.post("/login", url.Values{"username": {tc.user}, "password": {tc.pass}})
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d", r.Status, tc.status)
			}
			mustContain(t, r.Body, tc.want, `value="`+tc.user+`"`)
			for _, ck := range r.Cookie {
				if ck.Name == web.SessionCookie && ck.Value != "" {
					t.Error("a failed login set a session cookie")
				}
			}
		})
	}

	for _, tc := range []struct{ next, location string }{
		{"", "/cases"},
		{"/cases/new", "/cases/new"},
		{"https://evil.example/", "/cases"},
		{"//evil.example/x", "/cases"},
		{"/\\evil.example", "/cases"},
	} {
		t.Run("next="+tc.next, func(t *testing.T) {
			c := e.client()
			r := c.post("/login", url.Values{"username": {"clerk"}, "password": {password}, "next": {tc.next}})
			if r.Status != http.StatusSeeOther || r.Header.Get("Location") != tc.location {
				t.Fatalf("status %d location %q, want 303 %q", r.Status, r.Header.Get("Location"), tc.location)
			}
			var sess *http.Cookie
			for _, ck := range r.Cookie {
				if ck.Name == web.SessionCookie {
					sess = ck
				}
			}
			if sess == nil || sess.Value == "" {
				t.Fatal("no session cookie")
			}
			if !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Path != "/" || sess.Secure {
				t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP", sess)
			}
			if _, _, err := e.st.SessionUser(context.Background(), auth.TokenHash(sess.Value)); err != nil {
				t.Errorf("the cookie is not a session: %v", err)
			}
			// Logged in, the list shows the user's name and role.
			page := c.get("/cases")
			if page.Status != http.StatusOK {
				t.Fatalf("GET /cases: %d", page.Status)
			}
			mustContain(t, page.Body, "王登记", "投诉受理员", "案件列表", "退出")
			// The login page sends a logged-in user on.
			if r := c.get("/login"); r.Status != http.StatusSeeOther {
				t.Errorf("GET /login logged in: %d, want 303", r.Status)
			}
		})
	}
}

func TestLoginRefusesCrossOriginPost(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/login",
		strings.NewReader(url.Values{"username": {"clerk"}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	r := c.do(req)
	if r.Status != http.StatusForbidden {
		t.Fatalf("cross-site login: status %d, want 403", r.Status)
	}
	mustContain(t, r.Body, "页面已过期")
}

func TestLogout(t *testing.T) {
	e := newEnv(t)
	c := e.login("clerk")
	r := c.post("/logout", c.form(nil))
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d %q", r.Status, r.Header.Get("Location"))
	}
	if r := c.get("/cases"); r.Status != http.StatusSeeOther {
		t.Errorf("after logout /cases: %d, want a redirect to /login", r.Status)
	}
}

// fullForm is a complete registration as a clerk types it.
func fullForm(received time.Time) url.Values {
	return url.Values{
		"kind":                      {"complaint"},
		"channel":                   {"walk_in"},
		"received_at":               {received.In(calendar.Shanghai).Format("2006-01-02T15:04")},
		"urgent":                    {"1"},
		"complainant.name":          {"陈女士"},
		"complainant.phone":         {"13812345678"},
		"complainant.other_contact": {"微信 chen_w"},
		"complainant.group_size":    {"3"},
		"complainant.member_level":  {"普通"},
		"complainant.emotion":       {"激动"},
		"respondent.department":     {"menzhen"},
		"respondent.staff":          {"挂号窗口3号"},
		"respondent.site":           {"门诊一楼"},
		"subject":                   {"挂号窗口工作人员态度生硬"},
		"content":                   {"患者家属称在挂号时被工作人员呵斥。\r\n要求道歉。"},
		"demands":                   {"apology", "improvement"},
		"demand_note":               {"希望当面道歉"},
		"evidence.type":             {"photo", "", "recording"},
		"evidence.count":            {"2", "", ""},
		"evidence.note":             {"窗口照片", "", ""},
		"category":                  {"attitude"},
		"level":                     {"2"},
		"receiver":                  {"clerk"},
		"receiver_dept":             {"医患关系办公室"},
		"receiver_tel":              {"0512-53620000"},
	}
}

func TestRegisterViaForm(t *testing.T) {
	e := newEnv(t)
	c := e.login("clerk")

	page := c.get("/cases/new")
	if page.Status != http.StatusOK {
		t.Fatalf("GET /cases/new: %d", page.Status)
	}
	mustContain(t, page.Body, `id="f-complainant.name" name="complainant.name" value="" autocomplete="off" autofocus`, `<option value="phone" selected>电话</option>`,
		`name="receiver" value="clerk"`, `value="医患关系办公室"`, "先处理后登记", "顾客拒绝提供", "道歉", "聊天记录",
		`type="datetime-local" name="received_at" value="`+e.svc.Now().In(calendar.Shanghai).Format("2006-01-02T"))

	received := time.Now().Add(-90 * time.Minute).Truncate(time.Minute)
	r := c.post("/cases", c.form(fullForm(received)))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("POST /cases: status %d\n%s", r.Status, r.Body)
	}
	loc := r.Header.Get("Location")
	number := strings.TrimPrefix(loc, "/cases/")
	if !regexp.MustCompile(`^TS\d{6}-0001$`).MatchString(number) {
		t.Fatalf("redirected to %q, want the new case", loc)
	}
	got := e.caseOf(number)
	want := cases.Registration{
		Kind: "complaint", Channel: "walk_in", ReceivedAt: received.UTC(),
		Complainant: cases.Complainant{Name: "陈女士", Phone: "13812345678", OtherContact: "微信 chen_w",
			GroupSize: 3, MemberLevel: "普通", Emotion: "激动"},
		Respondent: cases.Respondent{Department: "menzhen", Staff: "挂号窗口3号", Site: "门诊一楼"},
		Subject:    "挂号窗口工作人员态度生硬", Content: "患者家属称在挂号时被工作人员呵斥。\n要求道歉。",
		Demands: []string{"apology", "improvement"}, DemandNote: "希望当面道歉",
		Evidence: []cases.Evidence{{Type: "photo", Count: 2, Note: "窗口照片"}, {Type: "recording", Count: 1}},
		Category: "attitude", Level: "2", Urgent: true,
		Receiver: "clerk", ReceiverDept: "医患关系办公室", ReceiverTel: "0512-53620000",
	}
	if !got.ReceivedAt.Equal(want.ReceivedAt) {
		t.Errorf("received at %v, want %v", got.ReceivedAt, want.ReceivedAt)
	}
	got.ReceivedAt = want.ReceivedAt
	if g, w := jsonOf(t, got.Registration), jsonOf(t, want); g != w {
		t.Errorf("registration\n got %s\nwant %s", g, w)
	}

	show := c.get(loc)
	if show.Status != http.StatusOK {
		t.Fatalf("GET %s: %d", loc, show.Status)
	}
	mustContain(t, show.Body, number, "挂号窗口工作人员态度生硬", "138****5678", "直访", "门诊部", "服务态度", "二级投诉",
		"道歉、整改", "照片 × 2 (窗口照片)", "录音 × 1", "陈女士（3人集体投诉）", "先处理后登记", "已登记")
	mustNotContain(t, show.Body, "13812345678")
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRegisterValidationKeepsInput(t *testing.T) {
	e := newEnv(t)
	c := e.login("clerk")
	now := time.Now()
	for _, tc := range []struct {
		name   string
		change url.Values
		field  string // the input marked invalid
		msg    string
	}{
		{"missing subject and text", url.Values{"subject": {""}, "content": {""}}, `id="f-content"`, "必填"},
		{"bad phone", url.Values{"complainant.phone": {"call me"}}, `id="f-complainant.phone"`, "电话号码格式不正确"},
		{"group size not a number", url.Values{"complainant.group_size": {"three"}}, `id="f-complainant.group_size"`, "请输入整数"},
		{"received in the future", url.Values{"received_at": {now.Add(3 * time.Hour).In(calendar.Shanghai).Format("2006-01-02T15:04")}},
			`id="f-received_at"`, "时间不能晚于现在"},
		{"unreadable time", url.Values{"received_at": {"yesterday"}}, `id="f-received_at"`, "时间格式不正确"},
		{"no complainant", url.Values{"complainant.name": {""}, "complainant.phone": {""}, "complainant.other_contact": {""}},
			`id="f-complainant.name"`, "请填写姓名或联系方式"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fullForm(now.Add(-time.Hour))
			for k, v := range tc.change {
				f[k] = v
			}
			r := c.post("/cases", c.form(f))
			if r.Status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", r.Status)
			}
			mustContain(t, r.Body, "输入有误，请检查标出的字段", tc.msg)
			// The bad field is marked and has the focus.
			i := strings.Index(r.Body, tc.field)
			if i < 0 {
				t.Fatalf("no %s", tc.field)
			}
			tag := r.Body[i : i+strings.Index(r.Body[i:], ">")]
			if !strings.Contains(tag, `aria-invalid="true"`) || !strings.Contains(tag, "autofocus") {
				t.Errorf("%s is not marked invalid and focused: %s", tc.field, tag)
			}
			// Everything else the clerk typed is still there.
			for _, want := range []string{`value="微信 chen_w"`, `<details class="more" open>`, "患者家属称在挂号时被工作人员呵斥。",
				`value="improvement" checked`, `value="photo" selected`, `value="2"`, `value="窗口照片"`,
				`value="recording" selected`, `<option value="walk_in" selected>`, `<option value="attitude" selected>`,
				`name="urgent" value="1" checked`, `value="0512-53620000"`, `value="挂号窗口3号"`} {
				if tc.change.Has("complainant.other_contact") && want == `value="微信 chen_w"` {
					continue
				}
				if tc.change.Has("content") && want == "患者家属称在挂号时被工作人员呵斥。" {
					continue
				}
				if !strings.Contains(r.Body, want) {
					t.Errorf("lost input %s", want)
				}
			}
		})
	}
	if _, total, _ := e.svc.List(context.Background(), cases.Actor{Role: auth.Admin}, store.Filter{}); total != 0 {
		t.Errorf("%d cases registered by invalid forms", total)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	c := e.login("clerk")
	k := e.register("药费收取有误", "charges")
	for _, tc := range []struct {
		name, path string
		form       url.Values
	}{
		{"register without token", "/cases", fullForm(time.Now())},
		{"register with a wrong token", "/cases", withCSRF(fullForm(time.Now()), "forged")},
		{"action without token", "/cases/" + k.Number + "/actions/accept", url.Values{"category": {"charges"}}},
		{"action with another session's token", "/cases/" + k.Number + "/actions/accept",
			withCSRF(url.Values{"category": {"charges"}}, e.login("clerk").csrf)},
		{"reveal without token", "/cases/" + k.Number + "/contact", url.Values{"reason": {"回电"}}},
		{"logout without token", "/logout", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.post(tc.path, tc.form)
			if r.Status != http.StatusForbidden {
				t.Fatalf("status %d, want 403", r.Status)
			}
			mustContain(t, r.Body, "页面已过期，请刷新后重试", "返回案件列表")
		})
	}
	if got := e.caseOf(k.Number); got.Status != cases.Registered {
		t.Errorf("case is %s after forged posts", got.Status)
	}
	if _, total, _ := e.svc.List(context.Background(), cases.Actor{Role: auth.Admin}, store.Filter{}); total != 1 {
		t.Errorf("%d cases, want only the one registered directly", total)
	}
	if r := c.get("/cases"); r.Status != http.StatusOK {
		t.Errorf("the session ended by a forged logout: %d", r.Status)
	}
}

func withCSRF(v url.Values, token string) url.Values {
	v.Set("csrf", token)
	return v
}

func TestActionsViaForms(t *testing.T) {
	e := newEnv(t)
	c := e.login("clerk")
	k := e.register("护士输液时态度差", "")
	path := "/cases/" + k.Number

	page := c.get(path)
	mustContain(t, page.Body, `action="`+path+`/actions/accept"`, `action="`+path+`/actions/reject"`,
		`action="`+path+`/actions/forward"`, `action="`+path+`/actions/void"`)
	mustNotContain(t, page.Body, `/actions/assign"`, `/actions/take"`)

	// Accept, classifying the case.
	r := c.post(path+"/actions/accept", c.form(url.Values{"category": {"attitude"}, "level": {"2"}}))
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != path+"?done=accept" {
		t.Fatalf("accept: %d %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	if got := e.caseOf(k.Number); got.Status != cases.Accepted || got.Category != "attitude" || got.Level != "2" {
		t.Fatalf("after accept: %s %s %s", got.Status, got.Category, got.Level)
	}
	page = c.get(path + "?done=accept")
	mustContain(t, page.Body, "已完成：受理", "已受理", "服务态度", "二级投诉")
	// The assign form proposes the category's department.
	mustContain(t, page.Body, `<option value="jiancha" selected>监察室</option>`, `<option value="jc">李监察 · 监察室</option>`)

	// Errors are shown on the case page, with what was typed.
	for _, tc := range []struct {
		name, action string
		form         url.Values
		status       int
		wants        []string
	}{
		{"unknown handler", "assign", url.Values{"department": {"jiancha"}, "handler": {"nobody"}}, http.StatusBadRequest,
			[]string{"该经办人不存在或不属于该部门", `value="nobody"`}},
		{"handler of another department", "assign", url.Values{"department": {"jiancha"}, "handler": {"cw"}},
			http.StatusBadRequest, []string{"该经办人不存在或不属于该部门", `name="handler" value="cw"`}},
		{"void without a reason", "void", url.Values{"reason": {"  "}}, http.StatusBadRequest,
			[]string{"输入有误", "必填"}},
		{"accept again", "accept", url.Values{"category": {"nursing"}, "level": {"1"}}, http.StatusConflict,
			[]string{"当前状态下不能执行此操作", "该操作当前不可执行，您填写的内容保留如下",
				`<option value="nursing" selected>`, `<option value="1" title=`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.post(path+"/actions/"+tc.action, c.form(tc.form))
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d\n%s", r.Status, tc.status, r.Body)
			}
			mustContain(t, r.Body, tc.wants...)
			mustContain(t, r.Body, `class="action failed"`)
			if got := e.caseOf(k.Number); got.Status != cases.Accepted {
				t.Errorf("status changed to %s", got.Status)
			}
		})
	}

	// Assign to the department and a handler.
	r = c.post(path+"/actions/assign", c.form(url.Values{"department": {"jiancha"}, "handler": {"jc"}}))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("assign: %d\n%s", r.Status, r.Body)
	}
	got := e.caseOf(k.Number)
	if got.Status != cases.Assigned || got.Department != "jiancha" || got.Handler != "jc" {
		t.Fatalf("after assign: %s %s %s", got.Status, got.Department, got.Handler)
	}
	page = c.get(path)
	mustContain(t, page.Body, "已交办", "监察室", "李监察")
	// The timeline shows each step with its details.
	mustContain(t, page.Body, "<strong>登记</strong>", "<strong>受理</strong>", "<strong>交办</strong>", "王登记")

	// The handler takes it and proposes a reply; the form of propose has
	// only the reply input.
	h := e.login("jc")
	if r := h.post(path+"/actions/take", h.form(nil)); r.Status != http.StatusSeeOther {
		t.Fatalf("take: %d\n%s", r.Status, r.Body)
	}
	page = h.get(path)
	form := between(page.Body, `id="act-propose"`, "</form>")
	mustContain(t, form, `name="reply"`)
	mustNotContain(t, form, `name="reason"`, `name="method"`, `name="department"`)
	if r := h.post(path+"/actions/propose", h.form(url.Values{"reply": {"已约谈当事护士，向患者致歉。"}})); r.Status != http.StatusSeeOther {
		t.Fatalf("propose: %d\n%s", r.Status, r.Body)
	}
	if got := e.caseOf(k.Number); got.Status != cases.Reviewing || got.Proposal != "已约谈当事护士，向患者致歉。" {
		t.Fatalf("after propose: %s %q", got.Status, got.Proposal)
	}
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j]
}

func TestReplyFormIsPrefilledWithTheApprovedProposal(t *testing.T) {
	e := newEnv(t)
	k := e.register("收费有疑问", "charges")
	ctx := context.Background()
	admin := cases.Actor{Username: "admin", Role: auth.Admin}
	for _, step := range []struct {
		a cases.Action
		p cases.Params
	}{
		{cases.Accept, cases.Params{Level: "3"}},
		{cases.Assign, cases.Params{}},
		{cases.Take, cases.Params{}},
		{cases.Propose, cases.Params{Reply: "经核实收费无误，已电话解释。"}},
		{cases.Approve, cases.Params{}},
	} {
		if _, err := e.svc.Act(ctx, admin, k.Number, step.a, step.p); err != nil {
			t.Fatalf("%s: %v", step.a, err)
		}
	}
	c := e.login("clerk")
	page := c.get("/cases/" + k.Number)
	form := between(page.Body, `id="act-reply"`, "</form>")
	mustContain(t, form, ">经核实收费无误，已电话解释。</textarea>", `<option value="phone" selected>电话</option>`, "书面")
	r := c.post("/cases/"+k.Number+"/actions/reply", c.form(url.Values{"reply": {"经核实收费无误，已电话解释。"}, "method": {"phone"}}))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("reply: %d\n%s", r.Status, r.Body)
	}
	page = c.get("/cases/" + k.Number)
	form = between(page.Body, `id="act-visit"`, "</form>")
	mustContain(t, form, `type="radio" name="satisfaction" value="satisfied"`, "基本满意", "不满意", `name="note"`)
	r = c.post("/cases/"+k.Number+"/actions/visit", c.form(url.Values{"satisfaction": {"basically_satisfied"}, "note": {"患者表示理解"}}))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("visit: %d\n%s", r.Status, r.Body)
	}
	got := e.caseOf(k.Number)
	if got.Status != cases.Closed || got.Satisfaction != cases.BasicallySatisfied {
		t.Fatalf("after visit: %s %s", got.Status, got.Satisfaction)
	}
	page = c.get("/cases/" + k.Number)
	mustContain(t, page.Body, "已办结", "基本满意", "患者表示理解", "按时完成")
}

func TestLanguageSwitch(t *testing.T) {
	e := newEnv(t)
	c := e.login("clerk")
	k := e.register("候诊时间过长", "process")

	zh := c.get("/cases")
	mustContain(t, zh.Body, `<html lang="zh-CN">`, "案件列表", "候诊时间过长", "已登记", "English")

	for _, tc := range []struct{ back, location string }{
		{"/cases/" + k.Number, "/cases/" + k.Number},
		{"https://evil.example/", "/cases"},
		{"//evil.example/", "/cases"},
		{"", "/cases"},
	} {
		r := c.get("/lang?to=en&back=" + url.QueryEscape(tc.back))
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != tc.location {
			t.Errorf("back=%q: %d %q, want 303 %q", tc.back, r.Status, r.Header.Get("Location"), tc.location)
		}
	}
	en := c.get("/cases")
	mustContain(t, en.Body, `<html lang="en">`, "Cases", "Log out", "Registrar", "Registered", "Complaint", "中文",
		"Taicang First People&#39;s Hospital")
	mustNotContain(t, en.Body, "案件列表", "已登记")

	page := c.get("/cases/" + k.Number)
	mustContain(t, page.Body, "Registration", "Accept", "Reason", "Visit process", "Phone", "Show full number")
	mustNotContain(t, page.Body, "受理", "登记信息")

	// Errors are in English too.
	r := c.post("/cases/"+k.Number+"/actions/reject", c.form(url.Values{"reason": {""}}))
	mustContain(t, r.Body, "Some fields are invalid", "Required")
	if r := c.post("/cases", fullForm(time.Now())); r.Status != http.StatusForbidden || !strings.Contains(r.Body, "The page has expired") {
		t.Errorf("csrf page: %d, want the English 403", r.Status)
	}

	// Back to Chinese.
	c.get("/lang?to=zh-CN&back=/cases")
	mustContain(t, c.get("/cases").Body, "案件列表")
}

func TestSlip(t *testing.T) {
	e := newEnv(t)
	k := e.register("医生未解释检查结果", "medical")
	admin := cases.Actor{Username: "admin", Role: auth.Admin}
	ctx := context.Background()
	if _, err := e.svc.Act(ctx, admin, k.Number, cases.Accept, cases.Params{Level: "1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Act(ctx, admin, k.Number, cases.Assign, cases.Params{}); err != nil {
		t.Fatal(err)
	}
	c := e.login("clerk")
	r := c.get("/cases/" + k.Number + "/slip")
	if r.Status != http.StatusOK {
		t.Fatalf("slip: %d", r.Status)
	}
	mustContain(t, r.Body, k.Number, "太仓市第一人民医院", "《投诉交办单》", "医生未解释检查结果", "138****5678",
		"医务处", "一级投诉", "医疗质量", "经办人（签字）", "科室负责人（签字）", "日期", "医患关系办公室", "data-print",
		// A day-based limit ends at 24:00 of its last day, shown as such.
		e.caseOf(k.Number).Clock("reply").Due.In(calendar.Shanghai).AddDate(0, 0, -1).Format("2006-01-02")+" 24:00")
	mustNotContain(t, r.Body, "13812345678")
	// The print style hides the navigation.
	css := c.get("/static/style.css")
	if css.Status != http.StatusOK || !strings.Contains(css.Body, "@media print") || !strings.Contains(css.Body, "size: A4") {
		t.Errorf("style.css: %d, want print rules", css.Status)
	}
	if js := c.get("/static/app.js"); js.Status != http.StatusOK || !strings.Contains(js.Body, "window.print") {
		t.Errorf("app.js: %d", js.Status)
	}
}

func TestDepartmentSeesOnlyItsCases(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := cases.Actor{Username: "admin", Role: auth.Admin}
	mine := e.register("报销比例不对", "insurance")
	theirs := e.register("保安态度恶劣", "attitude")
	for _, k := range []*cases.Case{mine, theirs} {
		if _, err := e.svc.Act(ctx, admin, k.Number, cases.Accept, cases.Params{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.Act(ctx, admin, mine.Number, cases.Assign, cases.Params{Department: "caiwu"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Act(ctx, admin, theirs.Number, cases.Assign, cases.Params{Department: "jiancha"}); err != nil {
		t.Fatal(err)
	}
	cw := e.login("cw")
	list := cw.get("/cases")
	mustContain(t, list.Body, mine.Number, "共 1 条")
	mustNotContain(t, list.Body, theirs.Number)

	for _, tc := range []struct {
		name string
		get  bool
		path string
	}{
		{"case page", true, "/cases/" + theirs.Number},
		{"slip", true, "/cases/" + theirs.Number + "/slip"},
		{"take", false, "/cases/" + theirs.Number + "/actions/take"},
		{"reveal", false, "/cases/" + theirs.Number + "/contact"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r resp
			if tc.get {
				r = cw.get(tc.path)
			} else {
				r = cw.post(tc.path, cw.form(url.Values{"reason": {"看看"}}))
			}
			if r.Status != http.StatusForbidden {
				t.Fatalf("status %d, want 403", r.Status)
			}
			mustContain(t, r.Body, "您没有权限执行此操作")
			mustNotContain(t, r.Body, "保安态度恶劣")
		})
	}
	if got := e.caseOf(theirs.Number); got.Status != cases.Assigned {
		t.Errorf("their case is %s", got.Status)
	}
	// Their own case: the page offers taking it on, and nothing else.
	page := cw.get("/cases/" + mine.Number)
	if page.Status != http.StatusOK {
		t.Fatalf("own case: %d", page.Status)
	}
	mustContain(t, page.Body, `/actions/take"`)
	mustNotContain(t, page.Body, `/actions/assign"`, `/actions/void"`)
	// Handlers may register what they receive first (首问负责); auditors may not.
	if r := cw.get("/cases/new"); r.Status != http.StatusOK {
		t.Errorf("handler /cases/new: %d, want 200 (first receivers register)", r.Status)
	}
	au := e.login("audit")
	if r := au.get("/cases/new"); r.Status != http.StatusForbidden {
		t.Errorf("auditor /cases/new: %d, want 403", r.Status)
	}
}

func TestRevealContact(t *testing.T) {
	e := newEnv(t)
	k := e.register("电话号码查看", "other")
	c := e.login("clerk")
	path := "/cases/" + k.Number + "/contact"

	r := c.post(path, c.form(url.Values{"reason": {" "}}))
	if r.Status != http.StatusBadRequest {
		t.Fatalf("no reason: %d", r.Status)
	}
	mustContain(t, r.Body, "必填", "138****5678")
	mustNotContain(t, r.Body, "13812345678")

	r = c.post(path, c.form(url.Values{"reason": {"回电告知处理进度"}}))
	if r.Status != http.StatusOK {
		t.Fatalf("reveal: %d", r.Status)
	}
	mustContain(t, r.Body, "13812345678", "完整号码（本次查看已记录）")
	log, err := e.st.AccessLog(context.Background(), e.caseOf(k.Number).ID)
	if err != nil || len(log) != 1 || log[0].Actor != "clerk" || log[0].Reason != "回电告知处理进度" {
		t.Fatalf("access log %+v, %v", log, err)
	}
	// The next view is masked again.
	mustNotContain(t, c.get("/cases/"+k.Number).Body, "13812345678")

	// An auditor sees the case but not the number, and has no form for it.
	au := e.login("audit")
	page := au.get("/cases/" + k.Number)
	mustContain(t, page.Body, "138****5678")
	mustNotContain(t, page.Body, `action="`+path+`"`)
	if r := au.post(path, au.form(url.Values{"reason": {"抽查"}})); r.Status != http.StatusForbidden || strings.Contains(r.Body, "13812345678") {
		t.Errorf("auditor reveal: %d", r.Status)
	}
}

func TestListFiltersAndPages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := cases.Actor{Username: "admin", Role: auth.Admin}
	for i := range 32 {
		k := e.register("门诊排队"+string(rune('A'+i%26)), "process")
		if i == 0 {
			if _, err := e.svc.Act(ctx, admin, k.Number, cases.Accept, cases.Params{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.register("停车场收费过高", "charges")
	c := e.login("clerk")
	for _, tc := range []struct {
		query string
		wants []string
		nots  []string
	}{
		{"", []string{"共 33 条", "第 1 / 2 页", "下一页", "停车场收费过高"}, []string{"上一页"}},
		{"?page=2", []string{"第 2 / 2 页", "上一页"}, []string{"下一页"}},
		{"?q=停车场", []string{"共 1 条", "<mark>停车场</mark>收费过高", `value="停车场"`, `<div class="snippet">`}, []string{"门诊排队"}},
		{"?q=收费+停车", []string{"共 1 条", "<mark>停车</mark>场<mark>收费</mark>过高"}, []string{"门诊排队"}},
		{"?category=charges", []string{"共 1 条", `<option value="charges" selected>`}, []string{"门诊排队"}},
		{"?status=accepted", []string{"共 1 条", "已受理", `<option value="accepted" selected>`}, []string{"停车场收费过高"}},
		{"?overdue=1", []string{"共 0 条", "没有符合条件的案件", `name="overdue" value="1" checked`}, nil},
		{"?level=1", []string{"共 0 条"}, nil},
	} {
		t.Run(tc.query, func(t *testing.T) {
			r := c.get("/cases" + tc.query)
			if r.Status != http.StatusOK {
				t.Fatalf("status %d", r.Status)
			}
			mustContain(t, r.Body, tc.wants...)
			mustNotContain(t, r.Body, tc.nots...)
		})
	}
	// Phones are masked in the list.
	r := c.get("/cases")
	mustContain(t, r.Body, "陈女士 <span class=\"mono muted\">138****5678</span>")
	mustNotContain(t, r.Body, "13812345678")
}

func TestOverdueIsHighlighted(t *testing.T) {
	e := newEnv(t)
	// Register a case received long ago: its two working days are over.
	past := time.Now().Add(-10 * 24 * time.Hour)
	_, err := e.svc.Register(context.Background(), cases.Actor{Username: "clerk", Role: auth.Registrar},
		cases.Registration{Kind: "complaint", Channel: "letter", ReceivedAt: past, Subject: "来信反映", Content: "见信件",
			Complainant: cases.Complainant{Anonymous: true}})
	if err != nil {
		t.Fatal(err)
	}
	c := e.login("clerk")
	r := c.get("/cases?overdue=1")
	mustContain(t, r.Body, "共 1 条", `class="is-overdue"`, "已超期", "匿名")
}

func TestNotFound(t *testing.T) {
	e := newEnv(t)
	c := e.login("clerk")
	for _, p := range []string{"/cases/TS190001-9999", "/cases/TS190001-9999/slip", "/nowhere"} {
		r := c.get(p)
		if r.Status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, r.Status)
		}
		mustContain(t, r.Body, "未找到该记录", "返回案件列表")
	}
	r := c.post("/cases/TS190001-9999/actions/dance", c.form(nil))
	if r.Status != http.StatusNotFound {
		t.Errorf("unknown action: %d, want 404", r.Status)
	}
}

// TestMessages checks that every text the templates ask for exists in both
// languages, and that the two catalogs have the same keys.
func TestMessages(t *testing.T) {
	zh, en := i18n.Keys("zh-CN"), i18n.Keys("en")
	slices.Sort(zh)
	slices.Sort(en)
	for _, k := range zh {
		if _, ok := slices.BinarySearch(en, k); !ok {
			t.Errorf("%s is missing in en.json", k)
		}
	}
	for _, k := range en {
		if _, ok := slices.BinarySearch(zh, k); !ok {
			t.Errorf("%s is missing in zh-CN.json", k)
		}
	}
	var keys []string
	tmplKey := regexp.MustCompile(`\.T "([a-z_.]+)"`)
	err := fs.WalkDir(os.DirFS("templates"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(filepath.Join("templates", p))
		for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 50 {
		t.Fatalf("found only %d keys in the templates", len(keys))
	}
	add := func(prefix string, codes ...string) {
		for _, c := range codes {
			keys = append(keys, prefix+c)
		}
	}
	for _, s := range cases.Statuses {
		add("status.", string(s))
	}
	for _, a := range cases.Actions {
		add("action.", string(a))
		if _, ok := web.ActionFields()[a]; !ok && a != cases.Attach { // files have their own form
			t.Errorf("action %s has no form", a)
		}
	}
	for _, r := range auth.Roles {
		add("role.", string(r))
	}
	add("kind.", policy.Kinds...)
	add("demand.", cases.Demands...)
	add("evidence.", cases.EvidenceTypes...)
	add("method.", cases.ReplyMethods...)
	add("satisfaction.", string(cases.Satisfied), string(cases.BasicallySatisfied), string(cases.Dissatisfied), string(cases.Unreachable))
	add("deadline.", policy.ClockNames...)
	add("deadline.", "running", "paused", "met", "breached")
	add("event.", cases.EventRemind, cases.EventEscalate)
	for _, fields := range web.ActionFields() {
		add("ui.a.", fields...)
	}
	add("ui.unit.", "m", "h", "d", "wd", "bh")
	add("ui.inform.", "late", "extended")
	add("ui.note.", "assigned", "remind", "remind_nodue", "escalate", "extension_requested", "extension_approved",
		"extension_rejected", "other")
	add("ui.board.", "none_overdue", "none_due_soon")
	add("field.", "invalid_number", "not_extendable", "beyond_bound", "not_later", "days_or_until", "invalid_date",
		"invalid_duration", "no_business_hours", "unknown_clock", "invalid")
	add("error.", "csrf", "forbidden", "not_found", "invalid_transition", "conflict", "rate_limited", "internal", "invalid_input")
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("no text for %s", k)
		}
	}
}

func TestLoginRateLimited(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	limited := 0
	// The attempts come without a password: the limiter counts them all
	// the same, and none waits for a password hash, which on a slow
	// machine takes longer than the limiter needs to refill.
	for range 15 {
		r := c.post("/login", url.Values{"username": {"clerk"}, "password": {""}})
		if r.Status == http.StatusTooManyRequests {
			limited++
			mustContain(t, r.Body, "请求过于频繁，请稍后再试", `value="clerk"`)
		}
	}
	if limited == 0 {
		t.Fatal("15 quick login attempts were never limited")
	}
}

func TestPagesAnsweringPostsSwitchLanguageToAFetchablePage(t *testing.T) {
	e := newEnv(t)
	k := e.register("语言切换", "other")
	c := e.login("clerk")
	for _, tc := range []struct {
		path string
		form url.Values
		back string
	}{
		{"/cases/" + k.Number + "/contact", url.Values{"reason": {"回电"}}, "/cases/" + k.Number},
		{"/cases/" + k.Number + "/actions/reject", url.Values{"reason": {""}}, "/cases/" + k.Number},
		{"/cases", url.Values{"subject": {""}}, "/cases/new"},
	} {
		r := c.post(tc.path, c.form(tc.form))
		want := `href="/lang?to=en&amp;back=` + url.QueryEscape(tc.back) + `"`
		if !strings.Contains(r.Body, want) {
			t.Errorf("POST %s: no %s", tc.path, want)
		}
	}
	// A handler registering a complaint is its first receiver, in their department.
	h := e.login("jc")
	mustContain(t, h.get("/cases/new").Body, `name="receiver" value="jc"`, `name="receiver_dept" value="监察室"`)
}

// act takes action a on case number as the administrator, through the service.
func (e *env) act(number string, a cases.Action, p cases.Params) {
	e.t.Helper()
	if _, err := e.svc.Act(context.Background(), cases.Actor{Username: "admin", Role: auth.Admin}, number, a, p); err != nil {
		e.t.Fatalf("%s %s: %v", a, number, err)
	}
}

// due shows t as the pages show a deadline: 24:00 of the day before for midnight.
func due(t time.Time) string {
	l := t.In(calendar.Shanghai)
	if l.Hour() == 0 && l.Minute() == 0 {
		return l.Add(-time.Minute).Format("2006-01-02") + " 24:00"
	}
	return l.Format("2006-01-02 15:04")
}

func TestPauseResumeAndContactViaForms(t *testing.T) {
	e := newEnv(t)
	k := e.register("等待补充病历材料", "medical")
	path := "/cases/" + k.Number
	c := e.login("clerk")

	// A new case: its reply limit runs, and the side actions are offered.
	page := c.get(path)
	panel := between(page.Body, `id="deadlines"`, "</section>")
	mustContain(t, panel, `id="deadline-reply"`, "答复时限", "2 个工作日", "进行中", "剩余 ", due(e.caseOf(k.Number).Clock("reply").Due))
	mustContain(t, page.Body, `id="act-contact"`, `id="act-pause"`)
	mustNotContain(t, page.Body, `id="act-resume"`, `id="act-approve_extension"`)
	// The contact form proposes the channel the complaint came by.
	mustContain(t, between(page.Body, `id="act-contact"`, "</form>"), `<option value="phone" selected>电话</option>`, `name="note"`)

	// Pausing needs a reason; what was typed elsewhere is kept.
	r := c.post(path+"/actions/pause", c.form(url.Values{"reason": {" "}}))
	if r.Status != http.StatusBadRequest {
		t.Fatalf("pause without a reason: %d", r.Status)
	}
	mustContain(t, between(r.Body, `id="act-pause"`, "</form>"), "必填", `aria-invalid="true"`)
	if got := e.caseOf(k.Number).Clock("reply"); got.State != cases.ClockRunning {
		t.Fatalf("reply clock %s after a refused pause", got.State)
	}

	before := e.caseOf(k.Number).Clock("reply").Due
	r = c.post(path+"/actions/pause", c.form(url.Values{"reason": {"等待投诉人补充病历材料"}}))
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != path+"?done=pause" {
		t.Fatalf("pause: %d %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	if got := e.caseOf(k.Number).Clock("reply"); got.State != cases.ClockPaused || got.PauseReason != "等待投诉人补充病历材料" {
		t.Fatalf("after pause: %+v", got)
	}
	page = c.get(path + "?done=pause")
	panel = between(page.Body, `id="deadlines"`, "</section>")
	mustContain(t, panel, "dl-paused", "已暂停", "暂停时剩余 ", "暂停于 ", "等待投诉人补充病历材料")
	mustContain(t, page.Body, "已完成：暂停计时", `id="act-resume"`, "<strong>暂停计时</strong>", "答复时限 暂停计时")
	mustNotContain(t, page.Body, `id="act-pause"`)
	// The list says the limit is paused.
	mustContain(t, between(c.get("/cases").Body, `href="`+path+`"`, "</tr>"), "已暂停", "答复时限")

	// An hour later the clock resumes with the time it had left.
	later := time.Now().Add(time.Hour)
	e.svc.Now = func() time.Time { return later }
	r = c.post(path+"/actions/resume", c.form(url.Values{"note": {"材料已收到"}}))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("resume: %d\n%s", r.Status, r.Body)
	}
	got := e.caseOf(k.Number).Clock("reply")
	if got.State != cases.ClockRunning || got.Due.Before(before) {
		t.Fatalf("after resume: %s due %v, was due %v", got.State, got.Due, before)
	}
	page = c.get(path)
	mustContain(t, page.Body, "<strong>恢复计时</strong>", "材料已收到", "答复时限 → "+due(got.Due), `id="act-pause"`)
	mustNotContain(t, between(page.Body, `id="deadlines"`, "</section>"), "dl-paused")

	// Contacting the complainant is recorded with how.
	r = c.post(path+"/actions/contact", c.form(url.Values{"method": {"sms"}, "note": {"已短信告知处理进度"}}))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("contact: %d\n%s", r.Status, r.Body)
	}
	row := between(c.get(path).Body, "<strong>联系投诉人</strong>", "</tr>")
	mustContain(t, row, "联系方式", "短信", "联系情况", "已短信告知处理进度")
	if r := c.post(path+"/actions/contact", c.form(url.Values{"method": {"pigeon"}})); r.Status != http.StatusBadRequest ||
		!strings.Contains(r.Body, "未知的答复方式") {
		t.Errorf("contact by pigeon: %d", r.Status)
	}
}

// extensionRules sets the rulebook's extensions as hospital-taicang's 第十一条
// says: approved by the manager, at most 5 days in all.
func (e *env) extensionRules() {
	e.t.Helper()
	d, err := calendar.ParseDuration("5d")
	if err != nil {
		e.t.Fatal(err)
	}
	e.svc.Pack.Extensions = policy.Extensions{Approver: "manager", MaxTotalText: "5d", MaxTotal: d, Clocks: []string{"reply"}}
}

func TestExtensionViaForms(t *testing.T) {
	e := newEnv(t)
	e.extensionRules()
	k := e.register("检查报告迟迟未出", "attitude")
	e.act(k.Number, cases.Accept, cases.Params{})
	e.act(k.Number, cases.Assign, cases.Params{Department: "jiancha", Handler: "jc"})
	path := "/cases/" + k.Number
	was := e.caseOf(k.Number).Clock("reply").Due

	h := e.login("jc")
	form := between(h.get(path).Body, `id="act-request_extension"`, "</form>")
	mustContain(t, form, `type="number" name="days"`, `type="date" name="until"`, `name="reason"`, "不超过5 天")
	mustNotContain(t, form, `name="clock"`) // one limit may be extended: nothing to choose

	// Refused requests keep what was typed.
	for _, tc := range []struct {
		name  string
		form  url.Values
		wants []string
	}{
		{"days not a number", url.Values{"days": {"三"}, "reason": {"需调取监控"}},
			[]string{"请输入整数", `name="days" value="三"`, ">需调取监控</textarea>"}},
		{"days and a date", url.Values{"days": {"2"}, "until": {"2099-01-01"}, "reason": {"需调取监控"}},
			[]string{"请填写延长天数或日期其一", `name="days" value="2"`, `name="until" value="2099-01-01"`}},
		{"no reason", url.Values{"days": {"2"}}, []string{"必填", `name="days" value="2"`}},
		{"beyond the bound", url.Values{"days": {"6"}, "reason": {"需调取监控"}},
			[]string{"超出制度规定的延期总时限", `name="days" value="6"`, ">需调取监控</textarea>"}},
		{"a date before the deadline", url.Values{"until": {was.In(calendar.Shanghai).AddDate(0, 0, -2).Format("2006-01-02")}, "reason": {"x"}},
			[]string{"须晚于当前期限"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.post(path+"/actions/request_extension", h.form(tc.form))
			if r.Status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400\n%s", r.Status, r.Body)
			}
			form := between(r.Body, `id="act-request_extension"`, "</form>")
			mustContain(t, form, tc.wants...)
			mustContain(t, form, `class="action failed"`)
			if x := e.caseOf(k.Number).Extension; x != nil {
				t.Errorf("an extension is pending: %+v", x)
			}
		})
	}

	// Three more days: the request waits for the manager.
	r := h.post(path+"/actions/request_extension", h.form(url.Values{"days": {"3"}, "reason": {"需调取门诊监控录像"}}))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("request: %d\n%s", r.Status, r.Body)
	}
	x := e.caseOf(k.Number).Extension
	if x == nil || x.Days != 3 || x.By != "jc" || !x.Until.After(was) {
		t.Fatalf("pending extension %+v", x)
	}
	page := h.get(path)
	box := between(page.Body, `id="extension"`, "</div>")
	mustContain(t, box, "延期申请（待审批）", "答复时限", due(x.Until), "3 天", "需调取门诊监控录像", "李监察")
	mustContain(t, page.Body, "<strong>申请延期</strong>", "答复时限 延至 "+due(x.Until)+"（3 天）")
	mustNotContain(t, page.Body, `id="act-request_extension"`, `id="act-approve_extension"`) // one at a time; not theirs to approve

	// The manager is told, and approves.
	boss := e.login("boss")
	inbox := boss.get("/inbox")
	mustContain(t, inbox.Body, k.Number+`</button> 申请延期（答复时限），待您审批`, `class="note unread"`)
	page = boss.get(path)
	mustContain(t, page.Body, `href="#act-approve_extension"`, `id="act-reject_extension"`)
	r = boss.post(path+"/actions/approve_extension", boss.form(url.Values{"note": {"同意"}}))
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != path+"?done=approve_extension" {
		t.Fatalf("approve: %d %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	got := e.caseOf(k.Number)
	if k := got.Clock("reply"); !k.Due.Equal(x.Until) || k.ExtendedDays != 3 || got.Extension != nil || got.Inform != "extended" {
		t.Fatalf("after approval: due %v (want %v), extended %d, extension %+v, inform %q", k.Due, x.Until, k.ExtendedDays, got.Extension, got.Inform)
	}
	page = boss.get(path + "?done=approve_extension")
	panel := between(page.Body, `id="deadlines"`, "</section>")
	mustContain(t, panel, due(x.Until), "已延期 3 天", "须告知投诉人：已批准延期")
	mustNotContain(t, panel, `id="extension"`, `href="#act-contact"`) // the manager does not contact complainants
	mustContain(t, page.Body, "已完成：批准延期", "<strong>批准延期</strong>", "审批意见", "答复时限 → "+due(x.Until))

	// The handler is told; the alert points to the contact form, and a
	// contact clears it.
	mustContain(t, h.get("/inbox").Body, k.Number+`</button> 的答复时限延期已批准`)
	page = h.get(path)
	mustContain(t, between(page.Body, `id="deadlines"`, "</section>"), "须告知投诉人：已批准延期", `href="#act-contact"`)
	if r := h.post(path+"/actions/contact", h.form(url.Values{"method": {"phone"}, "note": {"已电话告知延期"}})); r.Status != http.StatusSeeOther {
		t.Fatalf("contact: %d\n%s", r.Status, r.Body)
	}
	if got := e.caseOf(k.Number).Inform; got != "" {
		t.Errorf("after the contact the complainant is still to be told %q", got)
	}
	mustNotContain(t, between(h.get(path).Body, `id="deadlines"`, "</section>"), "须告知投诉人")

	// Three more days would make six: beyond the bound of five.
	r = h.post(path+"/actions/request_extension", h.form(url.Values{"days": {"3"}, "reason": {"仍需时间"}}))
	if r.Status != http.StatusBadRequest {
		t.Fatalf("second request: %d, want 400", r.Status)
	}
	mustContain(t, between(r.Body, `id="act-request_extension"`, "</form>"), "超出制度规定的延期总时限", `name="days" value="3"`, ">仍需时间</textarea>")

	// Two more days may be asked for; the manager rejects them.
	if r := h.post(path+"/actions/request_extension", h.form(url.Values{"days": {"2"}, "reason": {"仍需时间"}})); r.Status != http.StatusSeeOther {
		t.Fatalf("third request: %d\n%s", r.Status, r.Body)
	}
	if r := boss.post(path+"/actions/reject_extension", boss.form(url.Values{"reason": {" "}})); r.Status != http.StatusBadRequest {
		t.Errorf("reject without a reason: %d, want 400", r.Status)
	}
	if r := boss.post(path+"/actions/reject_extension", boss.form(url.Values{"reason": {"请按期答复"}})); r.Status != http.StatusSeeOther {
		t.Fatalf("reject: %d\n%s", r.Status, r.Body)
	}
	if got := e.caseOf(k.Number); got.Extension != nil || !got.Clock("reply").Due.Equal(x.Until) {
		t.Errorf("after rejection: extension %+v, due %v", got.Extension, got.Clock("reply").Due)
	}
	mustContain(t, h.get("/inbox").Body, k.Number+`</button> 的答复时限延期被驳回`)
	mustContain(t, h.get(path).Body, "<strong>驳回延期</strong>", "请按期答复")
}

// hourLimits makes the reply limit 48 natural hours, so that deadlines do
// not depend on the day the test runs.
func (e *env) hourLimits() {
	e.t.Helper()
	d, err := calendar.ParseDuration("48h")
	if err != nil {
		e.t.Fatal(err)
	}
	e.svc.Pack.TimeLimits = append([]policy.TimeLimit{{Clock: "reply", WithinText: "48h", Within: d}}, e.svc.Pack.TimeLimits...)
}

// registerAt registers a case received at received, through the service.
func (e *env) registerAt(subject, category string, received time.Time) *cases.Case {
	e.t.Helper()
	c, err := e.svc.Register(context.Background(), cases.Actor{Username: "clerk", Role: auth.Registrar, Department: "yhb"},
		cases.Registration{Kind: "complaint", Channel: "phone", Subject: subject, Content: subject, Category: category,
			ReceivedAt: received, Complainant: cases.Complainant{Name: "刘先生", Phone: "13900001111"}})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func TestSupervisionBoard(t *testing.T) {
	e := newEnv(t)
	e.hourLimits()
	ctx := context.Background()
	late := e.register("投诉迟迟无人处理", "attitude")
	e.act(late.Number, cases.Accept, cases.Params{})
	e.act(late.Number, cases.Assign, cases.Params{Department: "jiancha", Handler: "jc"})

	// Five hours after its reply was due, the first case is overdue.
	now := e.caseOf(late.Number).Clock("reply").Due.Add(5 * time.Hour)
	e.svc.Now = func() time.Time { return now }
	soon := e.registerAt("收费单据有误", "charges", now.Add(-30*time.Hour)) // due in 18 hours
	e.act(soon.Number, cases.Accept, cases.Params{})
	e.act(soon.Number, cases.Assign, cases.Params{Department: "caiwu"})
	later := e.registerAt("医保报销咨询", "insurance", now) // due in 48 hours
	soonDue := e.caseOf(soon.Number).Clock("reply").Due

	c := e.login("clerk")
	mustContain(t, c.get("/cases").Body, `<a href="/supervision">督办台</a>`)
	board := c.get("/supervision")
	if board.Status != http.StatusOK {
		t.Fatalf("GET /supervision: %d", board.Status)
	}
	counts := between(board.Body, `id="board-counts"`, "</table>")
	for _, tc := range []struct{ dept, wants string }{
		{"jiancha", `<td>监察室</td>
        <td class="num due-breached"><a href="/cases?department=jiancha&amp;overdue=1&amp;sort=due">1</a></td>
        <td class="num">0</td>`},
		{"caiwu", `<td>财务科</td>
        <td class="num">0</td>
        <td class="num due-soon"><a href="/cases?department=caiwu&amp;due_soon=1&amp;sort=due">1</a></td>`},
	} {
		mustContain(t, between(counts, `data-department="`+tc.dept+`"`, "</tr>"), tc.wants)
	}
	mustNotContain(t, counts, `data-department="yibao"`) // due in two days: not on the board
	mustContain(t, between(counts, "<tfoot>", "</tfoot>"), `href="/cases?overdue=1&amp;sort=due">1</a>`, `href="/cases?due_soon=1&amp;sort=due">1</a>`)
	overdue := between(board.Body, `id="board-overdue"`, "</section>")
	mustContain(t, overdue, late.Number, "投诉迟迟无人处理", "监察室", "答复时限", due(now.Add(-5*time.Hour)), "已超期 5 小时", "李监察")
	mustNotContain(t, overdue, soon.Number, later.Number)
	dueSoon := between(board.Body, `id="board-due_soon"`, "</section>")
	mustContain(t, dueSoon, soon.Number, "财务科", due(soonDue), "剩余 18 小时", "dl-soon")
	mustNotContain(t, dueSoon, late.Number, later.Number)

	// The board's links lead to the list, filtered and sorted by deadline.
	for _, tc := range []struct {
		query       string
		wants, nots []string
		order       []string
	}{
		{"?department=jiancha&overdue=1&sort=due", []string{"共 1 条", late.Number, "已超期 5 小时", `class="is-overdue"`}, []string{soon.Number}, nil},
		{"?due_soon=1", []string{"共 1 条", `name="due_soon" value="1" checked`, "剩余 18 小时", "due-soon"}, []string{later.Number, late.Number}, nil},
		{"?sort=due", []string{"共 3 条", `<option value="due" selected>`}, nil, []string{late.Number, soon.Number, later.Number}},
		{"", []string{"共 3 条"}, nil, []string{later.Number, soon.Number, late.Number}},
	} {
		t.Run("list"+tc.query, func(t *testing.T) {
			r := c.get("/cases" + tc.query)
			mustContain(t, r.Body, tc.wants...)
			mustNotContain(t, r.Body, tc.nots...)
			last := -1
			for _, n := range tc.order {
				i := strings.Index(r.Body, `href="/cases/`+n+`"`)
				if i < last {
					t.Errorf("%s is listed out of order %v", n, tc.order)
				}
				last = i
			}
		})
	}
	mustContain(t, between(c.get("/cases/"+late.Number).Body, `id="deadlines"`, "</section>"), "dl-breached", "已超期 5 小时")

	// A department head sees their department; a handler has no board.
	head := e.login("jchead")
	hb := head.get("/supervision")
	mustContain(t, hb.Body, `data-department="jiancha"`, late.Number)
	mustNotContain(t, hb.Body, `data-department="caiwu"`, soon.Number)
	jc := e.login("jc")
	if r := jc.get("/supervision"); r.Status != http.StatusForbidden {
		t.Errorf("a handler's board: %d, want 403", r.Status)
	}
	mustNotContain(t, jc.get("/cases").Body, `href="/supervision"`)

	// The supervisor escalates the missed limit: the timeline, the panel
	// and the inboxes say so, and the complainant must be told.
	if wrote, err := e.svc.Supervise(ctx, late.Number); err != nil || !wrote {
		t.Fatalf("supervise: %v %v", wrote, err)
	}
	page := c.get("/cases/" + late.Number)
	mustContain(t, between(page.Body, "<strong>督办</strong>", "</tr>"), "督办：答复时限已超期")
	mustContain(t, page.Body, `title="system">系统</td>`)
	panel := between(page.Body, `id="deadlines"`, "</section>")
	mustContain(t, panel, "已督办", "须告知投诉人：案件已超期", `href="#act-contact"`)
	for _, user := range []*client{c, head, jc} {
		mustContain(t, user.get("/inbox").Body, late.Number+`</button> 的答复时限已超期`)
	}

	// Seven hours on, the second case's reminder (at 75% of its time) is sent.
	now = now.Add(7 * time.Hour)
	if wrote, err := e.svc.Supervise(ctx, soon.Number); err != nil || !wrote {
		t.Fatalf("supervise: %v %v", wrote, err)
	}
	mustContain(t, e.login("cw").get("/inbox").Body, "提醒：<button", soon.Number+`</button> 的答复时限将于 `+due(soonDue)+" 到期")
	mustContain(t, between(c.get("/cases/"+soon.Number).Body, "<strong>时限提醒</strong>", "</tr>"), "提醒：答复时限")
}

func TestInbox(t *testing.T) {
	e := newEnv(t)
	jc := e.login("jc")
	if r := jc.get("/inbox"); r.Status != http.StatusOK || !strings.Contains(r.Body, "暂无通知") {
		t.Fatalf("empty inbox: %d", r.Status)
	}
	mustNotContain(t, jc.get("/cases").Body, `class="navcount"`)

	first := e.register("输液室护士态度差", "attitude")
	second := e.register("监察室电话无人接听", "attitude")
	for _, k := range []*cases.Case{first, second} {
		e.act(k.Number, cases.Accept, cases.Params{})
		e.act(k.Number, cases.Assign, cases.Params{Department: "jiancha", Handler: "jc"})
	}
	// The badge counts the unread on every page.
	for _, p := range []string{"/cases", "/cases/" + first.Number, "/inbox"} {
		mustContain(t, jc.get(p).Body, `id="nav-inbox"`, `<span class="navcount" title="2 条未读">2</span>`)
	}
	inbox := jc.get("/inbox")
	mustContain(t, inbox.Body, "2 条未读", first.Number+`</button> 已交办给您的科室`, second.Number+`</button> 已交办给您的科室`)
	if strings.Index(inbox.Body, second.Number) > strings.Index(inbox.Body, first.Number) {
		t.Error("the inbox is not newest first")
	}
	m := regexp.MustCompile(`id="note-(\d+)">\s*<form method="post" action="/inbox/(\d+)/read"`).FindAllStringSubmatch(inbox.Body, -1)
	if len(m) != 2 || m[1][1] != m[1][2] {
		t.Fatalf("notification forms %v", m)
	}
	firstID := m[1][1] // older, listed second

	// Someone else cannot mark it read; a post without the token is refused.
	clerk := e.login("clerk")
	if r := clerk.post("/inbox/"+firstID+"/read", clerk.form(url.Values{"number": {first.Number}})); r.Status != http.StatusSeeOther {
		t.Errorf("clerk marking: %d", r.Status)
	}
	if r := jc.post("/inbox/"+firstID+"/read", url.Values{"number": {first.Number}}); r.Status != http.StatusForbidden {
		t.Errorf("marking without the token: %d, want 403", r.Status)
	}
	if r := jc.post("/inbox/x/read", jc.form(nil)); r.Status != http.StatusNotFound {
		t.Errorf("marking a bad id: %d, want 404", r.Status)
	}
	mustContain(t, jc.get("/cases").Body, `<span class="navcount" title="2 条未读">2</span>`)

	// Opening one marks it read and goes to its case.
	r := jc.post("/inbox/"+firstID+"/read", jc.form(url.Values{"number": {first.Number}}))
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/cases/"+first.Number {
		t.Fatalf("open: %d %q", r.Status, r.Header.Get("Location"))
	}
	inbox = jc.get("/inbox")
	mustContain(t, inbox.Body, `<span class="navcount" title="1 条未读">1</span>`, "1 条未读")
	mustContain(t, between(inbox.Body, `id="note-`+firstID+`"`, "</li>"), first.Number)
	mustNotContain(t, between(inbox.Body, `id="note-`+firstID+`"`, "</li>"), "未读")
	mustContain(t, inbox.Body, `<li class="note" id="note-`+firstID+`"`)

	// Marking all read clears the badge.
	r = jc.post("/inbox/read", jc.form(nil))
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/inbox" {
		t.Fatalf("mark all read: %d %q", r.Status, r.Header.Get("Location"))
	}
	inbox = jc.get("/inbox")
	mustNotContain(t, inbox.Body, `class="navcount"`, `class="note unread"`)
	mustContain(t, inbox.Body, "0 条未读", first.Number, second.Number)
	if _, unread, err := e.st.Notifications(context.Background(), "jc", true, 1); err != nil || unread != 0 {
		t.Errorf("unread %d, %v", unread, err)
	}
}

func TestEnglishLabelsOfDeadlinesAndInbox(t *testing.T) {
	e := newEnv(t)
	e.extensionRules()
	k := e.register("Waiting room too cold", "attitude")
	e.act(k.Number, cases.Accept, cases.Params{})
	e.act(k.Number, cases.Assign, cases.Params{Department: "jiancha", Handler: "jc"})
	e.act(k.Number, cases.RequestExtension, cases.Params{Days: 2, Reason: "need the heating log"})
	jc := e.login("jc")
	jc.get("/lang?to=en&back=/cases")
	for _, tc := range []struct {
		path  string
		wants []string
	}{
		{"/cases/" + k.Number, []string{"Time limits", "Reply deadline", "2 working days", " left", "Extension requested (pending)",
			"Contact complainant", "Pause the clock", "Contacted by", "Inbox"}},
		{"/cases", []string{"Next deadline", "Due within 24 h", "Soonest deadline first (running only)"}},
		{"/inbox", []string{"Inbox", "1 unread", "Mark all read", "was assigned to your department"}},
	} {
		r := jc.get(tc.path)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d", tc.path, r.Status)
		}
		mustContain(t, r.Body, tc.wants...)
		mustNotContain(t, r.Body, "答复时限", "通知", "暂停计时")
	}
	head := e.login("jchead")
	head.get("/lang?to=en&back=/cases")
	mustContain(t, head.get("/supervision").Body, "Supervision board", "By department", "Overdue", "Due soon", "No overdue cases")
	boss := e.login("boss")
	boss.get("/lang?to=en&back=/cases")
	mustContain(t, boss.get("/cases/"+k.Number).Body, "Approve the extension", "Reject the extension", "Reason for rejecting")
}

func TestExtensionOfAChosenLimit(t *testing.T) {
	e := newEnv(t)
	e.extensionRules()
	e.svc.Pack.Extensions.Clocks = []string{"reply", "completion"}
	d, _ := calendar.ParseDuration("15d")
	e.svc.Pack.TimeLimits = append(e.svc.Pack.TimeLimits, policy.TimeLimit{Clock: "completion", WithinText: "15d", Within: d})
	k := e.register("出院结算排队太久", "charges")
	path := "/cases/" + k.Number
	c := e.login("clerk")
	page := c.get(path)
	mustContain(t, between(page.Body, `id="deadlines"`, "</section>"), `id="deadline-reply"`, `id="deadline-completion"`, "办结时限", "15 天")
	form := between(page.Body, `id="act-request_extension"`, "</form>")
	mustContain(t, form, `name="clock"`, `<option value="reply" selected>答复时限</option>`, `<option value="completion">办结时限</option>`)

	r := c.post(path+"/actions/request_extension", c.form(url.Values{"clock": {"completion"}, "days": {"2"}, "reason": {"需财务复核"}}))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("request: %d\n%s", r.Status, r.Body)
	}
	if x := e.caseOf(k.Number).Extension; x == nil || x.Clock != "completion" || x.Days != 2 {
		t.Fatalf("extension %+v, want 2 days of the completion limit", x)
	}
	mustContain(t, between(c.get(path).Body, `id="extension"`, "</dl>"), "办结时限", "2 天")
}

// TestRegistrationHints: while the clerk types, the form asks for hints —
// what the pack's rules suggest (with the words that made them) and the
// caller's earlier cases — without registering anything.
func TestRegistrationHints(t *testing.T) {
	e := newEnv(t)
	c := e.login("clerk")
	earlier := e.register("收费处多收检查费", "charges")
	phone := e.caseOf(earlier.Number).Complainant.Phone

	empty := c.post("/cases/new/hints", c.form(url.Values{}))
	if empty.Status != http.StatusOK {
		t.Fatalf("hints: %d", empty.Status)
	}
	mustContain(t, empty.Body, "填写投诉内容后")

	typed := c.form(url.Values{"kind": {"complaint"}, "channel": {"phone"}, "complainant.phone": {phone},
		"subject": {"护士态度恶劣"}, "content": {"护士态度恶劣，我已经联系了电视台记者，要曝光你们。"}})
	r := c.post("/cases/new/hints", typed)
	if r.Status != http.StatusOK {
		t.Fatalf("hints: %d %s", r.Status, r.Body)
	}
	sug, err := e.svc.Suggest(context.Background(), workflow.ActorOf(&auth.User{Username: "clerk", Role: auth.Registrar}), cases.Registration{
		Kind: "complaint", Channel: "phone", Subject: "护士态度恶劣", Content: "护士态度恶劣，我已经联系了电视台记者，要曝光你们。"})
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, r.Body, "按制度规则建议", `data-suggest="level" data-value="`+sug.Level+`"`, "答复时限",
		"该号码（"+cases.MaskPhone(phone)+"）以往的案件", earlier.Number)
	if len(sug.Reasons) > 0 && len(sug.Reasons[0].Matched) > 0 {
		mustContain(t, r.Body, "<mark>"+sug.Reasons[0].Matched[0].Text+"</mark>")
	}
	mustNotContain(t, r.Body, phone)
	// Another caller about the same matter: the earlier case is a possible duplicate.
	dup := c.post("/cases/new/hints", c.form(url.Values{"subject": {"收费处多收检查费"}, "complainant.phone": {"13900000000"}}))
	mustContain(t, dup.Body, "可能重复", earlier.Number)
	if n, _ := e.svc.Store.CountByPhone(context.Background(), phone); n != 1 {
		t.Fatalf("hints registered something: %d cases from the number", n)
	}
	// Without the CSRF token, or as someone who may not register: refused.
	if r := c.post("/cases/new/hints", url.Values{"subject": {"x"}}); r.Status != http.StatusForbidden {
		t.Fatalf("no csrf: %d", r.Status)
	}
	a := e.login("audit")
	if r := a.post("/cases/new/hints", a.form(url.Values{"subject": {"x"}})); r.Status != http.StatusForbidden {
		t.Fatalf("auditor: %d", r.Status)
	}
}

// TestDashboard: the start page shows what waits for each user, the
// serious open cases and the open cases by level and department.
func TestDashboard(t *testing.T) {
	e := newEnv(t)
	fresh := e.register("收费处多收检查费", "charges")       // registered: the clerk's to accept
	assigned := e.register("监察：窗口人员态度差", "attitude") // assigned to 监察室: the handler's to take
	e.act(assigned.Number, cases.Accept, cases.Params{Level: "1"})
	e.act(assigned.Number, cases.Assign, cases.Params{Department: "jiancha"})

	clerk := e.login("clerk").get("/")
	if clerk.Status != http.StatusOK {
		t.Fatalf("GET /: %d", clerk.Status)
	}
	queue := between(clerk.Body, `id="dash-queue"`, "</section>")
	mustContain(t, queue, fresh.Number)
	mustNotContain(t, queue, assigned.Number)

	jc := e.login("jc").get("/")
	queue = between(jc.Body, `id="dash-queue"`, "</section>")
	mustContain(t, queue, assigned.Number)
	mustNotContain(t, queue, fresh.Number)
	// The handler's counts are its department's: one level-1 case.
	counts := between(jc.Body, `id="dash-counts"`, "</section>")
	mustContain(t, counts, "监察室", "一级投诉", `href="/cases?level=1&amp;department=jiancha">1</a>`)
	mustNotContain(t, counts, "财务科")

	boss := e.login("boss").get("/")
	mustContain(t, between(boss.Body, `id="dash-serious"`, "</section>"), assigned.Number)
	mustContain(t, between(boss.Body, `id="dash-counts"`, "</section>"), "(2)")
}

// TestInternalNote: staff add notes to a case in any status; the note is in
// the timeline; auditors read but do not write.
func TestInternalNote(t *testing.T) {
	e := newEnv(t)
	k := e.register("收费处多收检查费", "charges")
	c := e.login("clerk")
	page := c.get("/cases/" + k.Number)
	mustContain(t, page.Body, `id="act-comment"`)
	if r := c.post("/cases/"+k.Number+"/actions/comment", c.form(url.Values{"note": {""}})); r.Status != http.StatusBadRequest {
		t.Fatalf("empty note: %d", r.Status)
	}
	r := c.post("/cases/"+k.Number+"/actions/comment", c.form(url.Values{"note": {"患者情绪激动，回电时注意语气"}}))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("note: %d %s", r.Status, r.Body)
	}
	mustContain(t, c.get("/cases/"+k.Number).Body, "内部备注", "患者情绪激动，回电时注意语气")
	if got := e.caseOf(k.Number).Status; got != cases.Registered {
		t.Fatalf("a note changed the status to %s", got)
	}
	mustNotContain(t, e.login("audit").get("/cases/"+k.Number).Body, `id="act-comment"`)
}

// TestSecondPack: with a second pack served, the registration form offers
// both, registers under the one chosen and shows the case in its terms.
func TestSecondPack(t *testing.T) {
	e := newEnv(t)
	wb, err := policy.Load("whistleblowing")
	if err != nil {
		t.Fatal(err)
	}
	other := workflow.New(e.svc.Store, wb)
	other.Now = e.svc.Now
	if err := workflow.Link(e.svc, other); err != nil {
		t.Fatal(err)
	}
	c := e.login("clerk")
	form := c.get("/cases/new?pack=whistleblowing")
	mustContain(t, form.Body, `id="packs"`, `href="/cases/new?pack=whistleblowing" class="active"`, `action="/cases?pack=whistleblowing"`,
		`data-hints="/cases/new/hints?pack=whistleblowing"`, "信函（通信地址）")
	mustNotContain(t, c.get("/cases/new").Body, `action="/cases?pack=`)
	r := c.post("/cases?pack=whistleblowing", c.form(url.Values{"kind": {"report"}, "channel": {"letter"},
		"complainant.anonymous": {"on"}, "subject": {"私自承揽热力工程"}, "content": {"工程部某员工借用公司名义私自承揽工程。"},
		"receiver": {"clerk"}}))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}
	number := strings.TrimPrefix(r.Header.Get("Location"), "/cases/")
	if k := e.caseOf(number); k.Pack != "whistleblowing" || !strings.HasPrefix(number, "JB") {
		t.Fatalf("registered %s under %s", number, k.Pack)
	}
	mustContain(t, c.get("/cases/"+number).Body, "信函（通信地址）")
	// The list names the report's level in its own pack's words.
	mustContain(t, c.get("/cases").Body, "举报（本制度不分级）")
}
