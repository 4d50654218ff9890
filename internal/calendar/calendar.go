// Package calendar turns time limits such as "2 working days", "24 hours"
// or "4 business hours" into due times, on the official Chinese calendar:
// the State Council's statutory holidays and make-up workdays (调休) for
// each year, as data in data/YEAR.txt, in Asia/Shanghai. A Calendar may
// add business hours, an organization's own closures (With) and year files
// entered by an administrator (AddYears, LoadDir); its clocks count time
// in the basis of a limit's unit, to pause them and to place reminders
// (Elapsed, Advance, Fraction). docs/time-limits.md explains the rules.
package calendar

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
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
	Minutes       Unit = "m"  // natural-clock minutes
	Hours         Unit = "h"  // natural-clock hours
	Days          Unit = "d"  // natural days
	WorkingDays   Unit = "wd" // working days
	BusinessHours Unit = "bh" // hours inside the calendar's business hours
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

// ParseDuration reads "30m", "24h", "5d", "2wd" or "4bh".
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	// Two-letter units first: "2wd" also ends in "d", "4bh" in "h".
	for _, u := range []Unit{WorkingDays, BusinessHours, Minutes, Hours, Days} {
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
	return Duration{}, fmt.Errorf("invalid duration %q: want a positive number followed by m, h, d, wd or bh (e.g. 2wd, 24h, 4bh)", s)
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

// Check reports whether d.Date is a date written 2006-01-02, the form the
// calendar looks days up by.
func (d Day) Check() error {
	if _, err := time.ParseInLocation("2006-01-02", d.Date, Shanghai); err != nil {
		return fmt.Errorf("%q is not a date YYYY-MM-DD", d.Date)
	}
	return nil
}

// Calendar decides which days are working days, and counts time limits on
// them.
type Calendar struct {
	days  map[string]Day // the official calendar, by date
	years map[int]bool   // the years days covers
	local map[string]Day // one organization's own closures and working days (With)
	// ExtendNaturalDays: a natural-day period whose last day is a rest day
	// ends on the first working day after it (民法典 第二百零三条).
	ExtendNaturalDays bool
	// Hours are the business hours that bh limits count (zero: none, and a
	// bh limit is an error, ErrNoHours).
	Hours OpeningHours
	// DayEndsAtClose: with Hours configured, a d or wd limit ends when
	// business closes on its last day (the end of the last period) instead
	// of at 24:00.
	DayEndsAtClose bool
}

// ErrYearMissing is reported when a computation needs a year whose
// holidays are not known: its answer assumed Monday to Friday.
var ErrYearMissing = errors.New("the holiday calendar lacks this year")

// ErrNoHours is reported for a business-hours (bh) limit on a calendar
// without business hours: there is no answer to guess.
var ErrNoHours = errors.New("a business-hours (bh) limit needs business hours, and none are configured")

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

// Load reads YEAR.txt files of "date holiday|workday name" lines from the
// data directory of fsys.
func Load(fsys fs.FS) (Calendar, error) {
	c := Calendar{days: map[string]Day{}, years: map[int]bool{}, ExtendNaturalDays: true}
	err := c.addYears(fsys, "data/*.txt", "")
	return c, err
}

// AddYears returns a copy of c with the YEAR.txt files at the top of fsys
// added, in the format of data/ (see docs/time-limits.md). A file for a
// year c already covers replaces that year's holidays and make-up
// workdays. Other files are ignored. c itself is not changed; on error
// AddYears returns c and the first error, as FILE:LINE: problem.
func (c Calendar) AddYears(fsys fs.FS) (Calendar, error) {
	out := c.cloneOfficial()
	if err := out.addYears(fsys, "*.txt", ""); err != nil {
		return c, err
	}
	return out, nil
}

// LoadDir is Default with the YEAR.txt files of the directory dir added
// (AddYears): the way an administrator enters a year, or corrects one,
// without a new release. A directory that does not exist adds nothing. On
// error LoadDir returns Default and the error, which names the file and
// line.
func LoadDir(dir string) (Calendar, error) {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Default, nil
	case err != nil:
		return Default, err
	case !info.IsDir():
		return Default, fmt.Errorf("calendar directory %s is not a directory", dir)
	}
	out := Default.cloneOfficial()
	if err := out.addYears(os.DirFS(dir), "*.txt", dir); err != nil {
		return Default, err
	}
	local, err := readLocal(os.DirFS(dir), LocalFile, filepath.Join(dir, LocalFile))
	if err != nil {
		return Default, err
	}
	return out.With(local...), nil
}

// LocalFile, in the calendar directory, lists the organization's own days
// off and extra working days of any year, in the format of a year file:
// "2026-12-31 holiday 院庆" or "2026-12-26 workday 年终结算".
const LocalFile = "local.txt"

// readLocal reads the local days of the file f of fsys (none if it does
// not exist), called name in errors.
func readLocal(fsys fs.FS, f, name string) ([]Day, error) {
	file, err := fsys.Open(f)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer file.Close()
	var out []Day
	sc := bufio.NewScanner(file)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) < 2 || (fields[1] != "holiday" && fields[1] != "workday") {
			return nil, fmt.Errorf("%s:%d: want \"YYYY-MM-DD holiday|workday name\"", name, n)
		}
		if _, err := time.ParseInLocation("2006-01-02", fields[0], Shanghai); err != nil {
			return nil, fmt.Errorf("%s:%d: %q is not a date (YYYY-MM-DD)", name, n, fields[0])
		}
		out = append(out, Day{Date: fields[0], Working: fields[1] == "workday", Name: strings.Join(fields[2:], " ")})
	}
	return out, sc.Err()
}

// cloneOfficial returns c with its own copy of the official days and
// years, to add years to.
func (c Calendar) cloneOfficial() Calendar {
	days := make(map[string]Day, len(c.days))
	maps.Copy(days, c.days)
	years := make(map[int]bool, len(c.years))
	maps.Copy(years, c.years)
	c.days, c.years = days, years
	return c
}

// addYears reads the files of fsys that match pattern into c's maps, which
// must be c's own; dir prefixes file names in errors.
func (c Calendar) addYears(fsys fs.FS, pattern, dir string) error {
	files, err := fs.Glob(fsys, pattern)
	if err != nil {
		return err
	}
	for _, f := range files {
		if path.Base(f) == LocalFile {
			continue
		}
		name := f
		if dir != "" {
			name = filepath.Join(dir, filepath.FromSlash(f))
		}
		base := strings.TrimSuffix(path.Base(f), ".txt")
		year, err := strconv.Atoi(base)
		if err != nil || len(base) != 4 || !digits(base) {
			return fmt.Errorf("%s: the file name must be the year, as in 2027.txt", name)
		}
		days, err := readYear(fsys, f, name, year)
		if err != nil {
			return err
		}
		prefix := base + "-"
		for date := range c.days {
			if strings.HasPrefix(date, prefix) {
				delete(c.days, date)
			}
		}
		for _, d := range days {
			c.days[d.Date] = d
		}
		c.years[year] = true
	}
	return nil
}

// readYear reads the holidays and make-up workdays of year from the file f
// of fsys, called name in errors.
func readYear(fsys fs.FS, f, name string, year int) ([]Day, error) {
	file, err := fsys.Open(f)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	var out []Day
	line := map[string]int{}
	sc := bufio.NewScanner(file)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) < 2 || (fields[1] != "holiday" && fields[1] != "workday") {
			return nil, fmt.Errorf("%s:%d: want \"YYYY-MM-DD holiday|workday name\"", name, n)
		}
		d, err := time.ParseInLocation("2006-01-02", fields[0], Shanghai)
		if err != nil || d.Year() != year {
			return nil, fmt.Errorf("%s:%d: %q is not a date of %d", name, n, fields[0], year)
		}
		if first, ok := line[fields[0]]; ok {
			return nil, fmt.Errorf("%s:%d: %s is already listed on line %d", name, n, fields[0], first)
		}
		line[fields[0]] = n
		day := Day{Date: fields[0], Working: fields[1] == "workday", Name: strings.Join(fields[2:], " ")}
		if wd := d.Weekday(); day.Working && wd != time.Saturday && wd != time.Sunday {
			return nil, fmt.Errorf("%s:%d: %s is a %s, not a weekend day to work", name, n, day.Date, wd)
		}
		out = append(out, day)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no holidays listed; a year file lists every holiday and make-up workday of the year", name)
	}
	return out, nil
}

// With returns a copy of c with one organization's own days on top of the
// official calendar: extra closures (Working false) and extra working days
// (Working true), e.g. a pack's local closures. c is not changed. A day
// whose Date is not written 2006-01-02 never matches (see Day.Check).
func (c Calendar) With(days ...Day) Calendar {
	local := make(map[string]Day, len(c.local)+len(days))
	maps.Copy(local, c.local)
	for _, d := range days {
		local[d.Date] = d
	}
	c.local = local
	return c
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

// Year lists the holidays and make-up workdays of year in date order,
// with the organization's own days (With) in place of the official ones.
func (c Calendar) Year(year int) []Day {
	prefix := strconv.Itoa(year) + "-"
	var out []Day
	for date, d := range c.days {
		if _, ok := c.local[date]; !ok && strings.HasPrefix(date, prefix) {
			out = append(out, d)
		}
	}
	for date, d := range c.local {
		if strings.HasPrefix(date, prefix) {
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
	date := local.Format("2006-01-02")
	if d, ok := c.local[date]; ok {
		return d.Working
	}
	if d, ok := c.days[date]; ok {
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

// DueChecked returns when a limit of d that starts at from ends, for a
// case that is not urgent: Deadline(from, d, false).
func (c Calendar) DueChecked(from time.Time, d Duration) (time.Time, error) {
	return c.Deadline(from, d, false)
}

// Deadline returns when a limit of d that starts at from ends.
//
// Minutes and hours run on the clock. Day-based limits follow the rule
// that the day the period starts is not counted: N days end at 24:00 of
// the N-th (working) day after the day of from, whether or not that day
// was itself a working day, or when business closes that day (the end of
// the last period of Hours, even on a rest day) if DayEndsAtClose is set
// and Hours are configured. With ExtendNaturalDays, a natural-day period
// whose last day is a rest day ends on the first working day after it.
//
// Business hours (bh) count only time inside the opening periods, on the
// days they apply; a clock started while business is closed starts at the
// next opening, and a limit that runs out exactly at closing time ends
// then. An urgent case is handled at once, outside hours too: its bh limit
// runs on the clock like h. A bh limit on a calendar without Hours is
// ErrNoHours (with the zero Time), urgent or not.
//
// The error is ErrYearMissing when a day of a year the calendar does not
// cover was counted (the answer then assumed Monday to Friday).
func (c Calendar) Deadline(from time.Time, d Duration, urgent bool) (time.Time, error) {
	switch d.Unit {
	case Minutes:
		return from.Add(time.Duration(d.N) * time.Minute), nil
	case Hours:
		return from.Add(time.Duration(d.N) * time.Hour), nil
	case BusinessHours:
		if c.Hours.IsZero() {
			return time.Time{}, ErrNoHours
		}
		if err := c.Hours.Check(); err != nil {
			return time.Time{}, fmt.Errorf("calendar business hours: %w", err)
		}
		if urgent {
			return from.Add(time.Duration(d.N) * time.Hour), nil
		}
		var y yearCheck
		return c.advance(from, time.Duration(d.N)*time.Hour, BusinessHours, y.seen(c)), y.err
	case Days, WorkingDays:
	default:
		return time.Time{}, fmt.Errorf("unknown time-limit unit %q", d.Unit)
	}
	var y yearCheck
	check := y.seen(c)
	day := midnight(from)
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
	if c.DayEndsAtClose && !c.Hours.IsZero() {
		if err := c.Hours.Check(); err != nil {
			return time.Time{}, fmt.Errorf("calendar business hours: %w", err)
		}
		return at(day, c.Hours.closing()), y.err
	}
	// 24:00 of the last day is 00:00 of the next one.
	return day.AddDate(0, 0, 1), y.err
}

// yearCheck records the first day counted in a year the calendar lacks.
type yearCheck struct{ err error }

func (y *yearCheck) seen(c Calendar) func(day time.Time) {
	return func(day time.Time) {
		if y.err == nil && !c.years[day.Year()] {
			y.err = fmt.Errorf("%w: %d", ErrYearMissing, day.Year())
		}
	}
}

// midnight is 00:00 in Shanghai of the day of t.
func midnight(t time.Time) time.Time {
	l := t.In(Shanghai)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, Shanghai)
}

// at is the time of day offset (whole minutes, up to 24:00) of the day
// that starts at midnight day.
func at(day time.Time, offset time.Duration) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, int(offset/time.Minute), 0, 0, Shanghai)
}
