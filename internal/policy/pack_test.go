package policy

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestBuiltinPacksLoad(t *testing.T) {
	names := Builtin()
	for _, want := range []string{"generic", "hospital-taicang"} {
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found {
			t.Fatalf("built-in packs %v lack %s", names, want)
		}
	}
	for _, n := range names {
		p, err := Load(n)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if p.ID != n {
			t.Errorf("pack file %s has id %s", n, p.ID)
		}
	}
}

func TestHospitalPackFollowsSeed001(t *testing.T) {
	p, err := Load("hospital-taicang")
	if err != nil {
		t.Fatal(err)
	}
	office, _ := p.Dept(p.CentralOffice)
	if office.Name["zh"] != "医患关系办公室" {
		t.Errorf("central office = %q, want 医患关系办公室 (第四条 多口归一)", office.Name["zh"])
	}
	for _, code := range []string{"1", "2", "3"} {
		l, ok := p.Level(code)
		if !ok {
			t.Fatalf("level %s missing", code)
		}
		if l.ReplyWithin.String() != "2wd" {
			t.Errorf("level %s replies within %s, want 2wd (第十一条)", code, l.ReplyWithin)
		}
	}
	if l, _ := p.Level("1"); l.Review != ReviewManager {
		t.Errorf("level 1 review = %s; 影响较大的投诉答复须报分管领导审定", l.Review)
	}
	for _, ch := range []string{"letter", "phone", "email", "web", "walk_in", "followup"} {
		if _, ok := p.Channel(ch); !ok {
			t.Errorf("channel %s of 第三条 missing", ch)
		}
	}
}

func TestNumbering(t *testing.T) {
	p, _ := Load("generic")
	at := time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC) // 2026-12-01 01:00 in Shanghai
	tests := []struct {
		kind string
		n    int64
		want string
	}{
		{"complaint", 1, "TS202612-0001"},
		{"report", 42, "JB202612-0042"},
		{"complaint", 12345, "TS202612-12345"},
	}
	for _, tt := range tests {
		if got := p.FormatNumber(tt.kind, at, tt.n); got != tt.want {
			t.Errorf("FormatNumber(%s, %d) = %s, want %s", tt.kind, tt.n, got, tt.want)
		}
	}
	if a, b := p.Series("complaint", at), p.Series("complaint", at.AddDate(0, 0, -1)); a == b {
		t.Errorf("monthly series do not change with the month: %s", a)
	}
	if a, b := p.Series("complaint", at), p.Series("report", at); a == b {
		t.Errorf("kinds with different prefixes share series %s", a)
	}
}

func TestValidationNamesTheLine(t *testing.T) {
	good, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		old     string
		new     string
		line    int
		message string
	}{
		{"unknown department", "department: finance}", "department: nowhere}", 0, `department "nowhere" is not one of the departments`},
		{"bad duration", "reply_within: 2wd", "reply_within: 2 weeks", 0, "invalid duration"},
		{"bad review", "review: manager", "review: boss", 0, "review must be"},
		{"unknown channel", "code: fax,", "code: pigeon,", 0, `unknown channel "pigeon"`},
		{"monthly without month", `format: "{prefix}{yyyy}{mm}-{seq:4}"`, `format: "{prefix}{yyyy}-{seq:4}"`, 0, "needs {mm}"},
		{"unknown key", "default_level: low", "default_level: low\ncolour: red", 0, "colour"},
		{"default level", "default_level: low", "default_level: none", 0, `default_level "none"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := string(good)
			if !strings.Contains(src, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			src = strings.Replace(src, tt.old, tt.new, 1)
			wantLine := strings.Count(src[:strings.Index(src, strings.SplitN(tt.new, "\n", 2)[len(strings.SplitN(tt.new, "\n", 2))-1])], "\n") + 1
			_, err := Parse("pack.yaml", []byte(src))
			if err == nil {
				t.Fatal("invalid pack accepted")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.message) {
				t.Fatalf("error %q does not say %q", msg, tt.message)
			}
			if !strings.Contains(msg, "pack.yaml:") || !strings.Contains(msg, ":"+strconv.Itoa(wantLine)) && !strings.Contains(msg, "line "+strconv.Itoa(wantLine)) {
				t.Fatalf("error %q does not name line %d", msg, wantLine)
			}
		})
	}
}

// TestTextsAreWhole guards against YAML flow mappings that cut a text at
// its first ", " (an unquoted {zh: a, b} is a key b, not the text "a, b").
func TestTextsAreWhole(t *testing.T) {
	p, err := Load("hospital-taicang")
	if err != nil {
		t.Fatal(err)
	}
	l, _ := p.Level("1")
	if want := "在社会上造成不良影响"; !strings.HasSuffix(l.Description["zh"], want) {
		t.Fatalf("level 1 description %q does not end with %q", l.Description["zh"], want)
	}
	if _, err := Parse("x.yaml", []byte(strings.Replace(string(mustRead(t, "packs/generic.yaml")),
		"name: {zh: 通用投诉处理制度, en: Generic complaint handling}", "name: {zh: 通用, 投诉}", 1))); err == nil {
		t.Fatal("a text cut into a stray key was accepted")
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := builtin.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
