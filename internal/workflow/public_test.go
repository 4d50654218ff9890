package workflow_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
	"github.com/ombud/ombud/internal/workflow"
)

var admin = cases.Actor{Username: "admin", Role: auth.Admin}

// pngBytes is a small PNG image; seed makes different images.
func pngBytes(t testing.TB, seed uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{R: seed, G: 80, B: 160, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var pdfBytes = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func upload(name string, data []byte) workflow.Upload {
	return workflow.Upload{Name: name, Size: int64(len(data)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
}

func publicForm() workflow.PublicForm {
	return workflow.PublicForm{Kind: "complaint", Category: "attitude", Subject: "挂号窗口态度生硬",
		Content: "今天上午在门诊一楼挂号，窗口工作人员不耐烦，大声呵斥。", Phone: "13912345678", Consent: true}
}

var codeRE = regexp.MustCompile(`^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$`)

func TestAccessCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		c, err := workflow.NewAccessCode()
		if err != nil {
			t.Fatal(err)
		}
		f := workflow.FormatAccessCode(c)
		if !codeRE.MatchString(f) {
			t.Fatalf("code %q (%q) is not 12 characters without 0/O/1/I/L in groups of four", c, f)
		}
		if seen[c] {
			t.Fatalf("code %s came twice", c)
		}
		seen[c] = true
	}
	if got := workflow.NormalizeAccessCode(" abcd-efgh jkmn "); got != "ABCDEFGHJKMN" {
		t.Errorf("normalized: %q", got)
	}
	if workflow.AccessHash("TS202611-0001", "abcd efgh-jkmn") != workflow.AccessHash("TS202611-0001", "ABCD-EFGH-JKMN") {
		t.Error("the hash depends on how the code is typed")
	}
	if workflow.AccessHash("TS202611-0001", "ABCD-EFGH-JKMN") == workflow.AccessHash("TS202611-0002", "ABCD-EFGH-JKMN") {
		t.Error("the hash does not depend on the number")
	}
}

func TestDetectFile(t *testing.T) {
	pngData := pngBytes(t, 1)
	for _, tc := range []struct {
		name     string
		head     []byte
		ct, ev   string
		accepted bool
	}{
		{"照片.png", pngData, "image/png", "photo", true},
		{"IMG_0001.JPG", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), "image/jpeg", "photo", true},
		{"a.gif", []byte("GIF89a\x01\x00\x01\x00"), "image/gif", "photo", true},
		{"a.webp", []byte("RIFF\x1a\x00\x00\x00WEBPVP8 "), "image/webp", "photo", true},
		{"IMG_1234.HEIC", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), "image/heic", "photo", true},
		{"v.mp4", []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"), "video/mp4", "video", true},
		{"IMG_1235.MOV", []byte("\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  "), "video/quicktime", "video", true},
		{"录音.mp3", []byte("ID3\x03\x00\x00\x00\x00\x00\x00"), "audio/mpeg", "recording", true},
		{"r.mp3", []byte("\xFF\xFB\x90\x64\x00"), "audio/mpeg", "recording", true},
		{"r.m4a", []byte("\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42"), "audio/mp4", "recording", true},
		{"r.amr", []byte("#!AMR\n\x3c"), "audio/amr", "recording", true},
		{"r.wav", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), "audio/wav", "recording", true},
		{"票据.pdf", pdfBytes, "application/pdf", "document", true},
		{`C:\Users\x\Desktop\照片.png`, pngData, "image/png", "photo", true},
		// Content that does not match its name, and types not taken.
		{"x.png", []byte("<html><script>alert(1)</script>"), "", "", false},
		{"x.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "", "", false},
		{"x.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00"), "", "", false},
		{"x.jpg", pngData, "", "", false},
		{"x.html", []byte("<html></html>"), "", "", false},
		{"x.exe", []byte("MZ\x90\x00"), "", "", false},
		{"png", pngData, "", "", false},
		{"x.mp4", []byte("<html>ftyp</html>"), "", "", false},
		{"x.png", nil, "", "", false},
	} {
		ct, ev, ok := workflow.DetectFile(tc.name, tc.head)
		if ok != tc.accepted || ct != tc.ct || ev != tc.ev {
			t.Errorf("DetectFile(%q) = %q, %q, %v; want %q, %q, %v", tc.name, ct, ev, ok, tc.ct, tc.ev, tc.accepted)
		}
	}
	for in, want := range map[string]string{
		"../../etc/passwd": "passwd", `a\b\c.pdf`: "c.pdf", "  ": "file", "a\x00b\n.png": "ab.png", "..": "file",
		strings.Repeat("长", 120) + ".jpg": strings.Repeat("长", 96) + ".jpg",
	} {
		if got := workflow.CleanFileName(in); got != want {
			t.Errorf("CleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRegisterPublic(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		st.SetDataDir(t.TempDir())
		svc := newService(t, st)
		ctx := context.Background()
		f := publicForm()
		f.Files = []workflow.Upload{upload("窗口.png", pngBytes(t, 1)), upload("挂号单.pdf", pdfBytes), upload("窗口2.png", pngBytes(t, 2))}
		c, code, err := svc.RegisterPublic(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if !codeRE.MatchString(code) {
			t.Fatalf("access code %q", code)
		}
		if c.RegisteredBy != workflow.PublicActor || c.Channel != "web" || c.Receiver != "yhb" || c.Status != cases.Registered ||
			c.Kind != "complaint" || c.Category != "attitude" || c.Level == "" || c.Clock("reply") == nil {
			t.Fatalf("registered %+v", c)
		}
		if want := []cases.Evidence{{Type: "photo", Count: 2}, {Type: "document", Count: 1}}; !equalEvidence(c.Evidence, want) {
			t.Errorf("evidence %+v, want %+v", c.Evidence, want)
		}
		// Only a hash of the code is kept.
		_, stored, err := st.PublicCase(ctx, c.Number)
		if err != nil {
			t.Fatal(err)
		}
		if stored != workflow.AccessHash(c.Number, code) || strings.Contains(stored, workflow.NormalizeAccessCode(code)) {
			t.Errorf("stored %q for code %s", stored, code)
		}

		// The code opens the case however it is typed; nothing else does.
		for _, typed := range []string{code, strings.ToLower(code), strings.ReplaceAll(code, "-", " ")} {
			v, err := svc.TrackPublic(ctx, c.Number, typed)
			if err != nil {
				t.Fatalf("track with %q: %v", typed, err)
			}
			if v.Number != c.Number || v.Status != workflow.PublicReceived || v.CanRate || v.DueAt == nil ||
				len(v.Attachments) != 3 || v.Attachments[0].Name != "窗口.png" || v.Attachments[1].Size != int64(len(pdfBytes)) {
				t.Fatalf("view %+v", v)
			}
		}
		other, err := svc.Register(ctx, clerk, registration())
		if err != nil {
			t.Fatal(err)
		}
		wrong := "2345-6789-ABCD"
		if wrong == code {
			wrong = "ABCD-2345-6789"
		}
		for _, tc := range []struct{ number, code string }{
			{c.Number, wrong}, {c.Number, ""}, {"TS190001-0001", code}, {other.Number, code}, {other.Number, ""},
		} {
			if _, err := svc.TrackPublic(ctx, tc.number, tc.code); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("track %s with %q: %v, want not found", tc.number, tc.code, err)
			}
		}

		// The central office is told.
		ns, _, err := st.Notifications(ctx, clerk.Username, true, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) != 1 || ns[0].Kind != "public_case" || ns[0].Number != c.Number {
			t.Errorf("central office notifications %+v", ns)
		}
		verify(t, st, svc.Pack)
	})
}

func equalEvidence(a, b []cases.Evidence) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRegisterPublicValidation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		st.SetDataDir(t.TempDir())
		svc := newService(t, st)
		ctx := context.Background()
		six := make([]workflow.Upload, 6)
		for i := range six {
			six[i] = upload("p.png", pngBytes(t, uint8(i)))
		}
		for _, tc := range []struct {
			name  string
			edit  func(*workflow.PublicForm)
			field string
			key   string
		}{
			{"no consent", func(f *workflow.PublicForm) { f.Consent = false }, "privacy_consent", "consent_required"},
			{"no subject", func(f *workflow.PublicForm) { f.Subject = " " }, "subject", "required"},
			{"long subject", func(f *workflow.PublicForm) { f.Subject = strings.Repeat("长", 201) }, "subject", "too_long"},
			{"long content", func(f *workflow.PublicForm) { f.Content = strings.Repeat("长", 5001) }, "content", "too_long"},
			{"unknown kind", func(f *workflow.PublicForm) { f.Kind = "praise" }, "kind", "unknown_kind"},
			{"unknown category", func(f *workflow.PublicForm) { f.Category = "parking" }, "category", "unknown_category"},
			{"staff channel", func(f *workflow.PublicForm) { f.Channel = "media" }, "channel", "unknown_channel"},
			{"unknown channel", func(f *workflow.PublicForm) { f.Channel = "pigeon" }, "channel", "unknown_channel"},
			{"nobody", func(f *workflow.PublicForm) { f.Phone = "" }, "complainant.name", "name_phone_or_anonymous"},
			{"bad phone", func(f *workflow.PublicForm) { f.Phone = "call me" }, "complainant.phone", "invalid_phone"},
			{"six files", func(f *workflow.PublicForm) { f.Files = six }, "attachments", "too_many_files"},
			{"too large", func(f *workflow.PublicForm) {
				f.Files = []workflow.Upload{{Name: "big.png", Size: workflow.MaxAttachmentSize + 1, Open: upload("", pngBytes(t, 1)).Open}}
			}, "attachments", "file_too_large"},
			{"html as png", func(f *workflow.PublicForm) {
				f.Files = []workflow.Upload{upload("x.png", []byte("<html><script>alert(1)</script></html>"))}
			}, "attachments", "file_type_mismatch"},
			{"program", func(f *workflow.PublicForm) {
				f.Files = []workflow.Upload{upload("setup.exe", []byte("MZ\x90\x00"))}
			}, "attachments", "unsupported_file"},
			{"empty file", func(f *workflow.PublicForm) { f.Files = []workflow.Upload{upload("x.png", nil)} }, "attachments", "empty_file"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := publicForm()
				tc.edit(&f)
				_, _, err := svc.RegisterPublic(ctx, f)
				var fe cases.FieldErrors
				if !errors.As(err, &fe) || fe[tc.field] != tc.key {
					t.Fatalf("got %v, want %s: %s", err, tc.field, tc.key)
				}
				if err := svc.CheckPublic(f); !errors.As(err, &fe) || fe[tc.field] != tc.key {
					t.Fatalf("CheckPublic: %v", err)
				}
			})
		}
		// Anonymous needs no name or phone; a name given anyway is dropped.
		f := publicForm()
		f.Phone, f.Name, f.Anonymous, f.Kind = "", "王某", true, "report"
		c, _, err := svc.RegisterPublic(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Complainant.Anonymous || c.Complainant.Name != "" || !strings.HasPrefix(c.Number, "JB") {
			t.Errorf("anonymous report %+v %s", c.Complainant, c.Number)
		}
		if n, _ := st.Counters(ctx); n[svc.Pack.Series("complaint", svc.Now())] != 0 {
			t.Errorf("rejected submissions took numbers: %v", n)
		}
	})
}

func TestRegisterPublicWithoutFileStorage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		st.SetDataDir("")
		svc := newService(t, st)
		f := publicForm()
		f.Files = []workflow.Upload{upload("a.png", pngBytes(t, 1))}
		if _, _, err := svc.RegisterPublic(context.Background(), f); !errors.Is(err, store.ErrNoFiles) {
			t.Fatalf("with files and nowhere to keep them: %v, want ErrNoFiles", err)
		}
		f.Files = nil
		if _, _, err := svc.RegisterPublic(context.Background(), f); err != nil {
			t.Fatalf("without files: %v", err)
		}
	})
}

func TestRatePublic(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		st.SetDataDir(t.TempDir())
		svc := newService(t, st)
		ctx := context.Background()
		c, code, err := svc.RegisterPublic(ctx, publicForm())
		if err != nil {
			t.Fatal(err)
		}
		// Nothing to rate before the reply.
		if _, err := svc.RatePublic(ctx, c.Number, code, cases.Satisfied, ""); !errors.Is(err, cases.ErrInvalidTransition) {
			t.Fatalf("rating a registered case: %v", err)
		}
		if _, err := svc.RatePublic(ctx, c.Number, "2345-6789-ABCD", cases.Satisfied, ""); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("rating with a wrong code: %v", err)
		}
		walk := func(steps ...cases.Action) {
			t.Helper()
			for _, a := range steps {
				p := cases.Params{}
				switch a {
				case cases.Assign:
					p.Department = "jiancha"
				case cases.Propose:
					p.Reply = "经核实，已对当班人员批评教育。"
				case cases.Reply:
					p.Method = "web"
				}
				if _, err := svc.Act(ctx, admin, c.Number, a, p); err != nil {
					t.Fatalf("%s: %v", a, err)
				}
			}
		}
		walk(cases.Accept, cases.Assign, cases.Take)
		v, err := svc.TrackPublic(ctx, c.Number, code)
		if err != nil || v.Status != workflow.PublicProcessing || v.Reply != "" || v.CanRate {
			t.Fatalf("in progress: %+v %v", v, err)
		}
		walk(cases.Propose)
		if c2, _ := st.GetCase(ctx, c.Number); c2.Status == cases.Reviewing {
			walk(cases.Approve)
		}
		walk(cases.Reply)
		v, err = svc.TrackPublic(ctx, c.Number, code)
		if err != nil || v.Status != workflow.PublicReplied || v.Reply != "经核实，已对当班人员批评教育。" || !v.CanRate ||
			v.RepliedAt == nil || v.DueAt != nil {
			t.Fatalf("replied: %+v %v", v, err)
		}
		// Staff's verdict is not the complainant's to give; the comment is bounded.
		var fe cases.FieldErrors
		if _, err := svc.RatePublic(ctx, c.Number, code, cases.Unreachable, ""); !errors.As(err, &fe) || fe["satisfaction"] != "unknown_satisfaction" {
			t.Fatalf("unreachable: %v", err)
		}
		if _, err := svc.RatePublic(ctx, c.Number, code, "", ""); !errors.As(err, &fe) || fe["satisfaction"] != "required" {
			t.Fatalf("no verdict: %v", err)
		}
		if _, err := svc.RatePublic(ctx, c.Number, code, cases.Satisfied, strings.Repeat("好", 1001)); !errors.As(err, &fe) || fe["note"] != "too_long" {
			t.Fatalf("long note: %v", err)
		}

		// Dissatisfied: the case goes back to the department (asking to reopen).
		v, err = svc.RatePublic(ctx, c.Number, code, cases.Dissatisfied, "没有道歉")
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != workflow.PublicProcessing || v.Satisfaction != "dissatisfied" || v.CanRate {
			t.Fatalf("after dissatisfied: %+v", v)
		}
		c2, events, err := svc.Get(ctx, admin, c.Number)
		if err != nil {
			t.Fatal(err)
		}
		last := events[len(events)-1]
		if c2.Status != cases.InProgress || last.Type != string(cases.Visit) || last.Actor != workflow.ComplainantActor {
			t.Fatalf("case %s, last event %s by %s", c2.Status, last.Type, last.Actor)
		}
		ns, _, _ := st.Notifications(ctx, clerk.Username, true, 10)
		if len(ns) == 0 || ns[0].Kind != "rated_dissatisfied" {
			t.Errorf("central office notifications %+v", ns)
		}

		// Handled again and replied again: satisfied closes it.
		walk(cases.Propose)
		if c2, _ := st.GetCase(ctx, c.Number); c2.Status == cases.Reviewing {
			walk(cases.Approve)
		}
		walk(cases.Reply)
		v, err = svc.RatePublic(ctx, c.Number, code, cases.Satisfied, "")
		if err != nil || v.Status != workflow.PublicClosed || v.Satisfaction != "satisfied" || v.CanRate {
			t.Fatalf("after satisfied: %+v %v", v, err)
		}
		if _, err := svc.RatePublic(ctx, c.Number, code, cases.Dissatisfied, ""); !errors.Is(err, cases.ErrInvalidTransition) {
			t.Fatalf("rating a closed case: %v", err)
		}
		verify(t, st, svc.Pack)
	})
}

func TestPublicAttachmentsShareContent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		dir := t.TempDir()
		st.SetDataDir(dir)
		svc := newService(t, st)
		ctx := context.Background()
		photo := pngBytes(t, 7)
		var regs []*cases.Case
		for range 2 {
			f := publicForm()
			f.Files = []workflow.Upload{upload("same.png", photo)}
			c, _, err := svc.RegisterPublic(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			regs = append(regs, c)
		}
		var sums []string
		for _, c := range regs {
			atts, err := st.Attachments(ctx, c.ID)
			if err != nil || len(atts) != 1 {
				t.Fatalf("attachments of %s: %v %v", c.Number, atts, err)
			}
			a := atts[0]
			if a.ContentType != "image/png" || a.Size != int64(len(photo)) || a.CreatedBy != workflow.PublicActor {
				t.Errorf("attachment %+v", a)
			}
			sums = append(sums, a.SHA256)
		}
		if sums[0] != sums[1] {
			t.Fatalf("the same photo has two hashes: %v", sums)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "attachments", "*", "*"))
		if len(files) != 1 || filepath.Base(files[0]) != sums[0] || filepath.Base(filepath.Dir(files[0])) != sums[0][:2] {
			t.Fatalf("stored files %v, want one at attachments/%s/%s", files, sums[0][:2], sums[0])
		}
		if data, _ := os.ReadFile(files[0]); !bytes.Equal(data, photo) {
			t.Error("the stored file differs from the upload")
		}
		// Staff who may see the case open it; others may not.
		c := regs[0]
		att, f, err := svc.OpenAttachment(ctx, clerk, c.Number, mustAttachments(t, st, c.ID)[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if att.Name != "same.png" {
			t.Errorf("opened %+v", att)
		}
		if _, _, err := svc.OpenAttachment(ctx, handler, c.Number, att.ID); !errors.Is(err, workflow.ErrForbidden) {
			t.Errorf("another department's handler: %v, want forbidden", err)
		}
		if _, _, err := svc.OpenAttachment(ctx, clerk, c.Number, att.ID+100); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("no such attachment: %v", err)
		}
	})
}

func mustAttachments(t *testing.T, st *store.Store, id int64) []store.Attachment {
	t.Helper()
	atts, err := st.Attachments(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return atts
}
