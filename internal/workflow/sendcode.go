package workflow

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/i18n"
	"github.com/ombud/ombud/internal/notify"
	"github.com/ombud/ombud/internal/store"
)

// MaxCodeSends is how many times a case's number and access code may be
// sent to its complainant (by SMS or email, together).
const MaxCodeSends = 3

// KindAccessCode is the kind of the message carrying a case's number and
// access code.
const KindAccessCode = "access_code"

// Errors of SendAccessCode.
var (
	// ErrChannelUnavailable: the channel asked for is not offered (not
	// configured for this deployment).
	ErrChannelUnavailable = errors.New("this channel is not available")
	// ErrNoPhone: SMS was asked for, but the complaint gave no phone number.
	ErrNoPhone = errors.New("the case has no phone number")
	// ErrSendLimit: the code was sent MaxCodeSends times already.
	ErrSendLimit = errors.New("the access code was sent as often as allowed")
)

// CodeOffer is how a complainant may have their number and access code
// sent to them: by SMS to the phone of the complaint (Phone, masked), by
// email to an address they type. Kind is the case's kind.
type CodeOffer struct {
	SMS   bool
	Phone string
	Email bool
	Kind  string
}

// Any reports whether any channel is offered.
func (o CodeOffer) Any() bool { return o.SMS || o.Email }

func (s *Service) offers(channel string) bool { return slices.Contains(s.Outbound, channel) }

// CodeOfferFor is the offer for case c.
func (s *Service) CodeOfferFor(c *cases.Case) CodeOffer {
	phone := strings.TrimSpace(c.Complainant.Phone)
	return CodeOffer{SMS: s.offers(notify.SMS) && phone != "", Phone: cases.MaskPhone(phone), Email: s.offers(notify.Email),
		Kind: c.Kind}
}

// PublicCodeOffer is the offer for the case with number, if code is its
// access code (store.ErrNotFound otherwise).
func (s *Service) PublicCodeOffer(ctx context.Context, number, code string) (CodeOffer, error) {
	c, err := s.publicCase(ctx, number, code)
	if err != nil {
		return CodeOffer{}, err
	}
	return s.CodeOfferFor(c), nil
}

// SendAccessCode queues a message with the case's number and access code
// to its complainant: by SMS to the phone given in the complaint, or by
// email to address. Only a hash of the code is stored, so the caller
// proves they know it (code): the message is composed from it, in lang.
// It returns the recipient, masked. Errors: cases.FieldErrors (channel,
// email), store.ErrNotFound (wrong number or code), ErrChannelUnavailable,
// ErrNoPhone, ErrSendLimit.
func (s *Service) SendAccessCode(ctx context.Context, number, code, channel, address, lang string) (string, error) {
	address = strings.TrimSpace(address)
	fe := cases.FieldErrors{}
	switch channel {
	case notify.SMS:
	case notify.Email:
		if address == "" {
			fe["email"] = "required"
		} else if !notify.ValidEmail(address) {
			fe["email"] = "invalid_email"
		}
	case "":
		fe["channel"] = "required"
	default:
		fe["channel"] = "unknown_message_channel"
	}
	if len(fe) > 0 {
		return "", fe
	}
	c, err := s.publicCase(ctx, number, code)
	if err != nil {
		return "", err
	}
	if !s.offers(channel) {
		return "", ErrChannelUnavailable
	}
	to := address
	if channel == notify.SMS {
		if to = strings.TrimSpace(c.Complainant.Phone); to == "" {
			return "", ErrNoPhone
		}
	}
	org := s.For(c.Pack).Pack.Organization.In(i18n.Match(lang))
	formatted := FormatAccessCode(code)
	m := &store.Message{Channel: channel, Recipient: to, Kind: KindAccessCode, CaseID: c.ID,
		Subject: i18n.T(lang, "notify.access_code.subject", org),
		Body:    i18n.T(lang, "notify.access_code.body", org, c.Number, formatted),
		Params:  map[string]string{"org": org, "number": c.Number, "code": formatted}}
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CountCodeSend(ctx, c.ID, MaxCodeSends); err != nil {
			return err
		}
		return tx.Enqueue(ctx, m, s.Now())
	})
	if errors.Is(err, store.ErrLimit) {
		return "", ErrSendLimit
	}
	if err != nil {
		return "", err
	}
	if s.OnEnqueue != nil {
		s.OnEnqueue()
	}
	return notify.MaskRecipient(channel, to), nil
}
