package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/demo"
	"github.com/ombud/ombud/internal/i18n"
	"github.com/ombud/ombud/internal/server"
)

// findChromium returns the Chromium binary to drive: $OMBUD_CHROMIUM,
// else /usr/bin/chromium, else chromium-browser or chromium in PATH. It
// returns "" and what it tried when there is none.
func findChromium() (path, tried string) {
	if p := os.Getenv("OMBUD_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", "OMBUD_CHROMIUM=" + p + " (" + err.Error() + ")"
		}
		return p, ""
	}
	const debian = "/usr/bin/chromium"
	if _, err := os.Stat(debian); err == nil {
		return debian, ""
	}
	for _, name := range []string{"chromium-browser", "chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, ""
		}
	}
	return "", debian + ", chromium-browser and chromium in PATH"
}

// needChromium returns the Chromium binary, or skips the test without one
// (fails it when OMBUD_REQUIRE_BROWSER=1).
func needChromium(t *testing.T) string {
	t.Helper()
	path, tried := findChromium()
	if path != "" {
		return path
	}
	msg := "no Chromium (tried " + tried + "); install it (apt-get install chromium) or set OMBUD_CHROMIUM"
	if os.Getenv("OMBUD_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + "; OMBUD_REQUIRE_BROWSER=1 requires it")
	}
	t.Skip(msg)
	return ""
}

// The demo accounts the tests log in with, all with password demo.Password.
const (
	clerk   = "clerk"
	handler = "handler-jiancha" // 监察室, the department of category attitude
	head    = "head-jiancha"
)

// users are the accounts seeded for the tests: the demo's names, roles and
// departments for the people of one complaint's path.
var users = []auth.User{
	{Username: clerk, DisplayName: "周静", Role: auth.Registrar, Department: "yhb", Active: true},
	{Username: handler, DisplayName: "张磊", Role: auth.Handler, Department: "jiancha", Active: true},
	{Username: head, DisplayName: "顾国强", Role: auth.DeptHead, Department: "jiancha", Active: true},
	{Username: "vp", DisplayName: "顾文华", Role: auth.Manager, Active: true},
}

// displayName is the display name of a seeded user.
func displayName(username string) string {
	for _, u := range users {
		if u.Username == username {
			return u.DisplayName
		}
	}
	return username
}

// seedUsers creates the administrator and users in cfg's fresh database.
// The 200-case demo is not needed, and its cases would take the numbers.
func seedUsers(t *testing.T, cfg server.Config) {
	t.Helper()
	ctx := context.Background()
	st, _, err := server.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := server.EnsureAdmin(ctx, st, demo.Password); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword(demo.Password) // argon2id is slow: hash once
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if err := st.CreateUser(ctx, &u, hash); err != nil {
			t.Fatalf("create user %s: %v", u.Username, err)
		}
	}
}

// startOmbud runs Ombud on loopback with a fresh SQLite data directory and
// the demo's pack, and returns its base URL. Warnings and errors of the
// server go to the test log.
func startOmbud(t *testing.T) string {
	t.Helper()
	cfg := server.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Pack: demo.Pack, AdminPassword: demo.Password}
	seedUsers(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	go func() { done <- server.Run(ctx, cfg, io.Discard, log, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("server did not start: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("server did not start in 30 s")
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	return "http://" + addr
}

// startBrowser starts headless Chromium and returns a chromedp context
// holding it; tabs are its children. The browser's own output goes to log.
func startBrowser(t *testing.T, exe string, log io.Writer) context.Context {
	t.Helper()
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
		// A Chinese user's browser: Ombud picks the language from Accept-Language.
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"),
		chromedp.CombinedOutput(log),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() { bcancel(); acancel() })
	// The first Do starts the browser, bound to bctx: it must have no
	// deadline of its own, so the wait is bounded here.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(bctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start %s: %v", exe, err)
		}
	case <-time.After(30 * time.Second):
		bcancel()
		t.Fatalf("%s did not start in 30 s", exe)
	}
	return bctx
}

// artifacts is where screenshots go: $OMBUD_ARTIFACTS, or a temporary
// directory that is removed after a passing run.
type artifacts struct {
	dir string
	mu  sync.Mutex
	n   int
}

// setup starts what a browser test needs: Chromium (or a skip), a place
// for screenshots, an Ombud server, and the browser, whose output is saved
// as logName when the test fails.
func setup(t *testing.T, logName string) (browser context.Context, base string, art *artifacts) {
	t.Helper()
	exe := needChromium(t)
	art = newArtifacts(t)
	base = startOmbud(t)
	var chromeLog syncBuffer
	browser = startBrowser(t, exe, &chromeLog)
	t.Cleanup(func() {
		if t.Failed() && chromeLog.Len() > 0 {
			if name, err := art.save(logName, chromeLog.Bytes()); err == nil {
				t.Logf("browser output in %s", name)
			}
		}
	})
	return browser, base, art
}

func newArtifacts(t *testing.T) *artifacts {
	t.Helper()
	if dir := os.Getenv("OMBUD_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshots in %s", dir)
		return &artifacts{dir: dir}
	}
	dir, err := os.MkdirTemp("", "ombud-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s (removed if the test passes; set OMBUD_ARTIFACTS to keep them)", dir)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("screenshots kept in %s", dir)
			return
		}
		os.RemoveAll(dir)
	})
	return &artifacts{dir: dir}
}

// create opens a numbered file named after name in the directory.
func (a *artifacts) create(name string) (*os.File, error) {
	a.mu.Lock()
	a.n++
	n := a.n
	a.mu.Unlock()
	return os.Create(filepath.Join(a.dir, fmt.Sprintf("%02d-%s", n, name)))
}

// save writes data to a numbered file named after name.
func (a *artifacts) save(name string, data []byte) (string, error) {
	f, err := a.create(name)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return "", err
	}
	return f.Name(), f.Close()
}

// tab is one browser tab with cookies of its own, bound to a subtest and
// a deadline.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	art  *artifacts
}

// newTab opens a tab in a fresh browser context (no cookies) whose every
// action must finish within timeout. Errors in the browser console (an
// uncaught exception, a script or style the CSP blocks, a failed
// request) fail the test when it ends.
func newTab(t *testing.T, browser context.Context, base string, art *artifacts, timeout time.Duration) *tab {
	t.Helper()
	tctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	ctx, stop := context.WithTimeout(tctx, timeout)
	t.Cleanup(func() { stop(); cancel() })

	messages := chromedp.Console(ctx) // opens the tab
	var errs []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				errs = append(errs, fmt.Sprintf("%s (%s:%d)", m.Text, m.URL, m.Line+1))
			}
		}
	}()
	t.Cleanup(func() {
		stop() // ends the messages
		<-done
		for _, e := range errs {
			if known(e) {
				t.Logf("known UI defect, browser console: %s", e)
				continue
			}
			t.Errorf("browser console: %s", e)
		}
	})
	return &tab{t: t, ctx: ctx, base: base, art: art}
}

// knownConsoleErrors are console errors of defects reported and left to
// the web UI's owners: they are logged, not failed. Remove an entry when
// its defect is fixed.
var knownConsoleErrors = []string{}

func known(msg string) bool {
	for _, k := range knownConsoleErrors {
		if strings.Contains(msg, k) {
			return true
		}
	}
	return false
}

// fatalf fails the test after saving a screenshot of the page as it is.
func (p *tab) fatalf(format string, args ...any) {
	p.t.Helper()
	msg := fmt.Sprintf(format, args...)
	if loc, err := chromedp.Run(p.ctx, chromedp.Location()); err == nil {
		msg += "\n  at " + loc
	}
	if png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100)); err == nil {
		if name, err := p.art.save(fileName(p.t.Name()+"-FAILED")+".png", png); err == nil {
			msg += "\n  screenshot " + name
		}
	}
	p.t.Fatal(msg)
}

// do runs actions, failing the test on an error.
func (p *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.fatalf("%s: %v", what, err)
	}
}

// open loads path and checks that it answers 200.
func (p *tab) open(path string) {
	p.t.Helper()
	resp, err := chromedp.Run(p.ctx, chromedp.NavigateResponse(p.base+path))
	if err != nil {
		p.fatalf("open %s: %v", path, err)
	}
	if resp.Status != 200 {
		p.fatalf("open %s: status %d", path, resp.Status)
	}
}

// follow clicks sel, waits for the page it leads to (after redirects)
// and checks that it answers 200.
func (p *tab) follow(what string, sel chromedp.CSS) {
	p.t.Helper()
	resp, err := chromedp.RunResponse(p.ctx, chromedp.Click(sel))
	if err != nil {
		p.fatalf("%s (click %s): %v", what, sel, err)
	}
	if resp == nil {
		p.fatalf("%s (click %s): no page loaded", what, sel)
	}
	if resp.Status != 200 {
		p.fatalf("%s (click %s): status %d", what, sel, resp.Status)
	}
}

// text returns the visible text of the first element sel matches,
// trimmed; it waits for the element.
func (p *tab) text(sel chromedp.CSS) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(sel))
	if err != nil {
		p.fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// wantText checks that the element sel matches shows want.
func (p *tab) wantText(sel chromedp.CSS, want string) {
	p.t.Helper()
	if got := p.text(sel); got != want {
		p.fatalf("%s shows %q, want %q", sel, got, want)
	}
}

// wantContains checks that the element sel matches contains want.
func (p *tab) wantContains(sel chromedp.CSS, want string) {
	p.t.Helper()
	if got := p.text(sel); !strings.Contains(got, want) {
		p.fatalf("%s shows %q, want it to contain %q", sel, got, want)
	}
}

// count returns how many elements match a CSS selector now, without waiting.
func (p *tab) count(sel string) int {
	p.t.Helper()
	return eval[int](p, fmt.Sprintf("document.querySelectorAll(%q).length", sel))
}

// location returns the page's URL without the base.
func (p *tab) location() string {
	p.t.Helper()
	loc, err := chromedp.Run(p.ctx, chromedp.Location())
	if err != nil {
		p.fatalf("location: %v", err)
	}
	return strings.TrimPrefix(loc, p.base)
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](p *tab, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// shot saves a full-page screenshot named after the subtest and name.
func (p *tab) shot(name string) {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.fatalf("screenshot %s: %v", name, err)
	}
	if _, err := p.art.save(fileName(p.t.Name()+"-"+name)+".png", png); err != nil {
		p.t.Fatal(err)
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// fileName makes a test name usable as a file name.
func fileName(s string) string {
	return strings.Trim(unsafeName.ReplaceAllString(strings.TrimPrefix(s, "TestBrowser/"), "-"), "-")
}

// login logs username in through the login form and checks the top bar
// names the user.
func (p *tab) login(username string) {
	p.t.Helper()
	p.open("/login")
	p.do("fill the login form",
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name="username"]`), username),
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name="password"]`), demo.Password),
	)
	p.follow("log in as "+username, `form[action="/login"] button[type="submit"]`)
	if loc := p.location(); strings.HasPrefix(loc, "/login") {
		p.fatalf("log in as %s: still on %s: %s", username, loc, p.text(".login-box"))
	}
	p.wantContains(".userbox .user", displayName(username))
}

// logout logs out through the top bar and checks the login form is back.
func (p *tab) logout() {
	p.t.Helper()
	p.follow("log out", `.userbox form[action="/logout"] button[type="submit"]`)
	if loc := p.location(); loc != "/login" {
		p.fatalf("after logging out: on %s, want /login", loc)
	}
	p.wantText(`form[action="/login"] button[type="submit"]`, zh("ui.login.submit"))
}

// noHorizontalScroll reports whether the page fits the viewport's width,
// and the widths. The viewport is the root element's client width (the
// device width under <meta name=viewport>), not window.innerWidth: with a
// phone emulated, Chromium widens innerWidth to the content, so a page
// too wide for the screen would still fit it.
func (p *tab) noHorizontalScroll() (ok bool, scrollWidth, viewport int) {
	p.t.Helper()
	w := eval[[]int](p, "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
	if len(w) != 2 {
		p.fatalf("page widths: got %v", w)
	}
	return w[0] <= w[1], w[0], w[1]
}

// zh and en translate a message key as the UI does.
func zh(key string, args ...any) string { return i18n.T("zh-CN", key, args...) }
func en(key string, args ...any) string { return i18n.T("en", key, args...) }
