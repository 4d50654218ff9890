// Package notifytest runs fake receivers of outbound messages on loopback
// for tests: a mail server (SMTP, optionally with STARTTLS and a login) and
// an SMS gateway (HTTP). They keep what they receive.
package notifytest

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/ombud/ombud/internal/notify"
)

// Mail is a message the mail server accepted, decoded.
type Mail struct {
	From    string
	To      []string
	Subject string
	Body    string
	Header  mail.Header
}

// SMTPOptions configure the fake mail server.
type SMTPOptions struct {
	// TLS offers STARTTLS with a certificate for 127.0.0.1 (trust
	// SMTPServer.Roots).
	TLS bool
	// Users, if not empty, must log in (PLAIN) with one of these user
	// names and passwords before sending.
	Users map[string]string
	// Rcpt, if set, answers each recipient: an *smtp.SMTPError refuses it.
	Rcpt func(to string) error
}

// SMTPServer is a running fake mail server.
type SMTPServer struct {
	Host string
	Port int
	// Roots trust its certificate (with TLS).
	Roots *x509.CertPool
	// Received gets each accepted mail (buffered: 100).
	Received chan Mail
	opts     SMTPOptions
	mu       sync.Mutex
	logins   int
}

// StartSMTP starts a fake mail server on loopback until the test ends.
func StartSMTP(t testing.TB, opts SMTPOptions) *SMTPServer {
	t.Helper()
	s := &SMTPServer{Received: make(chan Mail, 100), opts: opts}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = !opts.TLS
	srv.ErrorLog = discardLog{}
	if opts.TLS {
		// httptest's certificate is for 127.0.0.1.
		ts := httptest.NewTLSServer(http.NotFoundHandler())
		srv.TLSConfig = &tls.Config{Certificates: ts.TLS.Certificates}
		s.Roots = x509.NewCertPool()
		s.Roots.AddCert(ts.Certificate())
		ts.Close()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Host = "127.0.0.1"
	s.Port = ln.Addr().(*net.TCPAddr).Port
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// URL is the server's address as for --smtp, with user and password if
// given and tls=none unless it offers TLS.
func (s *SMTPServer) URL(user, password, from string) string {
	u := "smtp://"
	if user != "" {
		u += user + ":" + password + "@"
	}
	u += net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) + "?from=" + from
	if !s.opts.TLS {
		u += "&tls=none"
	}
	return u
}

// Logins counts successful logins.
func (s *SMTPServer) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

type discardLog struct{}

func (discardLog) Printf(string, ...any) {}
func (discardLog) Println(...any)        {}

type session struct {
	s      *SMTPServer
	authed bool
	from   string
	to     []string
}

func (x *session) AuthMechanisms() []string {
	if len(x.s.opts.Users) == 0 {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || len(x.s.opts.Users) == 0 {
		return nil, smtp.ErrAuthUnsupported
	}
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if p, ok := x.s.opts.Users[user]; !ok || p != pass {
			return errors.New("invalid credentials")
		}
		x.authed = true
		x.s.mu.Lock()
		x.s.logins++
		x.s.mu.Unlock()
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if len(x.s.opts.Users) > 0 && !x.authed {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if x.s.opts.Rcpt != nil {
		if err := x.s.opts.Rcpt(to); err != nil {
			return err
		}
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(msg.Body)
	if err != nil {
		return err
	}
	var body []byte
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body, err = io.ReadAll(quotedprintable.NewReader(strings.NewReader(string(raw))))
	case "base64":
		body, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(raw)), ""))
	default:
		body = raw
	}
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	x.s.Received <- Mail{From: x.from, To: x.to, Subject: subject, Body: strings.TrimRight(string(body), "\r\n"), Header: msg.Header}
	return nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

// SMSGateway is a running fake SMS gateway.
type SMSGateway struct {
	URL string
	// Received gets each request it accepted (buffered: 100).
	Received chan SMS
	mu       sync.Mutex
	status   []int
}

// SMS is a request the gateway received.
type SMS struct {
	notify.SMSRequest
	Authorization, IdempotencyKey, ContentType string
}

// StartSMSGateway starts a fake SMS gateway; it answers each request with
// the next of statuses (200 once they run out). Every request is kept,
// whatever the answer.
func StartSMSGateway(t testing.TB, statuses ...int) *SMSGateway {
	t.Helper()
	g := &SMSGateway{Received: make(chan SMS, 100), status: statuses}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req notify.SMSRequest
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if r.Method != http.MethodPost || dec.Decode(&req) != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		g.mu.Lock()
		status := http.StatusOK
		if len(g.status) > 0 {
			status, g.status = g.status[0], g.status[1:]
		}
		g.mu.Unlock()
		g.Received <- SMS{SMSRequest: req, Authorization: r.Header.Get("Authorization"),
			IdempotencyKey: r.Header.Get("Idempotency-Key"), ContentType: r.Header.Get("Content-Type")}
		w.WriteHeader(status)
		io.WriteString(w, `{"result":"`+http.StatusText(status)+`"}`)
	}))
	t.Cleanup(srv.Close)
	g.URL = srv.URL + "/sms"
	return g
}
