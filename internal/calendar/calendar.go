// Package calendar turns time limits such as "2 working days" or "24 hours"
// into due times.
//
// This first version knows plain Monday–Friday working days in Asia/Shanghai.
// The official holiday and make-up-workday (调休) tables arrive with the SLA
// work; callers already go through Calendar so that they need not change.
package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Shanghai is the time zone every day-based limit is counted in.
var Shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// The binary embeds time/tzdata (see cmd/ombud), so this only happens
		// in a broken build; fall back to the fixed offset China has used
		// since 1991.
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// Unit is the unit a Duration is counted in.
type Unit string

const (
	Minutes     Unit = "m"  // natural-clock minutes
	Hours       Unit = "h"  // natural-clock hours
	Days        Unit = "d"  // natural days
	WorkingDays Unit = "wd" // working days
)

// Duration is a time limit such as 2wd (two working days) or 24h.
type Duration struct {
	N    int
	Unit Unit
}

func (d Duration) String() string {
	if d.N == 0 {
		return ""
	}
	return strconv.Itoa(d.N) + string(d.Unit)
}

// IsZero reports whether no limit is set.
func (d Duration) IsZero() bool { return d.N == 0 }

// ParseDuration reads "30m", "24h", "5d" or "2wd".
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	for _, u := range []Unit{WorkingDays, Minutes, Hours, Days} {
		num, ok := strings.CutSuffix(s, string(u))
		if !ok {
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n <= 0 {
			break
		}
		return Duration{N: n, Unit: u}, nil
	}
	return Duration{}, fmt.Errorf("invalid duration %q: want a positive number followed by m, h, d or wd (e.g. 2wd, 24h)", s)
}

// MarshalText writes the duration in the form ParseDuration reads.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads the duration with ParseDuration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Calendar decides which days are working days.
type Calendar struct{}

// Default is the calendar used until a pack configures another.
var Default = Calendar{}

// IsWorkingDay reports whether the date of t (in Shanghai) is a working day.
func (Calendar) IsWorkingDay(t time.Time) bool {
	wd := t.In(Shanghai).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Due returns when a limit of d that starts at from ends.
//
// Day-based limits follow the rule that the day the period starts is not
// counted: N days end at 24:00 of the N-th (working) day after the day of
// from, whether or not that day was itself a working day.
func (c Calendar) Due(from time.Time, d Duration) time.Time {
	switch d.Unit {
	case Minutes:
		return from.Add(time.Duration(d.N) * time.Minute)
	case Hours:
		return from.Add(time.Duration(d.N) * time.Hour)
	}
	local := from.In(Shanghai)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, Shanghai)
	switch d.Unit {
	case Days:
		day = day.AddDate(0, 0, d.N)
	case WorkingDays:
		for n := 0; n < d.N; {
			day = day.AddDate(0, 0, 1)
			if c.IsWorkingDay(day) {
				n++
			}
		}
	}
	// 24:00 of the last day is 00:00 of the next one.
	return day.AddDate(0, 0, 1)
}
