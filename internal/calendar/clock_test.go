package calendar

import (
	"testing"
	"time"
)

const hour = time.Hour

func TestElapsed(t *testing.T) {
	off := office(t)
	tests := []struct {
		name     string
		cal      Calendar
		from, to string
		u        Unit
		want     time.Duration
	}{
		{"natural time for h", Default, "2026-09-30 12:00", "2026-10-08 12:00", Hours, 8 * 24 * hour},
		{"natural time for d", Default, "2026-09-30 12:00", "2026-10-08 12:00", Days, 8 * 24 * hour},
		{"wd: Spring Festival with make-up Sat 2/14", Default, "2026-02-13 12:00", "2026-02-25 12:00", WorkingDays, 72 * hour},
		{"wd: make-up Sat 10/10 counts, Sunday not", Default, "2026-10-09 12:00", "2026-10-12 12:00", WorkingDays, 48 * hour},
		{"wd: 2025 make-up Sun 1/26 and Spring Festival", Default, "2025-01-25 12:00", "2025-02-05 06:00", WorkingDays, 24*hour + 24*hour + 6*hour},
		{"wd: a weekend is no time", Default, "2026-11-28 10:00", "2026-11-29 10:00", WorkingDays, 0},
		{"wd: backwards is negative", Default, "2026-02-25 12:00", "2026-02-13 12:00", WorkingDays, -72 * hour},
		{"bh: Friday afternoon to Monday", off, "2026-11-27 16:00", "2026-11-30 09:00", BusinessHours, 2*hour + 30*time.Minute},
		{"bh: across National Day", off, "2026-09-30 08:00", "2026-10-08 12:00", BusinessHours, 7*hour + 30*time.Minute + 4*hour},
		{"bh: lunch is no time", off, "2026-11-23 12:00", "2026-11-23 14:00", BusinessHours, 0},
		{"bh: make-up Sat 2/28 is a working day", off, "2026-02-27 17:00", "2026-02-28 09:00", BusinessHours, 30*time.Minute + hour},
		{"bh without hours never runs", Default, "2026-11-23 08:00", "2026-11-24 08:00", BusinessHours, 0},
	}
	for _, tc := range tests {
		if got := tc.cal.Elapsed(tt(t, tc.from), tt(t, tc.to), tc.u); got != tc.want {
			t.Errorf("%s: Elapsed(%s, %s, %s) = %s, want %s", tc.name, tc.from, tc.to, tc.u, got, tc.want)
		}
	}
}

func TestAdvance(t *testing.T) {
	off := office(t)
	tests := []struct {
		name   string
		cal    Calendar
		from   string
		amount time.Duration
		u      Unit
		want   string
	}{
		{"natural", Default, "2026-09-30 12:00", 36 * hour, Days, "2026-10-02 00:00"},
		{"wd skips National Day", Default, "2026-09-30 12:00", 36 * hour, WorkingDays, "2026-10-09 00:00"},
		{"wd onto make-up Sat 10/10", Default, "2026-10-09 12:00", 30 * hour, WorkingDays, "2026-10-10 18:00"},
		{"wd ends at 24:00 of make-up Sat 10/10, not Monday", Default, "2026-10-09 12:00", 36 * hour, WorkingDays, "2026-10-11 00:00"},
		{"wd onto 2025 make-up Sun 9/28", Default, "2025-09-27 10:00", 6 * hour, WorkingDays, "2025-09-28 06:00"},
		{"wd 0 from a Saturday is Monday 00:00", Default, "2026-11-28 10:00", 0, WorkingDays, "2026-11-30 00:00"},
		{"wd 0 on a working day is now", Default, "2026-11-30 10:00", 0, WorkingDays, "2026-11-30 10:00"},
		{"wd back over a weekend", Default, "2026-11-30 06:00", -12 * hour, WorkingDays, "2026-11-27 18:00"},
		{"wd back over National Day", Default, "2026-10-08 06:00", -12 * hour, WorkingDays, "2026-09-30 18:00"},
		{"bh ends at closing, not at the next opening", off, "2026-11-23 08:00", 4 * hour, BusinessHours, "2026-11-23 12:00"},
		{"bh 0 at lunch is 14:00", off, "2026-11-23 12:00", 0, BusinessHours, "2026-11-23 14:00"},
		{"bh 0 at Friday's closing is Monday 08:00", off, "2026-11-27 17:30", 0, BusinessHours, "2026-11-30 08:00"},
		{"bh Friday to Monday", off, "2026-11-27 16:00", 2*hour + 30*time.Minute, BusinessHours, "2026-11-30 09:00"},
		{"bh onto make-up Sun 2026-01-04", off, "2026-01-02 10:00", hour, BusinessHours, "2026-01-04 09:00"},
		{"bh back over lunch", off, "2026-11-24 08:00", -4 * hour, BusinessHours, "2026-11-23 11:30"},
		{"bh back to Friday", off, "2026-11-30 09:00", -(2*hour + 30*time.Minute), BusinessHours, "2026-11-27 16:00"},
	}
	for _, tc := range tests {
		if got := tc.cal.Advance(tt(t, tc.from), tc.amount, tc.u); !got.Equal(tt(t, tc.want)) {
			t.Errorf("%s: Advance(%s, %s, %s) = %s, want %s", tc.name, tc.from, tc.amount, tc.u, got.In(Shanghai).Format("2006-01-02 15:04 Mon"), tc.want)
		}
	}
	if got := Default.Advance(sh(2026, 11, 23, 8, 0), hour, BusinessHours); !got.IsZero() {
		t.Errorf("bh without hours: %s, want the zero Time", got)
	}
	if got := Default.Advance(sh(2026, 11, 23, 8, 0), hour, "weeks"); !got.IsZero() {
		t.Errorf("an unknown unit: %s, want the zero Time", got)
	}
}

// probes are instants around every 2025 and 2026 holiday block and
// make-up workday, at times of day on both sides of business hours.
func probes(t *testing.T) []time.Time {
	var dates []string
	for _, b := range officialRestBlocks {
		first, last := at10(t, b.first), at10(t, b.last)
		dates = append(dates, first.AddDate(0, 0, -1).Format("2006-01-02"), b.first, b.last, last.AddDate(0, 0, 1).Format("2006-01-02"))
	}
	dates = append(dates, officialMakeUpDays...)
	var out []time.Time
	for _, d := range dates {
		for _, clock := range []string{"00:00", "07:59", "08:00", "10:15", "12:00", "13:00", "17:30", "23:59"} {
			out = append(out, tt(t, d+" "+clock))
		}
	}
	return out
}

func TestClockRoundTrip(t *testing.T) {
	shifts := Default
	shifts.Hours = mustHours(t, "every day 00:00-08:00,08:00-16:00,16:00-24:00")
	daily := Default
	daily.Hours = mustHours(t, "every day 09:00-21:00")
	clocks := []struct {
		name string
		cal  Calendar
		u    Unit
	}{
		{"h", Default, Hours},
		{"d", Default, Days},
		{"wd", Default, WorkingDays},
		{"wd with a local closure", Default.With(Day{Date: "2026-09-30"}, Day{Date: "2026-10-10"}), WorkingDays},
		{"bh office", office(t), BusinessHours},
		{"bh shifts", shifts, BusinessHours},
		{"bh every day", daily, BusinessHours},
	}
	amounts := []time.Duration{0, time.Minute, 30 * time.Minute, 4 * hour, 7*hour + 30*time.Minute, 24 * hour, 38 * hour, 100 * hour}
	points := probes(t)
	for _, k := range clocks {
		runsBefore := func(b time.Time) bool { return k.cal.Elapsed(b.Add(-time.Nanosecond), b, k.u) > 0 }
		for _, a := range points {
			for _, x := range amounts {
				for _, x := range []time.Duration{x, -x} {
					b := k.cal.Advance(a, x, k.u)
					if got := k.cal.Elapsed(a, b, k.u); got != x {
						t.Errorf("%s: Elapsed(a, Advance(a, %s)) = %s with a = %s, b = %s", k.name, x, got, a, b)
					}
				}
			}
			for _, b := range points {
				if b.Before(a) || b.Sub(a) > 20*24*hour {
					continue
				}
				e := k.cal.Elapsed(a, b, k.u)
				r := k.cal.Advance(a, e, k.u)
				switch {
				case e == 0:
					// No clock time: the clock (re)starts at the next
					// instant it runs.
					if want := k.cal.Advance(a, 0, k.u); !r.Equal(want) || k.cal.Elapsed(r, r.Add(time.Nanosecond), k.u) == 0 {
						t.Errorf("%s: Advance(%s, 0) = %s, want the next running instant %s", k.name, a, r, want)
					}
				case runsBefore(b):
					if !r.Equal(b) {
						t.Errorf("%s: Advance(a, Elapsed(a, b)) = %s, want b = %s (a = %s)", k.name, r, b, a)
					}
				default:
					// b is in closed time: the clock stopped at r, before b,
					// with the same reading.
					if r.After(b) || k.cal.Elapsed(r, b, k.u) != 0 || !runsBefore(r) {
						t.Errorf("%s: Advance(a, Elapsed(a, b)) = %s, want where the clock stopped before b = %s (a = %s)", k.name, r, b, a)
					}
				}
			}
		}
	}
}

// TestPauseResume keeps the remaining time of a paused clock in its
// basis: the deadline moves by the working (or business) time the pause
// took, and a pause that takes no time does not move it.
func TestPauseResume(t *testing.T) {
	// 5wd received Thu 2026-09-24 ends at 24:00 on Fri 10/9 (9/28, 9/29,
	// 9/30, 10/8, 10/9). Paused Mon 9/28 10:00, 110 working hours remain:
	// 14 + 24 + 24 + 24 + 24.
	due := Default.Due(tt(t, "2026-09-24 09:00"), Duration{5, WorkingDays})
	if !due.Equal(tt(t, "2026-10-10 00:00")) {
		t.Fatalf("due %s", due)
	}
	remaining := Default.Elapsed(tt(t, "2026-09-28 10:00"), due, WorkingDays)
	if remaining != 110*hour {
		t.Fatalf("remaining %s, want 110h", remaining)
	}
	// Resumed Thu 10/8 15:00: 9h that day, 24h Fri 10/9, 24h make-up Sat
	// 10/10, Sun 10/11 rest, 24h Mon 10/12, 24h Tue 10/13, 5h Wed 10/14.
	if got := Default.Advance(tt(t, "2026-10-08 15:00"), remaining, WorkingDays); !got.Equal(tt(t, "2026-10-14 05:00")) {
		t.Errorf("resumed due %s, want 2026-10-14 05:00", got)
	}

	// A pause that takes no time keeps a deadline at 24:00 on a Friday
	// (1wd from Thu 2026-11-26), rather than moving it to Monday.
	due = Default.Due(tt(t, "2026-11-26 10:00"), Duration{1, WorkingDays})
	p := tt(t, "2026-11-26 15:00")
	if got := Default.Advance(p, Default.Elapsed(p, due, WorkingDays), WorkingDays); !got.Equal(due) {
		t.Errorf("zero-length pause moved %s to %s", due, got)
	}

	// 8bh from Mon 2026-11-23 09:00 ends Tue 09:30; paused Mon 15:00 with
	// 4h left (2.5h Monday, 1.5h Tuesday), resumed Wed 16:00: 1.5h Wed,
	// 2.5h Thu → Thu 10:30.
	off := office(t)
	due, err := off.DueChecked(tt(t, "2026-11-23 09:00"), Duration{8, BusinessHours})
	if err != nil || !due.Equal(tt(t, "2026-11-24 09:30")) {
		t.Fatalf("bh due %s, %v", due, err)
	}
	remaining = off.Elapsed(tt(t, "2026-11-23 15:00"), due, BusinessHours)
	if remaining != 4*hour {
		t.Fatalf("bh remaining %s", remaining)
	}
	if got := off.Advance(tt(t, "2026-11-25 16:00"), remaining, BusinessHours); !got.Equal(tt(t, "2026-11-26 10:30")) {
		t.Errorf("bh resumed due %s, want 2026-11-26 10:30", got)
	}
}

func TestFraction(t *testing.T) {
	off := office(t)
	tests := []struct {
		name       string
		cal        Calendar
		start, due string
		f          float64
		u          Unit
		want       string
	}{
		// 1wd from Mon 10:00 ends Tue 24:00: 14h + 24h = 38h; 75% = 28.5h.
		{"75% of 1wd", Default, "2026-11-23 10:00", "2026-11-25 00:00", 0.75, WorkingDays, "2026-11-24 14:30"},
		// 5wd from 2026-02-12 09:00 ends 2/27 00:00: 15 + 24 + 24 (make-up
		// 2/14) + 24 + 24 + 24 = 135h; 75% = 101.25h.
		{"75% of 5wd over Spring Festival", Default, "2026-02-12 09:00", "2026-02-27 00:00", 0.75, WorkingDays, "2026-02-25 14:15"},
		{"75% of 4bh", off, "2026-11-23 08:00", "2026-11-23 12:00", 0.75, BusinessHours, "2026-11-23 11:00"},
		{"75% of 8bh over lunch", off, "2026-11-23 09:00", "2026-11-24 09:30", 0.75, BusinessHours, "2026-11-23 17:00"},
		{"75% of 24h", Default, "2026-11-28 22:00", "2026-11-29 22:00", 0.75, Hours, "2026-11-29 16:00"},
		// 60d from 2026-08-03 09:00 ends 10/9 00:00: 1599h; half is 799.5h.
		{"50% of 60d", Default, "2026-08-03 09:00", "2026-10-09 00:00", 0.5, Days, "2026-09-05 16:30"},
		{"100% is the due time", Default, "2026-09-30 10:00", "2026-10-10 00:00", 1, WorkingDays, "2026-10-10 00:00"},
	}
	for _, tc := range tests {
		if got := tc.cal.Fraction(tt(t, tc.start), tt(t, tc.due), tc.f, tc.u); !got.Equal(tt(t, tc.want)) {
			t.Errorf("%s: Fraction = %s, want %s", tc.name, got.In(Shanghai).Format("2006-01-02 15:04 Mon"), tc.want)
		}
	}

	// Fraction(start, due, 1) is due for every deadline Deadline returns.
	closing := off
	closing.DayEndsAtClose = true
	for _, c := range []Calendar{Default, off, closing} {
		for _, start := range probes(t) {
			for _, d := range []Duration{{1, WorkingDays}, {2, WorkingDays}, {3, Days}, {4, BusinessHours}, {9, BusinessHours}} {
				due, err := c.DueChecked(start, d)
				if err != nil {
					continue // no hours on Default
				}
				if got := c.Fraction(start, due, 1, d.Unit); !got.Equal(due) {
					t.Errorf("Fraction(%s, %s, 1, %s) = %s (DayEndsAtClose=%v)", start, due, d.Unit, got, c.DayEndsAtClose)
				}
			}
		}
	}
}
