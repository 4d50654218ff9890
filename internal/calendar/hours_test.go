package calendar

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func mustHours(t *testing.T, s string) OpeningHours {
	t.Helper()
	h, err := ParseHours(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestParseHours(t *testing.T) {
	tests := []struct {
		in   string
		want OpeningHours
		text string // String(), when it differs from in
	}{
		{"08:00-12:00,14:00-17:30", OpeningHours{Periods: []Period{{8 * time.Hour, 12 * time.Hour}, {14 * time.Hour, 17*time.Hour + 30*time.Minute}}}, ""},
		{"every day 00:00-08:00,08:00-16:00,16:00-24:00", OpeningHours{EveryDay: true, Periods: []Period{{0, 8 * time.Hour}, {8 * time.Hour, 16 * time.Hour}, {16 * time.Hour, 24 * time.Hour}}}, ""},
		{"00:00-24:00", OpeningHours{Periods: []Period{{0, 24 * time.Hour}}}, ""},
		{"every day 00:00-24:00", OpeningHours{EveryDay: true, Periods: []Period{{0, 24 * time.Hour}}}, ""},
		{"  Working days 8:30 - 12:00, 13:00-17:00 ", OpeningHours{Periods: []Period{{8*time.Hour + 30*time.Minute, 12 * time.Hour}, {13 * time.Hour, 17 * time.Hour}}}, "08:30-12:00,13:00-17:00"},
		{"Every Day 09:00-21:00", OpeningHours{EveryDay: true, Periods: []Period{{9 * time.Hour, 21 * time.Hour}}}, "every day 09:00-21:00"},
		{"", OpeningHours{}, ""},
	}
	for _, tc := range tests {
		got, err := ParseHours(tc.in)
		if err != nil {
			t.Errorf("ParseHours(%q): %v", tc.in, err)
			continue
		}
		if got.String() != tc.want.String() || got.EveryDay != tc.want.EveryDay || len(got.Periods) != len(tc.want.Periods) {
			t.Errorf("ParseHours(%q) = %#v, want %#v", tc.in, got, tc.want)
			continue
		}
		for i := range got.Periods {
			if got.Periods[i] != tc.want.Periods[i] {
				t.Errorf("ParseHours(%q) period %d = %v, want %v", tc.in, i, got.Periods[i], tc.want.Periods[i])
			}
		}
		text := tc.text
		if text == "" {
			text = tc.in
		}
		if got.String() != text {
			t.Errorf("ParseHours(%q).String() = %q, want %q", tc.in, got.String(), text)
		}
		// The text form round-trips.
		again, err := ParseHours(got.String())
		if err != nil || again.String() != got.String() || again.EveryDay != got.EveryDay {
			t.Errorf("round trip of %q: %v, %v", got.String(), again, err)
		}
	}
}

func TestParseHoursErrors(t *testing.T) {
	for in, msg := range map[string]string{
		"8-12":                    "\"8\" is not a time of day HH:MM",
		"08:00":                   "want HH:MM-HH:MM",
		"08:00-25:00":             "not a time of day from 00:00 to 24:00",
		"24:30-24:45":             "not a time of day from 00:00 to 24:00",
		"08:60-09:00":             "not a time of day from 00:00 to 24:00",
		"08h00-12:00":             "not a time of day HH:MM",
		"+8:00-12:00":             "not a time of day HH:MM",
		"12:00-08:00":             "does not end after it starts",
		"22:00-06:00":             "cannot run past midnight",
		"09:00-09:00":             "does not end after it starts",
		"14:00-17:00,08:00-12:00": "list periods in order, without overlaps",
		"08:00-12:00,11:00-13:00": "list periods in order, without overlaps",
		"every day":               "no opening periods",
		"08:00-12:00,":            "want HH:MM-HH:MM",
	} {
		_, err := ParseHours(in)
		if err == nil {
			t.Errorf("ParseHours(%q) accepted", in)
			continue
		}
		if !strings.Contains(err.Error(), msg) || !strings.Contains(err.Error(), in) {
			t.Errorf("ParseHours(%q): %q, want it to quote the input and say %q", in, err, msg)
		}
	}
}

func TestHoursText(t *testing.T) {
	var v struct {
		Hours OpeningHours `json:"hours"`
	}
	if err := json.Unmarshal([]byte(`{"hours":"every day 16:00-24:00"}`), &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	if string(out) != `{"hours":"every day 16:00-24:00"}` {
		t.Errorf("marshalled %s", out)
	}
	if err := json.Unmarshal([]byte(`{"hours":"17:00-08:00"}`), &v); err == nil {
		t.Error("bad hours accepted")
	}
}

func TestParseDurationBusinessHours(t *testing.T) {
	d, err := ParseDuration("4bh")
	if err != nil || d != (Duration{4, BusinessHours}) || d.String() != "4bh" {
		t.Fatalf("ParseDuration(4bh) = %v, %v", d, err)
	}
	for _, bad := range []string{"bh", "0bh", "-2bh", "1.5bh", "4 bh"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

// office is open 08:00-12:00 and 14:00-17:30 on working days.
func office(t *testing.T) Calendar {
	c := Default
	c.Hours = mustHours(t, "08:00-12:00,14:00-17:30")
	return c
}

func TestBusinessHours(t *testing.T) {
	shifts := Default
	shifts.Hours = mustHours(t, "every day 00:00-08:00,08:00-16:00,16:00-24:00")
	daily := Default
	daily.Hours = mustHours(t, "every day 09:00-21:00")
	tests := []struct {
		name   string
		cal    Calendar
		from   string
		d      string
		urgent bool
		want   string
	}{
		// Monday 2026-11-23; Friday 2026-11-27.
		{"inside the morning", office(t), "2026-11-23 09:00", "2bh", false, "2026-11-23 11:00"},
		{"before opening starts at 08:00", office(t), "2026-11-23 07:00", "2bh", false, "2026-11-23 10:00"},
		{"the morning runs into the afternoon", office(t), "2026-11-23 11:00", "2bh", false, "2026-11-23 15:00"},
		{"at lunch starts at 14:00", office(t), "2026-11-23 12:30", "1bh", false, "2026-11-23 15:00"},
		{"runs out exactly at closing: ends at 12:00, not 14:00", office(t), "2026-11-23 08:00", "4bh", false, "2026-11-23 12:00"},
		{"a whole day is 7.5 hours", office(t), "2026-11-23 08:00", "8bh", false, "2026-11-24 08:30"},
		{"Friday evening to Monday morning", office(t), "2026-11-27 18:00", "2bh", false, "2026-11-30 10:00"},
		{"Friday afternoon to Monday morning", office(t), "2026-11-27 16:30", "2bh", false, "2026-11-30 09:00"},
		{"Saturday to Monday", office(t), "2026-11-28 10:00", "1bh", false, "2026-11-30 09:00"},
		{"across National Day", office(t), "2026-09-30 16:00", "4bh", false, "2026-10-08 10:30"},
		{"received on National Day", office(t), "2026-10-03 10:00", "1bh", false, "2026-10-08 09:00"},
		{"onto make-up Saturday 2026-10-10", office(t), "2026-10-09 17:00", "2bh", false, "2026-10-10 09:30"},
		{"onto make-up Saturday 2026-02-14", office(t), "2026-02-13 17:00", "2bh", false, "2026-02-14 09:30"},
		{"across Spring Festival 2026", office(t), "2026-02-14 17:00", "1bh", false, "2026-02-24 08:30"},
		{"urgent: natural hours on Friday evening", office(t), "2026-11-27 18:00", "2bh", true, "2026-11-27 20:00"},
		{"urgent: natural hours on a holiday", office(t), "2026-10-01 10:00", "4bh", true, "2026-10-01 14:00"},
		{"shifts run on holidays and across midnight", shifts, "2026-10-01 22:00", "4bh", false, "2026-10-02 02:00"},
		{"every day: Saturday evening to Sunday", daily, "2026-11-28 20:00", "2bh", false, "2026-11-29 10:00"},
		{"every day: before opening on a holiday", daily, "2026-10-01 06:00", "1bh", false, "2026-10-01 10:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseDuration(tc.d)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tc.cal.Deadline(tt(t, tc.from), d, tc.urgent)
			if err != nil {
				t.Fatal(err)
			}
			if want := tt(t, tc.want); !got.Equal(want) {
				t.Errorf("Deadline(%s, %s, urgent=%v) = %s, want %s", tc.from, tc.d, tc.urgent, got.In(Shanghai).Format("2006-01-02 15:04 Mon"), tc.want)
			}
			if !tc.urgent {
				due, err := tc.cal.DueChecked(tt(t, tc.from), d)
				if err != nil || !due.Equal(got) {
					t.Errorf("DueChecked = %s, %v; Deadline(urgent=false) = %s", due, err, got)
				}
			}
		})
	}
}

func TestBusinessHoursErrors(t *testing.T) {
	from := sh(2026, 11, 23, 9, 0)
	for _, urgent := range []bool{false, true} {
		got, err := Default.Deadline(from, Duration{4, BusinessHours}, urgent)
		if !errors.Is(err, ErrNoHours) || !got.IsZero() {
			t.Errorf("no hours, urgent=%v: %v, %v; want the zero Time and ErrNoHours", urgent, got, err)
		}
	}
	if _, err := Default.DueChecked(from, Duration{4, BusinessHours}); !errors.Is(err, ErrNoHours) {
		t.Errorf("DueChecked without hours: %v", err)
	}
	bad := Default
	bad.Hours = OpeningHours{Periods: []Period{{14 * time.Hour, 12 * time.Hour}}}
	if _, err := bad.Deadline(from, Duration{4, BusinessHours}, false); err == nil {
		t.Error("malformed hours accepted")
	}
	if _, err := Default.Deadline(from, Duration{4, "weeks"}, false); err == nil {
		t.Error("unknown unit accepted")
	}

	if Default.Covers(2027) {
		t.Skip("2027 has been added: pick a later year")
	}
	c := office(t)
	// Thursday 2026-12-31 17:00: half an hour that day, then Friday 2027-01-01.
	got, err := c.DueChecked(sh(2026, 12, 31, 17, 0), Duration{2, BusinessHours})
	if !errors.Is(err, ErrYearMissing) {
		t.Errorf("bh into 2027: %v, want ErrYearMissing", err)
	}
	if want := sh(2027, 1, 1, 9, 30); !got.Equal(want) {
		t.Errorf("bh into 2027 = %s, want %s (Monday to Friday assumed)", got, want)
	}
	if _, err := c.DueChecked(sh(2026, 12, 31, 9, 0), Duration{2, BusinessHours}); err != nil {
		t.Errorf("bh inside 2026: %v", err)
	}
	c.Hours.EveryDay = true // every day: which days are holidays does not matter
	if _, err := c.DueChecked(sh(2026, 12, 31, 17, 0), Duration{2, BusinessHours}); err != nil {
		t.Errorf("every-day bh into 2027: %v", err)
	}
}

func TestDayEndsAtClose(t *testing.T) {
	closing := office(t)
	closing.DayEndsAtClose = true
	noHours := Default
	noHours.DayEndsAtClose = true
	tests := []struct {
		name string
		cal  Calendar
		from string
		d    string
		want string
	}{
		{"2wd ends at 17:30 of the second working day", closing, "2026-11-23 10:00", "2wd", "2026-11-25 17:30"},
		{"2wd across National Day", closing, "2026-09-30 10:00", "2wd", "2026-10-09 17:30"},
		{"1wd onto a make-up Saturday", closing, "2026-10-09 10:00", "1wd", "2026-10-10 17:30"},
		{"natural days too", closing, "2026-11-23 10:00", "2d", "2026-11-25 17:30"},
		{"an extended natural-day period", closing, "2026-08-03 09:00", "60d", "2026-10-08 17:30"},
		{"hours are not changed", closing, "2026-11-23 10:00", "24h", "2026-11-24 10:00"},
		{"without hours: 24:00", noHours, "2026-11-23 10:00", "2wd", "2026-11-26 00:00"},
		{"not set: 24:00", office(t), "2026-11-23 10:00", "2wd", "2026-11-26 00:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseDuration(tc.d)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tc.cal.DueChecked(tt(t, tc.from), d)
			if err != nil {
				t.Fatal(err)
			}
			if want := tt(t, tc.want); !got.Equal(want) {
				t.Errorf("%s + %s = %s, want %s", tc.from, tc.d, got.In(Shanghai).Format("2006-01-02 15:04 Mon"), tc.want)
			}
		})
	}
	shifts := Default
	shifts.Hours = mustHours(t, "every day 00:00-08:00,08:00-16:00,16:00-24:00")
	shifts.DayEndsAtClose = true
	if got := shifts.Due(sh(2026, 11, 23, 10, 0), Duration{2, WorkingDays}); !got.Equal(sh(2026, 11, 26, 0, 0)) {
		t.Errorf("round-the-clock shifts close at 24:00: %s", got)
	}
}
