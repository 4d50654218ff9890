package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ombud/ombud/internal/api"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

// attachment serves a file attached to a case to a user who may see the
// case. Files come from outside (the public, or staff passing on what
// they were sent): they are served as what they were stored as (never
// sniffed), sandboxed, and downloaded rather than shown, except images
// and PDF documents; ?download=1 downloads those too. A PDF is shown by
// the browser's own viewer, which Chromium refuses to run in a sandboxed
// document: it keeps the site's policy (scripts from this site only)
// instead of the sandbox.
func (u *UI) attachment(w http.ResponseWriter, r *http.Request, b *base) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		u.fail(w, r, b, http.StatusNotFound, "not_found")
		return
	}
	a, f, err := u.svc.OpenAttachment(r.Context(), workflow.ActorOf(b.User), r.PathValue("number"), id)
	if errors.Is(err, store.ErrNoFiles) {
		u.log.Error("attachments are unavailable: no data directory for files")
		u.fail(w, r, b, http.StatusServiceUnavailable, "attachments_unavailable")
		return
	}
	if err != nil {
		u.failErr(w, r, b, err)
		return
	}
	defer f.Close()
	disposition := "attachment"
	download := r.URL.Query().Get("download") != ""
	pdf := a.ContentType == "application/pdf"
	if !download && (workflow.Inline(a.ContentType) || pdf) {
		disposition = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	if v := mime.FormatMediaType(disposition, map[string]string{"filename": a.Name}); v != "" {
		disposition = v
	}
	h.Set("Content-Disposition", disposition)
	if !pdf || download {
		h.Set("Content-Security-Policy", "sandbox")
	}
	h.Set("Cache-Control", "private, no-store")
	// ServeContent answers range requests, which players of video and
	// audio make.
	http.ServeContent(w, r, "", a.CreatedAt, f)
}

// FileSize shows a file size: 820 KB, 3.4 MB.
func (b *base) FileSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+1<<9)>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// InlineFile reports whether a file of contentType is shown in the page
// (an image) rather than only linked.
func (b *base) InlineFile(contentType string) bool { return workflow.Inline(contentType) }

// Preview is how the case page previews a file of contentType: "image"
// (a thumbnail), "audio" or "video" (a player), "pdf" (opened in a new
// tab), or "" (a download only: HEIC photos, AMR recordings, which
// browsers do not show).
func (b *base) Preview(contentType string) string {
	switch {
	case workflow.Inline(contentType):
		return "image"
	case contentType == "audio/mpeg", contentType == "audio/mp4", contentType == "audio/wav":
		return "audio"
	case contentType == "video/mp4", contentType == "video/quicktime":
		return "video"
	case contentType == "application/pdf":
		return "pdf"
	}
	return ""
}

// AttachAccept is the file input's accept attribute: the extensions taken.
func (b *base) AttachAccept() string { return strings.Join(workflow.AttachmentExtensions(), ",") }

// MaxFiles is how many files one upload may have.
func (b *base) MaxFiles() int { return workflow.MaxAttachments }

// MaxFileBytes is how large one file may be.
func (b *base) MaxFileBytes() int64 { return workflow.MaxAttachmentSize }

// wantsJSON reports whether a form was sent by the page's script, which
// reads a JSON answer, rather than by the browser.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// upload adds the files of the case page's upload form to the case (POST
// /cases/{number}/attachments, multipart: "file" repeated, "note",
// "csrf"). Sent by the browser, it answers with the case page (303 to it,
// or the page with the error); sent by the page's script (Accept:
// application/json), with 201 {"location"} or the API's error body.
func (u *UI) upload(w http.ResponseWriter, r *http.Request, b *base) {
	number := r.PathValue("number")
	xhr := wantsJSON(r)
	r.Body = http.MaxBytesReader(w, r.Body, api.MaxUploadBody)
	in, status, code, fe := api.ReadUpload(r, "csrf")
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	var err error
	switch {
	case status == 0 && !csrfOK(r, b):
		u.fail(w, r, b, http.StatusForbidden, "csrf")
		return
	case status == http.StatusRequestEntityTooLarge:
		// Nothing was read: tell what the limits are.
		fe = cases.FieldErrors{workflow.AttachField: "file_too_large"}
	case status == 0:
		_, _, err = u.svc.Attach(r.Context(), workflow.ActorOf(b.User), number, in.Files, in.Note)
		if err == nil {
			to := "/cases/" + url.PathEscape(number) + "?done=" + string(cases.Attach) + "#attachments"
			if xhr {
				writeJSON(w, http.StatusCreated, map[string]string{"location": to})
				return
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		status, code, fe = classify(err)
		if errors.Is(err, store.ErrNoFiles) {
			u.log.Error("an upload came with files, but there is no data directory for them")
			status, code = http.StatusServiceUnavailable, "attachments_unavailable"
		}
		if status == http.StatusInternalServerError {
			u.log.Error("upload", "case", number, "err", err)
		}
	}
	if xhr {
		api.WriteError(w, r, status, code, fe)
		return
	}
	if status == http.StatusNotFound {
		u.fail(w, r, b, status, code)
		return
	}
	u.showCase(w, r, b, status, func(p *casePage) {
		p.UploadNote = in.Note
		p.UploadErr = b.T("error." + code)
		if k, ok := fe[workflow.AttachField]; ok {
			p.UploadErr = b.T("field." + k)
		}
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
