package evaluate

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/signals"
	"github.com/ombud/ombud/internal/sla"
)

// testPack is generic with rules of every kind added.
func testPack(t *testing.T) sla.Rules {
	t.Helper()
	base, err := os.ReadFile("testdata/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	extra := `
rules:
  - id: media
    when: 'signal("media") || channel == "media"'
    level: high
    notify: ["role:manager", "department:office"]
    confirm_by: manager
    reason: {zh: 媒体曝光风险}
  - id: legal
    when: 'signal("legal")'
    level: medium
    departments: [discipline]
    notify: [involved]
    reason: {zh: 法律风险}
  - id: big-money
    when: 'amount >= 10000 || value("amount") >= 10000'
    level: medium
    category: charges
    reason: {zh: 金额较大}
  - id: repeat
    when: 'previous >= 2 && has(text, "又", "再次")'
    department: service
    reason: {zh: 重复投诉}
`
	p, err := policy.Parse("generic+rules.yaml", append(base, extra...))
	if err != nil {
		t.Fatal(err)
	}
	// Keywords for category suggestions.
	for i := range p.Categories {
		switch p.Categories[i].Code {
		case "charges":
			p.Categories[i].Keywords = []string{"收费", "多收"}
		case "conduct":
			p.Categories[i].Keywords = []string{"态度", "辱骂"}
		}
	}
	return sla.Rules{Pack: p, Cal: p.CalendarOn(calendar.Default)}
}

func reg(content string) cases.Registration {
	return cases.Registration{Kind: "complaint", Channel: "phone", Subject: "投诉",
		Content: content, ReceivedAt: time.Date(2026, 9, 30, 2, 0, 0, 0, time.UTC)}
}

func TestEvaluate(t *testing.T) {
	r := testPack(t)
	tests := []struct {
		name       string
		in         Input
		level      string
		category   string
		department string
		notify     []string
		confirm    string
		rules      []string
		words      []string // matched texts, in order
	}{
		// Nothing routes a case without category: it stays with the central office.
		{"calm complaint: default level, category by keywords",
			Input{Reg: reg("窗口工作人员态度不好，说话很冲。")}, "low", "conduct", "discipline", nil, "registrar",
			[]string{"keywords:conduct"}, []string{"态度"}},
		{"media threat: the most severe level wins over the legal rule",
			Input{Reg: reg("如果今天不给说法，我就找电视台曝光，还要找律师起诉你们。")}, "high", "", "office", []string{"role:manager", "department:office", "involved"}, "manager",
			[]string{"media", "legal"}, []string{"电视台", "曝光", "律师", "起诉"}},
		{"a negated threat is not a threat",
			Input{Reg: reg("我不会去找媒体，只希望把多收的钱退给我。")}, "low", "charges", "finance", nil, "registrar",
			[]string{"keywords:charges"}, []string{"多收"}},
		{"amount and category from a rule",
			Input{Reg: reg("多收了我两万元的治疗费。")}, "medium", "charges", "finance", nil, "registrar",
			[]string{"big-money"}, []string{"两万元"}},
		{"previous cases and has()",
			Input{Reg: reg("我又来投诉了，还是没人管。"), Previous: 3}, "low", "", "service", nil, "registrar",
			[]string{"repeat"}, []string{"又"}},
		{"given level stands when no rule sets one",
			Input{Reg: func() cases.Registration { g := reg("灯坏了"); g.Level = "medium"; return g }()}, "medium", "", "office", nil, "registrar",
			nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Evaluate(r, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if s.Level != tt.level || s.Category != tt.category || s.Department != tt.department || s.ConfirmBy != tt.confirm {
				t.Fatalf("got %s", Explain(s))
			}
			if !slices.Equal(s.Notify, tt.notify) {
				t.Fatalf("notify %v, want %v", s.Notify, tt.notify)
			}
			var rules, words []string
			text := []rune(Text(&tt.in.Reg))
			for _, rs := range s.Reasons {
				rules = append(rules, rs.Rule)
				for _, m := range rs.Matched {
					words = append(words, m.Text)
					if string(text[m.Start:m.End]) != m.Text {
						t.Errorf("match %q at %d:%d does not slice the text", m.Text, m.Start, m.End)
					}
				}
			}
			if !slices.Equal(rules, tt.rules) || !slices.Equal(words, tt.words) {
				t.Fatalf("rules %v words %v, want %v %v", rules, words, tt.rules, tt.words)
			}
			if len(s.Deadlines) == 0 || s.Deadlines[0].Name != "reply" {
				t.Fatalf("deadlines %+v", s.Deadlines)
			}
		})
	}
}

// TestBadRules: conditions are compiled when the pack loads, and every
// problem names the file, line and field.
func TestBadRules(t *testing.T) {
	base, err := os.ReadFile("testdata/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ rules, want string }{
		{"  - {id: a, when: 'signal(\"media\") &&', level: high, reason: {zh: x}}", "rules[0].when: condition"},
		{"  - {id: a, when: 'amount', level: high, reason: {zh: x}}", "rules[0].when"},
		{"  - {id: a, when: 'nosuchvar == 1', level: high, reason: {zh: x}}", "rules[0].when"},
		{"  - {id: a, when: 'true', level: urgent, reason: {zh: x}}", `level "urgent"`},
		{"  - {id: a, when: 'true', notify: [\"role:boss\"], reason: {zh: x}}", `unknown role "boss"`},
		{"  - {id: a, when: 'true', reason: {zh: x}}", "sets nothing"},
		{"  - {id: a, when: 'true', level: high}", "reason is required"},
		{"  - {id: a, when: 'true', level: high, reason: {zh: x}}\n  - {id: a, when: 'true', level: low, reason: {zh: y}}", `id "a" appears twice`},
	}
	for _, tt := range tests {
		_, err := policy.Parse("p.yaml", append(append([]byte{}, base...), "\nrules:\n"+tt.rules+"\n"...))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "p.yaml:") {
			t.Errorf("%s: got %v, want an error with %q", tt.rules, err, tt.want)
		}
	}
}

// TestPackSignals: a pack extends the risk-signal lexicon — a new kind its
// rules use, and an exclusion where a word means nothing there.
func TestPackSignals(t *testing.T) {
	base, err := os.ReadFile("testdata/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	extra := `
signals:
  water_quality: [黄水, 有异味, 浑浊]
  injury: ["!住院"]
rules:
  - id: water
    when: 'signal("water_quality")'
    level: high
    reason: {zh: 水质问题}
  - id: injury
    when: 'signal("injury")'
    level: medium
    reason: {zh: 人身伤害}
`
	p, err := policy.Parse("water.yaml", append(base, extra...))
	if err != nil {
		t.Fatal(err)
	}
	r := sla.Rules{Pack: p, Cal: p.CalendarOn(calendar.Default)}
	for _, tt := range []struct{ content, level string }{
		{"家里自来水是黄水，还有异味。", "high"},
		{"我母亲住院期间病房没有热水。", "low"}, // 住院 is no injury here
		{"工人施工时把我砸伤了。", "medium"},
	} {
		s, err := Evaluate(r, Input{Reg: reg(tt.content)})
		if err != nil {
			t.Fatal(err)
		}
		if s.Level != tt.level {
			t.Errorf("%s: %s, want level %s", tt.content, Explain(s), tt.level)
		}
	}
	// The built-in lexicon is left as it was.
	if _, ok := signals.Lookup(signals.Detect("我母亲住院期间病房没有热水。"), "injury"); !ok {
		t.Fatal("the pack's exclusion changed the built-in lexicon")
	}
	if _, err := policy.Parse("bad.yaml", append(base, "\nsignals:\n  Bad-Kind: [x]\n"...)); err == nil || !strings.Contains(err.Error(), "signals.Bad-Kind") {
		t.Errorf("a bad kind: %v", err)
	}
}
