package api

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/i18n"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

// PublicLimits are the rate limits of the public endpoints (the public API
// and the portal together), per client address. A zero field takes its
// default (DefaultPublicLimits).
type PublicLimits struct {
	// Every public request (submitting, tracking, rating): a rate per
	// minute and a burst.
	RequestsPerMinute float64
	RequestBurst      int
	// Submissions that are valid and get registered: a rate per hour and
	// a burst. An invalid form does not count, so that a citizen
	// correcting a mistake is not locked out.
	RegistrationsPerHour float64
	RegistrationBurst    int
}

// DefaultPublicLimits: 30 requests a minute (bursts of 10), 10
// registrations an hour (bursts of 3) per address.
var DefaultPublicLimits = PublicLimits{RequestsPerMinute: 30, RequestBurst: 10, RegistrationsPerHour: 10, RegistrationBurst: 3}

// PublicLimiter applies PublicLimits. The API and the portal share one, so
// that a client has one budget for both.
type PublicLimiter struct {
	requests, registrations *Limiter
}

// NewPublicLimiter returns a limiter with limits l.
func NewPublicLimiter(l PublicLimits) *PublicLimiter {
	d := DefaultPublicLimits
	if l.RequestsPerMinute <= 0 {
		l.RequestsPerMinute = d.RequestsPerMinute
	}
	if l.RequestBurst <= 0 {
		l.RequestBurst = d.RequestBurst
	}
	if l.RegistrationsPerHour <= 0 {
		l.RegistrationsPerHour = d.RegistrationsPerHour
	}
	if l.RegistrationBurst <= 0 {
		l.RegistrationBurst = d.RegistrationBurst
	}
	return &PublicLimiter{requests: NewLimiter(l.RequestsPerMinute/60, l.RequestBurst),
		registrations: NewLimiter(l.RegistrationsPerHour/3600, l.RegistrationBurst)}
}

// Request reports whether a public request from r's client may go ahead.
func (p *PublicLimiter) Request(r *http.Request) bool { return p.requests.Allow(ClientIP(r)) }

// Registration reports whether r's client may register another case now.
func (p *PublicLimiter) Registration(r *http.Request) bool { return p.registrations.Allow(ClientIP(r)) }

// SetPublicLimiter makes the public endpoints use p (shared with the portal).
func (a *API) SetPublicLimiter(p *PublicLimiter) { a.public = p }

// MaxPublicBody bounds a public submission with its files.
const MaxPublicBody = workflow.MaxAttachments*workflow.MaxAttachmentSize + 1<<20

// AccessCodeHeader carries the access code of a case.
const AccessCodeHeader = "X-Access-Code"

func (a *API) registerPublic(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/public/cases", a.createPublic)
	mux.HandleFunc("GET /api/v1/public/cases/{number}", a.trackPublic)
	mux.HandleFunc("POST /api/v1/public/cases/{number}/rating", a.ratePublic)
	mux.HandleFunc("POST /api/v1/public/cases/{number}/messages", a.messagePublic)
	mux.HandleFunc("POST /api/v1/public/cases/{number}/send-code", a.sendCode)
}

// publicFields are the fields of a public submission as a form, each the
// JSON path of the same field; "attachments" are its files.
var publicFields = []string{"kind", "channel", "category", "subject", "content", "complainant.name",
	"complainant.phone", "complainant.anonymous", "respondent.staff", "respondent.department", "respondent.site",
	"privacy_consent"}

// ReadPublicForm reads a public submission sent as multipart/form-data (or a
// URL-encoded form, without files): the fields of publicFields and the
// files "attachments". Values that cannot be read (a yes/no) are field
// errors.
func ReadPublicForm(values map[string][]string, files map[string][]*multipart.FileHeader) (workflow.PublicForm, cases.FieldErrors) {
	get := func(k string) string {
		if v := values[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	fe := cases.FieldErrors{}
	yes := func(k string) bool {
		switch strings.ToLower(get(k)) {
		case "", "false", "0", "off", "no":
			return false
		case "true", "1", "on", "yes":
			return true
		}
		fe[k] = "invalid_type"
		return false
	}
	f := workflow.PublicForm{Kind: get("kind"), Channel: get("channel"), Category: get("category"),
		Subject: get("subject"), Content: get("content"), Name: get("complainant.name"),
		Phone: get("complainant.phone"), Anonymous: yes("complainant.anonymous"), Consent: yes("privacy_consent"),
		Respondent: cases.Respondent{Staff: get("respondent.staff"), Department: get("respondent.department"),
			Site: get("respondent.site")}}
	for _, fh := range files["attachments"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue // an empty file input
		}
		f.Files = append(f.Files, workflow.Upload{Name: fh.Filename, Size: fh.Size,
			Open: func() (io.ReadCloser, error) { return fh.Open() }})
	}
	if len(fe) == 0 {
		fe = nil
	}
	return f, fe
}

// publicIn is a public submission as JSON (no files).
type publicIn struct {
	Kind        string `json:"kind"`
	Channel     string `json:"channel"`
	Category    string `json:"category"`
	Subject     string `json:"subject"`
	Content     string `json:"content"`
	Complainant struct {
		Name      string `json:"name"`
		Phone     string `json:"phone"`
		Anonymous bool   `json:"anonymous"`
	} `json:"complainant"`
	Respondent struct {
		Staff      string `json:"staff"`
		Department string `json:"department"`
		Site       string `json:"site"`
	} `json:"respondent"`
	PrivacyConsent bool `json:"privacy_consent"`
}

// readPublic reads a public submission, JSON or multipart; on failure it
// has written the error.
func readPublic(w http.ResponseWriter, r *http.Request) (workflow.PublicForm, bool) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		var in publicIn
		if !decode(w, r, &in) {
			return workflow.PublicForm{}, false
		}
		return workflow.PublicForm{Kind: in.Kind, Channel: in.Channel, Category: in.Category, Subject: in.Subject,
			Content: in.Content, Name: in.Complainant.Name, Phone: in.Complainant.Phone,
			Anonymous: in.Complainant.Anonymous, Consent: in.PrivacyConsent,
			Respondent: cases.Respondent{Staff: in.Respondent.Staff, Department: in.Respondent.Department,
				Site: in.Respondent.Site}}, true
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxPublicBody)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			WriteError(w, r, http.StatusRequestEntityTooLarge, "too_large", nil)
		} else {
			WriteError(w, r, http.StatusBadRequest, "bad_request", nil)
		}
		return workflow.PublicForm{}, false
	}
	f, fe := ReadPublicForm(r.MultipartForm.Value, r.MultipartForm.File)
	if fe == nil {
		fe = cases.FieldErrors{}
	}
	for k := range r.MultipartForm.Value {
		if !slices.Contains(publicFields, k) {
			fe[k] = "unknown_field"
		}
	}
	for k := range r.MultipartForm.File {
		if k != "attachments" {
			fe[k] = "unknown_field"
		}
	}
	if len(fe) > 0 {
		WriteError(w, r, http.StatusBadRequest, "invalid_input", fe)
		return workflow.PublicForm{}, false
	}
	return f, true
}

// publicFail writes the error of a public request: store.ErrNoFiles is 503
// (attachments are not configured), others as Classify says.
func (a *API) publicFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNoFiles) {
		a.log.Error("a public submission came with files, but there is no data directory for them", "err", err)
		WriteError(w, r, http.StatusServiceUnavailable, "attachments_unavailable", nil)
		return
	}
	a.fail(w, r, err)
}

// createPublic answers POST /api/v1/public/cases: a member of the public
// registers a case (JSON, or multipart with files "attachments") →
// 201 {number, access_code}.
func (a *API) createPublic(w http.ResponseWriter, r *http.Request) {
	if !a.public.Request(r) {
		WriteError(w, r, http.StatusTooManyRequests, "rate_limited", nil)
		return
	}
	f, ok := readPublic(w, r)
	if !ok {
		return
	}
	sv := a.svc.ForPublic(&f)
	if err := sv.CheckPublic(f); err != nil {
		a.publicFail(w, r, err)
		return
	}
	if !a.public.Registration(r) {
		WriteError(w, r, http.StatusTooManyRequests, "rate_limited", nil)
		return
	}
	c, code, err := sv.RegisterPublic(r.Context(), f)
	if err != nil {
		a.publicFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"number": c.Number, "access_code": code})
}

// PublicStatusText is a public status in plain words in lang.
func PublicStatusText(lang, status string) string { return i18n.T(lang, "ui.portal.status."+status) }

func (a *API) writePublic(w http.ResponseWriter, r *http.Request, status int, v *workflow.PublicView) {
	v.StatusText = PublicStatusText(i18n.FromRequest(r), v.Status)
	writeJSON(w, status, v)
}

// publicRequest lets a public request go ahead: within the public rate
// limit, and with its JSON body read into in (unless nil). Otherwise it
// has answered.
func (a *API) publicRequest(w http.ResponseWriter, r *http.Request, in any) bool {
	if !a.public.Request(r) {
		WriteError(w, r, http.StatusTooManyRequests, "rate_limited", nil)
		return false
	}
	return in == nil || decode(w, r, in)
}

// trackPublic answers GET /api/v1/public/cases/{number} with the access
// code in X-Access-Code: the public view of the case; 404 for a wrong
// number or code alike.
func (a *API) trackPublic(w http.ResponseWriter, r *http.Request) {
	if !a.publicRequest(w, r, nil) {
		return
	}
	v, err := a.svc.TrackPublic(r.Context(), r.PathValue("number"), r.Header.Get(AccessCodeHeader))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.writePublic(w, r, http.StatusOK, v)
}

// ratePublic answers POST /api/v1/public/cases/{number}/rating
// {satisfaction, note}: the complainant rates the reply.
func (a *API) ratePublic(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Satisfaction cases.Satisfaction `json:"satisfaction"`
		Note         string             `json:"note"`
	}
	if !a.publicRequest(w, r, &in) {
		return
	}
	v, err := a.svc.RatePublic(r.Context(), r.PathValue("number"), r.Header.Get(AccessCodeHeader), in.Satisfaction, in.Note)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.writePublic(w, r, http.StatusOK, v)
}

// sendCode answers POST /api/v1/public/cases/{number}/send-code with the
// access code in X-Access-Code and {channel: "sms"|"email", email}: the
// number and code are sent to the complainant (SMS to the complaint's
// phone, or email to the address given) → 202 {channel, to} with the
// recipient masked. 404 for a wrong number or code, as in tracking.
func (a *API) sendCode(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Channel string `json:"channel"`
		Email   string `json:"email"`
	}
	if !a.publicRequest(w, r, &in) {
		return
	}
	number, code := r.PathValue("number"), r.Header.Get(AccessCodeHeader)
	to, err := a.svc.SendAccessCode(r.Context(), number, code, in.Channel, in.Email, i18n.FromRequest(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"channel": in.Channel, "to": to})
}

// messagePublic answers POST /api/v1/public/cases/{number}/messages
// {text}: the complainant adds a message (补充说明) → 201 with the case.
func (a *API) messagePublic(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Text string `json:"text"`
	}
	if !a.publicRequest(w, r, &in) {
		return
	}
	v, err := a.svc.MessagePublic(r.Context(), r.PathValue("number"), r.Header.Get(AccessCodeHeader), in.Text)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.writePublic(w, r, http.StatusCreated, v)
}
