package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/ombud/ombud/internal/store"
)

// SMTP sends email through a mail server (a relay of the organization, or
// a provider's submission service).
type SMTP struct {
	Host string
	Port int
	// Username and Password log in (none when Username is empty). Only
	// mechanisms safe on the connection are used: PLAIN and LOGIN need TLS.
	Username, Password string
	// From is the sender: an address, optionally with a name.
	From string
	// TLS is "starttls" (the default: upgrade with STARTTLS, required),
	// "tls" (TLS from the start, smtps, usually port 465) or "none" (a
	// relay on the same host or network only).
	TLS string
	// TLSConfig, if not nil, replaces the default (system roots, the
	// host's name); tests set their own roots.
	TLSConfig *tls.Config
	// HELO is the name this host gives (default: go-mail's, the host name).
	HELO string
}

// ParseSMTP reads a mail server's URL:
//
//	smtp://user:password@host:587?from=Ombud%20<noreply@example.org>&tls=starttls
//	smtps://user:password@host:465?from=noreply@example.org
//	smtp://relay.internal:25?from=noreply@example.org&tls=none
//
// from is required. tls is starttls (default for smtp://), tls (default for
// smtps://) or none. The port defaults to 587, 465 (tls) or 25 (none).
// helo names this host. User and password are URL-encoded.
func ParseSMTP(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("smtp URL: %w", err)
	}
	s := &SMTP{Host: u.Hostname(), TLS: "starttls"}
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.TLS = "tls"
	default:
		return nil, fmt.Errorf("smtp URL: scheme %q, want smtp:// or smtps://", u.Scheme)
	}
	if s.Host == "" {
		return nil, errors.New("smtp URL: no host")
	}
	q := u.Query()
	for k := range q {
		switch k {
		case "from", "tls", "helo":
		default:
			return nil, fmt.Errorf("smtp URL: unknown parameter %q (from, tls, helo)", k)
		}
	}
	if v := q.Get("tls"); v != "" {
		switch v {
		case "starttls", "tls", "none":
			s.TLS = v
		default:
			return nil, fmt.Errorf("smtp URL: tls=%q, want starttls, tls or none", v)
		}
	}
	s.From, s.HELO = q.Get("from"), q.Get("helo")
	if s.From == "" {
		return nil, errors.New("smtp URL: from=ADDRESS is required")
	}
	if _, err := mail.ParseAddress(s.From); err != nil {
		return nil, fmt.Errorf("smtp URL: from=%q: %w", s.From, err)
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	switch s.TLS {
	case "tls":
		s.Port = 465
	case "none":
		s.Port = 25
	default:
		s.Port = 587
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port <= 0 || s.Port > 65535 {
			return nil, fmt.Errorf("smtp URL: port %q", p)
		}
	}
	return s, nil
}

// Name is "smtp host:port".
func (s *SMTP) Name() string { return "smtp " + net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Send mails m as plain UTF-8 text. A refusal by the server (a 5xx reply)
// is permanent.
func (s *SMTP) Send(ctx context.Context, m store.Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.From); err != nil {
		return Permanent(fmt.Errorf("sender %q: %w", s.From, err))
	}
	if err := msg.To(m.Recipient); err != nil {
		return Permanent(fmt.Errorf("recipient: %w", err))
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	timeout := 30 * time.Second
	if d, ok := ctx.Deadline(); ok {
		timeout = time.Until(d)
	}
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(timeout)}
	switch s.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.TLSConfig != nil {
		tc := s.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = s.Host
		}
		opts = append(opts, gomail.WithTLSConfig(tc))
	}
	if s.HELO != "" {
		opts = append(opts, gomail.WithHELO(s.HELO))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	c, err := gomail.NewClient(s.Host, opts...)
	if err != nil {
		return Permanent(err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
			return Permanent(err)
		}
		return err
	}
	return nil
}

// ValidEmail reports whether s is a plain email address (no name, no
// angle brackets) of reasonable length.
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, "<> \t\r\n") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}
