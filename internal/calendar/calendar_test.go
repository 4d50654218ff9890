package calendar

import (
	"testing"
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
		want time.Time
	}{
		// The start day is not counted; the limit ends at 24:00 of the last day.
		{"2 working days from a Monday", sh(2026, 11, 23, 10, 0), "2wd", sh(2026, 11, 26, 0, 0)},
		{"2 working days from a Thursday skip the weekend", sh(2026, 11, 26, 16, 0), "2wd", sh(2026, 12, 1, 0, 0)},
		{"from a Saturday, count from Monday", sh(2026, 11, 28, 9, 0), "1wd", sh(2026, 12, 1, 0, 0)},
		{"natural days include weekends", sh(2026, 11, 26, 16, 0), "5d", sh(2026, 12, 2, 0, 0)},
		{"hours run on the clock", sh(2026, 11, 28, 22, 30), "24h", sh(2026, 11, 29, 22, 30)},
		{"minutes", sh(2026, 11, 28, 22, 30), "90m", sh(2026, 11, 29, 0, 0)},
		{"UTC input is counted in Shanghai days", time.Date(2026, 11, 22, 17, 0, 0, 0, time.UTC), "1wd", sh(2026, 11, 25, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDuration(tt.d)
			if err != nil {
				t.Fatal(err)
			}
			if got := Default.Due(tt.from, d); !got.Equal(tt.want) {
				t.Fatalf("Due(%s, %s) = %s, want %s", tt.from, tt.d, got.In(Shanghai), tt.want)
			}
		})
	}
}
