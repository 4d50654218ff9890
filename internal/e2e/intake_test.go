package e2e

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ombud/ombud/internal/cases"
)

// TestPhoneIntake registers a phone complaint the way a trained clerk
// does, from the keyboard alone: the form opens on the caller's name, Tab
// walks to the text, the subject is left to the text's first sentence and
// Ctrl+Enter registers. It counts the keys that are not the caller's
// words — what the form costs beyond typing what was said.
func TestPhoneIntake(t *testing.T) {
	browser, base, art := setup(t, "intake-chromium.log")
	p := newTab(t, browser, base, art, stepTimeout)
	p.do("desktop viewport", chromedp.EmulateViewport(1280, 900))
	p.login(clerk)
	p.open("/cases/new")

	active := func() string {
		return eval[string](p, `document.activeElement ? (document.activeElement.name || document.activeElement.tagName) : ""`)
	}
	if got := active(); got != "complainant.name" {
		p.fatalf("the form opens on %q, want the caller's name", got)
	}
	name, phone := "周先生", "13566667777"
	content := "昨天下午在门诊三楼抽血，护士扎了三次才扎上，手臂青了一大片，还说是我血管不好。希望医院给个说法。"
	typed, other := 0, 0
	typeText := func(what, s string) {
		p.do("type "+what, chromedp.KeyEvent(s))
		typed += utf8.RuneCountInString(s)
	}
	press := func(what string, key string, opts ...chromedp.KeyOption) {
		p.do("press "+what, chromedp.KeyEvent(key, opts...))
		other++
	}

	typeText("the name", name)
	press("Tab", kb.Tab)
	if got := active(); got != "complainant.phone" {
		p.fatalf("Tab from the name went to %q, want the phone", got)
	}
	typeText("the phone", phone)
	// The earlier cases of this number and the rules' suggestion appear
	// while the clerk goes on.
	for tabs := 0; active() != "content"; tabs++ {
		if tabs == 8 {
			p.fatalf("8 Tabs from the phone did not reach the text (at %q)", active())
		}
		press("Tab", kb.Tab)
	}
	typeText("the complaint", content)
	p.wantText(`#hints h2`, zh("ui.hints.title"))
	p.shot("intake-typed")
	resp, err := chromedp.RunResponse(p.ctx, chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	other++
	if err != nil || resp == nil || resp.Status != 200 {
		p.fatalf("Ctrl+Enter did not register: %v", err)
	}
	loc := p.location()
	if !strings.HasPrefix(loc, "/cases/") || loc == "/cases/new" {
		p.fatalf("after Ctrl+Enter at %s, want the new case", loc)
	}
	p.wantText(".pagehead h1 .badge", zh("status."+string(cases.Registered)))
	p.wantText("p.casesubject", cases.Summary(content))
	p.shot("intake-registered")

	t.Logf("phone intake: %d characters of the caller's words, %d other keys (%s)", typed, other,
		fmt.Sprintf("Tab ×%d, Ctrl+Enter", other-1))
	// Name, phone and text are what the caller said; the form adds Tab to
	// the phone, three Tabs past the anonymous box and the closed "more
	// about the complainant" to the text, and Ctrl+Enter.
	if other > 5 {
		t.Errorf("the form took %d keys beyond the caller's words, want at most 5", other)
	}
}
