package web_test

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
)

// registerFull registers a walk-in complaint with every field of the
// registration record filled, received by the clerk.
func (e *env) registerFull() *cases.Case {
	e.t.Helper()
	received := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	c, err := e.svc.Register(context.Background(), cases.Actor{Username: "clerk", Role: auth.Registrar, Department: "yhb"},
		cases.Registration{Kind: "complaint", Channel: "walk_in", ReceivedAt: received,
			Complainant: cases.Complainant{Name: "陈女士", Phone: "13812345678", OtherContact: "微信 chen_w"},
			Respondent:  cases.Respondent{Department: "menzhen", Staff: "挂号窗口3号", Site: "门诊一楼"},
			Subject:     "挂号窗口工作人员态度生硬", Content: "患者家属称在挂号时被工作人员呵斥。",
			Demands: []string{"apology", "improvement"}, DemandNote: "希望当面道歉",
			Evidence: []cases.Evidence{{Type: "photo", Count: 2, Note: "窗口照片"}, {Type: "recording", Count: 1}},
			Category: "attitude", Level: "3",
			Receiver: "clerk", ReceiverDept: "医患关系办公室", ReceiverTel: "0512-53620000"})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

var qrImgRE = regexp.MustCompile(`<img class="qr" src="([^"]+)" alt="([^"]*)"`)

// qrOf finds the QR code image of a print page and returns the bitmap its
// SVG draws.
func qrOf(t *testing.T, body string) [][]bool {
	t.Helper()
	m := qrImgRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no QR code image")
	}
	src, ok := strings.CutPrefix(html.UnescapeString(m[1]), "data:image/svg+xml;base64,")
	if !ok {
		t.Fatalf("QR image source %.40q is not an SVG data URI", m[1])
	}
	raw, err := base64.StdEncoding.DecodeString(src)
	if err != nil {
		t.Fatalf("QR data URI: %v", err)
	}
	var svg struct {
		XMLName xml.Name `xml:"svg"`
		ViewBox string   `xml:"viewBox,attr"`
		Path    struct {
			D string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal(raw, &svg); err != nil {
		t.Fatalf("QR code is not SVG: %v\n%s", err, raw)
	}
	var n int
	if f := strings.Fields(svg.ViewBox); len(f) != 4 || f[2] != f[3] {
		t.Fatalf("QR viewBox %q is not square", svg.ViewBox)
	} else {
		n, _ = strconv.Atoi(f[2])
	}
	bits := make([][]bool, n)
	for i := range bits {
		bits[i] = make([]bool, n)
	}
	run := regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
	for d := svg.Path.D; d != ""; {
		m := run.FindStringSubmatch(d)
		if m == nil || m[3] != m[4] {
			t.Fatalf("QR path: cannot read %.40q", d)
		}
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		if y >= n || x+w > n {
			t.Fatalf("QR path: run %s outside the %d×%d code", m[0], n, n)
		}
		for i := x; i < x+w; i++ {
			bits[y][i] = true
		}
		d = d[len(m[0]):]
	}
	return bits
}

// checkQR checks that a print page shows the QR code of number: a square
// code with the three finder patterns, module for module the code of the
// number at medium error correction.
func checkQR(t *testing.T, body, number string) {
	t.Helper()
	got := qrOf(t, body)
	if !strings.Contains(body, `alt="`+html.EscapeString("编号 "+number+" 的二维码")+`"`) &&
		!strings.Contains(body, `alt="QR code of number `+number+`"`) {
		t.Errorf("QR image lacks its alt text naming %s", number)
	}
	// The finder patterns: 7×7 squares in three corners inside the 4-module quiet zone.
	n := len(got)
	for _, c := range [][2]int{{4, 4}, {n - 11, 4}, {4, n - 11}} {
		for i := range 7 {
			for j := range 7 {
				ring := max(abs(i-3), abs(j-3))
				want := ring != 2 // dark but for the ring between the outer square and the centre
				if got[c[1]+i][c[0]+j] != want {
					t.Fatalf("QR code: no finder pattern at %v", c)
				}
			}
		}
	}
	q, err := qrcode.New(number, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	want := q.Bitmap()
	if len(want) != n {
		t.Fatalf("QR code is %d modules wide, the number's is %d", n, len(want))
	}
	for y := range want {
		for x := range want[y] {
			if want[y][x] != got[y][x] {
				t.Fatalf("QR code differs from the number's at (%d, %d)", x, y)
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestPrintPages: the registration voucher, the handling slip and the
// feedback slip show their fields, the number as a QR code and the
// signature lines, and the case page links to all three.
func TestPrintPages(t *testing.T) {
	e := newEnv(t)
	k := e.registerFull()
	path := "/cases/" + k.Number
	c := e.login("clerk")

	page := c.get(path)
	for _, form := range []string{"voucher", "slip", "feedback"} {
		mustContain(t, page.Body, `href="`+path+`/`+form+`"`)
	}
	mustContain(t, page.Body, ">登记凭证</a>", ">交办单</a>", ">处理反馈单</a>")

	t.Run("voucher", func(t *testing.T) {
		r := c.get(path + "/voucher")
		if r.Status != http.StatusOK {
			t.Fatalf("voucher: %d", r.Status)
		}
		mustContain(t, r.Body, `id="print-voucher"`, "太仓市第一人民医院", "《投诉登记凭证》", k.Number,
			k.ReceivedAt.In(calendar.Shanghai).Format("2006-01-02 15:04"), "直访", "陈女士", "138****5678", "微信 chen_w",
			"门诊部 · 挂号窗口3号 · 门诊一楼", "挂号窗口工作人员态度生硬", "患者家属称在挂号时被工作人员呵斥。",
			"道歉", "希望当面道歉", "照片 × 2 (窗口照片)", "录音 × 1",
			"首问责任人", "王登记", "医患关系办公室", "0512-53620000", "登记人",
			"投诉人（签字）", "接待人（签字）", "日期", "data-print", "本凭证由医患关系办公室出具")
		mustNotContain(t, r.Body, "13812345678")
		checkQR(t, r.Body, k.Number)
	})

	t.Run("feedback_blank", func(t *testing.T) {
		// Before the department has answered, the slip has a box to write in.
		r := c.get(path + "/feedback")
		if r.Status != http.StatusOK {
			t.Fatalf("feedback: %d", r.Status)
		}
		mustContain(t, r.Body, "《投诉处理反馈单》", k.Number, `<td colspan="3" class="write"></td>`, "处理意见")
		mustNotContain(t, r.Body, `class="pre result"`)
		checkQR(t, r.Body, k.Number)
	})

	// The department handles it; the clerk replies and visits.
	e.act(k.Number, cases.Accept, cases.Params{})
	e.act(k.Number, cases.Assign, cases.Params{Department: "jiancha", Handler: "jc"})
	ctx := context.Background()
	jc := cases.Actor{Username: "jc", Role: auth.Handler, Department: "jiancha"}
	if _, err := e.svc.Act(ctx, jc, k.Number, cases.Take, cases.Params{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Act(ctx, jc, k.Number, cases.Propose, cases.Params{Reply: "已约谈挂号窗口工作人员并向陈女士致歉。"}); err != nil {
		t.Fatal(err)
	}
	head := cases.Actor{Username: "jchead", Role: auth.DeptHead, Department: "jiancha"}
	if _, err := e.svc.Act(ctx, head, k.Number, cases.Approve, cases.Params{}); err != nil {
		t.Fatal(err)
	}
	clerk := cases.Actor{Username: "clerk", Role: auth.Registrar, Department: "yhb"}
	if _, err := e.svc.Act(ctx, clerk, k.Number, cases.Reply, cases.Params{Method: "phone"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Act(ctx, clerk, k.Number, cases.Visit, cases.Params{Satisfaction: cases.BasicallySatisfied}); err != nil {
		t.Fatal(err)
	}

	t.Run("slip", func(t *testing.T) {
		r := c.get(path + "/slip")
		if r.Status != http.StatusOK {
			t.Fatalf("slip: %d", r.Status)
		}
		mustContain(t, r.Body, `id="print-slip"`, "《投诉交办单》", "监察室", "李监察")
		checkQR(t, r.Body, k.Number)
	})

	t.Run("feedback", func(t *testing.T) {
		r := c.get(path + "/feedback")
		if r.Status != http.StatusOK {
			t.Fatalf("feedback: %d", r.Status)
		}
		slip := between(r.Body, `id="print-feedback"`, "</article>")
		mustContain(t, slip, "《投诉处理反馈单》", k.Number, "挂号窗口工作人员态度生硬", "138****5678",
			"答复内容", "已约谈挂号窗口工作人员并向陈女士致歉。", "答复方式", "电话",
			"交办科室", "监察室", "经办人", "李监察", "拟办人", "审核人", "孙主任",
			"时限执行情况", "答复时限", "按时完成", "回访结果", "基本满意",
			"投诉人对处理结果", "投诉人（签字）", "经办人（签字）", "科室负责人（签字）")
		mustNotContain(t, slip, "13812345678", `class="write"`)
		// The complainant's own verdict: three boxes to tick, none ticked.
		confirm := between(slip, `class="confirm"`, "</div>")
		if n := strings.Count(confirm, `class="box"`); n != 3 {
			t.Errorf("%d tick boxes, want 3", n)
		}
		for _, s := range []string{"满意", "基本满意", "不满意"} {
			mustContain(t, confirm, `</span>`+s+`</span>`)
		}
		mustNotContain(t, confirm, "无法回访")
		checkQR(t, r.Body, k.Number)
	})

	t.Run("english", func(t *testing.T) {
		en := e.login("clerk")
		en.get("/lang?to=en&back=/cases")
		for form, title := range map[string]string{"voucher": "Complaint Registration Voucher",
			"feedback": "Complaint Feedback Slip"} {
			r := en.get(path + "/" + form)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: %d", form, r.Status)
			}
			mustContain(t, r.Body, title, "Complainant (signature)", `alt="QR code of number `+k.Number+`"`)
			mustNotContain(t, r.Body, "投诉人（签字）")
		}
	})
}

// TestPrintPagesFollowVisibility: a print page is for those who may see
// the case: others get 403, an unknown number 404, and no session the
// login page.
func TestPrintPagesFollowVisibility(t *testing.T) {
	e := newEnv(t)
	k := e.register("保安态度恶劣", "attitude")
	e.act(k.Number, cases.Accept, cases.Params{})
	e.act(k.Number, cases.Assign, cases.Params{Department: "jiancha"})
	cw, jc, audit := e.login("cw"), e.login("jc"), e.login("audit")
	anon := e.client()
	for _, form := range []string{"voucher", "slip", "feedback"} {
		t.Run(form, func(t *testing.T) {
			path := "/cases/" + k.Number + "/" + form
			if r := cw.get(path); r.Status != http.StatusForbidden {
				t.Errorf("another department: %d, want 403", r.Status)
			} else {
				mustContain(t, r.Body, "您没有权限执行此操作")
				mustNotContain(t, r.Body, "保安态度恶劣", "data:image/svg+xml")
			}
			for name, c := range map[string]*client{"the department": jc, "an auditor": audit} {
				if r := c.get(path); r.Status != http.StatusOK {
					t.Errorf("%s: %d, want 200", name, r.Status)
				} else {
					checkQR(t, r.Body, k.Number)
				}
			}
			if r := jc.get("/cases/TS209901-9999/" + form); r.Status != http.StatusNotFound {
				t.Errorf("unknown number: %d, want 404", r.Status)
			}
			if r := anon.get(path); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login?next=") {
				t.Errorf("no session: %d %q, want 303 to the login", r.Status, r.Header.Get("Location"))
			}
		})
	}
}
