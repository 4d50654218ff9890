package calendar

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period is one opening period of a day, as offsets from midnight:
// 08:00-12:00 is {8h, 12h}. End may be 24h (midnight at the end of the
// day); a period never runs past midnight (write 22:00-24:00 and
// 00:00-06:00 on a calendar open every day instead).
type Period struct {
	Start, End time.Duration
}

// String writes the period as "08:00-12:00".
func (p Period) String() string { return clock(p.Start) + "-" + clock(p.End) }

func clock(d time.Duration) string {
	m := int(d / time.Minute)
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// OpeningHours are the business hours of an organization: the opening
// periods of a day, in order, and whether they apply on working days only
// (the default) or on every day, rest days included (a hotline working in
// shifts around the clock). The zero value means no business hours are
// configured.
//
// The text form, read by ParseHours and written by String, is
//
//	08:00-12:00,14:00-17:30                          working days only
//	every day 00:00-08:00,08:00-16:00,16:00-24:00   every day
//
// and "" for none.
type OpeningHours struct {
	Periods  []Period
	EveryDay bool
}

// The words that start the text form of OpeningHours.
const (
	everyDayPrefix    = "every day"
	workingDaysPrefix = "working days"
)

// IsZero reports whether no business hours are configured.
func (h OpeningHours) IsZero() bool { return len(h.Periods) == 0 }

// String writes h in the form ParseHours reads.
func (h OpeningHours) String() string {
	if h.IsZero() {
		return ""
	}
	parts := make([]string, len(h.Periods))
	for i, p := range h.Periods {
		parts[i] = p.String()
	}
	s := strings.Join(parts, ",")
	if h.EveryDay {
		s = everyDayPrefix + " " + s
	}
	return s
}

// MarshalText writes h in the form ParseHours reads.
func (h OpeningHours) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText reads h with ParseHours.
func (h *OpeningHours) UnmarshalText(b []byte) error {
	v, err := ParseHours(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// ParseHours reads business hours such as "08:00-12:00,14:00-17:30"
// (on working days) or "every day 00:00-08:00,08:00-16:00,16:00-24:00"
// (rest days included); "working days 08:00-17:00" is also accepted. Times
// are HH:MM from 00:00 to 24:00; periods must be listed in order and must
// not overlap (one may start when the previous one ends). An empty string
// is the zero OpeningHours: no business hours.
func ParseHours(s string) (OpeningHours, error) {
	text := strings.TrimSpace(s)
	if text == "" {
		return OpeningHours{}, nil
	}
	var h OpeningHours
	lower := strings.ToLower(text)
	switch {
	case strings.HasPrefix(lower, everyDayPrefix):
		h.EveryDay = true
		text = text[len(everyDayPrefix):]
	case strings.HasPrefix(lower, workingDaysPrefix):
		text = text[len(workingDaysPrefix):]
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return OpeningHours{}, fmt.Errorf("business hours %q: no opening periods, want e.g. 08:00-12:00,14:00-17:30", s)
	}
	for _, part := range strings.Split(text, ",") {
		p, err := parsePeriod(strings.TrimSpace(part))
		if err != nil {
			return OpeningHours{}, fmt.Errorf("business hours %q: %w", s, err)
		}
		h.Periods = append(h.Periods, p)
	}
	if err := h.Check(); err != nil {
		return OpeningHours{}, fmt.Errorf("business hours %q: %w", s, err)
	}
	return h, nil
}

func parsePeriod(s string) (Period, error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return Period{}, fmt.Errorf("period %q: want HH:MM-HH:MM", s)
	}
	start, err := parseClock(strings.TrimSpace(from))
	if err != nil {
		return Period{}, fmt.Errorf("period %q: %w", s, err)
	}
	end, err := parseClock(strings.TrimSpace(to))
	if err != nil {
		return Period{}, fmt.Errorf("period %q: %w", s, err)
	}
	return Period{Start: start, End: end}, nil
}

// parseClock reads a time of day "HH:MM" (or "H:MM") from 00:00 to 24:00.
func parseClock(s string) (time.Duration, error) {
	hh, mm, ok := strings.Cut(s, ":")
	if !ok || !digits(hh) || len(hh) > 2 || !digits(mm) || len(mm) != 2 {
		return 0, fmt.Errorf("%q is not a time of day HH:MM", s)
	}
	h, _ := strconv.Atoi(hh)
	m, _ := strconv.Atoi(mm)
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time of day from 00:00 to 24:00", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Check reports whether h is well formed: every period inside the day and
// not empty, whole minutes, in order and without overlaps. ParseHours
// only returns well-formed hours; Deadline checks hours built otherwise.
func (h OpeningHours) Check() error {
	if h.IsZero() && h.EveryDay {
		return errors.New("no opening periods")
	}
	for i, p := range h.Periods {
		switch {
		case p.Start < 0 || p.End > 24*time.Hour || p.Start%time.Minute != 0 || p.End%time.Minute != 0:
			return fmt.Errorf("period %s: times must be whole minutes from 00:00 to 24:00", p)
		case p.End <= p.Start:
			return fmt.Errorf("period %s does not end after it starts (a period cannot run past midnight: split it at 24:00 and use \"every day\")", p)
		case i > 0 && p.Start < h.Periods[i-1].End:
			return fmt.Errorf("period %s starts before %s ends: list periods in order, without overlaps", p, h.Periods[i-1])
		}
	}
	return nil
}

// closing is the time of day business closes: the end of the last period.
func (h OpeningHours) closing() time.Duration { return h.Periods[len(h.Periods)-1].End }
