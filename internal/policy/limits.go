package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/calendar"
)

// Clock names: the steps of a case a pack may put a time limit on.
const (
	ClockFirstContact = "first_contact" // first contact with the complainant (e.g. 24 小时内沟通)
	ClockAcceptance   = "acceptance"    // the decision to accept or not (e.g. 5 日内决定是否受理)
	ClockProposal     = "proposal"      // the department's proposed reply, from assignment
	ClockReply        = "reply"         // the reply to the complainant (e.g. 2 个工作日内答复)
	ClockCompletion   = "completion"    // closing the case (办结)
	ClockVisit        = "visit"         // the return visit, from the reply (回访)
)

// ClockNames lists every clock in the order of the steps they time.
var ClockNames = []string{ClockFirstContact, ClockAcceptance, ClockProposal, ClockReply, ClockCompletion, ClockVisit}

// TimeLimit is one time limit the rulebook sets: which clock, how long,
// and for which kinds and levels (all when empty). The first matching
// entry for a clock applies; a level's reply_within is the reply limit of
// that level when no entry matches.
type TimeLimit struct {
	Clock      string            `yaml:"clock" json:"clock"`
	WithinText string            `yaml:"within" json:"within"`
	Within     calendar.Duration `yaml:"-" json:"-"`
	Kinds      []string          `yaml:"kinds,omitempty" json:"kinds,omitempty"`
	Levels     []string          `yaml:"levels,omitempty" json:"levels,omitempty"`
	// Source cites the article of the rulebook the limit implements.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// Supervision is how late cases are chased (督办, R18).
type Supervision struct {
	// RemindAt are the fractions of a clock's time at which the people
	// working on the case are reminded, e.g. [0.75].
	RemindAt []float64 `yaml:"remind_at,omitempty" json:"remind_at,omitempty"`
	// EscalateTo are who is told when a limit is missed: dept_head (of the
	// case's department), central_office, manager.
	EscalateTo []string `yaml:"escalate_to,omitempty" json:"escalate_to,omitempty"`
	// TellComplainant: a missed reply or completion limit puts telling the
	// complainant on the case's to-do list until someone records a contact.
	TellComplainant bool `yaml:"tell_complainant_when_late,omitempty" json:"tell_complainant_when_late,omitempty"`
}

// Escalation targets.
var EscalationTargets = []string{"dept_head", "central_office", "manager"}

// Extensions are the rules for extending a time limit (延期, R21).
type Extensions struct {
	// Approver is the role that approves: manager (分管领导, the default),
	// dept_head or registrar.
	Approver string `yaml:"approver,omitempty" json:"approver,omitempty"`
	// MaxTotal bounds all extensions of a clock together, in days or
	// working days, e.g. "5d" (延长不得超过 5 日). Empty: no extensions.
	MaxTotalText string            `yaml:"max_total,omitempty" json:"max_total,omitempty"`
	MaxTotal     calendar.Duration `yaml:"-" json:"-"`
	// Clocks may be extended (default: reply).
	Clocks []string `yaml:"clocks,omitempty" json:"clocks,omitempty"`
}

// Extendable reports whether the named clock may be extended.
func (e Extensions) Extendable(clock string) bool {
	if e.MaxTotal.IsZero() {
		return false
	}
	if len(e.Clocks) == 0 {
		return clock == ClockReply
	}
	return slices.Contains(e.Clocks, clock)
}

// CalendarRules adapt the national calendar to the organization.
type CalendarRules struct {
	// Hours are the business hours (or shifts) for hour limits counted in
	// business hours (bh), e.g. "08:00-12:00,14:00-17:30".
	Hours string `yaml:"hours,omitempty" json:"hours,omitempty"`
	// Closures and Workdays are local days off and extra working days.
	Closures []LocalDay `yaml:"closures,omitempty" json:"closures,omitempty"`
	Workdays []LocalDay `yaml:"workdays,omitempty" json:"workdays,omitempty"`
	// ExtendNaturalDays: a natural-day limit ending on a rest day ends on
	// the next working day (民法典 第二百零三条). Default true.
	ExtendNaturalDays *bool `yaml:"extend_natural_days,omitempty" json:"extend_natural_days,omitempty"`
	// DayEnds is when a day-based limit ends: "midnight" (24:00, the
	// default) or "close" (the end of business hours).
	DayEnds string `yaml:"day_ends,omitempty" json:"day_ends,omitempty"`
}

// LocalDay is a date with a name.
type LocalDay struct {
	Date string `yaml:"date" json:"date"`
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
}

// Limit returns the time limit for clock on a case of kind at level, and
// the rule it came from ("" for a level's reply_within).
func (p *Pack) Limit(clock, kind, level string) (calendar.Duration, bool) {
	for _, l := range p.TimeLimits {
		if l.Clock == clock && (len(l.Kinds) == 0 || slices.Contains(l.Kinds, kind)) &&
			(len(l.Levels) == 0 || slices.Contains(l.Levels, level)) {
			return l.Within, true
		}
	}
	if clock == ClockReply {
		if lv, ok := p.Level(level); ok && !lv.ReplyWithin.IsZero() {
			return lv.ReplyWithin, true
		}
	}
	return calendar.Duration{}, false
}

func (v *validator) limits(p *Pack, levels map[string]bool) {
	for i, l := range p.TimeLimits {
		if !slices.Contains(ClockNames, l.Clock) {
			v.fail(fmt.Sprintf("unknown clock %q; clocks are %s", l.Clock, strings.Join(ClockNames, ", ")), "time_limits", i, "clock")
		}
		d, err := calendar.ParseDuration(l.WithinText)
		if err != nil {
			v.fail(err.Error(), "time_limits", i, "within")
		}
		p.TimeLimits[i].Within = d
		if d.Unit == calendar.BusinessHours && p.Calendar.Hours == "" {
			v.fail("a limit in business hours (bh) needs calendar.hours", "time_limits", i, "within")
		}
		for j, k := range l.Kinds {
			if _, ok := p.Kind(k); !ok {
				v.fail(fmt.Sprintf("kind %q is not one of the kinds", k), "time_limits", i, "kinds", j)
			}
		}
		for j, lv := range l.Levels {
			if !levels[lv] {
				v.fail(fmt.Sprintf("level %q is not one of the levels", lv), "time_limits", i, "levels", j)
			}
		}
	}
	for i, f := range p.Supervision.RemindAt {
		if f <= 0 || f >= 1 {
			v.fail("a reminder threshold is a fraction of the time between 0 and 1, e.g. 0.75", "supervision", "remind_at", i)
		}
	}
	for i, t := range p.Supervision.EscalateTo {
		if !slices.Contains(EscalationTargets, t) {
			v.fail(fmt.Sprintf("unknown target %q; targets are %s", t, strings.Join(EscalationTargets, ", ")), "supervision", "escalate_to", i)
		}
	}
	e := &p.Extensions
	switch e.Approver {
	case "":
		e.Approver = "manager"
	case "manager", "dept_head", "registrar":
	default:
		v.fail(`approver must be "manager", "dept_head" or "registrar"`, "extensions", "approver")
	}
	if e.MaxTotalText != "" {
		d, err := calendar.ParseDuration(e.MaxTotalText)
		switch {
		case err != nil:
			v.fail(err.Error(), "extensions", "max_total")
		case d.Unit != calendar.Days && d.Unit != calendar.WorkingDays:
			v.fail("extensions are bounded in days (d) or working days (wd)", "extensions", "max_total")
		}
		e.MaxTotal = d
	}
	for i, c := range e.Clocks {
		if !slices.Contains(ClockNames, c) {
			v.fail(fmt.Sprintf("unknown clock %q", c), "extensions", "clocks", i)
		}
	}
	cal := &p.Calendar
	if cal.Hours != "" {
		if _, err := calendar.ParseHours(cal.Hours); err != nil {
			v.fail(err.Error(), "calendar", "hours")
		}
	}
	for _, list := range []struct {
		name string
		days []LocalDay
	}{{"closures", cal.Closures}, {"workdays", cal.Workdays}} {
		for i, d := range list.days {
			if _, err := time.Parse("2006-01-02", d.Date); err != nil {
				v.fail(fmt.Sprintf("date %q is not YYYY-MM-DD", d.Date), "calendar", list.name, i, "date")
			}
		}
	}
	switch cal.DayEnds {
	case "", "midnight":
	case "close":
		if cal.Hours == "" {
			v.fail(`day_ends "close" needs calendar.hours`, "calendar", "day_ends")
		}
	default:
		v.fail(`day_ends must be "midnight" or "close"`, "calendar", "day_ends")
	}
}

// CalendarOn returns the organization's calendar: base (the national
// calendar) with the pack's business hours, local days and rules.
func (p *Pack) CalendarOn(base calendar.Calendar) calendar.Calendar {
	r := p.Calendar
	var days []calendar.Day
	for _, d := range r.Closures {
		days = append(days, calendar.Day{Date: d.Date, Working: false, Name: d.Name})
	}
	for _, d := range r.Workdays {
		days = append(days, calendar.Day{Date: d.Date, Working: true, Name: d.Name})
	}
	c := base.With(days...)
	if r.Hours != "" {
		c.Hours, _ = calendar.ParseHours(r.Hours) // validated on load
	}
	if r.ExtendNaturalDays != nil {
		c.ExtendNaturalDays = *r.ExtendNaturalDays
	}
	c.DayEndsAtClose = r.DayEnds == "close"
	return c
}
