package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/demo"
	"github.com/ombud/ombud/internal/policy"
)

// stepTimeout bounds each subtest.
const stepTimeout = 60 * time.Second

// The complaint the staff flow registers; its subject holds the search term.
const (
	subject    = "收费员态度生硬"
	searchTerm = "态度"
	content    = "缴费时询问费用明细，收费员不耐烦并出言不逊。"
	proposal   = "经核实，收费员服务态度确有不当，已批评教育并向李先生致歉。"
	photoName  = "收费单.png"
)

// numberRE is the shape of a complaint's number in the hospital pack:
// TS, year and month, and a four-digit sequence (TS202611-0001).
var numberRE = regexp.MustCompile(`^TS\d{4}(0[1-9]|1[0-2])-\d{4}$`)

// TestBrowser drives Ombud's staff UI in headless Chromium: one complaint
// from registration to closing, the language switch, search, a phone
// screen and the handling slip.
func TestBrowser(t *testing.T) {
	browser, base, art := setup(t, "chromium.log")
	pack, err := policy.Load(demo.Pack)
	if err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), photoName)
	if err := os.WriteFile(photo, photoPNG(t), 0o600); err != nil {
		t.Fatal(err)
	}

	// number is the case the staff flow registers; later subtests use it.
	var number string
	needCase := func(t *testing.T) {
		t.Helper()
		if number == "" {
			t.Skip("the staff flow registered no case")
		}
	}

	closed := t.Run("staff_flow", func(t *testing.T) {
		p := newTab(t, browser, base, art, stepTimeout)
		p.do("desktop viewport", chromedp.EmulateViewport(1280, 900))

		// The clerk logs in, in Chinese, and registers a phone complaint.
		p.login(clerk)
		p.wantText(".pagehead h1", zh("ui.cases.title"))
		p.wantText(".topbar .lang", zh("ui.lang.other"))
		p.shot("list-empty")
		p.follow("open the registration form", `.mainnav a[href="/cases/new"]`)
		p.wantText(".pagehead h1", zh("ui.new.title"))
		form := func(name string) chromedp.CSS {
			return chromedp.CSS(fmt.Sprintf(`form.regform [name=%q]`, name))
		}
		p.do("fill the registration form",
			chromedp.SetValue(form("kind"), "complaint"),
			chromedp.SetValue(form("channel"), "phone"),
			chromedp.SendKeys(form("complainant.name"), "李先生"),
			chromedp.SendKeys(form("complainant.phone"), "13912345678"),
			chromedp.SetValue(form("respondent.department"), "menzhen"),
			chromedp.SendKeys(form("respondent.staff"), "收费员小王"),
			chromedp.SendKeys(form("respondent.site"), "门诊二楼收费处"),
			chromedp.SendKeys(form("subject"), subject),
			chromedp.SendKeys(form("content"), content),
			chromedp.Click(chromedp.CSS(`form.regform input[name="demands"][value="apology"]`)),
			chromedp.SetValue(form("evidence.type"), "recording"),
			chromedp.SendKeys(form("evidence.count"), "1"),
			chromedp.SetValue(form("category"), "attitude"),
		)
		// While the clerk types, the rules' suggestion appears beside the form.
		p.wantText(`#hints h2`, zh("ui.hints.title"))
		p.wantContains(`#hints dl.sug`, zh("deadline.reply"))
		if got := eval[string](p, `document.querySelector('form.regform [name="receiver"]').value`); got != clerk {
			p.fatalf("receiver defaults to %q, want %q", got, clerk)
		}
		p.shot("registration-form")
		before := time.Now()
		p.follow("register", `form.regform button[type="submit"]`)
		after := time.Now()

		// The case page shows the new number, registered.
		number = p.text(".pagehead h1 .mono")
		if !numberRE.MatchString(number) {
			number = ""
			p.fatalf("new case number %q does not look like TS202611-0001", p.text(".pagehead h1"))
		}
		// The first complaint of the month in a fresh database.
		if a, b := pack.FormatNumber("complaint", before, 1), pack.FormatNumber("complaint", after, 1); number != a && number != b {
			p.fatalf("new case number %s, want %s", number, a)
		}
		if loc := p.location(); loc != "/cases/"+number {
			p.fatalf("after registering: on %s, want /cases/%s", loc, number)
		}
		t.Logf("registered %s", number)
		p.wantText(".pagehead h1 .badge", zh("status.registered"))
		p.wantText(".casesubject", subject)
		p.shot("registered")

		// The complainant sent a photo by WeChat: the clerk attaches it.
		// The page's script sends it with a progress bar and reloads the
		// page, which shows its thumbnail, counts it as evidence and
		// enters it in the timeline.
		p.wantText("#upload h3", zh("ui.case.upload"))
		p.wantContains("#upload-hint", "10.0 MB")
		p.do("choose a photo and write a note",
			chromedp.SetUploadFiles(chromedp.CSS(`#upload input[type="file"][name="file"]`), []string{photo}),
			chromedp.SendKeys(chromedp.CSS(`#upload textarea[name="note"]`), "患者微信发来的收费单照片"))
		p.shot("upload-chosen")
		// Note in the tab's sessionStorage, which outlives the reload, that
		// the page's script sent the form.
		eval[bool](p, `(() => { const send = XMLHttpRequest.prototype.send;
			XMLHttpRequest.prototype.send = function (body) {
				sessionStorage.setItem("upload-by-xhr", body instanceof FormData ? "1" : "0");
				return send.call(this, body);
			}; return true })()`)
		p.follow("upload the photo", `#upload button[type="submit"]`)
		if !eval[bool](p, `sessionStorage.getItem("upload-by-xhr") === "1"`) {
			p.fatalf("the upload was not sent by the page's script")
		}
		if loc := p.location(); loc != "/cases/"+number+"?done=attach#attachments" {
			p.fatalf("after uploading: on %s", loc)
		}
		p.wantText(".alert.ok", zh("ui.case.done", zh("action.attach")))
		thumb := `(() => { const i = document.querySelector("#attachments a.thumb img"); return !!i && i.complete && i.naturalWidth === 64 })()`
		if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](thumb, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			p.fatalf("the photo's thumbnail did not load: %v", err)
		}
		p.wantContains("#attachments .attname", photoName)
		p.wantContains(".caselayout", zh("evidence.photo")+" × 1")
		p.wantContains("table.timeline tbody tr:last-child", zh("action.attach"))
		p.wantContains("table.timeline tbody tr:last-child", "患者微信发来的收费单照片")
		p.shot("attached")

		// The clerk accepts it and assigns it to 监察室.
		p.act(cases.Accept, cases.Accepted)
		p.do("choose the department",
			chromedp.SetValue(chromedp.CSS(`#act-assign select[name="department"]`), "jiancha"))
		p.act(cases.Assign, cases.Assigned)
		p.wantContains(".caselayout", deptName(pack, "jiancha"))
		p.shot("assigned")
		p.logout()

		// The department's handler finds it in the list, takes it and proposes a reply.
		p.login(handler)
		p.follow("open the case from the list", chromedp.CSS(fmt.Sprintf(`table.cases a[href="/cases/%s"]`, number)))
		p.wantText(".pagehead h1 .badge", zh("status.assigned"))
		p.act(cases.Take, cases.InProgress)
		p.do("write the proposal",
			chromedp.SendKeys(chromedp.CSS(`#act-propose textarea[name="reply"]`), proposal))
		p.act(cases.Propose, cases.Reviewing) // level 3: the department head reviews
		p.shot("proposed")
		p.logout()

		// The department head approves.
		p.login(head)
		p.open("/cases/" + number)
		p.wantText(".pagehead h1 .badge", zh("status.reviewing"))
		p.act(cases.Approve, cases.Approved)
		p.logout()

		// The clerk replies with the approved text and records the return visit.
		p.login(clerk)
		p.open("/cases/" + number)
		if got := eval[string](p, `document.querySelector('#act-reply textarea[name="reply"]').value`); got != proposal {
			p.fatalf("reply form holds %q, want the approved proposal", got)
		}
		if got := eval[string](p, `document.querySelector('#act-reply select[name="method"]').value`); got != "phone" {
			p.fatalf("reply method defaults to %q, want phone (the channel)", got)
		}
		p.act(cases.Reply, cases.Replied)
		p.do("fill the return visit",
			chromedp.Click(chromedp.CSS(`#act-visit input[name="satisfaction"][value="satisfied"]`)),
			chromedp.SendKeys(chromedp.CSS(`#act-visit textarea[name="note"]`), "李先生对处理结果表示满意。"))
		p.act(cases.Visit, cases.Closed)

		// Closed: the case shows the satisfaction, the closing time, the
		// whole timeline, and no more actions but reopening (and notes).
		p.wantText(".sat", zh("satisfaction.satisfied"))
		if n := p.count("table.timeline tbody tr"); n != 9 {
			p.fatalf("timeline has %d events, want 9 (registered, the photo and 7 actions)", n)
		}
		if n := p.count("form.action"); n != 2 || p.count("#act-reopen") != 1 || p.count("#act-comment") != 1 {
			p.fatalf("a closed case offers %d action forms, want 2 (reopen, comment)", n)
		}
		p.shot("closed")
	})

	t.Run("language", func(t *testing.T) {
		needCase(t)
		p := newTab(t, browser, base, art, stepTimeout)
		p.do("desktop viewport", chromedp.EmulateViewport(1280, 900))
		p.login(clerk)
		p.wantText(".pagehead h1", zh("ui.cases.title"))
		p.follow("switch to English", ".topbar a.lang")
		if loc := p.location(); loc != "/cases" {
			p.fatalf("the switch came back to %s, want /cases", loc)
		}
		if lang := eval[string](p, "document.documentElement.lang"); lang != "en" {
			p.fatalf("<html lang=%q>, want en", lang)
		}
		p.wantText(".pagehead h1", en("ui.cases.title"))
		p.wantText(`.mainnav a[href="/cases"]`, en("ui.nav.cases"))
		p.wantText(`.userbox form[action="/logout"] button`, en("ui.nav.logout"))
		p.wantText(`form.filters button[type="submit"]`, en("ui.filter.search"))
		p.wantText("table.cases thead th", en("ui.col.number"))
		if closed {
			row := fmt.Sprintf(`//table[contains(@class,"cases")]//tr[.//a[@href="/cases/%s"]]`, number)
			if got := p.textX(row + `//span[contains(@class,"badge")]`); got != en("status.closed") {
				p.fatalf("the case's status in English is %q, want %q", got, en("status.closed"))
			}
		}
		p.shot("list-english")
		p.follow("switch back to Chinese", ".topbar a.lang")
		p.wantText(".pagehead h1", zh("ui.cases.title"))
	})

	t.Run("search", func(t *testing.T) {
		needCase(t)
		p := newTab(t, browser, base, art, stepTimeout)
		p.do("desktop viewport", chromedp.EmulateViewport(1280, 900))
		p.login(clerk)
		p.do("type the query", chromedp.SendKeys(chromedp.CSS(`form.filters input[name="q"]`), searchTerm))
		p.follow("search", `form.filters button[type="submit"]`)
		if loc := p.location(); !strings.Contains(loc, "q=") {
			p.fatalf("search went to %s, want a q parameter", loc)
		}
		if got := eval[string](p, `document.querySelector('form.filters input[name="q"]').value`); got != searchTerm {
			p.fatalf("the search box keeps %q, want %q", got, searchTerm)
		}
		link := fmt.Sprintf(`table.cases td.subject a[href="/cases/%s"]`, number)
		if n := p.count(link); n != 1 {
			p.fatalf("%d results link to %s, want 1", n, number)
		}
		p.wantText(chromedp.CSS(link+" mark"), searchTerm)
		p.wantText(chromedp.CSS(link), subject)
		p.shot("results")
	})

	t.Run("phone", func(t *testing.T) {
		p := newTab(t, browser, base, art, stepTimeout)
		p.do("emulate a phone", chromedp.Emulate(device.IPhone12)) // 390×844 at 3×, iOS user agent
		p.open("/login")
		if w := eval[int](p, "document.documentElement.clientWidth"); w != 390 {
			p.fatalf("viewport is %d px wide, want 390", w)
		}
		if ua := eval[string](p, "navigator.userAgent"); !strings.Contains(ua, "iPhone") {
			p.fatalf("user agent %q is not a phone's", ua)
		}
		p.wantText(`form[action="/login"] button[type="submit"]`, zh("ui.login.submit"))
		p.shot("login")
		if ok, sw, iw := p.noHorizontalScroll(); !ok {
			p.fatalf("the login page scrolls sideways on a phone: %d px wide in a %d px viewport", sw, iw)
		}
		p.login(clerk)
		p.shot("list")
		// No staff page scrolls sideways on a phone: wide tables scroll
		// inside their own box, the top bar wraps.
		report := func(page string) {
			if ok, sw, iw := p.noHorizontalScroll(); !ok {
				p.fatalf("%s scrolls sideways on a phone: %d px wide in a %d px viewport", page, sw, iw)
			}
		}
		report("the case list")
		if number != "" {
			p.open("/cases/" + number)
			p.shot("case")
			report("the case page")
		}
		p.open("/cases/new")
		p.shot("registration-form")
		report("the registration form")
	})

	t.Run("print_slip", func(t *testing.T) {
		needCase(t)
		p := newTab(t, browser, base, art, stepTimeout)
		p.do("desktop viewport", chromedp.EmulateViewport(1280, 900))
		p.login(clerk)
		p.open("/cases/" + number)
		slip := chromedp.CSS(fmt.Sprintf(`.headlinks a[href="/cases/%s/slip"]`, number))
		p.wantText(slip, zh("ui.case.print_slip"))
		p.follow("open the handling slip", slip)
		p.wantText("article.slip h1.slip-title", zh("ui.slip.title", kindLabel(pack, "complaint")))
		p.wantText("article.slip .slip-meta b.mono", number)
		p.wantContains("article.slip .sliptable", subject)
		p.wantContains("article.slip .sliptable", deptName(pack, "jiancha"))
		p.wantText(".sliptools button[data-print]", zh("ui.slip.print"))
		p.shot("slip")
	})
}

// act submits the form of action a on the case page and checks the page
// confirms it and shows status want.
func (p *tab) act(a cases.Action, want cases.Status) {
	p.t.Helper()
	p.follow(string(a), chromedp.CSS(fmt.Sprintf(`form#act-%s button[type="submit"]`, a)))
	p.wantText(".alert.ok", zh("ui.case.done", zh("action."+string(a))))
	p.wantText(".pagehead h1 .badge", zh("status."+string(want)))
}

// textX returns the visible text of the first element an XPath query matches.
func (p *tab) textX(xpath string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(xpath))
	if err != nil {
		p.fatalf("text of %s: %v", xpath, err)
	}
	return strings.TrimSpace(s)
}

// deptName is the Chinese name of a department of pack.
func deptName(pack *policy.Pack, code string) string {
	d, _ := pack.Dept(code)
	return d.Name.In("zh")
}

// kindLabel is the Chinese label of a kind of pack.
func kindLabel(pack *policy.Pack, code string) string {
	k, _ := pack.Kind(code)
	return k.Label.In("zh")
}

// syncBuffer is a bytes.Buffer the browser's output goroutine may write
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}
