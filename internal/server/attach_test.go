package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
	"github.com/ombud/ombud/internal/workflow"
)

// upload posts fields and files as multipart/form-data with the client's
// token and language.
func (c *client) upload(path string, fields map[string]string, files ...file) response {
	c.t.Helper()
	req := c.multipartRequest(path, fields, files...)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	return c.send(req)
}

func (r response) fieldCode(field string) string {
	e, _ := r.Body["error"].(map[string]any)
	f, _ := e["field_codes"].(map[string]any)
	s, _ := f[field].(string)
	return s
}

func hexSum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TestAttachAPI: staff upload files to a case through the API; each
// upload is an attach event, the files are listed with the case, and what
// is refused is refused with a code and a message naming the field.
func TestAttachAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		base := startPublic(t, dsn, generous)
		ctx := context.Background()
		hash, _ := auth.HashPassword("staff-pass")
		for _, u := range []auth.User{
			{Username: "clerk", DisplayName: "周静", Role: auth.Registrar, Department: "yhb", Active: true},
			{Username: "nurse", DisplayName: "护理部经办", Role: auth.Handler, Department: "huli", Active: true},
			{Username: "auditor", DisplayName: "审计", Role: auth.Auditor, Active: true},
		} {
			if err := st.CreateUser(ctx, &u, hash); err != nil {
				t.Fatal(err)
			}
		}
		login := func(name string) *client {
			c := &client{t: t, base: base}
			r := c.must(200, "POST", "/api/v1/login", map[string]string{"username": name, "password": "staff-pass"})
			c.token, _ = r.Body["token"].(string)
			return c
		}
		clerk := login("clerk")
		number := clerk.must(201, "POST", "/api/v1/cases", registration()).Body["number"].(string)
		path := "/api/v1/cases/" + number + "/attachments"
		if acts := clerk.must(200, "GET", "/api/v1/cases/"+number, nil).Body["actions"].([]any); !slices.Contains(acts, any("attach")) {
			t.Fatalf("attach is not among the clerk's actions: %v", acts)
		}

		photo := pngFile(t)
		pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
		r := clerk.upload(path, map[string]string{"note": "患者微信发来的现场照片和挂号单"},
			file{"file", "现场.png", photo}, file{"file", "挂号单.pdf", pdf})
		if r.Status != http.StatusCreated {
			t.Fatalf("upload: %d %s", r.Status, r.Raw)
		}
		list, _ := r.Body["attachments"].([]any)
		added, _ := r.Body["added"].([]any)
		if len(list) != 2 || len(added) != 2 {
			t.Fatalf("upload answered %s", r.Raw)
		}
		first := added[0].(map[string]any)
		if first["name"] != "现场.png" || first["content_type"] != "image/png" || first["sha256"] != hexSum(photo) ||
			first["size"] != float64(len(photo)) || first["created_by"] != "clerk" {
			t.Fatalf("first file %v", first)
		}
		if ev := fmt.Sprint(r.Body["evidence"]); ev != "[map[count:1 type:recording] map[count:1 type:photo] map[count:1 type:document]]" {
			t.Fatalf("evidence after the upload: %s", ev)
		}

		// The case lists them, and its log ends with the attach event.
		r = clerk.must(200, "GET", "/api/v1/cases/"+number, nil)
		if atts := r.Body["attachments"].([]any); len(atts) != 2 {
			t.Fatalf("the case lists %d attachments", len(atts))
		}
		events := r.Body["events"].([]any)
		last := events[len(events)-1].(map[string]any)
		payload := last["payload"].(map[string]any)
		files, _ := payload["files"].([]any)
		if last["type"] != "attach" || last["actor"] != "clerk" || len(files) != 2 ||
			files[1].(map[string]any)["sha256"] != hexSum(pdf) || files[1].(map[string]any)["evidence"] != "document" ||
			payload["note"] != "患者微信发来的现场照片和挂号单" {
			t.Fatalf("last event %v", last)
		}
		seq := len(events)

		// Refusals: nothing is recorded.
		void := clerk.must(201, "POST", "/api/v1/cases", registration()).Body["number"].(string)
		clerk.must(200, "POST", "/api/v1/cases/"+void+"/actions/void", map[string]string{"reason": "重复登记"})
		six := make([]file, workflow.MaxAttachments+1)
		for i := range six {
			six[i] = file{"file", fmt.Sprintf("p%d.png", i), photo}
		}
		big := append(bytes.Clone(photo), make([]byte, workflow.MaxAttachmentSize)...)
		en := login("clerk")
		en.lang = "en"
		for _, tc := range []struct {
			name    string
			c       *client
			path    string
			fields  map[string]string
			files   []file
			status  int
			code    string
			field   string // and its code
			fcode   string
			message string // in the field's message or the error's
		}{
			{"html named png", clerk, path, nil, []file{{"file", "x.png", []byte("<html><script>alert(1)</script></html>")}},
				400, "invalid_input", "file", "file_type_mismatch", "文件内容与扩展名不符"},
			{"html named png, in English", en, path, nil, []file{{"file", "x.png", []byte("<html><script>alert(1)</script></html>")}},
				400, "invalid_input", "file", "file_type_mismatch", "does not match its extension"},
			{"a program", clerk, path, nil, []file{{"file", "setup.exe", []byte("MZ\x90\x00")}}, 400, "invalid_input", "file", "unsupported_file", "附件类型不支持"},
			{"too large", en, path, nil, []file{{"file", "big.png", big}}, 400, "invalid_input", "file", "file_too_large", "at most 10 MB"},
			{"too many", clerk, path, nil, six, 400, "invalid_input", "file", "too_many_files", "最多"},
			{"no file", clerk, path, map[string]string{"note": "x"}, nil, 400, "invalid_input", "file", "required", "必填"},
			{"unknown field", clerk, path, map[string]string{"notes": "x"}, []file{{"file", "p.png", photo}}, 400, "invalid_input", "notes", "unknown_field", ""},
			{"files under another name", clerk, path, nil, []file{{"attachments", "p.png", photo}}, 400, "invalid_input", "attachments", "unknown_field", ""},
			{"another department", login("nurse"), path, nil, []file{{"file", "p.png", photo}}, 403, "forbidden", "", "", ""},
			{"an auditor", login("auditor"), path, nil, []file{{"file", "p.png", photo}}, 403, "forbidden", "", "", ""},
			{"no such case", clerk, "/api/v1/cases/TS209901-9999/attachments", nil, []file{{"file", "p.png", photo}}, 404, "not_found", "", "", ""},
			{"a voided case", clerk, "/api/v1/cases/" + void + "/attachments", nil, []file{{"file", "p.png", photo}}, 409, "invalid_transition", "", "", ""},
			{"no token", &client{t: t, base: base}, path, nil, []file{{"file", "p.png", photo}}, 401, "unauthorized", "", "", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := tc.c.upload(tc.path, tc.fields, tc.files...)
				if r.Status != tc.status || r.errCode() != tc.code {
					t.Fatalf("got %d %s, want %d %s: %s", r.Status, r.errCode(), tc.status, tc.code, r.Raw)
				}
				if tc.field != "" {
					msg, _ := r.errFields()[tc.field].(string)
					if r.fieldCode(tc.field) != tc.fcode || msg == "" || !bytes.Contains([]byte(msg), []byte(tc.message)) {
						t.Fatalf("field %s: %s", tc.field, r.Raw)
					}
				}
			})
		}
		// Not multipart at all.
		if r := clerk.do("POST", path, map[string]string{"note": "x"}); r.Status != 400 || r.errCode() != "bad_request" {
			t.Fatalf("JSON body: %d %s", r.Status, r.Raw)
		}
		r = clerk.must(200, "GET", "/api/v1/cases/"+number, nil)
		if n, atts := len(r.Body["events"].([]any)), r.Body["attachments"].([]any); n != seq || len(atts) != 2 {
			t.Fatalf("after the refusals: %d events (want %d), %d attachments (want 2)", n, seq, len(atts))
		}
	})
}
