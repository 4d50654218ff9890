// Package api is Ombud's JSON HTTP API (/api/v1). See docs/api.md.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/i18n"
	"github.com/ombud/ombud/internal/seal"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

// SessionTTL is how long a login lasts.
const SessionTTL = 12 * time.Hour

// API serves /api/v1.
type API struct {
	svc     *workflow.Service
	limiter *Limiter
	log     *slog.Logger
	// public limits the public endpoints (see public.go).
	public *PublicLimiter
}

// New returns the API handler.
func New(svc *workflow.Service, log *slog.Logger) *API {
	return &API{svc: svc, limiter: NewLimiter(1, 10), log: log, public: NewPublicLimiter(DefaultPublicLimits)}
}

// Register mounts the API's routes on mux.
func (a *API) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", a.health)
	mux.HandleFunc("POST /api/v1/login", a.login)
	mux.HandleFunc("POST /api/v1/logout", a.authed(a.logout))
	mux.HandleFunc("GET /api/v1/me", a.authed(a.me))
	mux.HandleFunc("GET /api/v1/policy", a.authed(a.policy))
	mux.HandleFunc("GET /api/v1/cases", a.authed(a.listCases))
	mux.HandleFunc("POST /api/v1/cases", a.authed(a.createCase))
	mux.HandleFunc("GET /api/v1/cases/{number}", a.authed(a.getCase))
	mux.HandleFunc("POST /api/v1/cases/{number}/actions/{action}", a.authed(a.act))
	mux.HandleFunc("POST /api/v1/cases/{number}/attachments", a.authed(a.attach))
	mux.HandleFunc("POST /api/v1/cases/{number}/contact", a.authed(a.revealContact))
	mux.HandleFunc("GET /api/v1/cases/{number}/access-log", a.authed(a.accessLog))
	mux.HandleFunc("GET /api/v1/calendar/due", a.authed(a.calendarDue))
	mux.HandleFunc("GET /api/v1/packs", a.authed(a.packs))
	mux.HandleFunc("POST /api/v1/evaluate", a.authed(a.evaluate))
	mux.HandleFunc("GET /api/v1/supervision", a.authed(a.supervision))
	mux.HandleFunc("GET /api/v1/notifications", a.authed(a.notifications))
	mux.HandleFunc("POST /api/v1/notifications/read", a.authed(a.markRead))
	mux.HandleFunc("GET /api/v1/outbox", a.authed(a.outbox))
	a.registerPublic(mux)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, r, http.StatusNotFound, "not_found", nil)
	})
}

func (a *API) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.svc.Store.Ping(ctx); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": a.svc.Store.Dialect(), "pack": a.svc.Pack.ID})
}

type userKey struct{}

// UserFrom returns the logged-in user of a request.
func UserFrom(ctx context.Context) *auth.User {
	u, _ := ctx.Value(userKey{}).(*auth.User)
	return u
}

// WithUser returns ctx carrying the logged-in user.
func WithUser(ctx context.Context, u *auth.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if t, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(t)
	}
	return ""
}

func (a *API) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := bearer(r)
		if token == "" {
			WriteError(w, r, http.StatusUnauthorized, "unauthorized", nil)
			return
		}
		u, _, err := a.svc.Store.SessionUser(r.Context(), auth.TokenHash(token))
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) {
				a.log.Error("session lookup", "err", err)
			}
			WriteError(w, r, http.StatusUnauthorized, "unauthorized", nil)
			return
		}
		h(w, r.WithContext(WithUser(r.Context(), u)))
	}
}

// Login checks a user name and password and opens a session. It returns the
// token and the session's CSRF token. Failed attempts are rate-limited per
// client address.
func Login(ctx context.Context, st *store.Store, username, password string) (*auth.User, string, string, error) {
	u, hash, err := st.UserByName(ctx, username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, "", "", err
	}
	if u == nil || !u.Active {
		// Spend the same time as a real check so that timing does not tell
		// which user names exist.
		auth.CheckPassword(dummyHash(), password)
		return nil, "", "", errLoginFailed
	}
	ok, err := auth.CheckPassword(hash, password)
	if err != nil || !ok {
		return nil, "", "", errLoginFailed
	}
	token, tokenHash := auth.NewToken()
	csrf, _ := auth.NewToken()
	if err := st.CreateSession(ctx, tokenHash, u.ID, csrf, SessionTTL); err != nil {
		return nil, "", "", err
	}
	return u, token, csrf, nil
}

var errLoginFailed = errors.New("login failed")

// dummyHash is hashed on first use, not at start: argon2id takes a good
// part of a second, which cold start should not pay.
var dummyHash = sync.OnceValue(func() string {
	h, _ := auth.HashPassword("ombud-dummy-password")
	return h
})

// ErrLoginFailed reports whether err is a wrong user name or password.
func ErrLoginFailed(err error) bool { return errors.Is(err, errLoginFailed) }

func (a *API) login(w http.ResponseWriter, r *http.Request) {
	if !a.limiter.Allow(ClientIP(r)) {
		WriteError(w, r, http.StatusTooManyRequests, "rate_limited", nil)
		return
	}
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if !decode(w, r, &in) {
		return
	}
	fe := cases.FieldErrors{}
	if in.Username == "" {
		fe["username"] = "required"
	}
	if in.Password == "" {
		fe["password"] = "required"
	}
	if len(fe) > 0 {
		WriteError(w, r, http.StatusBadRequest, "invalid_input", fe)
		return
	}
	u, token, _, err := Login(r.Context(), a.svc.Store, in.Username, in.Password)
	if ErrLoginFailed(err) {
		WriteError(w, r, http.StatusUnauthorized, "login_failed", nil)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": token, "expires_at": time.Now().Add(SessionTTL).UTC(), "user": u})
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) {
	if err := a.svc.Store.DeleteSession(r.Context(), auth.TokenHash(bearer(r))); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) me(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, UserFrom(r.Context()))
}

func (a *API) policy(w http.ResponseWriter, r *http.Request) {
	svc, ok := a.served(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, svc.Pack)
}

// served is the service of the pack the request names (?pack=ID), the
// default one without; an unknown pack is a 404, written here.
func (a *API) served(w http.ResponseWriter, r *http.Request) (*workflow.Service, bool) {
	id := r.URL.Query().Get("pack")
	if id == "" {
		return a.svc, true
	}
	if !a.svc.Has(id) {
		WriteError(w, r, http.StatusNotFound, "not_found", cases.FieldErrors{"pack": "unknown_pack"})
		return nil, false
	}
	return a.svc.For(id), true
}

func actor(r *http.Request) cases.Actor { return workflow.ActorOf(UserFrom(r.Context())) }

func (a *API) listCases(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.Filter{Level: q.Get("level"), Department: q.Get("department"), Kind: q.Get("kind"),
		Category: q.Get("category"), Q: q.Get("q"), Overdue: q.Get("overdue") == "true",
		SortDue: q.Get("sort") == "due"}
	if q.Get("due_soon") == "true" {
		f.DueAfter = a.svc.Now()
		f.DueBefore = f.DueAfter.Add(DueSoon)
	}
	fe := cases.FieldErrors{}
	for _, s := range q["status"] {
		for _, st := range strings.Split(s, ",") {
			if st == "" {
				continue
			}
			if !validStatus(cases.Status(st)) {
				fe["status"] = "unknown_status"
			}
			f.Status = append(f.Status, cases.Status(st))
		}
	}
	page, perPage := 1, 50
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			fe["page"] = "out_of_range"
		}
		page = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			fe["per_page"] = "out_of_range"
		}
		perPage = n
	}
	if len(fe) > 0 {
		WriteError(w, r, http.StatusBadRequest, "invalid_input", fe)
		return
	}
	f.Limit, f.Offset = perPage, (page-1)*perPage
	list, total, err := a.svc.List(r.Context(), actor(r), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	now := a.svc.Now()
	items := make([]CaseView, 0, len(list))
	for _, c := range list {
		items = append(items, View(c, now))
	}
	// Totals are counted up to a cap (store.CountCapFor); total_capped says there are more.
	countCap := a.svc.Store.CountCapFor(f)
	writeJSON(w, http.StatusOK, map[string]any{"cases": items, "total": min(total, countCap),
		"total_capped": total > countCap, "page": page, "per_page": perPage})
}

func validStatus(s cases.Status) bool {
	for _, x := range cases.Statuses {
		if x == s {
			return true
		}
	}
	return false
}

func (a *API) createCase(w http.ResponseWriter, r *http.Request) {
	var in cases.Registration
	if !decode(w, r, &in) {
		return
	}
	svc, ok := a.served(w, r)
	if !ok {
		return
	}
	c, err := svc.Register(r.Context(), actor(r), in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.writeCase(w, r, http.StatusCreated, c)
}

func (a *API) getCase(w http.ResponseWriter, r *http.Request) {
	c, events, err := a.svc.Get(r.Context(), actor(r), r.PathValue("number"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v := View(c, a.svc.Now())
	v.Events = EventViews(events)
	v.Actions = cases.Available(actor(r), c, a.svc.For(c.Pack).Pack)
	if v.Attachments, err = a.svc.Attachments(r.Context(), actor(r), c); err != nil {
		a.fail(w, r, err)
		return
	}
	if v.Attachments == nil {
		v.Attachments = []store.Attachment{}
	}
	writeJSON(w, http.StatusOK, v)
}

func (a *API) writeCase(w http.ResponseWriter, r *http.Request, status int, c *cases.Case) {
	v := View(c, a.svc.Now())
	v.Actions = cases.Available(actor(r), c, a.svc.For(c.Pack).Pack)
	writeJSON(w, status, v)
}

func (a *API) act(w http.ResponseWriter, r *http.Request) {
	act := cases.Action(r.PathValue("action"))
	known := false
	for _, x := range cases.Actions {
		known = known || x == act
	}
	if !known {
		WriteError(w, r, http.StatusNotFound, "not_found", nil)
		return
	}
	var p cases.Params
	if r.ContentLength != 0 && !decode(w, r, &p) {
		return
	}
	c, err := a.svc.Act(r.Context(), actor(r), r.PathValue("number"), act, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.writeCase(w, r, http.StatusOK, c)
}

func (a *API) revealContact(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason string `json:"reason"`
	}
	if r.ContentLength != 0 && !decode(w, r, &in) {
		return
	}
	if strings.TrimSpace(in.Reason) == "" {
		WriteError(w, r, http.StatusBadRequest, "invalid_input", cases.FieldErrors{"reason": "required"})
		return
	}
	c, err := a.svc.RevealContact(r.Context(), actor(r), r.PathValue("number"), in.Reason)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (a *API) accessLog(w http.ResponseWriter, r *http.Request) {
	u := UserFrom(r.Context())
	if u.Role != auth.Admin && u.Role != auth.Auditor {
		WriteError(w, r, http.StatusForbidden, "forbidden", nil)
		return
	}
	c, err := a.svc.Store.GetCase(r.Context(), r.PathValue("number"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	log, err := a.svc.Store.AccessLog(r.Context(), c.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if log == nil {
		log = []store.Access{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"access": log})
}

// fail maps a domain error to its HTTP error.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, code, fields := Classify(err)
	if status == http.StatusInternalServerError {
		a.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	WriteError(w, r, status, code, fields)
}

// Classify maps an error to an HTTP status, an error code and field errors.
func Classify(err error) (int, string, cases.FieldErrors) {
	var fe cases.FieldErrors
	switch {
	case errors.As(err, &fe):
		return http.StatusBadRequest, "invalid_input", fe
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "not_found", nil
	case errors.Is(err, workflow.ErrForbidden):
		return http.StatusForbidden, "forbidden", nil
	case errors.Is(err, cases.ErrInvalidTransition):
		return http.StatusConflict, "invalid_transition", nil
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict, "conflict", nil
	case errors.Is(err, workflow.ErrNoIdentityKey):
		return http.StatusServiceUnavailable, "identity_key_missing", nil
	case errors.Is(err, workflow.ErrChannelUnavailable):
		return http.StatusConflict, "channel_unavailable", nil
	case errors.Is(err, workflow.ErrNoPhone):
		return http.StatusConflict, "no_phone", nil
	case errors.Is(err, workflow.ErrSendLimit):
		return http.StatusConflict, "send_limit_reached", nil
	}
	return http.StatusInternalServerError, "internal", nil
}

// maxBody bounds a request body.
const maxBody = 1 << 20

// decode reads a JSON body into v, rejecting unknown fields; on failure it
// writes a 400 naming the field.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			WriteError(w, r, http.StatusBadRequest, "bad_request", nil)
			return false
		}
		return true
	}
	var te *json.UnmarshalTypeError
	var pe *time.ParseError
	switch {
	case errors.As(err, &te) && te.Field != "":
		key := "invalid_type"
		if strings.HasSuffix(te.Field, "_at") {
			key = "invalid_time"
		}
		WriteError(w, r, http.StatusBadRequest, "invalid_input", cases.FieldErrors{te.Field: key})
	case errors.As(err, &pe):
		WriteError(w, r, http.StatusBadRequest, "invalid_input", cases.FieldErrors{"received_at": "invalid_time"})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		WriteError(w, r, http.StatusBadRequest, "invalid_input", cases.FieldErrors{name: "unknown_field"})
	case errors.Is(err, io.EOF):
		WriteError(w, r, http.StatusBadRequest, "bad_request", nil)
	default:
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			WriteError(w, r, http.StatusRequestEntityTooLarge, "too_large", nil)
			return false
		}
		WriteError(w, r, http.StatusBadRequest, "bad_request", nil)
	}
	return false
}

// Error is the body of every error response.
type Error struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	// FieldCodes are the machine codes of Fields' messages (required,
	// file_too_large ...), for clients that act on them.
	FieldCodes map[string]string `json:"field_codes,omitempty"`
}

// WriteError writes {"error": {code, message, fields, field_codes}} with
// messages in the request's language; each field carries a human message
// and its code.
func WriteError(w http.ResponseWriter, r *http.Request, status int, code string, fields cases.FieldErrors) {
	lang := i18n.FromRequest(r)
	e := Error{Code: code, Message: i18n.T(lang, "error."+code)}
	if len(fields) > 0 {
		e.Fields, e.FieldCodes = map[string]string{}, map[string]string{}
		for k, v := range fields {
			e.Fields[k] = i18n.T(lang, "field."+v)
			e.FieldCodes[k] = v
		}
	}
	writeJSON(w, status, map[string]Error{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// CaseView is a case as the API shows it: the complainant's phone masked,
// with its deadlines, and on a single case its events and allowed actions.
type CaseView struct {
	*cases.Case
	Deadlines []workflow.Deadline `json:"deadlines"`
	Events    []EventView         `json:"events,omitempty"`
	// Attachments (with GET of one case) are downloaded from the web UI at
	// /cases/{number}/attachments/{id}.
	Attachments []store.Attachment `json:"attachments,omitempty"`
	Actions     []cases.Action     `json:"actions,omitempty"`
}

// View masks c for display.
func View(c *cases.Case, now time.Time) CaseView {
	cc := *c
	cc.Complainant.Phone = cases.MaskPhone(c.Complainant.Phone)
	cc.Complainant.Sealed = sealedMark(c.Complainant.Sealed)
	return CaseView{Case: &cc, Deadlines: workflow.Deadlines(c, now)}
}

// sealedMark shows a sealed identity as the key it is sealed with
// ("v1.<key id>"), not its ciphertext: it is opened with POST
// /cases/{number}/contact.
func sealedMark(sealed string) string {
	if sealed == "" {
		return ""
	}
	return "v1." + seal.KeyOf(sealed)
}

// EventView is an event as the API shows it.
type EventView struct {
	Seq     int64          `json:"seq"`
	Type    string         `json:"type"`
	Actor   string         `json:"actor"`
	At      time.Time      `json:"at"`
	Payload map[string]any `json:"payload"`
	Hash    string         `json:"hash"`
}

// EventViews masks the registration record inside events.
func EventViews(events []cases.Event) []EventView {
	out := make([]EventView, 0, len(events))
	for _, e := range events {
		var p map[string]any
		json.Unmarshal(e.Payload, &p)
		if reg, ok := p["registration"].(map[string]any); ok {
			if c, ok := reg["complainant"].(map[string]any); ok {
				if ph, ok := c["phone"].(string); ok {
					c["phone"] = cases.MaskPhone(ph)
				}
				if s, ok := c["sealed"].(string); ok {
					c["sealed"] = sealedMark(s)
				}
			}
		}
		out = append(out, EventView{Seq: e.Seq, Type: e.Type, Actor: e.Actor, At: e.At, Payload: p, Hash: e.Hash})
	}
	return out
}
