package calendar

import (
	"errors"
	"testing"
	"testing/fstest"
	"time"
)

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]Duration{"2wd": {2, WorkingDays}, "5d": {5, Days}, "24h": {24, Hours}, "30m": {30, Minutes}} {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
		if got.String() != in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), in)
		}
	}
	for _, bad := range []string{"", "wd", "0d", "-1h", "2 weeks", "1.5h", "h2"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

func sh(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, Shanghai)
}

func TestDue(t *testing.T) {
	tests := []struct {
		name string
		from time.Time
		d    string
		want time.Time // 24:00 of the last day is 00:00 of the next
	}{
		// The start day is not counted; the limit ends at 24:00 of the last day.
		{"2 working days from a Monday", sh(2026, 11, 23, 10, 0), "2wd", sh(2026, 11, 26, 0, 0)},
		{"2 working days from a Thursday skip the weekend", sh(2026, 11, 26, 16, 0), "2wd", sh(2026, 12, 1, 0, 0)},
		{"from a Saturday, count from Monday", sh(2026, 11, 28, 9, 0), "1wd", sh(2026, 12, 1, 0, 0)},
		{"natural days include weekends", sh(2026, 11, 26, 16, 0), "5d", sh(2026, 12, 2, 0, 0)},
		{"hours run on the clock", sh(2026, 11, 28, 22, 30), "24h", sh(2026, 11, 29, 22, 30)},
		{"minutes", sh(2026, 11, 28, 22, 30), "90m", sh(2026, 11, 29, 0, 0)},
		{"UTC input is counted in Shanghai days", time.Date(2026, 11, 22, 17, 0, 0, 0, time.UTC), "1wd", sh(2026, 11, 25, 0, 0)},
		// Worked examples of ../shared/REFERENCE.md.
		{"Spring Festival with make-up Saturday", sh(2026, 2, 12, 9, 0), "5wd", sh(2026, 2, 27, 0, 0)},
		{"Mid-Autumn and National Day", sh(2026, 9, 24, 9, 0), "5wd", sh(2026, 10, 10, 0, 0)},
		{"natural days ending on a holiday move to the next working day", sh(2026, 8, 3, 9, 0), "60d", sh(2026, 10, 9, 0, 0)},
		{"a make-up Sunday counts", sh(2026, 1, 2, 9, 0), "1wd", sh(2026, 1, 5, 0, 0)},
		{"2025 National Day", sh(2025, 9, 30, 9, 0), "2wd", sh(2025, 10, 11, 0, 0)},
		{"natural days ending on a weekend", sh(2026, 11, 23, 9, 0), "5d", sh(2026, 12, 1, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDuration(tt.d)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Default.DueChecked(tt.from, d)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tt.want) {
				t.Fatalf("Due(%s, %s) = %s, want %s", tt.from, tt.d, got.In(Shanghai), tt.want)
			}
		})
	}
}

func TestWorkingDaysPerYear(t *testing.T) {
	for _, year := range []int{2025, 2026} {
		n := 0
		for d := sh(year, 1, 1, 0, 0); d.Year() == year; d = d.AddDate(0, 0, 1) {
			if Default.IsWorkingDay(d) {
				n++
			}
		}
		if n != 248 {
			t.Errorf("%d has %d working days, the State Council's notice says 248", year, n)
		}
	}
}

func TestMissingYearIsReported(t *testing.T) {
	if Default.Covers(2027) {
		t.Skip("2027 has been added: pick a later year")
	}
	_, err := Default.DueChecked(sh(2026, 12, 30, 9, 0), Duration{5, WorkingDays})
	if !errors.Is(err, ErrYearMissing) {
		t.Fatalf("a limit running into 2027: %v, want ErrYearMissing", err)
	}
	if _, err := Default.DueChecked(sh(2026, 12, 1, 9, 0), Duration{5, WorkingDays}); err != nil {
		t.Fatalf("a limit inside 2026: %v", err)
	}
}

func TestLoadRejectsBadData(t *testing.T) {
	for name, text := range map[string]string{
		"not a date":            "2026-13-01 holiday x\n",
		"wrong year":            "2025-01-01 holiday x\n",
		"unknown kind":          "2026-01-01 rest x\n",
		"workday on a week day": "2026-01-05 workday x\n",
	} {
		_, err := Load(fstest.MapFS{"data/2026.txt": {Data: []byte(text)}})
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
