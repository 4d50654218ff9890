// Package web is Ombud's staff web UI: server-rendered pages, embedded in
// the binary, Chinese first with an English switch.
//
// Every page but /login needs a session: the "ombud_session" cookie holds
// the token that api.Login opened. Every POST form carries the session's
// CSRF token in a hidden "csrf" field, and cross-origin POSTs from browsers
// are refused outright (http.CrossOriginProtection).
package web

import (
	"bytes"
	"crypto/subtle"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/api"
	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/i18n"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// SessionCookie is the name of the cookie holding the session token.
const SessionCookie = "ombud_session"

// maxForm bounds a form body.
const maxForm = 1 << 20

// UI serves the web pages.
type UI struct {
	svc     *workflow.Service
	log     *slog.Logger
	limiter *api.Limiter
	pages   map[string]*template.Template
	cop     *http.CrossOriginProtection
	// public limits the portal (see portal.go).
	public *api.PublicLimiter
}

// New returns the UI of svc.
func New(svc *workflow.Service, log *slog.Logger) *UI {
	u := &UI{svc: svc, log: log, limiter: api.NewLimiter(1, 10), pages: map[string]*template.Template{},
		public: api.NewPublicLimiter(api.DefaultPublicLimits)}
	for _, name := range []string{"login", "error", "list", "new", "case", "slip", "voucher", "feedback", "supervision", "inbox", "dashboard"} {
		u.pages[name] = template.Must(template.New("layout.html").Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	u.cop = http.NewCrossOriginProtection()
	u.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.fail(w, r, u.anon(r), http.StatusForbidden, "csrf")
	}))
	return u
}

// Register mounts the UI's routes on mux.
func (u *UI) Register(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	mux.Handle("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	}))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/icon.svg", http.StatusMovedPermanently)
	})
	mux.Handle("GET /{$}", u.authed(u.dashboard))
	mux.HandleFunc("GET /lang", u.lang)
	mux.HandleFunc("GET /login", u.loginForm)
	mux.Handle("POST /login", u.cop.Handler(http.HandlerFunc(u.login)))
	mux.Handle("POST /logout", u.authed(u.logout))
	mux.Handle("GET /cases", u.authed(u.list))
	mux.Handle("GET /cases/new", u.authed(u.newForm))
	mux.Handle("POST /cases", u.authed(u.create))
	mux.Handle("POST /cases/new/hints", u.authed(u.hints))
	mux.Handle("GET /cases/{number}", u.authed(u.show))
	mux.Handle("GET /cases/{number}/slip", u.authed(u.slip))
	mux.Handle("GET /cases/{number}/voucher", u.authed(u.voucher))
	mux.Handle("GET /cases/{number}/feedback", u.authed(u.feedback))
	mux.Handle("POST /cases/assign", u.authed(u.bulkAssign))
	mux.Handle("GET /cases/{number}/attachments/{id}", u.authed(u.attachment))
	mux.Handle("POST /cases/{number}/attachments", u.authedBody(u.upload))
	mux.Handle("POST /cases/{number}/actions/{action}", u.authed(u.act))
	mux.Handle("POST /cases/{number}/contact", u.authed(u.reveal))
	mux.Handle("GET /supervision", u.authed(u.supervision))
	mux.Handle("GET /inbox", u.authed(u.inbox))
	u.registerPortal(mux)
	mux.Handle("POST /inbox/read", u.authed(u.readAll))
	mux.Handle("POST /inbox/{id}/read", u.authed(u.readOne))
	mux.Handle("/", u.authed(func(w http.ResponseWriter, r *http.Request, b *base) {
		u.fail(w, r, b, http.StatusNotFound, "not_found")
	}))
}

// handler is a page handler that runs with a logged-in user.
type handler func(w http.ResponseWriter, r *http.Request, b *base)

// authed wraps h: it finds the session (redirecting to /login without
// one), and for a POST parses the form and checks its CSRF token.
func (u *UI) authed(h handler) http.Handler { return u.authedWith(h, false) }

// authedBody is authed for a handler that reads a POST's body itself (an
// upload, far larger than a form): it must check the CSRF token with
// csrfOK before it changes anything.
func (u *UI) authedBody(h handler) http.Handler { return u.authedWith(h, true) }

// csrfOK reports whether a POST's form carries the session's CSRF token.
func csrfOK(r *http.Request, b *base) bool {
	got := r.PostForm.Get("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(b.CSRF)) == 1
}

func (u *UI) authedWith(h handler, ownBody bool) http.Handler {
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := u.session(r)
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) && !errors.Is(err, http.ErrNoCookie) {
				u.log.Error("session lookup", "err", err)
				u.fail(w, r, u.anon(r), http.StatusInternalServerError, "internal")
				return
			}
			target := "/login"
			if r.Method == http.MethodGet {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && !ownBody {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if err := r.ParseForm(); err != nil {
				u.fail(w, r, b, http.StatusBadRequest, "bad_request")
				return
			}
			if !csrfOK(r, b) {
				u.fail(w, r, b, http.StatusForbidden, "csrf")
				return
			}
		}
		ctx := r.Context()
		b.unread = func() int {
			_, n, err := u.svc.Store.Notifications(ctx, b.User.Username, true, 1)
			if err != nil {
				u.log.Error("unread notifications", "err", err)
			}
			return n
		}
		h(w, r.WithContext(api.WithUser(ctx, b.User)), b)
	})
	return u.cop.Handler(inner)
}

// session returns the page base of the request's logged-in user.
func (u *UI) session(r *http.Request) (*base, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return nil, err
	}
	if c.Value == "" {
		return nil, store.ErrNotFound
	}
	user, csrf, err := u.svc.Store.SessionUser(r.Context(), auth.TokenHash(c.Value))
	if err != nil {
		return nil, err
	}
	b := u.anon(r)
	b.User, b.CSRF = user, csrf
	b.CanRegister = workflow.CanRegister(workflow.ActorOf(user))
	b.CanSupervise = canSupervise(user)
	return b, nil
}

// anon returns the page base of a request without a user.
func (u *UI) anon(r *http.Request) *base {
	b := &base{Lang: i18n.FromRequest(r), Pack: u.svc.Pack, URI: r.URL.RequestURI(), Packs: u.svc.Packs()}
	// A page of another pack served here (the registration form of
	// ?pack=ID, and what it posts) speaks that pack's language.
	if id := r.URL.Query().Get("pack"); id != "" && u.svc.Has(id) {
		b.Pack = u.svc.For(id).Pack
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// A page answering a POST switches language back to a page that can be fetched.
		b.URI = "/cases"
	}
	return b
}

// render executes page name with data and writes it with status.
func (u *UI) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := u.pages[name].Execute(&buf, data); err != nil {
		u.log.Error("render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage is the data of the error page.
type errorPage struct {
	*base
	Status  int
	Message string
}

// fail renders the error page with the message of code ("error.<code>").
func (u *UI) fail(w http.ResponseWriter, r *http.Request, b *base, status int, code string) {
	b.Title = b.T("ui.error.title")
	u.render(w, status, "error", errorPage{base: b, Status: status, Message: b.T("error." + code)})
}

// failErr renders the error page for a domain error.
func (u *UI) failErr(w http.ResponseWriter, r *http.Request, b *base, err error) {
	status, code, _ := api.Classify(err)
	if status == http.StatusInternalServerError {
		u.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	u.fail(w, r, b, status, code)
}

// localPath returns p if it is a path on this site, else def.
func localPath(p, def string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") ||
		strings.ContainsAny(p, "\r\n\t") {
		return def
	}
	if u, err := url.Parse(p); err != nil || u.Scheme != "" || u.Host != "" {
		return def
	}
	return p
}

// lang sets the language cookie and goes back to the page it came from.
func (u *UI) lang(w http.ResponseWriter, r *http.Request) {
	to := i18n.Match(r.URL.Query().Get("to"))
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: to, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, localPath(r.URL.Query().Get("back"), "/cases"), http.StatusSeeOther)
}

// loginPage is the data of the login page.
type loginPage struct {
	*base
	Username string
	Next     string
	Error    string
}

func (u *UI) loginForm(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"), "/cases")
	if _, err := u.session(r); err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	b := u.anon(r)
	b.Title = b.T("ui.login.title")
	u.render(w, http.StatusOK, "login", loginPage{base: b, Next: next})
}

func (u *UI) login(w http.ResponseWriter, r *http.Request) {
	b := u.anon(r)
	b.Title, b.URI = b.T("ui.login.title"), "/login"
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		u.fail(w, r, b, http.StatusBadRequest, "bad_request")
		return
	}
	p := loginPage{base: b, Username: strings.TrimSpace(r.PostForm.Get("username")),
		Next: localPath(r.PostForm.Get("next"), "/cases")}
	password := r.PostForm.Get("password")
	if !u.limiter.Allow(api.ClientIP(r)) {
		p.Error = b.T("error.rate_limited")
		u.render(w, http.StatusTooManyRequests, "login", p)
		return
	}
	if p.Username == "" || password == "" {
		p.Error = b.T("error.login_failed")
		u.render(w, http.StatusUnauthorized, "login", p)
		return
	}
	_, token, _, err := api.Login(r.Context(), u.svc.Store, p.Username, password)
	if api.ErrLoginFailed(err) {
		p.Error = b.T("error.login_failed")
		u.render(w, http.StatusUnauthorized, "login", p)
		return
	}
	if err != nil {
		u.log.Error("login", "err", err)
		u.fail(w, r, b, http.StatusInternalServerError, "internal")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, MaxAge: int(api.SessionTTL / time.Second)})
	http.Redirect(w, r, p.Next, http.StatusSeeOther)
}

func (u *UI) logout(w http.ResponseWriter, r *http.Request, b *base) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := u.svc.Store.DeleteSession(r.Context(), auth.TokenHash(c.Value)); err != nil {
			u.failErr(w, r, b, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
