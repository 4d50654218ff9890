package calendar

import (
	"testing"
	"time"
)

// at10 is 10:00 in Shanghai of date, 2006-01-02; tt is a time
// "2006-01-02 15:04" in Shanghai. Both are test helpers for tables written
// out by hand.
func at10(t *testing.T, date string) time.Time {
	t.Helper()
	return tt(t, date+" 10:00")
}

func tt(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, Shanghai)
	if err != nil {
		t.Fatalf("bad test time %q: %v", s, err)
	}
	return v
}

// The holiday blocks and make-up workdays of 2025 and 2026, written out
// from the State Council's notices (国办发明电〔2024〕12号, 国办发明电〔2025〕7号;
// ../shared/REFERENCE.md), not read from data/.
var officialRestBlocks = []struct {
	name        string
	first, last string // the first and last holiday of the block
}{
	{"2025 元旦", "2025-01-01", "2025-01-01"},
	{"2025 春节", "2025-01-28", "2025-02-04"},
	{"2025 清明节", "2025-04-04", "2025-04-06"},
	{"2025 劳动节", "2025-05-01", "2025-05-05"},
	{"2025 端午节", "2025-05-31", "2025-06-02"},
	{"2025 国庆节、中秋节", "2025-10-01", "2025-10-08"},
	{"2026 元旦", "2026-01-01", "2026-01-03"},
	{"2026 春节", "2026-02-15", "2026-02-23"},
	{"2026 清明节", "2026-04-04", "2026-04-06"},
	{"2026 劳动节", "2026-05-01", "2026-05-05"},
	{"2026 端午节", "2026-06-19", "2026-06-21"},
	{"2026 中秋节", "2026-09-25", "2026-09-27"},
	{"2026 国庆节", "2026-10-01", "2026-10-07"},
}

var officialMakeUpDays = []string{
	"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
	"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
}

// TestDataMatchesNotices checks data/ against the notices as written out
// above, so that the boundary table below covers every block and every
// make-up workday of the data.
func TestDataMatchesNotices(t *testing.T) {
	want := map[string]bool{} // date → working
	for _, b := range officialRestBlocks {
		for d := at10(t, b.first); !d.After(at10(t, b.last)); d = d.AddDate(0, 0, 1) {
			want[d.Format("2006-01-02")] = false
		}
	}
	for _, d := range officialMakeUpDays {
		want[d] = true
	}
	got := map[string]bool{}
	for _, y := range []int{2025, 2026} {
		for _, d := range Default.Year(y) {
			got[d.Date] = d.Working
		}
	}
	for date, w := range want {
		if g, ok := got[date]; !ok || g != w {
			t.Errorf("%s: data/ says listed=%v working=%v, the notice says working=%v", date, ok, g, w)
		}
	}
	for date := range got {
		if _, ok := want[date]; !ok {
			t.Errorf("%s is in data/ but not in the notices", date)
		}
	}
}

// TestHolidayBoundaries: for every holiday block of 2025 and 2026, 1wd
// from the last working day before the block ends at 24:00 of the first
// working day after it; every make-up workday counts as a working day;
// a natural-day period ending inside a block is extended to the first
// working day after it (民法典 第二百零三条), and not when ExtendNaturalDays
// is off. Every expected time was worked out by hand from the notices.
// 24:00 of a day is written as 00:00 of the next.
func TestHolidayBoundaries(t *testing.T) {
	tests := []struct {
		name  string
		from  string // received at 10:00 that day
		d     string
		want  string // with ExtendNaturalDays (the default)
		plain string // without it, when different
	}{
		// 2025 元旦 (Wed 1/1); first working day after: Thu 1/2.
		{"2025 元旦 1wd", "2024-12-31", "1wd", "2025-01-03 00:00", ""},
		{"2025 元旦 1d ends on 1/1", "2024-12-31", "1d", "2025-01-03 00:00", "2025-01-02 00:00"},
		{"2025 元旦 received on the holiday", "2025-01-01", "1wd", "2025-01-03 00:00", ""},
		// 2025 春节 Tue 1/28–Tue 2/4; make-up Sun 1/26 and Sat 2/8; after: Wed 2/5.
		{"2025 春节 1wd", "2025-01-27", "1wd", "2025-02-06 00:00", ""},
		{"2025 春节 1d ends on the first day", "2025-01-27", "1d", "2025-02-06 00:00", "2025-01-29 00:00"},
		{"2025 春节 8d ends on the last day", "2025-01-27", "8d", "2025-02-06 00:00", "2025-02-05 00:00"},
		{"2025 make-up Sun 1/26 counts", "2025-01-25", "1wd", "2025-01-27 00:00", ""},
		{"2025 make-up Sun 1/26 from Friday", "2025-01-24", "1wd", "2025-01-27 00:00", ""},
		{"2025 1d ending on make-up 1/26 is not extended", "2025-01-25", "1d", "2025-01-27 00:00", ""},
		{"2025 make-up Sat 2/8 counts", "2025-02-07", "1wd", "2025-02-09 00:00", ""},
		{"2025 from make-up Sat 2/8, Sunday is rest", "2025-02-08", "1wd", "2025-02-11 00:00", ""},
		{"2025 1d ending on make-up 2/8 is not extended", "2025-02-07", "1d", "2025-02-09 00:00", ""},
		// 2025 清明 Fri 4/4–Sun 4/6; after: Mon 4/7.
		{"2025 清明 1wd", "2025-04-03", "1wd", "2025-04-08 00:00", ""},
		{"2025 清明 1d", "2025-04-03", "1d", "2025-04-08 00:00", "2025-04-05 00:00"},
		{"2025 清明 3d", "2025-04-03", "3d", "2025-04-08 00:00", "2025-04-07 00:00"},
		// 2025 劳动节 Thu 5/1–Mon 5/5; make-up Sun 4/27; after: Tue 5/6.
		{"2025 劳动节 1wd", "2025-04-30", "1wd", "2025-05-07 00:00", ""},
		{"2025 劳动节 1d", "2025-04-30", "1d", "2025-05-07 00:00", "2025-05-02 00:00"},
		{"2025 劳动节 5d", "2025-04-30", "5d", "2025-05-07 00:00", "2025-05-06 00:00"},
		{"2025 make-up Sun 4/27 counts", "2025-04-26", "1wd", "2025-04-28 00:00", ""},
		// 2025 端午 Sat 5/31–Mon 6/2; after: Tue 6/3.
		{"2025 端午 1wd", "2025-05-30", "1wd", "2025-06-04 00:00", ""},
		{"2025 端午 1d", "2025-05-30", "1d", "2025-06-04 00:00", "2025-06-01 00:00"},
		{"2025 端午 3d", "2025-05-30", "3d", "2025-06-04 00:00", "2025-06-03 00:00"},
		// 2025 国庆·中秋 Wed 10/1–Wed 10/8; make-up Sun 9/28, Sat 10/11; after: Thu 10/9.
		{"2025 国庆 1wd", "2025-09-30", "1wd", "2025-10-10 00:00", ""},
		{"2025 国庆 1d", "2025-09-30", "1d", "2025-10-10 00:00", "2025-10-02 00:00"},
		{"2025 国庆 8d", "2025-09-30", "8d", "2025-10-10 00:00", "2025-10-09 00:00"},
		{"2025 国庆 received on a holiday", "2025-10-03", "1wd", "2025-10-10 00:00", ""},
		{"2025 make-up Sun 9/28 counts", "2025-09-27", "1wd", "2025-09-29 00:00", ""},
		{"2025 1d ending on make-up 9/28 is not extended", "2025-09-27", "1d", "2025-09-29 00:00", ""},
		{"2025 make-up Sat 10/11 counts", "2025-10-10", "1wd", "2025-10-12 00:00", ""},
		{"2025 3wd over 国庆 reaches make-up 10/11", "2025-09-30", "3wd", "2025-10-12 00:00", ""},

		// 2026 元旦 Thu 1/1–Sat 1/3; make-up Sun 1/4 is the first working day after.
		{"2026 元旦 1wd", "2025-12-31", "1wd", "2026-01-05 00:00", ""},
		{"2026 元旦 1d", "2025-12-31", "1d", "2026-01-05 00:00", "2026-01-02 00:00"},
		{"2026 元旦 3d", "2025-12-31", "3d", "2026-01-05 00:00", "2026-01-04 00:00"},
		{"2026 make-up Sun 1/4 counts", "2026-01-03", "1wd", "2026-01-05 00:00", ""},
		{"2026 from make-up Sun 1/4, Monday counts", "2026-01-04", "1wd", "2026-01-06 00:00", ""},
		{"2026 1d ending on make-up 1/4 is not extended", "2026-01-03", "1d", "2026-01-05 00:00", ""},
		// 2026 春节 Sun 2/15–Mon 2/23; make-up Sat 2/14 (last working day
		// before) and Sat 2/28; after: Tue 2/24.
		{"2026 春节 1wd", "2026-02-14", "1wd", "2026-02-25 00:00", ""},
		{"2026 春节 1d", "2026-02-14", "1d", "2026-02-25 00:00", "2026-02-16 00:00"},
		{"2026 春节 9d", "2026-02-14", "9d", "2026-02-25 00:00", "2026-02-24 00:00"},
		{"2026 make-up Sat 2/14 counts", "2026-02-13", "1wd", "2026-02-15 00:00", ""},
		{"2026 make-up Sat 2/28 counts", "2026-02-27", "1wd", "2026-03-01 00:00", ""},
		{"2026 1d ending on make-up 2/28 is not extended", "2026-02-27", "1d", "2026-03-01 00:00", ""},
		// 2026 清明 Sat 4/4–Mon 4/6; after: Tue 4/7.
		{"2026 清明 1wd", "2026-04-03", "1wd", "2026-04-08 00:00", ""},
		{"2026 清明 1d", "2026-04-03", "1d", "2026-04-08 00:00", "2026-04-05 00:00"},
		{"2026 清明 3d", "2026-04-03", "3d", "2026-04-08 00:00", "2026-04-07 00:00"},
		// 2026 劳动节 Fri 5/1–Tue 5/5; make-up Sat 5/9; after: Wed 5/6.
		{"2026 劳动节 1wd", "2026-04-30", "1wd", "2026-05-07 00:00", ""},
		{"2026 劳动节 1d", "2026-04-30", "1d", "2026-05-07 00:00", "2026-05-02 00:00"},
		{"2026 劳动节 5d", "2026-04-30", "5d", "2026-05-07 00:00", "2026-05-06 00:00"},
		{"2026 make-up Sat 5/9 counts", "2026-05-08", "1wd", "2026-05-10 00:00", ""},
		{"2026 1d ending on make-up 5/9 is not extended", "2026-05-08", "1d", "2026-05-10 00:00", ""},
		// 2026 端午 Fri 6/19–Sun 6/21; after: Mon 6/22.
		{"2026 端午 1wd", "2026-06-18", "1wd", "2026-06-23 00:00", ""},
		{"2026 端午 1d", "2026-06-18", "1d", "2026-06-23 00:00", "2026-06-20 00:00"},
		{"2026 端午 3d", "2026-06-18", "3d", "2026-06-23 00:00", "2026-06-22 00:00"},
		// 2026 中秋 Fri 9/25–Sun 9/27; make-up Sun 9/20; after: Mon 9/28.
		{"2026 中秋 1wd", "2026-09-24", "1wd", "2026-09-29 00:00", ""},
		{"2026 中秋 1d", "2026-09-24", "1d", "2026-09-29 00:00", "2026-09-26 00:00"},
		{"2026 中秋 3d", "2026-09-24", "3d", "2026-09-29 00:00", "2026-09-28 00:00"},
		{"2026 make-up Sun 9/20 counts", "2026-09-19", "1wd", "2026-09-21 00:00", ""},
		// 2026 国庆 Thu 10/1–Wed 10/7; make-up Sat 10/10; after: Thu 10/8.
		{"2026 国庆 1wd", "2026-09-30", "1wd", "2026-10-09 00:00", ""},
		{"2026 国庆 1d", "2026-09-30", "1d", "2026-10-09 00:00", "2026-10-02 00:00"},
		{"2026 国庆 7d", "2026-09-30", "7d", "2026-10-09 00:00", "2026-10-08 00:00"},
		{"2026 make-up Sat 10/10 counts", "2026-10-09", "1wd", "2026-10-11 00:00", ""},
		// A case received on 2026-09-30 with 2wd: the two working days are
		// Thu 10/8 and Fri 10/9, so it ends at 24:00 on Friday 2026-10-09;
		// a third would be the make-up Saturday 10/10.
		{"2026-09-30 + 2wd ends Fri 10/9 24:00", "2026-09-30", "2wd", "2026-10-10 00:00", ""},
		{"2026-09-30 + 3wd ends on make-up Sat 10/10", "2026-09-30", "3wd", "2026-10-11 00:00", ""},
	}
	plain := Default
	plain.ExtendNaturalDays = false
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseDuration(tc.d)
			if err != nil {
				t.Fatal(err)
			}
			from := at10(t, tc.from)
			check := func(c Calendar, want string) {
				t.Helper()
				got, err := c.DueChecked(from, d)
				if err != nil {
					t.Fatal(err)
				}
				if w := tt(t, want); !got.Equal(w) {
					t.Errorf("ExtendNaturalDays=%v: %s + %s = %s, want %s", c.ExtendNaturalDays, tc.from, tc.d,
						got.In(Shanghai).Format("2006-01-02 15:04 Mon"), w.Format("2006-01-02 15:04 Mon"))
				}
				for _, urgent := range []bool{false, true} {
					// Urgency only changes bh limits.
					if got2, _ := c.Deadline(from, d, urgent); !got2.Equal(got) {
						t.Errorf("Deadline(urgent=%v) = %s, DueChecked = %s", urgent, got2, got)
					}
				}
			}
			check(Default, tc.want)
			if tc.plain == "" {
				tc.plain = tc.want
			}
			check(plain, tc.plain)
		})
	}
}

// TestHolidayBoundaryDays checks, day by day, the first and last day of
// every block and the working days around it.
func TestHolidayBoundaryDays(t *testing.T) {
	working := []string{
		// last working day before and first after each block, and the make-up days
		"2025-01-02", "2025-01-27", "2025-02-05", "2025-04-03", "2025-04-07", "2025-04-30", "2025-05-06",
		"2025-05-30", "2025-06-03", "2025-09-30", "2025-10-09",
		"2025-12-31", "2026-02-24", "2026-04-03", "2026-04-07", "2026-04-30", "2026-05-06", "2026-06-18",
		"2026-06-22", "2026-09-24", "2026-09-28", "2026-09-30", "2026-10-08",
	}
	working = append(working, officialMakeUpDays...)
	for _, d := range working {
		if !Default.IsWorkingDay(at10(t, d)) {
			t.Errorf("%s should be a working day", d)
		}
	}
	for _, b := range officialRestBlocks {
		for _, d := range []string{b.first, b.last} {
			if Default.IsWorkingDay(at10(t, d)) {
				t.Errorf("%s (%s) should be a rest day", d, b.name)
			}
		}
	}
}
