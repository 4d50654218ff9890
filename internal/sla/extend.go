package sla

import (
	"time"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
)

// Extension works out a request to extend a clock of case c (R21): which
// clock (p.Clock, else the reply clock, else the first extendable one),
// the due time asked for and its length in the unit of the pack's bound.
// It refuses a clock the pack does not let be extended, a date that is not
// later than the current due time, and a total beyond the bound.
func (r Rules) Extension(c *cases.Case, p cases.Params, by string, at time.Time) (*cases.Extension, cases.FieldErrors) {
	ext := r.Pack.Extensions
	k := r.extendable(c, p.Clock)
	if k == nil {
		return nil, cases.FieldErrors{"clock": "not_extendable"}
	}
	bound := ext.MaxTotal
	// The last day of the current limit, and the date it would move to.
	last := k.Due.Add(-time.Nanosecond).In(calendar.Shanghai)
	var until time.Time
	days := p.Days
	if p.Days > 0 {
		until, _ = r.Cal.DueChecked(last, calendar.Duration{N: p.Days, Unit: bound.Unit})
	} else {
		d, _ := time.ParseInLocation("2006-01-02", p.Until, calendar.Shanghai)
		until = d.AddDate(0, 0, 1)
		if !until.After(k.Due) {
			return nil, cases.FieldErrors{"until": "not_later"}
		}
		days = r.count(last, d, bound.Unit)
	}
	if k.ExtendedDays+days > bound.N {
		return nil, cases.FieldErrors{"days": "beyond_bound"}
	}
	return &cases.Extension{Clock: k.Name, Until: until.UTC(), Days: days, Reason: p.Reason, By: by, At: at.UTC()}, nil
}

func (r Rules) extendable(c *cases.Case, name string) *cases.Clock {
	ext := r.Pack.Extensions
	if name != "" {
		if k := c.Clock(name); k != nil && live(k) && ext.Extendable(name) {
			return k
		}
		return nil
	}
	if k := c.Clock(policy.ClockReply); k != nil && live(k) && ext.Extendable(k.Name) {
		return k
	}
	for i := range c.Clocks {
		if k := &c.Clocks[i]; live(k) && ext.Extendable(k.Name) {
			return k
		}
	}
	return nil
}

// count is the number of days (natural or working, by unit) after the day
// of from up to and including the day of to.
func (r Rules) count(from, to time.Time, unit calendar.Unit) int {
	n := 0
	day := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, calendar.Shanghai)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, calendar.Shanghai)
	for day.Before(end) {
		day = day.AddDate(0, 0, 1)
		if unit != calendar.WorkingDays || r.Cal.IsWorkingDay(day) {
			n++
		}
	}
	return n
}
