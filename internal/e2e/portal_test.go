package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"

	"github.com/ombud/ombud/internal/cases"
)

// The complaint a member of the public submits from a phone.
const (
	portalSubject = "候诊区地面湿滑无提示"
	portalContent = "今天上午门诊二楼候诊区地面有积水，没有警示牌，一位老人差点滑倒。见照片。"
	portalReply   = "感谢您的反映。已安排保洁人员每小时巡查候诊区，并放置防滑警示牌。"
	portalPhoto   = "地面积水.png"
)

// codeRE is the shape of an access code: three groups of four characters
// without 0/O/1/I/L.
var codeRE = regexp.MustCompile(`^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$`)

// TestPortal drives the public portal on a phone: a complaint with a photo
// is submitted and tracked with its number and access code; a clerk
// replies; the complainant reads the reply and rates it.
func TestPortal(t *testing.T) {
	browser, base, art := setup(t, "portal-chromium.log")
	photo := filepath.Join(t.TempDir(), portalPhoto)
	if err := os.WriteFile(photo, photoPNG(t), 0o600); err != nil {
		t.Fatal(err)
	}

	// What the submission gave the complainant; later subtests use it.
	var number, code string
	needCode := func(t *testing.T) {
		t.Helper()
		if code == "" {
			t.Skip("the submission gave no number and code")
		}
	}

	t.Run("submit", func(t *testing.T) {
		p := newTab(t, browser, base, art, stepTimeout)
		p.phone()
		p.open("/portal")
		if w := eval[int](p, "document.documentElement.clientWidth"); w != 390 {
			p.fatalf("viewport is %d px wide, want 390", w)
		}
		p.wantText("main h1", zh("ui.portal.new.title"))
		p.fits("the portal's form")
		p.shot("form")

		// 举报 shows the confidentiality note; 投诉 does not.
		p.do("choose 举报", chromedp.Click(kindChoice("report")))
		if !eval[bool](p, `getComputedStyle(document.getElementById("report-note")).display !== "none"`) {
			p.fatalf("choosing 举报 shows no confidentiality note")
		}
		p.shot("report-note")
		p.do("choose 投诉", chromedp.Click(kindChoice("complaint")))
		if eval[bool](p, `getComputedStyle(document.getElementById("report-note")).display !== "none"`) {
			p.fatalf("the confidentiality note stays for a complaint")
		}
		// Tap targets are large enough for a finger.
		if h := eval[int](p, `Math.round(document.querySelector("button.p-submit").getBoundingClientRect().height)`); h < 44 {
			p.fatalf("the submit button is %d px high, want at least 44", h)
		}

		field := func(name string) chromedp.CSS { return chromedp.CSS(fmt.Sprintf(`form.p-form [name=%q]`, name)) }
		p.do("fill the form",
			chromedp.SetValue(field("category"), "logistics"),
			chromedp.SendKeys(field("subject"), portalSubject),
			chromedp.SendKeys(field("content"), portalContent),
			chromedp.SendKeys(field("complainant.name"), "陈女士"),
			chromedp.SendKeys(field("complainant.phone"), "13812345678"),
			chromedp.SetUploadFiles(chromedp.CSS(`form.p-form input[type="file"][name="attachments"]`), []string{photo}),
			chromedp.Click(field("privacy_consent")),
		)
		if n := eval[int](p, `document.querySelector('input[name="attachments"]').files.length`); n != 1 {
			p.fatalf("%d files chosen, want 1", n)
		}
		p.fits("the filled form")
		p.shot("filled")
		// With a file the form goes by XMLHttpRequest, showing the upload's
		// progress, and the answer replaces the page.
		p.do("submit", chromedp.Click(chromedp.CSS(`form.p-form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS("#case-number")))
		if !eval[bool](p, `performance.getEntriesByType("resource").some(e => e.initiatorType === "xmlhttprequest" && new URL(e.name).pathname === "/portal")`) {
			p.fatalf("the form with a file was not sent by the upload script")
		}

		// The result: the number and the access code, once.
		p.wantText("main h1", zh("ui.portal.done.title"))
		n, c := p.text("#case-number"), p.text("#access-code")
		if !numberRE.MatchString(n) || !codeRE.MatchString(c) {
			p.fatalf("result shows number %q and code %q", n, c)
		}
		number, code = n, c
		t.Logf("submitted %s, access code %s", number, code)
		p.wantContains(".p-keep", zh("ui.portal.done.keep"))
		p.fits("the result page")
		p.do("copy the number and code", chromedp.Click(chromedp.CSS("button.p-copy")))
		if got := p.pollText("button.p-copy", zh("ui.portal.copy")); got != zh("ui.portal.copied") && got != zh("ui.portal.copy_failed") {
			p.fatalf("after copying the button says %q", got)
		}
		p.shot("done")
	})

	t.Run("track", func(t *testing.T) {
		needCode(t)
		p := newTab(t, browser, base, art, stepTimeout)
		p.phone()
		p.track(number, code)
		p.wantText("#status-text", zh("ui.portal.status.received"))
		p.wantText("#track-number", number)
		p.wantContains(".p-status", portalSubject)
		p.wantContains(".p-files", portalPhoto)
		if p.count("#rate") != 0 {
			p.fatalf("a case not yet replied to offers the rating form")
		}
		p.fits("the tracking page")
		p.shot("received")
	})

	t.Run("staff_reply", func(t *testing.T) {
		needCode(t)
		p := newTab(t, browser, base, art, stepTimeout)
		p.do("desktop viewport", chromedp.EmulateViewport(1280, 900))
		p.login(clerk)
		p.open("/cases/" + number)
		p.wantText(".pagehead h1 .badge", zh("status.registered"))
		p.wantContains("#attachments", portalPhoto)
		// The photo is served to staff as an image.
		loaded := `(() => { const i = document.querySelector("#attachments img"); return !!i && i.complete && i.naturalWidth > 0 })()`
		if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](loaded, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			p.fatalf("the photo's thumbnail did not load: %v", err)
		}
		p.wantContains(".caselayout", zh("evidence.photo")+" × 1")
		p.wantContains(".caselayout", zh("ui.actor.public"))
		p.shot("case")
		p.act(cases.Accept, cases.Accepted)
		eval[bool](p, `(document.querySelector('#act-reply textarea[name="reply"]').value = "") === ""`)
		p.do("write the reply",
			chromedp.SendKeys(chromedp.CSS(`#act-reply textarea[name="reply"]`), portalReply),
			chromedp.SetValue(chromedp.CSS(`#act-reply select[name="method"]`), "web"))
		p.act(cases.Reply, cases.Replied)
		p.shot("replied")
	})

	t.Run("rate", func(t *testing.T) {
		needCode(t)
		p := newTab(t, browser, base, art, stepTimeout)
		p.phone()
		p.track(number, code)
		p.wantText("#status-text", zh("ui.portal.status.replied"))
		p.wantText("#reply-text", portalReply)
		p.fits("the reply")
		p.shot("reply")
		p.do("rate the reply",
			chromedp.Click(`//label[contains(@class,"p-sat")][.//input[@value="satisfied"]]`),
			chromedp.SendKeys(chromedp.CSS(`#rate textarea[name="note"]`), "处理及时，谢谢。"))
		p.follow("send the rating", `#rate button[type="submit"]`)
		p.wantText(".p-alert.ok", zh("ui.portal.rated.satisfied"))
		p.wantText("#status-text", zh("ui.portal.status.closed"))
		p.wantText("#rating", zh("satisfaction.satisfied"))
		p.fits("the rated case")
		p.shot("rated")
	})

	t.Run("narrow_phone", func(t *testing.T) {
		// The smallest common screen: 360 px.
		p := newTab(t, browser, base, art, stepTimeout)
		p.do("emulate a 360 px phone", chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(3), chromedp.EmulateMobile))
		for _, path := range []string{"/portal", "/portal?kind=report", "/portal/track"} {
			p.open(path)
			p.fits(path + " at 360 px")
		}
		p.shot("form-360")
		if code != "" {
			p.track(number, code)
			p.fits("the tracked case at 360 px")
			p.shot("tracked-360")
		}
	})
}

// phone emulates an iPhone 12: 390×844 at 3×, with its user agent.
func (p *tab) phone() {
	p.t.Helper()
	p.do("emulate a phone", chromedp.Emulate(device.IPhone12))
}

// fits fails the test when the page scrolls sideways.
func (p *tab) fits(page string) {
	p.t.Helper()
	if ok, sw, vw := p.noHorizontalScroll(); !ok {
		p.fatalf("%s scrolls sideways: %d px wide in a %d px viewport", page, sw, vw)
	}
}

// track looks the case up on the tracking page with its number and code.
func (p *tab) track(number, code string) {
	p.t.Helper()
	p.open("/portal/track?number=" + number)
	if got := eval[string](p, `document.querySelector('form.p-form input[name="number"]').value`); got != number {
		p.fatalf("the tracking form holds number %q, want %q", got, number)
	}
	p.do("type the access code", chromedp.SendKeys(chromedp.CSS(`form.p-form input[name="code"]`), code))
	p.follow("track", `form.p-form button[type="submit"]`)
}

// pollText waits until the text of sel is no longer was, and returns it.
func (p *tab) pollText(sel, was string) string {
	p.t.Helper()
	expr := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e && e.textContent.trim() !== %q ? e.textContent.trim() : false })()`, sel, was)
	s, err := chromedp.Run(p.ctx, chromedp.Poll[string](expr, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		p.fatalf("%s still says %q: %v", sel, was, err)
	}
	return s
}

// kindChoice is the portal's choice of a kind of contact.
func kindChoice(code string) string {
	return fmt.Sprintf(`//label[contains(@class,"p-kind")][.//input[@value=%q]]`, code)
}

// photoPNG is a small photo.
func photoPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{R: uint8(x * 4), G: uint8(y * 5), B: 180, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
