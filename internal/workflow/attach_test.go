package workflow_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
	"github.com/ombud/ombud/internal/workflow"
)

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TestAttach: staff add files to a case; each upload is one attach event
// recording the files' names, types, sizes and hashes, the evidence counts
// follow, and the ledger verifies.
func TestAttach(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		dir := t.TempDir()
		st.SetDataDir(dir)
		svc := newService(t, st)
		ctx := context.Background()
		c, err := svc.Register(ctx, clerk, registration()) // receipt × 2
		if err != nil {
			t.Fatal(err)
		}
		photo, photo2 := pngBytes(t, 1), pngBytes(t, 2)
		c2, added, err := svc.Attach(ctx, clerk, c.Number, []workflow.Upload{
			upload(`C:\微信\现场照片.png`, photo), upload("挂号单.pdf", pdfBytes), upload("again.png", photo2),
		}, "  患者微信发来\r\n两张照片  ")
		if err != nil {
			t.Fatal(err)
		}
		want := []cases.Evidence{{Type: "receipt", Count: 2}, {Type: "photo", Count: 2}, {Type: "document", Count: 1}}
		if !reflect.DeepEqual(c2.Evidence, want) {
			t.Fatalf("evidence %+v, want %+v", c2.Evidence, want)
		}
		if c2.Status != cases.Registered {
			t.Fatalf("status %s: attaching changes no status", c2.Status)
		}
		if len(added) != 3 || added[0].Name != "现场照片.png" || added[0].SHA256 != sum(photo) ||
			added[1].ContentType != "application/pdf" || added[0].CreatedBy != "clerk" || added[0].ID == 0 {
			t.Fatalf("added %+v", added)
		}
		if got := mustAttachments(t, st, c.ID); !reflect.DeepEqual(idsOf(got), idsOf(added)) {
			t.Fatalf("stored %+v, added %+v", got, added)
		}
		// The content is on disk under its hash.
		if b, err := os.ReadFile(filepath.Join(dir, "attachments", sum(photo)[:2], sum(photo))); err != nil || string(b) != string(photo) {
			t.Fatalf("stored content: %v", err)
		}

		// The event: type attach, by the clerk, with the files and the note.
		_, events, err := svc.Get(ctx, clerk, c.Number)
		if err != nil {
			t.Fatal(err)
		}
		e := events[len(events)-1]
		if e.Type != string(cases.Attach) || e.Actor != "clerk" {
			t.Fatalf("last event %s by %s", e.Type, e.Actor)
		}
		var ch cases.Change
		if err := json.Unmarshal(e.Payload, &ch); err != nil {
			t.Fatal(err)
		}
		wantFiles := []cases.File{
			{Name: "现场照片.png", ContentType: "image/png", Size: int64(len(photo)), SHA256: sum(photo), Evidence: "photo"},
			{Name: "挂号单.pdf", ContentType: "application/pdf", Size: int64(len(pdfBytes)), SHA256: sum(pdfBytes), Evidence: "document"},
			{Name: "again.png", ContentType: "image/png", Size: int64(len(photo2)), SHA256: sum(photo2), Evidence: "photo"},
		}
		if !reflect.DeepEqual(ch.Files, wantFiles) || ch.Note != "患者微信发来\n两张照片" {
			t.Fatalf("payload files %+v note %q", ch.Files, ch.Note)
		}

		// The department handles it and adds a recording; a later upload
		// of the same photo is stored once and counted again.
		c, _ = svc.Act(ctx, clerk, c.Number, cases.Accept, cases.Params{})
		if _, err := svc.Act(ctx, clerk, c.Number, cases.Assign, cases.Params{Department: "caiwu"}); err != nil {
			t.Fatal(err)
		}
		mp3 := append([]byte("ID3\x03\x00\x00\x00\x00\x00\x00"), make([]byte, 64)...)
		c3, _, err := svc.Attach(ctx, handler, c.Number, []workflow.Upload{upload("录音.mp3", mp3), upload("same.png", photo)}, "")
		if err != nil {
			t.Fatal(err)
		}
		want = []cases.Evidence{{Type: "receipt", Count: 2}, {Type: "photo", Count: 3}, {Type: "document", Count: 1}, {Type: "recording", Count: 1}}
		if !reflect.DeepEqual(c3.Evidence, want) {
			t.Fatalf("evidence %+v, want %+v", c3.Evidence, want)
		}
		if n := len(mustAttachments(t, st, c.ID)); n != 5 {
			t.Fatalf("%d attachments, want 5", n)
		}
		// The ledger replays to the row, evidence counts included.
		verify(t, st, svc.Pack)

	})
}

func idsOf(atts []store.Attachment) []int64 {
	var out []int64
	for _, a := range atts {
		out = append(out, a.ID)
	}
	return out
}

// TestAttachRefusals: what is refused is refused before anything is
// recorded: no event, no row, evidence unchanged.
func TestAttachRefusals(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		dir := t.TempDir()
		st.SetDataDir(dir)
		svc := newService(t, st)
		ctx := context.Background()
		auditor := cases.Actor{Username: "au", Role: auth.Auditor}
		other := cases.Actor{Username: "handler-huli", Role: auth.Handler, Department: "huli"}
		c, err := svc.Register(ctx, clerk, registration())
		if err != nil {
			t.Fatal(err)
		}
		voided, err := svc.Register(ctx, clerk, registration())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, clerk, voided.Number, cases.Void, cases.Params{Reason: "重复登记"}); err != nil {
			t.Fatal(err)
		}
		photo := pngBytes(t, 7)
		six := make([]workflow.Upload, workflow.MaxAttachments+1)
		for i := range six {
			six[i] = upload("p.png", photo)
		}
		for _, tc := range []struct {
			name   string
			actor  cases.Actor
			number string
			files  []workflow.Upload
			field  string // a field error on it, with code
			code   string
			is     error
		}{
			{"html named png", clerk, c.Number, []workflow.Upload{upload("x.png", []byte("<html><script>alert(1)</script></html>"))}, "file", "file_type_mismatch", nil},
			{"pdf named jpg", clerk, c.Number, []workflow.Upload{upload("ok.png", photo), upload("scan.jpg", pdfBytes)}, "file", "file_type_mismatch", nil},
			{"a program", clerk, c.Number, []workflow.Upload{upload("setup.exe", []byte("MZ\x90\x00"))}, "file", "unsupported_file", nil},
			{"too large", clerk, c.Number, []workflow.Upload{{Name: "big.png", Size: workflow.MaxAttachmentSize + 1, Open: upload("", photo).Open}}, "file", "file_too_large", nil},
			{"too large though declared small", clerk, c.Number, []workflow.Upload{{Name: "big.png", Size: 10, Open: func() (io.ReadCloser, error) {
				return io.NopCloser(io.MultiReader(strings.NewReader(string(photo)), zeros{})), nil
			}}}, "file", "file_too_large", nil},
			{"too many", clerk, c.Number, six, "file", "too_many_files", nil},
			{"empty", clerk, c.Number, []workflow.Upload{upload("x.png", nil)}, "file", "empty_file", nil},
			{"no file", clerk, c.Number, nil, "file", "required", nil},
			{"auditor", auditor, c.Number, []workflow.Upload{upload("p.png", photo)}, "", "", workflow.ErrForbidden},
			{"another department", other, c.Number, []workflow.Upload{upload("p.png", photo)}, "", "", workflow.ErrForbidden},
			{"voided", clerk, voided.Number, []workflow.Upload{upload("p.png", photo)}, "", "", cases.ErrInvalidTransition},
			{"no such case", clerk, "TS209901-9999", []workflow.Upload{upload("p.png", photo)}, "", "", store.ErrNotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before, _ := st.GetCase(ctx, c.Number)
				_, _, err := svc.Attach(ctx, tc.actor, tc.number, tc.files, "")
				if tc.is != nil {
					if !errors.Is(err, tc.is) {
						t.Fatalf("got %v, want %v", err, tc.is)
					}
				} else {
					var fe cases.FieldErrors
					if !errors.As(err, &fe) || fe[tc.field] != tc.code {
						t.Fatalf("got %v, want %s: %s", err, tc.field, tc.code)
					}
				}
				after, _ := st.GetCase(ctx, c.Number)
				if after.Seq != before.Seq || !reflect.DeepEqual(after.Evidence, before.Evidence) {
					t.Fatalf("the case changed: seq %d → %d, evidence %v → %v", before.Seq, after.Seq, before.Evidence, after.Evidence)
				}
				if n := len(mustAttachments(t, st, c.ID)); n != 0 {
					t.Fatalf("%d attachment rows", n)
				}
			})
		}
		// Nothing refused reached the disk either (the one valid photo of
		// a refused upload was refused before anything was stored).
		if entries, _ := os.ReadDir(filepath.Join(dir, "attachments")); len(entries) != 0 {
			t.Errorf("files stored for refused uploads: %v", entries)
		}
		// The generic action route takes no attach: files need Attach.
		var fe cases.FieldErrors
		if _, err := svc.Act(ctx, clerk, c.Number, cases.Attach, cases.Params{Note: "x"}); !errors.As(err, &fe) || fe["file"] != "required" {
			t.Fatalf("attach as an action: %v", err)
		}
		verify(t, st, svc.Pack)
	})
}

// TestAttachWithoutFileStorage: with nowhere to keep files, an upload is
// refused with ErrNoFiles and nothing is recorded.
func TestAttachWithoutFileStorage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		st.SetDataDir("")
		svc := newService(t, st)
		ctx := context.Background()
		c, err := svc.Register(ctx, clerk, registration())
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Attach(ctx, clerk, c.Number, []workflow.Upload{upload("p.png", pngBytes(t, 1))}, ""); !errors.Is(err, store.ErrNoFiles) {
			t.Fatalf("got %v, want ErrNoFiles", err)
		}
		if after, _ := st.GetCase(ctx, c.Number); after.Seq != c.Seq {
			t.Fatalf("an event was written")
		}
	})
}

// zeros reads as endless zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
