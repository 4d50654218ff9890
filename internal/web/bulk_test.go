package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/ombud/ombud/internal/cases"
)

var pickRE = regexp.MustCompile(`<input type="checkbox" name="number" value="([^"]+)" form="bulk"`)

// picks are the numbers the list offers to assign in bulk.
func picks(body string) []string {
	var out []string
	for _, m := range pickRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return out
}

// TestBulkAssign: the clerk ticks cases on the list and assigns them all
// at once; each is assigned through the workflow on its own, and the list
// says how many were and why the others were not.
func TestBulkAssign(t *testing.T) {
	e := newEnv(t)
	a := e.register("门诊护士态度差", "attitude")
	b := e.register("保安说话难听", "attitude")
	d := e.register("收费窗口排队太久", "charges")
	fresh := e.register("新登记未受理", "attitude")
	for _, k := range []*cases.Case{a, b, d} {
		e.act(k.Number, cases.Accept, cases.Params{})
	}
	c := e.login("clerk")

	// Only the accepted cases may be assigned now: they have boxes.
	list := c.get("/cases?status=&q=")
	mustContain(t, list.Body, `<form class="bulk" id="bulk" method="post" action="/cases/assign">`, "批量交办",
		`<option value="">按分类对应科室</option>`, `<option value="jc">李监察 · 监察室</option>`)
	want := []string{a.Number, b.Number, d.Number}
	slices.Sort(want)
	if got := picks(list.Body); !slices.Equal(got, want) {
		t.Fatalf("boxes for %v, want %v (not the registered %s)", got, want, fresh.Number)
	}

	t.Run("success", func(t *testing.T) {
		r := c.post("/cases/assign", c.form(url.Values{"number": {a.Number, b.Number}, "department": {"jiancha"},
			"handler": {"jc"}, "back": {"status=accepted"}}))
		if r.Status != http.StatusOK {
			t.Fatalf("bulk assign: %d\n%s", r.Status, r.Body)
		}
		mustContain(t, between(r.Body, `id="bulk-result"`, "</div>"), "已交办 2 件。")
		mustNotContain(t, r.Body, "未能交办")
		for _, n := range []string{a.Number, b.Number} {
			got := e.caseOf(n)
			if got.Status != cases.Assigned || got.Department != "jiancha" || got.Handler != "jc" {
				t.Errorf("%s: %s %s %s, want assigned to 监察室, 李监察", n, got.Status, got.Department, got.Handler)
			}
			_, events, err := e.svc.Get(context.Background(), cases.Actor{Role: "admin"}, n)
			if err != nil {
				t.Fatal(err)
			}
			if last := events[len(events)-1]; last.Type != string(cases.Assign) || last.Actor != "clerk" {
				t.Errorf("%s: last event %s by %s, want assign by clerk", n, last.Type, last.Actor)
			}
		}
		// The list comes back filtered as it was, the language switch too.
		mustContain(t, r.Body, `<option value="accepted" selected>`, "共 1 条", d.Number,
			`back=%2Fcases%3Fstatus%3Daccepted`)
		// Assigned cases may be re-routed: they keep their boxes.
		if got := picks(c.get("/cases").Body); !slices.Equal(got, want) {
			t.Errorf("after assigning: boxes for %v, want %v", got, want)
		}
	})

	t.Run("partial_failure", func(t *testing.T) {
		r := c.post("/cases/assign", c.form(url.Values{
			"number":     {d.Number, fresh.Number, "TS209901-9999", d.Number},
			"department": {"caiwu"}}))
		if r.Status != http.StatusOK {
			t.Fatalf("bulk assign: %d\n%s", r.Status, r.Body)
		}
		res := between(r.Body, `id="bulk-result"`, "</div>")
		mustContain(t, res, "已交办 1 件；2 件未能交办（原因如下）：",
			`<a class="mono" href="/cases/`+fresh.Number+`">`+fresh.Number+`</a> 当前状态下不能执行此操作`,
			`TS209901-9999</a> 未找到该记录`)
		mustNotContain(t, res, `href="/cases/`+d.Number+`"`)
		if got := e.caseOf(d.Number); got.Status != cases.Assigned || got.Department != "caiwu" {
			t.Errorf("%s: %s %s, want assigned to 财务科", d.Number, got.Status, got.Department)
		}
		if got := e.caseOf(fresh.Number); got.Status != cases.Registered {
			t.Errorf("%s is %s, want still registered", fresh.Number, got.Status)
		}
		// A handler not of the department: nothing assigned, the reason by field.
		r = c.post("/cases/assign", c.form(url.Values{"number": {a.Number}, "department": {"yiwu"}, "handler": {"jc"}}))
		mustContain(t, between(r.Body, `id="bulk-result"`, "</div>"),
			"已交办 0 件；1 件未能交办", "经办人：该经办人不存在或不属于该部门")
		if got := e.caseOf(a.Number); got.Department != "jiancha" || got.Handler != "jc" {
			t.Errorf("%s moved to %s %s", a.Number, got.Department, got.Handler)
		}
	})

	t.Run("nothing_to_do", func(t *testing.T) {
		r := c.post("/cases/assign", c.form(url.Values{"department": {"jiancha"}}))
		if r.Status != http.StatusBadRequest {
			t.Errorf("no case ticked: %d, want 400", r.Status)
		}
		mustContain(t, r.Body, "请先勾选要交办的案件")
		r = c.post("/cases/assign", c.form(url.Values{"number": {a.Number}, "department": {"nosuch"}}))
		if r.Status != http.StatusBadRequest {
			t.Errorf("unknown department: %d, want 400", r.Status)
		}
		mustContain(t, r.Body, "未知的部门")
	})

	t.Run("csrf", func(t *testing.T) {
		for name, form := range map[string]url.Values{
			"no token":              {"number": {fresh.Number}, "department": {"jiancha"}},
			"a forged token":        withCSRF(url.Values{"number": {fresh.Number}, "department": {"jiancha"}}, "forged"),
			"another session's one": withCSRF(url.Values{"number": {d.Number}, "department": {"jiancha"}}, e.login("clerk").csrf),
		} {
			if r := c.post("/cases/assign", form); r.Status != http.StatusForbidden {
				t.Errorf("%s: %d, want 403", name, r.Status)
			}
		}
		if got := e.caseOf(d.Number); got.Department != "caiwu" {
			t.Errorf("a forged post moved %s to %s", d.Number, got.Department)
		}
	})

	t.Run("department_users_cannot", func(t *testing.T) {
		jc := e.login("jc")
		mustNotContain(t, jc.get("/cases").Body, `action="/cases/assign"`, `form="bulk"`)
		r := jc.post("/cases/assign", jc.form(url.Values{"number": {a.Number}, "department": {"caiwu"}}))
		if r.Status != http.StatusForbidden {
			t.Errorf("handler: %d, want 403", r.Status)
		}
		if got := e.caseOf(a.Number); got.Department != "jiancha" {
			t.Errorf("a handler moved %s to %s", a.Number, got.Department)
		}
	})
}

// TestListKeyboardAndViews: the list and the dashboard carry what the
// script needs for keyboard navigation and saved views.
func TestListKeyboardAndViews(t *testing.T) {
	e := newEnv(t)
	e.register("门诊护士态度差", "attitude")
	c := e.login("clerk")
	list := c.get("/cases?q=&status=registered&page=1")
	mustContain(t, list.Body, `<table class="grid cases" data-kb-rows>`, `data-kb-search`, `id="kbhelp" hidden`,
		"键盘快捷键", "<kbd>/</kbd>", "按 ? 查看快捷键",
		// A saved view keeps the filter without empty values or the page.
		`data-views="clerk" data-query="status=registered"`, "常用视图", "保存当前筛选")
	dash := c.get("/")
	mustContain(t, dash.Body, `data-kb-rows`, `id="kbhelp" hidden`, "<kbd>j</kbd>")
	mustNotContain(t, dash.Body, "<kbd>/</kbd>") // the dashboard has no search box
}
