package notify_test

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/ombud/ombud/internal/notify"
	"github.com/ombud/ombud/internal/notify/notifytest"
	"github.com/ombud/ombud/internal/store"
)

func TestParseSMTP(t *testing.T) {
	for _, tt := range []struct {
		url                          string
		host                         string
		port                         int
		user, pass, from, tls, wrong string
	}{
		{url: "smtp://ombud:p%40ss@mail.example.org:587?from=noreply@example.org&tls=starttls", host: "mail.example.org",
			port: 587, user: "ombud", pass: "p@ss", from: "noreply@example.org", tls: "starttls"},
		{url: "smtp://mail.example.org?from=Ombud%20%3Cnoreply@example.org%3E", host: "mail.example.org", port: 587,
			from: "Ombud <noreply@example.org>", tls: "starttls"},
		{url: "smtps://u:p@smtp.exmail.qq.com?from=a@example.org", host: "smtp.exmail.qq.com", port: 465, user: "u", pass: "p",
			from: "a@example.org", tls: "tls"},
		{url: "smtp://127.0.0.1?from=a@example.org&tls=none", host: "127.0.0.1", port: 25, from: "a@example.org", tls: "none"},
		{url: "smtp://mail.example.org", wrong: "from=ADDRESS is required"},
		{url: "smtp://mail.example.org?from=nobody", wrong: "from="},
		{url: "http://mail.example.org?from=a@example.org", wrong: "scheme"},
		{url: "smtp://mail.example.org?from=a@example.org&tls=maybe", wrong: "tls="},
		{url: "smtp://mail.example.org?from=a@example.org&pass=x", wrong: "unknown parameter"},
		{url: "smtp://?from=a@example.org", wrong: "no host"},
	} {
		s, err := notify.ParseSMTP(tt.url)
		if tt.wrong != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wrong) {
				t.Errorf("%s: error %v, want one saying %q", tt.url, err, tt.wrong)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.url, err)
			continue
		}
		if s.Host != tt.host || s.Port != tt.port || s.Username != tt.user || s.Password != tt.pass || s.From != tt.from || s.TLS != tt.tls {
			t.Errorf("%s: %+v", tt.url, s)
		}
	}
}

func accessCodeMessage(channel, to string) store.Message {
	return store.Message{ID: 7, Channel: channel, Recipient: to, Kind: "access_code",
		Subject: "【太仓市第一人民医院】您的受理编号和查询码",
		Body:    "【太仓市第一人民医院】您反映的问题已登记，受理编号：TS2026-0001，查询码：ABCD-EFGH-JKMN。",
		Params:  map[string]string{"org": "太仓市第一人民医院", "number": "TS2026-0001", "code": "ABCD-EFGH-JKMN"}}
}

// TestEmailOverSTARTTLSWithLogin: the mail goes through STARTTLS with a
// login, in UTF-8, subject and body intact.
func TestEmailOverSTARTTLSWithLogin(t *testing.T) {
	srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{TLS: true, Users: map[string]string{"ombud": "s3cret"}})
	s, err := notify.ParseSMTP(srv.URL("ombud", "s3cret", "noreply@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	s.TLSConfig = &tls.Config{RootCAs: srv.Roots}
	m := accessCodeMessage(notify.Email, "chen@example.org")
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := <-srv.Received
	if got.From != "noreply@example.org" || len(got.To) != 1 || got.To[0] != "chen@example.org" ||
		got.Subject != m.Subject || got.Body != m.Body {
		t.Fatalf("received %+v", got)
	}
	if srv.Logins() != 1 {
		t.Fatalf("%d logins", srv.Logins())
	}
	// A wrong password is an error, and no mail arrives.
	s.Password = "wrong"
	if err := s.Send(context.Background(), m); err == nil {
		t.Fatal("sent with a wrong password")
	}
	// Without trusting the server's certificate, nothing is sent.
	s.Password, s.TLSConfig = "s3cret", nil
	if err := s.Send(context.Background(), m); err == nil {
		t.Fatal("sent to a server whose certificate is not trusted")
	}
	if len(srv.Received) != 0 {
		t.Fatalf("%d more mails arrived", len(srv.Received))
	}
}

// TestEmailRefusals: a recipient the server refuses (5xx) is a permanent
// error; a temporary refusal (4xx) and an unreachable server are not.
func TestEmailRefusals(t *testing.T) {
	srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{Rcpt: func(to string) error {
		switch {
		case strings.HasPrefix(to, "nobody@"):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		case strings.HasPrefix(to, "busy@"):
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
		}
		return nil
	}})
	s, err := notify.ParseSMTP(srv.URL("", "", "noreply@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), accessCodeMessage(notify.Email, "chen@example.org")); err != nil {
		t.Fatalf("plain relay: %v", err)
	}
	if got := <-srv.Received; got.To[0] != "chen@example.org" {
		t.Fatalf("received %+v", got)
	}
	err = s.Send(context.Background(), accessCodeMessage(notify.Email, "nobody@example.org"))
	if err == nil || !notify.IsPermanent(err) {
		t.Errorf("refused recipient: %v, want a permanent error", err)
	}
	err = s.Send(context.Background(), accessCodeMessage(notify.Email, "busy@example.org"))
	if err == nil || notify.IsPermanent(err) {
		t.Errorf("temporary refusal: %v, want a passing error", err)
	}
	s.Port = 1 // nothing listens there
	err = s.Send(context.Background(), accessCodeMessage(notify.Email, "chen@example.org"))
	if err == nil || notify.IsPermanent(err) {
		t.Errorf("no server: %v, want a passing error", err)
	}
}

// TestSMSGateway: the gateway gets the documented JSON with the token and
// the message's idempotency key; 429 and 5xx are passing errors, other
// 4xx permanent.
func TestSMSGateway(t *testing.T) {
	gw := notifytest.StartSMSGateway(t, 200, 503, 429, 400)
	g, err := notify.NewSMSGateway(gw.URL, "tok-1")
	if err != nil {
		t.Fatal(err)
	}
	m := accessCodeMessage(notify.SMS, "13812345678")
	if err := g.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := <-gw.Received
	if got.To != "13812345678" || got.Text != m.Body || got.Kind != "access_code" || got.ID != "ombud-7" ||
		got.Params["code"] != "ABCD-EFGH-JKMN" || got.Params["number"] != "TS2026-0001" || got.Params["org"] == "" ||
		got.Authorization != "Bearer tok-1" || got.IdempotencyKey != "ombud-7" || !strings.HasPrefix(got.ContentType, "application/json") {
		t.Fatalf("gateway received %+v", got)
	}
	for _, want := range []struct {
		status    int
		permanent bool
	}{{503, false}, {429, false}, {400, true}} {
		err := g.Send(context.Background(), m)
		if err == nil || notify.IsPermanent(err) != want.permanent || !strings.Contains(err.Error(), "sms gateway") {
			t.Errorf("answer %d: %v (permanent %v)", want.status, err, notify.IsPermanent(err))
		}
		<-gw.Received
	}
	for _, bad := range []string{"", "ftp://x/y", "https://", "gateway.example.org/sms"} {
		if _, err := notify.NewSMSGateway(bad, ""); err == nil {
			t.Errorf("NewSMSGateway(%q) accepted", bad)
		}
	}
	if !errors.Is(notify.Permanent(context.Canceled), context.Canceled) {
		t.Error("Permanent hides the error it wraps")
	}
}
