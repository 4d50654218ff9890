package cases

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ombud/ombud/internal/policy"
)

var phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 -]{3,22}$`)

// Normalize trims the record and fills defaults from the pack: the default
// level, received now when no time is given, the receiver.
func (r *Registration) Normalize(pack *policy.Pack, now time.Time, receiver string) {
	trim := func(s *string) { *s = strings.TrimSpace(*s) }
	for _, s := range []*string{&r.Kind, &r.Channel, &r.Subject, &r.Content, &r.DemandNote, &r.Category,
		&r.Level, &r.Receiver, &r.ReceiverDept, &r.ReceiverTel, &r.Complainant.Name, &r.Complainant.Phone,
		&r.Complainant.OtherContact, &r.Complainant.MemberLevel, &r.Complainant.Emotion,
		&r.Respondent.Department, &r.Respondent.Staff, &r.Respondent.Site} {
		trim(s)
	}
	if r.Kind == "" {
		r.Kind = "complaint"
	}
	if r.Level == "" {
		r.Level = pack.DefaultLevel
	}
	if r.ReceivedAt.IsZero() {
		r.ReceivedAt = now
	}
	// Received time is recorded to the minute (R3).
	r.ReceivedAt = r.ReceivedAt.UTC().Truncate(time.Minute)
	if r.Receiver == "" {
		r.Receiver = receiver
	}
}

// Validate checks a normalized record against the pack. Keys name the JSON
// field; values are i18n message keys.
func (r *Registration) Validate(pack *policy.Pack, now time.Time) FieldErrors {
	fe := FieldErrors{}
	if _, ok := pack.Kind(r.Kind); !ok {
		fe["kind"] = "unknown_kind"
	}
	switch _, ok := pack.Channel(r.Channel); {
	case r.Channel == "":
		fe["channel"] = "required"
	case !ok:
		fe["channel"] = "unknown_channel"
	}
	switch n := utf8.RuneCountInString(r.Subject); {
	case n == 0:
		fe["subject"] = "required"
	case n > 200:
		fe["subject"] = "too_long"
	}
	switch n := utf8.RuneCountInString(r.Content); {
	case n == 0:
		fe["content"] = "required"
	case n > 20000:
		fe["content"] = "too_long"
	}
	if r.Category != "" {
		if _, ok := pack.Category(r.Category); !ok {
			fe["category"] = "unknown_category"
		}
	}
	if _, ok := pack.Level(r.Level); !ok {
		fe["level"] = "unknown_level"
	}
	if r.ReceivedAt.After(now.Add(time.Minute)) {
		fe["received_at"] = "in_future"
	}
	c := r.Complainant
	if c.Phone != "" && !phoneRE.MatchString(c.Phone) {
		fe["complainant.phone"] = "invalid_phone"
	}
	if !c.Anonymous && !c.Refused && c.Name == "" && c.Phone == "" && c.OtherContact == "" {
		fe["complainant.name"] = "name_or_anonymous"
	}
	if c.GroupSize < 0 || c.GroupSize > 100000 {
		fe["complainant.group_size"] = "out_of_range"
	}
	for _, d := range r.Demands {
		if !slices.Contains(Demands, d) {
			fe["demands"] = "unknown_demand"
		}
	}
	for _, e := range r.Evidence {
		if !slices.Contains(EvidenceTypes, e.Type) {
			fe["evidence"] = "unknown_evidence"
		} else if e.Count < 1 {
			fe["evidence"] = "out_of_range"
		}
	}
	if r.Receiver == "" {
		fe["receiver"] = "required"
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// SummaryLen is the length of a subject Summary makes, in characters.
const SummaryLen = 30

// Summary makes a subject from a complaint's text: its first sentence
// (up to 。！？ or a line break), cut to SummaryLen characters with an
// ellipsis. "" for an empty text.
func Summary(content string) string {
	s := strings.TrimSpace(content)
	if i := strings.IndexAny(s, "。！？!?\n"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if r := []rune(s); len(r) > SummaryLen {
		s = string(r[:SummaryLen-1]) + "…"
	}
	return s
}
