// Package server assembles Ombud: it opens the store, loads the policy
// pack, creates the first administrator, and serves the API and web UI
// with graceful shutdown.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/api"
	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/metrics"
	"github.com/ombud/ombud/internal/notify"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/seal"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/supervise"
	"github.com/ombud/ombud/internal/web"
	"github.com/ombud/ombud/internal/workflow"
)

// Config is how Ombud is started.
type Config struct {
	Addr string
	// DB is a PostgreSQL URL; empty means the SQLite database in DataDir.
	DB      string
	DataDir string
	Pack    string
	// Packs are further packs served beside Pack, the default one.
	Packs []string
	// AdminPassword is the first administrator's password; empty generates one.
	AdminPassword string
	// NoSupervisor turns off this instance's supervision scheduler (another
	// instance runs it; any number may, see package supervise).
	NoSupervisor bool
	// TrustedProxies are the reverse proxies in front of this instance
	// (comma-separated addresses or CIDRs): their X-Forwarded-For names the
	// client for rate limits.
	TrustedProxies string
	// PublicLimits are the rate limits of the public portal and API; zero
	// fields take api.DefaultPublicLimits.
	PublicLimits api.PublicLimits
	// IdentityKey is the key that seals reporters' identities, in base64
	// (OMBUD_IDENTITY_KEY); empty reads DATA/identity.key, created on
	// first start. Every instance on one database must have the same key.
	IdentityKey string
	// SMTP is the mail server's URL (notify.ParseSMTP); empty: no email.
	SMTP string
	// SMSURL is the SMS gateway's URL, SMSToken its bearer token; empty:
	// no SMS.
	SMSURL, SMSToken string
	// LogMessages delivers the channels that are not configured to the log
	// and offers them to the public all the same (the demo, trials).
	LogMessages bool
}

// senders are the outbox's senders of cfg by channel: the configured
// channels, and with LogMessages the log for the others.
func senders(cfg Config, log *slog.Logger) (map[string]notify.Sender, error) {
	out := map[string]notify.Sender{}
	if cfg.SMTP != "" {
		s, err := notify.ParseSMTP(cfg.SMTP)
		if err != nil {
			return nil, err
		}
		out[notify.Email] = s
	}
	if cfg.SMSURL != "" {
		g, err := notify.NewSMSGateway(cfg.SMSURL, cfg.SMSToken)
		if err != nil {
			return nil, err
		}
		out[notify.SMS] = g
	}
	if cfg.LogMessages {
		for _, c := range notify.Channels {
			if out[c] == nil {
				out[c] = notify.Log{Log: log}
			}
		}
	}
	return out, nil
}

// IdentityKey returns the key of cfg (nil: none — no key given and no data
// directory to keep one in) and checks it against the one the database's
// identities are sealed with.
func IdentityKey(ctx context.Context, cfg Config, st *store.Store, log *slog.Logger) (*seal.Key, error) {
	var key *seal.Key
	switch {
	case cfg.IdentityKey != "":
		k, err := seal.Parse(cfg.IdentityKey)
		if err != nil {
			return nil, fmt.Errorf("OMBUD_IDENTITY_KEY: %w", err)
		}
		key = k
	case cfg.DataDir != "":
		path := filepath.Join(cfg.DataDir, "identity.key")
		k, created, err := seal.LoadOrCreate(path)
		if err != nil {
			return nil, err
		}
		if created {
			log.Warn("created the key that seals reporters' identities: back it up with the database, or the identities cannot be read (docs/operations.md)", "file", path, "key", k.ID())
		}
		key = k
	default:
		log.Warn("no identity key (set OMBUD_IDENTITY_KEY): reports that give an identity are refused until one is set")
		return nil, nil
	}
	stored, err := st.Agree(ctx, "identity_key", key.ID())
	if err != nil {
		return nil, err
	}
	if stored != key.ID() {
		return nil, fmt.Errorf("this database's reporter identities are sealed with key %s, this instance has key %s: give every instance the same key (OMBUD_IDENTITY_KEY or DATA/identity.key)", stored, key.ID())
	}
	return key, nil
}

// Open opens the store and the pack of cfg.
func Open(ctx context.Context, cfg Config) (*store.Store, *policy.Pack, error) {
	pack, err := policy.Load(cfg.Pack)
	if err != nil {
		return nil, nil, err
	}
	var st *store.Store
	if cfg.DB != "" {
		st, err = store.Open(ctx, cfg.DB)
	} else {
		st, err = store.OpenDataDir(ctx, cfg.DataDir)
	}
	if err != nil {
		return nil, nil, err
	}
	return st, pack, nil
}

// EnsureAdmin creates user admin when there are no users yet. It returns
// the password when it generated one, to be shown once.
func EnsureAdmin(ctx context.Context, st *store.Store, password string) (generated string, err error) {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	if password == "" {
		password = auth.RandomPassword()
		generated = password
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return "", err
	}
	u := &auth.User{Username: "admin", DisplayName: "系统管理员", Role: auth.Admin, Active: true}
	if err := st.CreateUser(ctx, u, hash); err != nil {
		// Another instance created it at the same moment.
		if n, _ := st.CountUsers(ctx); n > 0 {
			return "", nil
		}
		return "", err
	}
	return generated, nil
}

// Handler returns the HTTP handler of svc: the API, the web UI and
// /metrics, with request logging and security headers.
func Handler(svc *workflow.Service, log *slog.Logger) http.Handler {
	return handler(svc, log, api.DefaultPublicLimits)
}

func handler(svc *workflow.Service, log *slog.Logger, limits api.PublicLimits) http.Handler {
	mux := http.NewServeMux()
	// The public API and the portal share one budget per client.
	public := api.NewPublicLimiter(limits)
	a, ui := api.New(svc, log), web.New(svc, log)
	a.SetPublicLimiter(public)
	ui.SetPublicLimiter(public)
	a.Register(mux)
	ui.Register(mux)
	m := metrics.New(svc.Store, log)
	mux.Handle("GET /metrics", m.Handler())
	return securityHeaders(logRequests(log, m.Instrument(mux)))
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'")
		h.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(s int) { w.status = s; w.ResponseWriter.WriteHeader(s) }

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func logRequests(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		h.ServeHTTP(sw, r)
		log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"ms", float64(time.Since(start).Microseconds())/1000)
	})
}

// Serve runs svc on ln until ctx is cancelled, then finishes in-flight
// requests (up to 10 s) and returns.
func Serve(ctx context.Context, ln net.Listener, svc *workflow.Service, log *slog.Logger) error {
	return serve(ctx, ln, Handler(svc, log), log)
}

func serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Run opens everything cfg names and serves until ctx is cancelled.
// ready, if not nil, receives the listening address.
func Run(ctx context.Context, cfg Config, out io.Writer, log *slog.Logger, ready chan<- string) error {
	if err := api.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return err
	}
	sends, err := senders(cfg, log)
	if err != nil {
		return err
	}
	st, pack, err := Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	// Attachments live in the data directory (an SQLite store's is its
	// database's). Without one (PostgreSQL and no --data) they are
	// unavailable: files are refused with 503, never written elsewhere.
	if cfg.DataDir != "" {
		st.SetDataDir(cfg.DataDir)
	}
	if !st.FilesAvailable() {
		log.Warn("attachments are unavailable: no data directory for files (set --data / OMBUD_DATA to a directory every instance shares)")
	}
	pw, err := EnsureAdmin(ctx, st, cfg.AdminPassword)
	if err != nil {
		return err
	}
	if pw != "" {
		fmt.Fprintf(out, "Created user admin with password: %s\n(shown once; set OMBUD_ADMIN_PASSWORD to choose it)\n", pw)
	}
	base, err := calendar.LoadDir(filepath.Join(cfg.DataDir, "calendar"))
	if err != nil {
		return err
	}
	svc := workflow.New(st, pack)
	svc.Cal = pack.CalendarOn(base)
	// Further packs served beside the default one (patient complaints and
	// staff whistleblowing): each case is handled under its own.
	services := map[string]*workflow.Service{pack.ID: svc}
	linked := []*workflow.Service{svc}
	for _, id := range cfg.Packs {
		if id = strings.TrimSpace(id); id == "" || id == pack.ID {
			continue
		}
		p, err := policy.Load(id)
		if err != nil {
			return err
		}
		sv := workflow.New(st, p)
		sv.Cal = p.CalendarOn(base)
		services[p.ID] = sv
		linked = append(linked, sv)
	}
	if err := workflow.Link(linked...); err != nil {
		return err
	}
	key, err := IdentityKey(ctx, cfg, st, log)
	if err != nil {
		return err
	}
	svc.SetIdentityKey(key)
	// Outbound messages: the channels this instance can deliver are
	// offered to the public; the worker delivers them.
	host, _ := os.Hostname()
	holder := fmt.Sprintf("%s:%d", host, os.Getpid())
	var outbound []string
	for _, c := range notify.Channels {
		if s := sends[c]; s != nil {
			outbound = append(outbound, c)
			log.Info("outbound messages", "channel", c, "via", s.Name())
		}
	}
	if len(outbound) < len(notify.Channels) {
		log.Info("outbound channels not configured are not offered: set --smtp / --sms-url (see docs/operations.md)",
			"on", outbound)
	}
	var worker *notify.Worker
	if len(sends) > 0 {
		worker = notify.NewWorker(st, sends, holder, log)
	}
	for _, sv := range linked {
		sv.Outbound = outbound
		if worker != nil {
			sv.OnEnqueue = worker.Kick
		}
	}
	for _, y := range []int{time.Now().Year(), time.Now().Year() + 1} {
		if !svc.Cal.Covers(y) {
			log.Warn("the holiday calendar lacks a year: time limits running into it assume Monday to Friday and are marked so; add DATA/calendar/YEAR.txt (see docs/time-limits.md)",
				"year", y, "known", svc.Cal.Years())
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	var ids []string
	for _, sv := range linked {
		ids = append(ids, sv.Pack.ID)
	}
	fmt.Fprintf(out, "Ombud serving %s (pack %s, %s) on http://%s/\n", pack.Organization.In("zh"), strings.Join(ids, ", "), st.Dialect(), ln.Addr())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	if worker != nil {
		// Stopped after the HTTP server (deferred before it): it finishes
		// the send in progress and hands back what it claimed.
		done := make(chan struct{})
		wctx, stop := context.WithCancel(ctx)
		go func() { worker.Run(wctx); close(done) }()
		defer func() { stop(); <-done }()
	}
	if !cfg.NoSupervisor {
		sch := supervise.New(st, services, holder, log)
		done := make(chan struct{})
		sctx, stop := context.WithCancel(ctx)
		go func() { sch.Run(sctx); close(done) }()
		defer func() { stop(); <-done }()
	}
	return serve(ctx, ln, handler(svc, log, cfg.PublicLimits), log)
}
