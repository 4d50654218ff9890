package web

import (
	"errors"
	"html/template"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/ombud/ombud/internal/api"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/i18n"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

// The public portal: a member of the public registers a case without an
// account (/portal) and tracks and rates it with its number and access
// code (/portal/track). Its forms carry no session CSRF token: they are
// guarded by http.CrossOriginProtection and the public rate limits.

// portalPages are the portal's pages, each in the portal's own layout.
var portalPages = []string{"portal_form", "portal_done", "portal_track"}

// SetPublicLimiter makes the portal use p (shared with the public API).
func (u *UI) SetPublicLimiter(p *api.PublicLimiter) { u.public = p }

func (u *UI) registerPortal(mux *http.ServeMux) {
	for _, name := range portalPages {
		u.pages[name] = template.Must(template.New("portal_layout.html").Funcs(funcs).
			ParseFS(templateFS, "templates/portal_layout.html", "templates/"+name+".html"))
	}
	mux.HandleFunc("GET /portal", u.portalForm)
	mux.Handle("POST /portal", u.cop.Handler(http.HandlerFunc(u.portalSubmit)))
	mux.HandleFunc("GET /portal/track", u.trackForm)
	mux.Handle("POST /portal/track", u.cop.Handler(http.HandlerFunc(u.trackSubmit)))
	mux.Handle("POST /portal/rate", u.cop.Handler(http.HandlerFunc(u.rateSubmit)))
	mux.Handle("POST /portal/message", u.cop.Handler(http.HandlerFunc(u.messageSubmit)))
	mux.Handle("POST /portal/send-code", u.cop.Handler(http.HandlerFunc(u.sendCodeSubmit)))
}

// portalPage is the data of the portal's pages.
type portalPage struct {
	*base
	// Tab is the portal's active tab: "new" or "track".
	Tab string
	// NoLang hides the language switch (on the page that shows the access
	// code: switching would lose it).
	NoLang bool
	F      url.Values        // the form as typed
	Errs   cases.FieldErrors // message keys by field
	Error  string            // the message above the form
	// FilesLost: files were sent with a form shown again, and must be chosen again.
	FilesLost bool
	Kinds     []policy.Kind

	// The result of a submission, and how its number and code may be
	// sent to the complainant (portal_send.go): Sent says they were.
	Number, Code string
	Offer        workflow.CodeOffer
	Sent         string

	// A tracked case, with its code for the rating form.
	View  *workflow.PublicView
	Rated string
}

// V returns the typed value of a field.
func (p *portalPage) V(name string) string { return p.F.Get(name) }

// Checked reports whether a checkbox was ticked.
func (p *portalPage) Checked(name string) bool {
	switch strings.ToLower(p.F.Get(name)) {
	case "", "0", "false", "off", "no":
		return false
	}
	return true
}

// Err returns the translated message of a field's error, or "".
func (p *portalPage) Err(name string) string {
	if k, ok := p.Errs[name]; ok {
		return p.T("field." + k)
	}
	return ""
}

// KindHint is a line saying what a kind of contact is for, if there is one.
func (p *portalPage) KindHint(code string) string {
	if key := "ui.portal.kind_hint." + code; i18n.Has(key) {
		return p.T(key)
	}
	return ""
}

// StatusText is the tracked case's status in plain words.
func (p *portalPage) StatusText() string { return api.PublicStatusText(p.Lang, p.View.Status) }

// Accept is the file input's accept attribute: the types the portal takes.
func (p *portalPage) Accept() string {
	return "image/*,video/*,audio/*,application/pdf," + strings.Join(workflow.AttachmentExtensions(), ",")
}

// MaxFiles and MaxFileBytes are the limits of attachments, for the page and its script.
func (p *portalPage) MaxFiles() int       { return workflow.MaxAttachments }
func (p *portalPage) MaxFileBytes() int64 { return workflow.MaxAttachmentSize }

// MaxFileMB is the size limit of a file in megabytes.
func (p *portalPage) MaxFileMB() int { return workflow.MaxAttachmentSize >> 20 }

// MaxContent is the length limit of the complaint's text.
func (p *portalPage) MaxContent() int { return workflow.MaxPublicContent }

// Sats are the verdicts a complainant may give.
func (p *portalPage) Sats() []cases.Satisfaction {
	return []cases.Satisfaction{cases.Satisfied, cases.BasicallySatisfied, cases.Dissatisfied}
}

// portalKinds are the kinds the public may choose (workflow.PublicKinds)
// in the order the portal offers them: 咨询, 建议, 投诉, 举报, then any others.
func portalKinds(kinds []policy.Kind) []policy.Kind {
	var out []policy.Kind
	for _, code := range []string{"consultation", "suggestion", "complaint", "report"} {
		if i := slices.IndexFunc(kinds, func(k policy.Kind) bool { return k.Code == code }); i >= 0 {
			out = append(out, kinds[i])
		}
	}
	for _, k := range kinds {
		if !slices.ContainsFunc(out, func(o policy.Kind) bool { return o.Code == k.Code }) {
			out = append(out, k)
		}
	}
	return out
}

// portal returns the data of a portal page answering r; uri is the page a
// language switch comes back to.
func (u *UI) portal(r *http.Request, tab, title, uri string) *portalPage {
	b := u.anon(r)
	b.URI, b.Title = uri, b.T(title)
	return &portalPage{base: b, Tab: tab, F: url.Values{}, Kinds: portalKinds(u.svc.PublicKinds())}
}

func (u *UI) portalForm(w http.ResponseWriter, r *http.Request) {
	p := u.portal(r, "new", "ui.portal.new.title", r.URL.RequestURI())
	kind := r.URL.Query().Get("kind")
	if !slices.ContainsFunc(p.Kinds, func(k policy.Kind) bool { return k.Code == kind }) {
		kind = "complaint"
	}
	p.F.Set("kind", kind)
	u.render(w, http.StatusOK, "portal_form", p)
}

// portalAgain shows the form again with what was typed and an error.
func (u *UI) portalAgain(w http.ResponseWriter, p *portalPage, status int, code string, fe cases.FieldErrors) {
	p.Errs, p.Error = fe, p.T("error."+code)
	u.render(w, status, "portal_form", p)
}

func (u *UI) portalSubmit(w http.ResponseWriter, r *http.Request) {
	p := u.portal(r, "new", "ui.portal.new.title", "/portal")
	if !u.public.Request(r) {
		u.portalAgain(w, p, http.StatusTooManyRequests, "rate_limited", nil)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, api.MaxPublicBody)
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			u.portalAgain(w, p, http.StatusRequestEntityTooLarge, "too_large", cases.FieldErrors{"attachments": "file_too_large"})
			return
		}
		u.portalAgain(w, p, http.StatusBadRequest, "bad_request", nil)
		return
	}
	p.F = r.PostForm
	var files map[string][]*multipart.FileHeader
	if r.MultipartForm != nil {
		files = r.MultipartForm.File
	}
	f, fe := api.ReadPublicForm(r.PostForm, files)
	p.FilesLost = len(f.Files) > 0
	if f.Channel == "" && strings.Contains(r.UserAgent(), "MicroMessenger") {
		if _, ok := u.svc.Pack.Channel("wechat"); ok {
			f.Channel = "wechat" // WeChat's browser
		}
	}
	sv := u.svc.ForPublic(&f)
	if fe == nil {
		err = sv.CheckPublic(f)
	} else {
		err = fe
	}
	if err == nil && !u.public.Registration(r) {
		u.portalAgain(w, p, http.StatusTooManyRequests, "rate_limited", nil)
		return
	}
	var c *cases.Case
	var code string
	if err == nil {
		c, code, err = sv.RegisterPublic(r.Context(), f)
	}
	if err != nil {
		if errors.Is(err, store.ErrNoFiles) {
			u.log.Error("a portal submission came with files, but there is no data directory for them")
			u.portalAgain(w, p, http.StatusServiceUnavailable, "attachments_unavailable", nil)
			return
		}
		status, code, fields := api.Classify(err)
		if status == http.StatusInternalServerError {
			u.log.Error("public registration", "err", err)
		}
		u.portalAgain(w, p, status, code, fields)
		return
	}
	p.Title, p.NoLang = p.T("ui.portal.done.title"), true
	p.Number, p.Code = c.Number, code
	p.Offer = u.svc.CodeOfferFor(c)
	p.F = url.Values{"kind": {c.Kind}}
	u.render(w, http.StatusOK, "portal_done", p)
}

func (u *UI) trackForm(w http.ResponseWriter, r *http.Request) {
	p := u.portal(r, "track", "ui.portal.track.title", r.URL.RequestURI())
	p.F.Set("number", strings.TrimSpace(r.URL.Query().Get("number")))
	u.render(w, http.StatusOK, "portal_track", p)
}

// trackPage reads the number and code of a tracking form (or a rating
// form); it has answered the request when ok is false.
func (u *UI) trackPage(w http.ResponseWriter, r *http.Request) (p *portalPage, number, code string, ok bool) {
	p = u.portal(r, "track", "ui.portal.track.title", "/portal/track")
	if !u.public.Request(r) {
		u.trackAgain(w, p, http.StatusTooManyRequests, "error.rate_limited", nil)
		return p, "", "", false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		u.trackAgain(w, p, http.StatusBadRequest, "error.bad_request", nil)
		return p, "", "", false
	}
	number, code = strings.TrimSpace(r.PostForm.Get("number")), strings.TrimSpace(r.PostForm.Get("code"))
	p.F = url.Values{"number": {number}, "code": {code}}
	fe := cases.FieldErrors{}
	if number == "" {
		fe["number"] = "required"
	}
	if code == "" {
		fe["code"] = "required"
	}
	if len(fe) > 0 {
		u.trackAgain(w, p, http.StatusBadRequest, "error.invalid_input", fe)
		return p, "", "", false
	}
	p.URI = "/portal/track?number=" + url.QueryEscape(number)
	return p, number, code, true
}

// trackAgain shows the tracking form again with an error (a message key).
func (u *UI) trackAgain(w http.ResponseWriter, p *portalPage, status int, key string, fe cases.FieldErrors) {
	p.View, p.Errs, p.Error = nil, fe, p.T(key)
	u.render(w, status, "portal_track", p)
}

func (u *UI) trackSubmit(w http.ResponseWriter, r *http.Request) {
	p, number, code, ok := u.trackPage(w, r)
	if !ok {
		return
	}
	v, err := u.svc.TrackPublic(r.Context(), number, code)
	if err != nil {
		u.trackFail(w, p, err)
		return
	}
	p.View = v
	p.F.Set("code", workflow.FormatAccessCode(code))
	u.render(w, http.StatusOK, "portal_track", p)
}

// trackFail answers a failed tracking or rating: the form again, saying
// the number or code is wrong, or that something failed.
func (u *UI) trackFail(w http.ResponseWriter, p *portalPage, err error) {
	if errors.Is(err, store.ErrNotFound) {
		u.trackAgain(w, p, http.StatusNotFound, "ui.portal.track.wrong", nil)
		return
	}
	u.log.Error("public tracking", "err", err)
	u.trackAgain(w, p, http.StatusInternalServerError, "error.internal", nil)
}

func (u *UI) rateSubmit(w http.ResponseWriter, r *http.Request) {
	u.trackAct(w, r, []string{"satisfaction", "note"}, func(number, code string) (*workflow.PublicView, string, error) {
		sat := cases.Satisfaction(strings.TrimSpace(r.PostForm.Get("satisfaction")))
		v, err := u.svc.RatePublic(r.Context(), number, code, sat, r.PostForm.Get("note"))
		return v, "ui.portal.rated." + string(sat), err
	})
}

// messageSubmit adds the complainant's message to their case.
func (u *UI) messageSubmit(w http.ResponseWriter, r *http.Request) {
	u.trackAct(w, r, []string{"text"}, func(number, code string) (*workflow.PublicView, string, error) {
		v, err := u.svc.MessagePublic(r.Context(), number, code, r.PostForm.Get("text"))
		return v, "ui.portal.message_sent", err
	})
}

// trackAct does what the complainant asked on the tracking page (act with
// the case's number and code, once the form is read) and shows the case
// again with the message act names; when it is not possible now (rated
// already) or invalid, the case with the fields keep as typed and the
// error.
func (u *UI) trackAct(w http.ResponseWriter, r *http.Request, keep []string,
	act func(number, code string) (*workflow.PublicView, string, error)) {
	p, number, code, ok := u.trackPage(w, r)
	if !ok {
		return
	}
	v, done, err := act(number, code)
	if err == nil {
		p.View = v
		p.F.Set("code", workflow.FormatAccessCode(code))
		p.Rated = p.T(done)
		u.render(w, http.StatusOK, "portal_track", p)
		return
	}
	status, ecode, fields := api.Classify(err)
	if status == http.StatusNotFound || status == http.StatusInternalServerError {
		u.trackFail(w, p, err)
		return
	}
	v, terr := u.svc.TrackPublic(r.Context(), number, code)
	if terr != nil {
		u.trackFail(w, p, terr)
		return
	}
	p.View, p.Errs, p.Error = v, fields, p.T("error."+ecode)
	p.F.Set("code", workflow.FormatAccessCode(code))
	for _, k := range keep {
		p.F.Set(k, r.PostForm.Get(k))
	}
	u.render(w, status, "portal_track", p)
}
