// Package calendar turns time limits such as "2 working days" or "24 hours"
// into due times, on the official Chinese calendar: the State Council's
// statutory holidays and make-up workdays (调休) for each year, as data in
// data/YEAR.txt, in Asia/Shanghai.
package calendar

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
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

// Day is an exception to the Monday–Friday week.
type Day struct {
	Date    string // 2006-01-02
	Working bool   // a make-up workday (true) or a holiday (false)
	Name    string
}

// Calendar decides which days are working days.
type Calendar struct {
	days  map[string]Day
	years map[int]bool
	// ExtendNaturalDays: a natural-day period whose last day is a rest day
	// ends on the first working day after it (民法典 第二百零三条).
	ExtendNaturalDays bool
}

// ErrYearMissing is reported when a computation needs a year whose
// holidays are not known: its answer assumed Monday to Friday.
var ErrYearMissing = errors.New("the holiday calendar lacks this year")

//go:embed data/*.txt
var data embed.FS

// Default is the official national calendar for the years in data/.
var Default = mustLoad()

func mustLoad() Calendar {
	c, err := Load(data)
	if err != nil {
		panic(err)
	}
	return c
}

// Load reads YEAR.txt files of "date holiday|workday name" lines from fsys.
func Load(fsys fs.FS) (Calendar, error) {
	c := Calendar{days: map[string]Day{}, years: map[int]bool{}, ExtendNaturalDays: true}
	files, err := fs.Glob(fsys, "data/*.txt")
	if err != nil {
		return c, err
	}
	for _, f := range files {
		year, err := strconv.Atoi(strings.TrimSuffix(f[strings.LastIndex(f, "/")+1:], ".txt"))
		if err != nil {
			return c, fmt.Errorf("%s: the file name must be the year", f)
		}
		file, err := fsys.Open(f)
		if err != nil {
			return c, err
		}
		sc := bufio.NewScanner(file)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			fields := strings.Fields(line)
			if len(fields) < 2 || (fields[1] != "holiday" && fields[1] != "workday") {
				file.Close()
				return c, fmt.Errorf("%s:%d: want \"YYYY-MM-DD holiday|workday name\"", f, n)
			}
			d, err := time.ParseInLocation("2006-01-02", fields[0], Shanghai)
			if err != nil || d.Year() != year {
				file.Close()
				return c, fmt.Errorf("%s:%d: %q is not a date of %d", f, n, fields[0], year)
			}
			day := Day{Date: fields[0], Working: fields[1] == "workday", Name: strings.Join(fields[2:], " ")}
			wd := d.Weekday()
			if weekend := wd == time.Saturday || wd == time.Sunday; day.Working != weekend && day.Working {
				file.Close()
				return c, fmt.Errorf("%s:%d: %s is a %s, not a weekend day to work", f, n, day.Date, wd)
			}
			c.days[day.Date] = day
		}
		file.Close()
		if err := sc.Err(); err != nil {
			return c, err
		}
		c.years[year] = true
	}
	return c, nil
}

// Covers reports whether the calendar knows the holidays of year.
func (c Calendar) Covers(year int) bool { return c.years[year] }

// Years lists the years the calendar knows.
func (c Calendar) Years() []int {
	var out []int
	for y := range c.years {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// Year lists the holidays and make-up workdays of year in date order.
func (c Calendar) Year(year int) []Day {
	var out []Day
	for _, d := range c.days {
		if strings.HasPrefix(d.Date, strconv.Itoa(year)+"-") {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

// IsWorkingDay reports whether the date of t (in Shanghai) is a working
// day. For a year the calendar does not cover it assumes Monday to Friday;
// Due reports when that happened.
func (c Calendar) IsWorkingDay(t time.Time) bool {
	local := t.In(Shanghai)
	if d, ok := c.days[local.Format("2006-01-02")]; ok {
		return d.Working
	}
	wd := local.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Due is DueChecked without the error: for a year the calendar lacks, it
// assumes Monday to Friday. Use DueChecked where that must be reported.
func (c Calendar) Due(from time.Time, d Duration) time.Time {
	t, _ := c.DueChecked(from, d)
	return t
}

// DueChecked returns when a limit of d that starts at from ends.
//
// Day-based limits follow the rule that the day the period starts is not
// counted: N days end at 24:00 of the N-th (working) day after the day of
// from, whether or not that day was itself a working day. A natural-day
// period whose last day is a rest day ends on the first working day after
// it. The error is ErrYearMissing when a day of a year the calendar does
// not cover was counted (the answer then assumed Monday to Friday).
func (c Calendar) DueChecked(from time.Time, d Duration) (time.Time, error) {
	switch d.Unit {
	case Minutes:
		return from.Add(time.Duration(d.N) * time.Minute), nil
	case Hours:
		return from.Add(time.Duration(d.N) * time.Hour), nil
	}
	var missing error
	check := func(day time.Time) {
		if !c.years[day.Year()] && missing == nil {
			missing = fmt.Errorf("%w: %d", ErrYearMissing, day.Year())
		}
	}
	local := from.In(Shanghai)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, Shanghai)
	switch d.Unit {
	case Days:
		day = day.AddDate(0, 0, d.N)
		if c.ExtendNaturalDays {
			check(day)
			for !c.IsWorkingDay(day) {
				day = day.AddDate(0, 0, 1)
				check(day)
			}
		}
	case WorkingDays:
		for n := 0; n < d.N; {
			day = day.AddDate(0, 0, 1)
			check(day)
			if c.IsWorkingDay(day) {
				n++
			}
		}
	}
	// 24:00 of the last day is 00:00 of the next one.
	return day.AddDate(0, 0, 1), missing
}
