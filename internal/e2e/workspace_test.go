package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/demo"
)

// TestWorkspace drives the staff workspace's keyboard navigation, saved
// views and print pages in headless Chromium, on three cases registered
// through the API.
func TestWorkspace(t *testing.T) {
	browser, base, art := setup(t, "workspace-chromium.log")
	// The list shows the newest first: the third, the second, the first.
	subjects := []string{"候诊时间过长无人解释", "药房窗口发错药", "停车场收费标准不清"}
	api := clerkAPI(t, base)
	numbers := api.register(subjects)

	t.Run("keyboard", func(t *testing.T) {
		p := newTab(t, browser, base, art, stepTimeout)
		p.do("desktop viewport", chromedp.EmulateViewport(1280, 900))
		p.login(clerk)
		p.open("/cases")
		if n := p.count("[data-kb-rows] tbody tr.kb-current"); n != 0 {
			p.fatalf("%d rows highlighted before any key, want none", n)
		}
		// Typing j in the search box types it: no row moves.
		p.do("type j in the search box", chromedp.Click(chromedp.CSS(`form.filters input[name="q"]`)), chromedp.KeyEvent("j"))
		if got := eval[string](p, `document.querySelector('form.filters input[name="q"]').value`); got != "j" {
			p.fatalf("the search box holds %q, want j", got)
		}
		if n := p.count("tr.kb-current"); n != 0 {
			p.fatalf("typing in the search box highlighted %d rows", n)
		}
		eval[bool](p, `document.activeElement.value = ""; document.activeElement.blur(); true`)

		// j, j: the second row is highlighted.
		p.do("press j", chromedp.KeyEvent("j"))
		p.wantText("tr.kb-current td.subject a", subjects[2])
		p.do("press j", chromedp.KeyEvent("j"))
		p.wantText("tr.kb-current td.subject a", subjects[1])
		if n := p.count("tr.kb-current"); n != 1 {
			p.fatalf("%d rows highlighted, want 1", n)
		}
		p.shot("list-second-row")

		// ? shows the help, Esc closes it.
		p.do("press ?", chromedp.KeyEvent("?"))
		p.do("wait for the help", chromedp.WaitVisible(chromedp.CSS("#kbhelp")))
		p.wantText("#kbhelp h2", zh("ui.kb.title"))
		p.shot("help")
		p.do("press Esc", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotVisible(chromedp.CSS("#kbhelp")))

		// / goes to the search box without typing a slash.
		p.do("press /", chromedp.KeyEvent("/"))
		if !eval[bool](p, `document.activeElement === document.querySelector('form.filters input[name="q"]')`) {
			p.fatalf("/ did not focus the search box")
		}
		if got := eval[string](p, `document.querySelector('form.filters input[name="q"]').value`); got != "" {
			p.fatalf("/ typed %q into the search box", got)
		}
		eval[bool](p, `document.activeElement.blur(); true`)

		// Enter opens the highlighted case: the second one.
		resp, err := chromedp.RunResponse(p.ctx, chromedp.KeyEvent(kb.Enter))
		if err != nil || resp == nil || resp.Status != 200 {
			p.fatalf("Enter opened no page: %v", err)
		}
		if loc := p.location(); loc != "/cases/"+numbers[1] {
			p.fatalf("Enter opened %s, want /cases/%s", loc, numbers[1])
		}
		p.wantText(".casesubject", subjects[1])

		// The dashboard's tables move the same way.
		p.open("/")
		p.do("press j on the dashboard", chromedp.KeyEvent("j"))
		first := p.text("#dash-queue tr.kb-current td.mono a")
		resp, err = chromedp.RunResponse(p.ctx, chromedp.KeyEvent(kb.Enter))
		if err != nil || resp == nil || resp.Status != 200 {
			p.fatalf("Enter on the dashboard opened no page: %v", err)
		}
		if loc := p.location(); loc != "/cases/"+first {
			p.fatalf("Enter on the dashboard opened %s, want /cases/%s", loc, first)
		}
	})

	t.Run("saved_views", func(t *testing.T) {
		p := newTab(t, browser, base, art, stepTimeout)
		p.do("desktop viewport", chromedp.EmulateViewport(1280, 900))
		p.login(clerk)
		p.open("/cases?q=&status=registered&sort=due&page=1")
		p.wantText("[data-views-empty]", zh("ui.views.empty"))
		p.do("name the view", chromedp.SendKeys(chromedp.CSS(`[data-views-save] input[name="name"]`), "待受理"))
		p.do("save it", chromedp.Click(chromedp.CSS(`[data-views-save] button[type="submit"]`)))
		link := chromedp.CSS(`[data-views-list] a[href="/cases?sort=due&status=registered"]`)
		p.wantText(link, "待受理")
		// It is still there on another page load, and leads to its filter.
		p.open("/cases")
		p.follow("open the saved view", link)
		if loc := p.location(); loc != "/cases?sort=due&status=registered" {
			p.fatalf("the view opened %s", loc)
		}
		if got := eval[string](p, `document.querySelector('form.filters select[name="status"]').value`); got != "registered" {
			p.fatalf("the view's status filter is %q", got)
		}
		if n := p.count("[data-views-list] li.active"); n != 1 {
			p.fatalf("%d views marked as the current one, want 1", n)
		}
		p.shot("saved-view")
		p.do("delete the view", chromedp.Click(chromedp.CSS(`[data-views-list] button[data-view-delete="待受理"]`)))
		if n := p.count("[data-views-list] li"); n != 0 {
			p.fatalf("%d views left after deleting the only one", n)
		}
		p.open("/cases")
		if n := p.count("[data-views-list] li"); n != 0 {
			p.fatalf("the deleted view came back: %d views", n)
		}
	})

	t.Run("print", func(t *testing.T) {
		p := newTab(t, browser, base, art, stepTimeout)
		p.do("desktop viewport", chromedp.EmulateViewport(1280, 900))
		p.login(clerk)
		p.open("/cases/" + numbers[0])
		for _, form := range []struct{ path, title string }{
			{"voucher", zh("ui.voucher.title", zh("kind.complaint"))},
			{"feedback", zh("ui.feedback.title", zh("kind.complaint"))},
			{"slip", zh("ui.slip.title", zh("kind.complaint"))},
		} {
			p.open("/cases/" + numbers[0])
			p.follow("open the "+form.path, chromedp.CSS(fmt.Sprintf(`.headlinks a[href="/cases/%s/%s"]`, numbers[0], form.path)))
			p.wantText("article.slip h1.slip-title", form.title)
			p.wantText("article.slip .slip-meta b.mono", numbers[0])
			// The QR code is an image the browser loaded, square, about 24 mm.
			p.do("wait for the QR code", chromedp.WaitVisible(chromedp.CSS("article.slip img.qr")))
			qr := eval[[]float64](p, `(() => { const i = document.querySelector("article.slip img.qr");
				const r = i.getBoundingClientRect();
				return [i.complete ? 1 : 0, i.naturalWidth, r.width, r.height]; })()`)
			if len(qr) != 4 || qr[0] != 1 || qr[1] == 0 || qr[2] < 80 || qr[2] != qr[3] {
				p.fatalf("the QR code of the %s did not render: [complete, naturalWidth, width, height] = %v", form.path, qr)
			}
			p.shot(form.path)
			// Printed, the form fits one A4 page.
			pdf, err := chromedp.Run(p.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
			if err != nil {
				p.fatalf("print the %s: %v", form.path, err)
			}
			if n := pdfPages(pdf); n != 1 {
				p.fatalf("the %s prints on %d pages, want 1", form.path, n)
			}
			if _, err := art.save(fileName(t.Name()+"-"+form.path)+".pdf", pdf); err != nil {
				t.Fatal(err)
			}
		}
	})

	// Last: it changes the cases.
	t.Run("bulk_assign", func(t *testing.T) {
		for _, n := range []string{numbers[0], numbers[2]} {
			api.act(n, cases.Accept, map[string]any{}, cases.Accepted)
		}
		p := newTab(t, browser, base, art, stepTimeout)
		p.do("desktop viewport", chromedp.EmulateViewport(1280, 900))
		p.login(clerk)
		p.open("/cases")
		// The accepted cases have boxes, the registered one none; the
		// header's box ticks them all.
		boxes := `input[type="checkbox"][name="number"][form="bulk"]`
		if n := p.count(boxes); n != 2 {
			p.fatalf("%d cases to tick, want the 2 accepted", n)
		}
		// x ticks the highlighted row: the newest case, accepted.
		p.do("press j, x", chromedp.KeyEvent("j"), chromedp.KeyEvent("x"))
		if got := eval[[]string](p, `[...document.querySelectorAll('`+boxes+`:checked')].map(b => b.value)`); len(got) != 1 || got[0] != numbers[2] {
			p.fatalf("x ticked %v, want [%s]", got, numbers[2])
		}
		p.do("tick all", chromedp.Click(chromedp.CSS("[data-bulk-all]")))
		if n := p.count(boxes + ":checked"); n != 2 {
			p.fatalf("the header's box ticked %d cases, want 2", n)
		}
		p.do("choose the department", chromedp.SetValue(chromedp.CSS(`form#bulk select[name="department"]`), "jiancha"))
		p.shot("ticked")
		p.follow("assign them", `form#bulk button[type="submit"]`)
		p.wantText("#bulk-result", zh("ui.bulk.done_all", 2))
		// Reloading shows the list; it does not post again.
		if loc := p.location(); loc != "/cases" {
			p.fatalf("after assigning: at %s, want /cases", loc)
		}
		if n := p.count(`table.cases .badge.st-assigned`); n != 2 {
			p.fatalf("%d cases show as assigned, want 2", n)
		}
		p.shot("assigned")
	})
}

// pdfPageRE matches a page object of a PDF (not the /Pages tree).
var pdfPageRE = regexp.MustCompile(`/Type\s*/Page\b[^s]`)

// pdfPages counts the pages of a PDF that Chromium printed.
func pdfPages(pdf []byte) int { return len(pdfPageRE.FindAll(pdf, -1)) }

// apiSession is the clerk's session on the JSON API, to set cases up
// without the browser.
type apiSession struct {
	t     *testing.T
	base  string
	token string
	hc    *http.Client
}

// clerkAPI logs the clerk in on the JSON API.
func clerkAPI(t *testing.T, base string) *apiSession {
	t.Helper()
	s := &apiSession{t: t, base: base, hc: &http.Client{Timeout: 30 * time.Second}}
	var login struct {
		Token string `json:"token"`
	}
	s.post("/api/v1/login", map[string]string{"username": clerk, "password": demo.Password}, &login)
	s.token = login.Token
	return s
}

// post sends body as JSON to path and decodes the answer into out,
// failing the test unless it is a success.
func (s *apiSession) post(path string, body, out any) {
	s.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		s.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.base+path, bytes.NewReader(b))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	res, err := s.hc.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		s.t.Fatalf("POST %s: %s", path, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		s.t.Fatalf("POST %s: %v", path, err)
	}
}

// register registers a phone complaint about attitude for each subject,
// in order, and returns their numbers.
func (s *apiSession) register(subjects []string) []string {
	s.t.Helper()
	var numbers []string
	for i, subj := range subjects {
		var c struct {
			Number string `json:"number"`
		}
		s.post("/api/v1/cases", map[string]any{
			"kind": "complaint", "channel": "phone", "subject": subj, "content": subj + "，请尽快处理。",
			"complainant": map[string]any{"name": fmt.Sprintf("患者%d", i+1), "phone": fmt.Sprintf("1391234560%d", i)},
			"category":    "attitude",
		}, &c)
		if !numberRE.MatchString(c.Number) {
			s.t.Fatalf("registered %q as %q", subj, c.Number)
		}
		numbers = append(numbers, c.Number)
	}
	return numbers
}

// act takes action on case number with params, and checks the case
// reached status want.
func (s *apiSession) act(number string, action cases.Action, params map[string]any, want cases.Status) {
	s.t.Helper()
	var c struct {
		Status cases.Status `json:"status"`
	}
	s.post("/api/v1/cases/"+number+"/actions/"+string(action), params, &c)
	if c.Status != want {
		s.t.Fatalf("%s %s: the case is %s, want %s", action, number, c.Status, want)
	}
}
