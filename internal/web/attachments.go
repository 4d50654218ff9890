package web

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"

	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

// attachment serves a file attached to a case to a user who may see the
// case. Files come from the public: they are served as what they were
// stored as (never sniffed), sandboxed, and downloaded rather than shown,
// except images.
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
	if workflow.Inline(a.ContentType) {
		disposition = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	if v := mime.FormatMediaType(disposition, map[string]string{"filename": a.Name}); v != "" {
		disposition = v
	}
	h.Set("Content-Disposition", disposition)
	h.Set("Content-Security-Policy", "sandbox")
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
