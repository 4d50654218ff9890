package workflow

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
)

// The actors of what the public does: registering through the portal, and
// the complainant's own rating of a reply (their return visit).
const (
	PublicActor      = cases.PublicActor
	ComplainantActor = cases.ComplainantActor
)

// Limits of what the public may write.
const (
	MaxPublicContent = 5000 // characters of a complaint's text
	MaxPublicNote    = 1000 // characters of a rating's comment
	MaxPublicField   = 100  // characters of a short field (whom it is about)
)

// PublicChannels are the channels a member of the public may say they
// came through (when the pack has them): the website, the default, or
// WeChat's browser. Others (a regulator, the media, leadership) are for
// staff to record: they raise a case's grade.
var PublicChannels = []string{"web", "wechat"}

// PublicForm is what a member of the public submits: the kind of contact,
// optionally a category, the matter, who they are (or anonymous), their
// consent to the privacy notice, and files.
type PublicForm struct {
	Kind      string
	Channel   string
	Category  string
	Subject   string
	Content   string
	Name      string
	Phone     string
	Anonymous bool
	// Respondent is whom or what the contact is about (optional): the
	// person (a report names them, R31), their department or unit and
	// position, and the place.
	Respondent cases.Respondent
	// Consent: the privacy notice was accepted (required).
	Consent bool
	Files   []Upload
}

// registration turns the form into a registration record, normalized:
// received now through the web (unless the form names another public
// channel), at the pack's default level, received by the central office.
func (s *Service) registration(f PublicForm, now time.Time) cases.Registration {
	r := cases.Registration{Kind: f.Kind, Channel: f.Channel, Category: f.Category, Subject: f.Subject,
		Content:     strings.ReplaceAll(f.Content, "\r\n", "\n"),
		Complainant: cases.Complainant{Name: f.Name, Phone: f.Phone, Anonymous: f.Anonymous},
		Respondent:  f.Respondent,
		// 首问负责: the central office takes what comes in through the portal.
		Receiver: s.Pack.CentralOffice}
	if strings.TrimSpace(r.Channel) == "" {
		r.Channel = "web"
	}
	r.Normalize(s.Pack, now, PublicActor)
	if r.Complainant.Anonymous {
		r.Complainant.Name = ""
	}
	return r
}

// checkPublic validates a public submission: the registration record, what
// only the public is held to (channel, length, consent) and the files.
func (s *Service) checkPublic(f PublicForm, now time.Time) (cases.Registration, []checkedFile, error) {
	r := s.registration(f, now)
	fe := r.Validate(s.Pack, now)
	if fe == nil {
		fe = cases.FieldErrors{}
	}
	if _, ok := s.Pack.Channel(r.Channel); ok && !slices.Contains(PublicChannels, r.Channel) {
		fe["channel"] = "unknown_channel"
	}
	if fe["complainant.name"] == "name_or_anonymous" {
		fe["complainant.name"] = "name_phone_or_anonymous"
	}
	if utf8.RuneCountInString(r.Content) > MaxPublicContent {
		fe["content"] = "too_long"
	}
	for k, v := range map[string]string{"respondent.staff": r.Respondent.Staff,
		"respondent.department": r.Respondent.Department, "respondent.site": r.Respondent.Site} {
		if utf8.RuneCountInString(v) > MaxPublicField {
			fe[k] = "too_long"
		}
	}
	if !f.Consent {
		fe["privacy_consent"] = "consent_required"
	}
	files, ffe := checkFiles(f.Files, "attachments")
	for k, v := range ffe {
		fe[k] = v
	}
	if len(files) > 0 && !s.Store.FilesAvailable() {
		return r, nil, store.ErrNoFiles
	}
	if len(fe) > 0 {
		return r, nil, fe
	}
	r.Evidence = append(r.Evidence, evidenceOf(files)...)
	return r, files, nil
}

// CheckPublic validates a public submission without registering it: nil,
// cases.FieldErrors, or store.ErrNoFiles (files sent but none can be stored).
func (s *Service) CheckPublic(f PublicForm) error {
	_, _, err := s.checkPublic(f, s.Now())
	return err
}

// RegisterPublic registers a case from a member of the public (actor
// "public") with its files, and returns it with its access code, shown to
// the complainant once: only a hash of it is kept. Each file counts on the
// registration as evidence of its type (photo, video, recording,
// document). The central office is told of the new case.
func (s *Service) RegisterPublic(ctx context.Context, f PublicForm) (*cases.Case, string, error) {
	now := s.Now()
	r, files, err := s.checkPublic(f, now)
	if err != nil {
		return nil, "", err
	}
	atts, err := s.storeFiles(files, PublicActor)
	if err != nil {
		return nil, "", err
	}
	code, err := NewAccessCode()
	if err != nil {
		return nil, "", err
	}
	// The level is left to the pack's rules, as for a registration by
	// staff that gives none.
	r.Level = ""
	c, err := s.register(ctx, PublicActor, r, func(tx *store.Tx, c *cases.Case) error {
		if err := tx.InsertPublicAccess(ctx, c.ID, AccessHash(c.Number, code), now); err != nil {
			return err
		}
		for i := range atts {
			atts[i].CaseID, atts[i].CreatedAt = c.ID, now
			if err := tx.InsertAttachment(ctx, &atts[i]); err != nil {
				return err
			}
		}
		users, err := tx.Users(ctx)
		if err != nil {
			return err
		}
		return tx.Notify(ctx, notes(c, "public_case", s.centralOffice(users)))
	})
	if err != nil {
		return nil, "", err
	}
	return c, FormatAccessCode(code), nil
}

// notes are the notifications of kind about case c's last event to users to.
func notes(c *cases.Case, kind string, to []string) []store.Notification {
	var out []store.Notification
	for _, u := range to {
		out = append(out, store.Notification{Username: u, CaseID: c.ID, Number: c.Number, Kind: kind,
			EventSeq: c.Seq, CreatedAt: c.UpdatedAt})
	}
	return out
}

// The access code: codeLen characters from an alphabet without the
// look-alikes 0/O, 1/I/L, read aloud and typed in groups of four
// (ABCD-EFGH-JKMN). 31^12 ≈ 2^59: with the rate limit on tracking, guessing
// is hopeless, so a plain SHA-256 of the number and the code is stored.
const (
	codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
	codeLen      = 12
)

// NewAccessCode returns a new random access code, ungrouped.
func NewAccessCode() (string, error) {
	b := make([]byte, codeLen)
	n := big.NewInt(int64(len(codeAlphabet)))
	for i := range b {
		k, err := rand.Int(rand.Reader, n)
		if err != nil {
			return "", err
		}
		b[i] = codeAlphabet[k.Int64()]
	}
	return string(b), nil
}

// NormalizeAccessCode reads a code as typed: case, spaces and dashes do not matter.
func NormalizeAccessCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FormatAccessCode groups a code in fours: ABCD-EFGH-JKMN.
func FormatAccessCode(code string) string {
	code = NormalizeAccessCode(code)
	var parts []string
	for len(code) > 4 {
		parts = append(parts, code[:4])
		code = code[4:]
	}
	return strings.Join(append(parts, code), "-")
}

// AccessHash is what is stored of case number's access code.
func AccessHash(number, code string) string {
	h := sha256.Sum256([]byte(number + "\n" + NormalizeAccessCode(code)))
	return hex.EncodeToString(h[:])
}

// publicCase returns the case with number if code is its access code, and
// store.ErrNotFound for an unknown number, a case without a code and a
// wrong code alike.
func (s *Service) publicCase(ctx context.Context, number, code string) (*cases.Case, error) {
	c, stored, err := s.Store.PublicCase(ctx, strings.TrimSpace(number))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if c == nil {
		number, stored = "", strings.Repeat("0", sha256.Size*2) // compare anyway: the same work either way
	}
	got := AccessHash(strings.TrimSpace(number), code)
	if subtle.ConstantTimeCompare([]byte(got), []byte(stored)) != 1 || c == nil || stored == "" {
		return nil, store.ErrNotFound
	}
	return c, nil
}

// PublicView is what the complainant sees of their case: nothing of the
// staff (names, notes, department, handler, events) and nobody's contact
// data. StatusText is left to the caller, in the reader's language.
type PublicView struct {
	Number       string       `json:"number"`
	Kind         string       `json:"kind"`
	Status       string       `json:"status"`
	StatusText   string       `json:"status_text"`
	RegisteredAt time.Time    `json:"registered_at"`
	Subject      string       `json:"subject"`
	Reply        string       `json:"reply"`
	RepliedAt    *time.Time   `json:"replied_at"`
	DueAt        *time.Time   `json:"due_at"`
	Satisfaction string       `json:"satisfaction"`
	CanRate      bool         `json:"can_rate"`
	Attachments  []PublicFile `json:"attachments"`
	// Messages are the messages between the complainant and the
	// organization, oldest first; CanMessage says the complainant may
	// send one.
	Messages   []PublicMessage `json:"messages"`
	CanMessage bool            `json:"can_message"`
}

// PublicMessage is one message on the tracking page: from "you" (the
// complainant) or "office" (the organization; never a staff name).
type PublicMessage struct {
	From string    `json:"from"`
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// PublicFile is an attachment as the complainant sees it.
type PublicFile struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// Public statuses: the lifecycle in the complainant's terms. The steps
// inside the organization (accepted, assigned, reviewing, approved) are
// all "processing".
const (
	PublicReceived    = "received"
	PublicProcessing  = "processing"
	PublicReplied     = "replied"
	PublicClosed      = "closed"
	PublicNotAccepted = "not_accepted"
	PublicForwarded   = "forwarded"
	PublicVoided      = "voided"
)

// PublicStatuses lists the public statuses.
var PublicStatuses = []string{PublicReceived, PublicProcessing, PublicReplied, PublicClosed, PublicNotAccepted,
	PublicForwarded, PublicVoided}

// PublicStatus is status s in the complainant's terms.
func PublicStatus(s cases.Status) string {
	switch s {
	case cases.Registered:
		return PublicReceived
	case cases.Replied:
		return PublicReplied
	case cases.Closed:
		return PublicClosed
	case cases.NotAccepted:
		return PublicNotAccepted
	case cases.Forwarded:
		return PublicForwarded
	case cases.Voided:
		return PublicVoided
	}
	return PublicProcessing
}

func (s *Service) publicView(ctx context.Context, c *cases.Case) (*PublicView, error) {
	atts, err := s.Store.Attachments(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	v := &PublicView{Number: c.Number, Kind: c.Kind, Status: PublicStatus(c.Status), RegisteredAt: c.RegisteredAt,
		Subject: c.Subject, Reply: c.Reply, RepliedAt: c.RepliedAt, Satisfaction: string(c.Satisfaction),
		CanRate: c.Status == cases.Replied, Attachments: []PublicFile{}}
	// The reply deadline, while a reply is awaited.
	if k := c.Clock(policy.ClockReply); k != nil && (k.State == cases.ClockRunning || k.State == cases.ClockPaused) {
		due := k.Due
		v.DueAt = &due
	}
	for _, a := range atts {
		v.Attachments = append(v.Attachments, PublicFile{Name: a.Name, Size: a.Size})
	}
	events, err := s.Store.Events(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	v.Messages = []PublicMessage{}
	for _, e := range events {
		from := ""
		switch e.Type {
		case string(cases.Message):
			from = "office"
		case cases.EventPublicMessage:
			from = "you"
		default:
			continue
		}
		var ch cases.Change
		if err := json.Unmarshal(e.Payload, &ch); err != nil {
			return nil, fmt.Errorf("case %s event %d: %w", c.Number, e.Seq, err)
		}
		v.Messages = append(v.Messages, PublicMessage{From: from, At: e.At, Text: ch.Note})
	}
	v.CanMessage = c.Status != cases.Voided
	return v, nil
}

// MessagePublic adds the complainant's message (补充说明) to the case with
// number, if code is its access code, and tells whoever works on it. A
// voided case takes none (409).
func (s *Service) MessagePublic(ctx context.Context, number, code, text string) (*PublicView, error) {
	c, err := s.publicCase(ctx, number, code)
	if err != nil {
		return nil, err
	}
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return nil, cases.FieldErrors{"text": "required"}
	case n > cases.MaxMessage:
		return nil, cases.FieldErrors{"text": "too_long"}
	}
	for attempt := 0; ; attempt++ {
		c, err = s.messagePublic(ctx, c.Number, text)
		if !errors.Is(err, store.ErrConflict) || attempt == 4 {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return s.publicView(ctx, c)
}

func (s *Service) messagePublic(ctx context.Context, number, text string) (*cases.Case, error) {
	var c *cases.Case
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = tx.GetCase(ctx, number); err != nil {
			return err
		}
		if c.Status == cases.Voided {
			return cases.ErrInvalidTransition
		}
		ch := cases.Change{Status: c.Status, Params: cases.Params{Note: text}}
		if _, err := appendChange(ctx, tx, c, cases.EventPublicMessage, ComplainantActor, s.Now(), ch); err != nil {
			return err
		}
		users, err := tx.Users(ctx)
		if err != nil {
			return err
		}
		to := s.workers(users, c)
		for _, u := range s.centralOffice(users) {
			if !slices.Contains(to, u) {
				to = append(to, u)
			}
		}
		return tx.Notify(ctx, notes(c, "public_message", to))
	})
	return c, err
}

// TrackPublic returns the public view of the case with number, if code is
// its access code; store.ErrNotFound otherwise, whether the number or the
// code is wrong.
func (s *Service) TrackPublic(ctx context.Context, number, code string) (*PublicView, error) {
	c, err := s.publicCase(ctx, number, code)
	if err != nil {
		return nil, err
	}
	return s.publicView(ctx, c)
}

// RatePublic records the complainant's rating of the reply to their case
// (number and access code as for TrackPublic) as its return visit (回访,
// actor "complainant"): satisfied or basically satisfied closes the case,
// dissatisfied sends it back to in_progress (a request to handle it
// again). Only a replied case may be rated (cases.ErrInvalidTransition
// otherwise). The central office is told, and when the case goes back,
// whoever works on it.
func (s *Service) RatePublic(ctx context.Context, number, code string, sat cases.Satisfaction, note string) (*PublicView, error) {
	c, err := s.publicCase(ctx, number, code)
	if err != nil {
		return nil, err
	}
	note = strings.TrimSpace(strings.ReplaceAll(note, "\r\n", "\n"))
	for attempt := 0; ; attempt++ {
		c, err = s.ratePublic(ctx, c.Number, sat, note)
		if !errors.Is(err, store.ErrConflict) || attempt == 4 {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return s.publicView(ctx, c)
}

func (s *Service) ratePublic(ctx context.Context, number string, sat cases.Satisfaction, note string) (*cases.Case, error) {
	var c *cases.Case
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = tx.GetCase(ctx, number); err != nil {
			return err
		}
		now := s.Now()
		p := cases.Params{Satisfaction: sat, Note: note}
		// The state machine as for a visit by staff; the complainant needs
		// no role: the access code is their right to rate.
		next, err := cases.Next(c.Status, cases.Visit, p, policy.ReviewDeptHead)
		if err != nil {
			return err
		}
		fe := cases.FieldErrors{}
		switch sat {
		case cases.Satisfied, cases.BasicallySatisfied, cases.Dissatisfied:
		case "":
			fe["satisfaction"] = "required"
		default:
			fe["satisfaction"] = "unknown_satisfaction"
		}
		if utf8.RuneCountInString(note) > MaxPublicNote {
			fe["note"] = "too_long"
		}
		if len(fe) > 0 {
			return fe
		}
		ch := cases.Change{Status: next, Params: p, Clocks: s.For(c.Pack).Rules().Acted(c, cases.Visit, p, next, now)}
		if _, err := appendChange(ctx, tx, c, string(cases.Visit), ComplainantActor, now, ch); err != nil {
			return err
		}
		users, err := tx.Users(ctx)
		if err != nil {
			return err
		}
		to := s.centralOffice(users)
		if next != cases.Closed {
			for _, u := range s.workers(users, c) {
				if !slices.Contains(to, u) {
					to = append(to, u)
				}
			}
		}
		return tx.Notify(ctx, notes(c, "rated_"+string(sat), to))
	})
	return c, err
}
