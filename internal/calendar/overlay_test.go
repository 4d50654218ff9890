package calendar

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestWith(t *testing.T) {
	before := len(Default.Year(2026))
	org := Default.With(
		Day{Date: "2026-11-24", Working: false, Name: "院庆"},  // the organization closes on a Tuesday
		Day{Date: "2026-11-28", Working: true, Name: "义诊"},   // and works on a Saturday
		Day{Date: "2026-10-10", Working: false, Name: "不调休"}, // and skips the national make-up Saturday
		Day{Date: "2026-10-05", Working: true, Name: "国庆值班"}, // and works on a national holiday
	)
	tests := []struct {
		name      string
		cal       Calendar
		from, d   string
		want      string
		wantOther string // Default's answer
	}{
		{"a local closure is skipped", org, "2026-11-23 10:00", "1wd", "2026-11-26 00:00", "2026-11-25 00:00"},
		{"a local working Saturday counts", org, "2026-11-27 10:00", "1wd", "2026-11-29 00:00", "2026-12-01 00:00"},
		{"a national make-up day closed locally", org, "2026-10-09 10:00", "1wd", "2026-10-13 00:00", "2026-10-11 00:00"},
		{"a national holiday worked locally", org, "2026-09-30 10:00", "1wd", "2026-10-06 00:00", "2026-10-09 00:00"},
		{"natural days extend over a local closure", org, "2026-11-23 10:00", "1d", "2026-11-26 00:00", "2026-11-25 00:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := ParseDuration(tc.d)
			if got := tc.cal.Due(tt(t, tc.from), d); !got.Equal(tt(t, tc.want)) {
				t.Errorf("with overlay: %s + %s = %s, want %s", tc.from, tc.d, got.In(Shanghai), tc.want)
			}
			if got := Default.Due(tt(t, tc.from), d); !got.Equal(tt(t, tc.wantOther)) {
				t.Errorf("Default changed: %s + %s = %s, want %s", tc.from, tc.d, got.In(Shanghai), tc.wantOther)
			}
		})
	}
	if got := len(Default.Year(2026)); got != before {
		t.Errorf("Default.Year(2026) has %d days after With, had %d", got, before)
	}
	if got := len(org.Year(2026)); got != before+2 { // 10-10 and 10-05 replaced, two added
		t.Errorf("org.Year(2026) has %d days, want %d", got, before+2)
	}
	// Overlays stack without changing the calendar they start from.
	more := org.With(Day{Date: "2026-11-25", Name: "停电"})
	if !org.IsWorkingDay(tt(t, "2026-11-25 10:00")) || more.IsWorkingDay(tt(t, "2026-11-25 10:00")) {
		t.Error("With changed the calendar it was called on")
	}
	if more.IsWorkingDay(tt(t, "2026-11-24 10:00")) {
		t.Error("a second With lost the first overlay")
	}
	if err := (Day{Date: "2026-1-5"}).Check(); err == nil {
		t.Error("Day.Check accepted 2026-1-5")
	}
	if err := (Day{Date: "2026-01-05"}).Check(); err != nil {
		t.Error(err)
	}
}

func TestAddYears(t *testing.T) {
	// Made-up test data, not a published calendar.
	fsys := fstest.MapFS{
		"2099.txt":  {Data: []byte("# test year\n2099-01-01 holiday 元旦\n2099-01-03 workday 调休\n")},
		"README.md": {Data: []byte("not a year file")},
	}
	c, err := Default.AddYears(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Covers(2099) || Default.Covers(2099) {
		t.Fatalf("Covers(2099): added %v, Default %v", c.Covers(2099), Default.Covers(2099))
	}
	// 2099-01-01 is a Thursday, 2099-01-03 a Saturday.
	if c.IsWorkingDay(tt(t, "2099-01-01 10:00")) || !c.IsWorkingDay(tt(t, "2099-01-03 10:00")) {
		t.Error("2099 entries not applied")
	}
	if _, err := c.DueChecked(tt(t, "2098-12-31 10:00"), Duration{1, WorkingDays}); err != nil {
		t.Errorf("a covered year reported: %v", err)
	}

	// A file for a built-in year replaces that year.
	c, err = Default.AddYears(fstest.MapFS{"2026.txt": {Data: []byte("2026-01-01 holiday 元旦\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Year(2026)) != 1 || !c.IsWorkingDay(tt(t, "2026-10-08 10:00")) || c.IsWorkingDay(tt(t, "2026-10-10 10:00")) {
		t.Errorf("2026 not replaced: %v", c.Year(2026))
	}
	if c.IsWorkingDay(tt(t, "2026-10-01 10:00")) == false {
		t.Error("2026-10-01 should be an ordinary Thursday in the replaced year")
	}
	if len(c.Year(2025)) != len(Default.Year(2025)) || Default.IsWorkingDay(tt(t, "2026-10-01 10:00")) {
		t.Error("AddYears changed another year or Default")
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "2099.txt"), []byte("2099-01-01 holiday 元旦\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Covers(2099) || !c.Covers(2026) || !c.ExtendNaturalDays {
		t.Errorf("LoadDir: years %v, ExtendNaturalDays %v", c.Years(), c.ExtendNaturalDays)
	}

	c, err = LoadDir(filepath.Join(dir, "missing"))
	if err != nil || len(c.Years()) != len(Default.Years()) {
		t.Errorf("a missing directory: %v, %v", c.Years(), err)
	}

	bad := filepath.Join(dir, "2098.txt")
	if err := os.WriteFile(bad, []byte("# comment\n2098-01-01 holiday 元旦\n2098-02-30 holiday x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadDir(dir)
	if err == nil || !strings.Contains(err.Error(), bad+":3:") {
		t.Errorf("a bad line: %v, want it to start with %s:3:", err, bad)
	}
	if _, err := LoadDir(bad); err == nil {
		t.Error("a file accepted as the directory")
	}
}

func TestYearFileErrors(t *testing.T) {
	for name, tc := range map[string]struct{ file, text, msg string }{
		"not a date":            {"2026.txt", "2026-13-01 holiday x\n", "2026.txt:1: \"2026-13-01\" is not a date of 2026"},
		"wrong year":            {"2026.txt", "# c\n2025-01-01 holiday x\n", "2026.txt:2: \"2025-01-01\" is not a date of 2026"},
		"unknown kind":          {"2026.txt", "2026-01-01 rest x\n", "2026.txt:1: want"},
		"workday on a week day": {"2026.txt", "2026-01-05 workday x\n", "2026.txt:1: 2026-01-05 is a Monday"},
		"listed twice":          {"2026.txt", "2026-01-01 holiday x\n2026-01-01 workday y\n", "2026.txt:2: 2026-01-01 is already listed on line 1"},
		"empty":                 {"2026.txt", "# nothing yet\n", "2026.txt: no holidays listed"},
		"file name":             {"2026a.txt", "2026-01-01 holiday x\n", "2026a.txt: the file name must be the year"},
	} {
		_, err := Default.AddYears(fstest.MapFS{tc.file: {Data: []byte(tc.text)}})
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %q", name, err, tc.msg)
		}
	}
	// Load reports the same, in data/.
	_, err := Load(fstest.MapFS{"data/2026.txt": {Data: []byte("2026-01-01 holiday x\n2026-01-01 holiday x\n")}})
	if err == nil || !strings.Contains(err.Error(), "data/2026.txt:2:") {
		t.Errorf("Load: %v", err)
	}
}
