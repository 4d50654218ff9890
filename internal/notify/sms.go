package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ombud/ombud/internal/store"
)

// SMSGateway sends SMS through an HTTP gateway: the organization's own, or
// a small adapter in front of a provider (Aliyun, Tencent Cloud), which
// need registered templates — hence Kind and Params in the request.
//
// Each message is one POST of SMSRequest as JSON to URL, with
// "Authorization: Bearer TOKEN" when Token is set and "Idempotency-Key"
// naming the message (the same on every attempt). A 2xx answer means
// sent; 429 and 5xx are tried again later; any other answer is a refusal
// for good.
type SMSGateway struct {
	URL   string
	Token string
	// Client is the HTTP client (http.DefaultClient when nil); the
	// request's context bounds it.
	Client *http.Client
}

// SMSRequest is what the gateway receives.
type SMSRequest struct {
	// ID names the message: "ombud-" and its outbox id; repeated attempts
	// carry the same (a gateway may drop repeats).
	ID string `json:"id"`
	// To is the phone number as the complainant gave it (mainland mobile
	// numbers: 11 digits, no country code).
	To string `json:"to"`
	// Text is the whole message, signature included (【organization】).
	Text string `json:"text"`
	// Kind is what the message is: access_code.
	Kind string `json:"kind"`
	// Params are the values of the text, for a template: for access_code,
	// org, number and code.
	Params map[string]string `json:"params"`
}

// NewSMSGateway checks the gateway's URL (http or https).
func NewSMSGateway(rawURL, token string) (*SMSGateway, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("sms URL %q: want http(s)://host/path", rawURL)
	}
	return &SMSGateway{URL: rawURL, Token: token}, nil
}

// Name is "sms gateway" and its host.
func (g *SMSGateway) Name() string {
	u, _ := url.Parse(g.URL)
	return "sms gateway " + u.Host
}

// Send posts m to the gateway.
func (g *SMSGateway) Send(ctx context.Context, m store.Message) error {
	params := m.Params
	if params == nil {
		params = map[string]string{}
	}
	body, err := json.Marshal(SMSRequest{ID: "ombud-" + strconv.FormatInt(m.ID, 10), To: m.Recipient, Text: m.Body,
		Kind: m.Kind, Params: params})
	if err != nil {
		return Permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return Permanent(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Idempotency-Key", "ombud-"+strconv.FormatInt(m.ID, 10))
	if g.Token != "" {
		req.Header.Set("Authorization", "Bearer "+g.Token)
	}
	c := g.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return nil
	}
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	err = fmt.Errorf("sms gateway: %s: %s", resp.Status, strings.TrimSpace(string(snippet)))
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return err
	}
	return Permanent(err)
}
