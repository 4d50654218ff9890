package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/i18n"
)

// postUpload posts an upload as the case page's script does: multipart,
// asking for JSON.
func (c *client) postUpload(path string, v url.Values, files ...part) resp {
	c.e.t.Helper()
	return c.multipart(path, v, "application/json", files...)
}

var (
	testPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	testMP3 = append([]byte("ID3\x03\x00\x00\x00\x00\x00\x00"), make([]byte, 64)...)
	fakePNG = []byte("<html><script>alert(1)</script></html>")
)

// TestUploadOnTheCasePage: staff add files on the case page, by a plain
// form post (no JavaScript) or by the page's script; the files are
// previewed by kind, the timeline shows the upload, and what is refused
// leaves the case as it was.
func TestUploadOnTheCasePage(t *testing.T) {
	e := newEnv(t)
	c := e.register("挂号窗口态度生硬", "attitude")
	number := c.Number
	casePath, uploadPath := "/cases/"+number, "/cases/"+number+"/attachments"
	clerk := e.login("clerk")

	// The form: several files, the types and limits, the CSRF token.
	page := clerk.get(casePath)
	form := between(page.Body, `<form method="post" action="`+uploadPath+`"`, "</form>")
	if form == "" {
		t.Fatalf("no upload form on the case page")
	}
	mustContain(t, form, `enctype="multipart/form-data"`, `type="file" name="file" multiple`, `accept=".amr,.gif,`,
		`name="csrf" value="`+clerk.csrf+`"`, `data-max-files="5"`, `data-max-bytes="10485760"`, `name="note"`,
		html.EscapeString(i18n.T("zh-CN", "ui.case.upload_hint", 5, "10.0 MB")), "<progress")
	mustContain(t, page.Body, i18n.T("zh-CN", "ui.case.no_attachments"))

	// Without JavaScript: a plain post, answered by the case page.
	r := clerk.postMultipart(uploadPath, clerk.form(url.Values{"note": {"患者微信发来"}}),
		part{"file", "现场.png", smallPNG(t)}, part{"file", "录音.mp3", testMP3}, part{"file", "挂号单.pdf", testPDF})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != casePath+"?done=attach#attachments" {
		t.Fatalf("plain upload: %d to %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	page = clerk.get(casePath + "?done=attach")
	att := between(page.Body, `id="attachments"`, "</section>")
	mustContain(t, page.Body, i18n.T("zh-CN", "ui.case.done", i18n.T("zh-CN", "action.attach")),
		"照片 × 1", "录音 × 1", "文件 × 1")
	mustContain(t, att,
		fmt.Sprintf(`<a href="%s/1" class="thumb" target="_blank" rel="noopener"`, uploadPath),
		fmt.Sprintf(`<img src="%s/1" alt="现场.png"`, uploadPath),
		fmt.Sprintf(`<audio controls preload="metadata" src="%s/2">`, uploadPath),
		fmt.Sprintf(`<a href="%s/3" class="attname" target="_blank" rel="noopener">挂号单.pdf</a>`, uploadPath),
		fmt.Sprintf(`<a href="%s/3?download=1" download="挂号单.pdf"`, uploadPath),
		"王登记")
	timeline := between(page.Body, `class="grid timeline"`, "</table>")
	mustContain(t, timeline, i18n.T("zh-CN", "action.attach"), "患者微信发来", "现场.png（照片，", "挂号单.pdf（文件，")

	// By the page's script: JSON in, JSON out.
	r = clerk.postUpload(uploadPath, clerk.form(nil), part{"file", "second.png", smallPNG(t)})
	var ok struct{ Location string }
	if r.Status != http.StatusCreated || json.Unmarshal([]byte(r.Body), &ok) != nil || ok.Location != casePath+"?done=attach#attachments" {
		t.Fatalf("scripted upload: %d %s", r.Status, r.Body)
	}
	if got := e.caseOf(number).Evidence; fmt.Sprint(got) != "[{photo 2 } {recording 1 } {document 1 }]" {
		t.Fatalf("evidence %v", got)
	}
	seq := e.caseOf(number).Seq

	// Refused: a page script gets the API's error, a browser the page.
	r = clerk.postUpload(uploadPath, clerk.form(nil), part{"file", "x.png", fakePNG})
	var bad struct {
		Error struct {
			Code       string
			Fields     map[string]string
			FieldCodes map[string]string `json:"field_codes"`
		}
	}
	if r.Status != http.StatusBadRequest || json.Unmarshal([]byte(r.Body), &bad) != nil ||
		bad.Error.FieldCodes["file"] != "file_type_mismatch" || bad.Error.Fields["file"] != i18n.T("zh-CN", "field.file_type_mismatch") {
		t.Fatalf("scripted bad upload: %d %s", r.Status, r.Body)
	}
	r = clerk.postMultipart(uploadPath, clerk.form(url.Values{"note": {"留着这段说明"}}), part{"file", "x.png", fakePNG})
	if r.Status != http.StatusBadRequest {
		t.Fatalf("plain bad upload: %d", r.Status)
	}
	mustContain(t, between(r.Body, `id="upload"`, "</form>"), `class="err" role="alert" id="upload-err">`+i18n.T("zh-CN", "field.file_type_mismatch"),
		"留着这段说明", `aria-invalid="true"`)
	r = clerk.postMultipart(uploadPath, clerk.form(nil))
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, i18n.T("zh-CN", "field.required")) {
		t.Fatalf("no file: %d", r.Status)
	}
	// Without the CSRF token nothing happens.
	if r := clerk.postMultipart(uploadPath, url.Values{}, part{"file", "p.png", smallPNG(t)}); r.Status != http.StatusForbidden {
		t.Fatalf("without CSRF: %d", r.Status)
	}
	if got := e.caseOf(number).Seq; got != seq {
		t.Fatalf("refused uploads wrote events: seq %d → %d", seq, got)
	}
	atts, _ := e.st.Attachments(context.Background(), c.ID)
	if len(atts) != 4 {
		t.Fatalf("%d attachments, want 4", len(atts))
	}

	// Who sees the form, and who may post it.
	e.act(number, cases.Accept, cases.Params{})
	e.act(number, cases.Assign, cases.Params{Department: "jiancha"})
	for _, tc := range []struct {
		user       string
		page, post int
		form       bool
	}{
		{"jc", http.StatusOK, http.StatusSeeOther, true},      // the department's handler
		{"jchead", http.StatusOK, http.StatusSeeOther, true},  // and head
		{"boss", http.StatusOK, http.StatusSeeOther, true},    // leadership
		{"audit", http.StatusOK, http.StatusForbidden, false}, // reads, changes nothing
		{"cw", http.StatusForbidden, http.StatusForbidden, false},
	} {
		t.Run(tc.user, func(t *testing.T) {
			u := e.login(tc.user)
			p := u.get(casePath)
			if p.Status != tc.page || strings.Contains(p.Body, `action="`+uploadPath+`"`) != tc.form {
				t.Fatalf("page %d, form shown: %v", p.Status, !tc.form)
			}
			if r := u.postMultipart(uploadPath, u.form(nil), part{"file", tc.user + ".png", smallPNG(t)}); r.Status != tc.post {
				t.Fatalf("post: %d, want %d", r.Status, tc.post)
			}
		})
	}

	// A voided case takes no more files.
	e.act(number, cases.Void, cases.Params{Reason: "重复登记"})
	if p := clerk.get(casePath); strings.Contains(p.Body, `action="`+uploadPath+`"`) {
		t.Error("a voided case offers the upload form")
	}
	if r := clerk.postUpload(uploadPath, clerk.form(nil), part{"file", "late.png", smallPNG(t)}); r.Status != http.StatusConflict {
		t.Errorf("upload to a voided case: %d", r.Status)
	}
}
