package api

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

// MaxUploadBody bounds an upload by staff: the most files one upload may
// have at their largest, and room for the note and the form's framing.
const MaxUploadBody = workflow.MaxAttachments*workflow.MaxAttachmentSize + 1<<20

// UploadForm is an upload read from a multipart form: the files of field
// workflow.AttachField and the note.
type UploadForm struct {
	Files []workflow.Upload
	Note  string
}

// ReadUpload reads the multipart body of an upload by staff (fields
// "file", repeated, and "note"; with extra, more fields the caller reads
// itself) into an UploadForm. The request's body must be bounded already.
// On failure it returns the status and error code to answer with: 413
// too_large for a body over the bound, 400 bad_request for one that is not
// a multipart form, 400 invalid_input naming unknown fields.
func ReadUpload(r *http.Request, extra ...string) (UploadForm, int, string, cases.FieldErrors) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return UploadForm{}, http.StatusBadRequest, "bad_request", nil
	}
	// Files beyond 1 MiB go to temporary files, which RemoveAll deletes.
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return UploadForm{}, http.StatusRequestEntityTooLarge, "too_large", nil
		}
		return UploadForm{}, http.StatusBadRequest, "bad_request", nil
	}
	form := r.MultipartForm
	fe := cases.FieldErrors{}
	for k := range form.Value {
		if k != "note" && !slices.Contains(extra, k) {
			fe[k] = "unknown_field"
		}
	}
	for k := range form.File {
		if k != workflow.AttachField {
			fe[k] = "unknown_field"
		}
	}
	if len(fe) > 0 {
		return UploadForm{}, http.StatusBadRequest, "invalid_input", fe
	}
	var u UploadForm
	if v := form.Value["note"]; len(v) > 0 {
		u.Note = v[0]
	}
	u.Files = Uploads(form.File[workflow.AttachField])
	return u, 0, "", nil
}

// Uploads are the files of a multipart field, empty file inputs left out.
func Uploads(fhs []*multipart.FileHeader) []workflow.Upload {
	var out []workflow.Upload
	for _, fh := range fhs {
		if fh.Filename == "" && fh.Size == 0 {
			continue // a file input left empty
		}
		out = append(out, workflow.Upload{Name: fh.Filename, Size: fh.Size,
			Open: func() (io.ReadCloser, error) { return fh.Open() }})
	}
	return out
}

// attach answers POST /api/v1/cases/{number}/attachments (multipart: files
// "file", repeated, and an optional "note") → 201 with the case's
// attachments; the new ones are listed in "added".
func (a *API) attach(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxUploadBody)
	in, status, code, fe := ReadUpload(r)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if status != 0 {
		WriteError(w, r, status, code, fe)
		return
	}
	c, added, err := a.svc.Attach(r.Context(), actor(r), r.PathValue("number"), in.Files, in.Note)
	if errors.Is(err, store.ErrNoFiles) {
		a.log.Error("an upload came with files, but there is no data directory for them")
		WriteError(w, r, http.StatusServiceUnavailable, "attachments_unavailable", nil)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	list, err := a.svc.Attachments(r.Context(), actor(r), c)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"number": c.Number, "attachments": list, "added": added,
		"evidence": evidenceOrEmpty(c.Evidence)})
}

func evidenceOrEmpty(ev []cases.Evidence) []cases.Evidence {
	if ev == nil {
		return []cases.Evidence{}
	}
	return ev
}
