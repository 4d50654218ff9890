package calendar

import (
	"math"
	"time"
)

// A clock counts time in the basis of a unit: natural time for m, h and
// d; the time that falls on working days for wd (a whole working day is
// 24 hours of clock time, a rest day none); the time inside the business
// hours for bh. Elapsed and Advance are the two directions of that count,
// used to keep the remaining time of a paused clock and to place
// reminders at a fraction of the time (Fraction).
//
// Both assume Monday to Friday for a year the calendar does not cover,
// without saying so; Deadline reports it.

// maxDays bounds the days Advance walks (about 2,800 years): an amount
// that does not run out in them has no answer (the zero Time).
const maxDays = 1 << 20

// span is a stretch [start, end) during which a clock runs.
type span struct{ start, end time.Time }

// natural reports whether u is counted in natural time.
func natural(u Unit) bool { return u == Minutes || u == Hours || u == Days }

// counts reports whether c can count u as a clock that stops: working
// days always, business hours when they are configured.
func (c Calendar) counts(u Unit) bool {
	return u == WorkingDays || (u == BusinessHours && !c.Hours.IsZero())
}

// runs appends to buf the stretches, in order, during which a clock in
// basis u (wd or bh) runs on the day that starts at midnight day.
func (c Calendar) runs(day time.Time, u Unit, buf []span) []span {
	switch u {
	case WorkingDays:
		if c.IsWorkingDay(day) {
			buf = append(buf, span{day, day.AddDate(0, 0, 1)})
		}
	case BusinessHours:
		if c.Hours.EveryDay || c.IsWorkingDay(day) {
			for _, p := range c.Hours.Periods {
				buf = append(buf, span{at(day, p.Start), at(day, p.End)})
			}
		}
	}
	return buf
}

// consults reports whether counting u looks at which days are working
// days (so that a missing year matters).
func (c Calendar) consults(u Unit) bool {
	return u == WorkingDays || (u == BusinessHours && !c.Hours.EveryDay)
}

// Elapsed is the clock time in the basis of u between from and to:
// to.Sub(from) for m, h and d; the part of it that falls on working days
// for wd; the part inside business hours for bh. It is negative when to is
// before from. A bh clock on a calendar without Hours never runs (0), nor
// does a clock of an unknown unit.
func (c Calendar) Elapsed(from, to time.Time, u Unit) time.Duration {
	if to.Before(from) {
		return -c.Elapsed(to, from, u)
	}
	if natural(u) {
		return to.Sub(from)
	}
	if !c.counts(u) {
		return 0
	}
	var total time.Duration
	var buf []span
	for day := midnight(from); day.Before(to); day = day.AddDate(0, 0, 1) {
		buf = c.runs(day, u, buf[:0])
		for _, s := range buf {
			lo, hi := s.start, s.end
			if lo.Before(from) {
				lo = from
			}
			if hi.After(to) {
				hi = to
			}
			if hi.After(lo) {
				total += hi.Sub(lo)
			}
		}
	}
	return total
}

// Advance is the instant at which amount of clock time in the basis of u
// has passed after from (Elapsed(from, Advance(from, amount, u), u) is
// amount): from.Add(amount) for m, h and d; for wd and bh the closed time
// (rest days, or outside business hours) is skipped.
//
// An amount that runs out exactly when the clock stops ends then: 24:00
// of a working day, or closing time, not the next opening. An amount of 0
// is the next instant the clock runs (from itself if it is running). A
// negative amount counts back from from. A bh clock on a calendar without
// Hours never runs: the answer is the zero Time, as for an unknown unit.
func (c Calendar) Advance(from time.Time, amount time.Duration, u Unit) time.Time {
	return c.advance(from, amount, u, nil)
}

// advance is Advance, calling seen (when not nil) with each day whose
// working status was looked at.
func (c Calendar) advance(from time.Time, amount time.Duration, u Unit, seen func(day time.Time)) time.Time {
	if natural(u) {
		return from.Add(amount)
	}
	if !c.counts(u) {
		return time.Time{}
	}
	if amount < 0 {
		return c.rewind(from, -amount, u)
	}
	var buf []span
	day := midnight(from)
	for range maxDays {
		if seen != nil && c.consults(u) {
			seen(day)
		}
		buf = c.runs(day, u, buf[:0])
		for _, s := range buf {
			lo := s.start
			if lo.Before(from) {
				lo = from
			}
			if !s.end.After(lo) {
				continue // over before from
			}
			avail := s.end.Sub(lo)
			if amount <= avail {
				return lo.Add(amount).In(Shanghai)
			}
			amount -= avail
		}
		day = day.AddDate(0, 0, 1)
	}
	return time.Time{}
}

// rewind is the latest instant t before from with Elapsed(t, from, u) =
// amount (> 0).
func (c Calendar) rewind(from time.Time, amount time.Duration, u Unit) time.Time {
	var buf []span
	day := midnight(from)
	for range maxDays {
		buf = c.runs(day, u, buf[:0])
		for i := len(buf) - 1; i >= 0; i-- {
			s := buf[i]
			hi := s.end
			if hi.After(from) {
				hi = from
			}
			if !hi.After(s.start) {
				continue // starts after from
			}
			avail := hi.Sub(s.start)
			if amount <= avail {
				return hi.Add(-amount).In(Shanghai)
			}
			amount -= avail
		}
		day = day.AddDate(0, 0, -1)
	}
	return time.Time{}
}

// Fraction is the instant at which the fraction f of the clock time from
// start to due has passed, in the basis of u: Advance(start,
// f×Elapsed(start, due, u), u), rounded to the nanosecond. Reminders at 75%
// of a limit are Fraction(start, due, 0.75, unit); Fraction(start, due, 1,
// u) is due whenever the clock runs up to due (as it does for every
// deadline Deadline returns).
func (c Calendar) Fraction(start, due time.Time, f float64, u Unit) time.Time {
	total := c.Elapsed(start, due, u)
	return c.Advance(start, time.Duration(math.Round(f*float64(total))), u)
}
