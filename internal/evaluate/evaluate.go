// Package evaluate runs a policy pack's rules over a complaint: it detects
// risk signals in the text, evaluates every rule's condition, and combines
// what the firing rules set into a suggestion — kind, category, level,
// departments, notifications, who confirms, deadlines — with the rule ids
// and matched words that explain each part.
package evaluate

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/expr-lang/expr"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/signals"
	"github.com/ombud/ombud/internal/sla"
)

// Input is a complaint to evaluate: its registration record as given (the
// level and category the registrant chose, if any) and how many earlier
// cases came from the same phone number.
type Input struct {
	Reg      cases.Registration
	Previous int
}

// Text is the text rules and signals read: subject, content and the note
// on demands, one per line. Match offsets count runes in it.
func Text(r *cases.Registration) string {
	return r.Subject + "\n" + r.Content + "\n" + r.DemandNote
}

// Evaluate runs the rules of r.Pack on in.
func Evaluate(r sla.Rules, in Input) (*cases.Suggestion, error) {
	p := r.Pack
	reg := in.Reg
	text := Text(&reg)
	var found []signals.Signal
	if p.Lexicon != nil {
		found = p.Lexicon.Detect(text)
	} else {
		found = signals.Detect(text)
	}
	env := environment(r, &reg, text, found, in.Previous)

	s := &cases.Suggestion{Kind: reg.Kind}
	levelSet, kindSet := false, false
	for i := range p.Rules {
		rule := &p.Rules[i]
		out, err := expr.Run(rule.Program, env)
		if err != nil {
			return nil, fmt.Errorf("rule %s: %w", rule.ID, err)
		}
		if ok, _ := out.(bool); !ok {
			continue
		}
		if rule.Level != "" && (!levelSet || p.Severity(rule.Level) < p.Severity(s.Level)) {
			s.Level, levelSet = rule.Level, true
		}
		if rule.Category != "" && s.Category == "" {
			s.Category = rule.Category
		}
		if rule.Department != "" && s.Department == "" {
			s.Department = rule.Department
		}
		if rule.Kind != "" && !kindSet {
			s.Kind, kindSet = rule.Kind, true
		}
		if rule.ConfirmBy != "" && s.ConfirmBy == "" {
			s.ConfirmBy = rule.ConfirmBy
		}
		s.Departments = appendNew(s.Departments, rule.Departments...)
		s.Notify = appendNew(s.Notify, rule.Notify...)
		s.Reasons = append(s.Reasons, cases.Reason{Rule: rule.ID, Reason: rule.Reason, Source: rule.Source,
			Matched: matches(rule.When, text, found)})
	}
	if !levelSet {
		s.Level = reg.Level
		if s.Level == "" {
			s.Level = p.DefaultLevel
		}
	}
	if s.Category == "" {
		s.Category = reg.Category
	}
	if s.Category == "" {
		if code, m := byKeywords(p, text); code != "" {
			s.Category = code
			s.Reasons = append(s.Reasons, cases.Reason{Rule: "keywords:" + code, Matched: m,
				Reason: policy.Text{"zh": "文字与该类别的关键词相符", "en": "The text matches the category's keywords"}})
		}
	}
	if s.Department == "" {
		if c, ok := p.Category(s.Category); ok {
			s.Department = c.Department
		}
	}
	if s.Department != "" {
		s.Departments = appendNew([]string{s.Department}, s.Departments...)
	} else {
		// Nothing routes it: it stays with the central office (多口归一),
		// which is not thereby a department involved.
		s.Department = p.CentralOffice
	}
	if s.ConfirmBy == "" {
		if l, ok := p.Level(s.Level); ok {
			s.ConfirmBy = l.ConfirmBy
		}
	}
	if s.ConfirmBy == "" {
		s.ConfirmBy = "registrar"
	}
	for i := range p.Rewards {
		rw := p.Rewards[i]
		if rw.Program != nil {
			out, err := expr.Run(rw.Program, env)
			if err != nil {
				return nil, fmt.Errorf("reward %s: %w", rw.ID, err)
			}
			if ok, _ := out.(bool); !ok {
				continue
			}
		} else if s.Kind != "report" {
			continue
		}
		rw.Program = nil
		s.Rewards = append(s.Rewards, rw)
	}
	// The deadlines registration starts at the suggested kind and level.
	sug := reg
	sug.Kind, sug.Level = s.Kind, s.Level
	for _, op := range r.Registered(&sug) {
		if op.Clock != nil {
			s.Deadlines = append(s.Deadlines, cases.SuggestedDeadline{Name: op.Name, Within: op.Clock.Within,
				DueAt: op.Clock.Due, Assumed: op.Clock.Assumed})
		}
	}
	return s, nil
}

func appendNew(list []string, more ...string) []string {
	for _, x := range more {
		if x != "" && !slices.Contains(list, x) {
			list = append(list, x)
		}
	}
	return list
}

// environment is what the rules see of the case.
func environment(r sla.Rules, reg *cases.Registration, text string, found []signals.Signal, previous int) policy.Env {
	p := r.Pack
	evidence := 0
	for _, e := range reg.Evidence {
		evidence += e.Count
	}
	value := func(kind string) float64 {
		s, _ := signals.Lookup(found, kind)
		return s.Value
	}
	group := max(reg.Complainant.GroupSize, int(value("group")), 1)
	var mentioned []string
	for _, d := range p.Departments {
		if name := d.Name["zh"]; name != "" && (strings.Contains(text, name) || strings.Contains(reg.Respondent.Department, name)) ||
			reg.Respondent.Department == d.Code {
			mentioned = append(mentioned, d.Code)
		}
	}
	local := reg.ReceivedAt.In(calendar.Shanghai)
	return policy.Env{
		Kind: reg.Kind, Channel: reg.Channel, Category: reg.Category, Level: reg.Level,
		Subject: reg.Subject, Content: reg.Content, Text: text,
		Demands: append([]string{}, reg.Demands...), Evidence: evidence, GroupSize: group, Amount: value("amount"),
		Anonymous: reg.Complainant.Anonymous, Urgent: reg.Urgent,
		RespondentDepartment: reg.Respondent.Department, RespondentStaff: reg.Respondent.Staff,
		RespondentSite: reg.Respondent.Site, Previous: previous, DepartmentsMentioned: mentioned,
		Hour: local.Hour(), Workday: r.Cal.IsWorkingDay(local),
		Signal: func(kind string) bool { _, ok := signals.Lookup(found, kind); return ok },
		Value:  value,
		Has: func(s string, words ...string) bool {
			for _, w := range words {
				if w != "" && strings.Contains(s, w) {
					return true
				}
			}
			return false
		},
	}
}

var (
	signalCall = regexp.MustCompile(`\b(?:signal|value)\(\s*["']([a-z_]+)["']\s*\)`)
	hasCall    = regexp.MustCompile(`\bhas\(\s*[a-z_]+\s*,([^)]*)\)`)
	quoted     = regexp.MustCompile(`"([^"]*)"|'([^']*)'`)
)

// matches lists what a rule's condition relied on: the matches of the
// signals it names, and the first occurrence of each has() word found.
func matches(when, text string, found []signals.Signal) []cases.Matched {
	var out []cases.Matched
	seen := map[string]bool{}
	for _, m := range signalCall.FindAllStringSubmatch(when, -1) {
		kind := m[1]
		if seen[kind] {
			continue
		}
		seen[kind] = true
		if s, ok := signals.Lookup(found, kind); ok {
			for _, x := range s.Matches {
				if !x.Negated {
					out = append(out, cases.Matched{Signal: kind, Text: x.Text, Start: x.Start, End: x.End, Value: x.Value})
				}
			}
		}
	}
	for _, m := range hasCall.FindAllStringSubmatch(when, -1) {
		for _, q := range quoted.FindAllStringSubmatch(m[1], -1) {
			w := q[1] + q[2]
			if w == "" || seen["word:"+w] {
				continue
			}
			seen["word:"+w] = true
			if m, ok := find(text, w); ok && !slices.ContainsFunc(out, func(x cases.Matched) bool {
				return x.Start <= m.Start && m.End <= x.End
			}) {
				out = append(out, m)
			}
		}
	}
	return out
}

// find returns the first occurrence of w in text with rune offsets.
func find(text, w string) (cases.Matched, bool) {
	i := strings.Index(text, w)
	if i < 0 {
		return cases.Matched{}, false
	}
	start := len([]rune(text[:i]))
	return cases.Matched{Text: w, Start: start, End: start + len([]rune(w))}, true
}

// byKeywords picks the category whose keywords occur most often in text
// (ties: the first in the pack), with the matches.
func byKeywords(p *policy.Pack, text string) (string, []cases.Matched) {
	best, bestN := "", 0
	var bestM []cases.Matched
	for _, c := range p.Categories {
		n := 0
		var ms []cases.Matched
		for _, k := range c.Keywords {
			if c := strings.Count(text, k); c > 0 {
				n += c
				if m, ok := find(text, k); ok {
					ms = append(ms, m)
				}
			}
		}
		if n > bestN {
			best, bestN, bestM = c.Code, n, ms
		}
	}
	return best, bestM
}
