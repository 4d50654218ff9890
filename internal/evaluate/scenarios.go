package evaluate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/sla"
)

// Scenario is a case from the rulebook's own text with the suggestion the
// pack must make for it.
type Scenario struct {
	Name     string         `yaml:"name"`
	Source   string         `yaml:"source"`
	Case     map[string]any `yaml:"case"`
	Previous int            `yaml:"previous"`
	Expect   Expect         `yaml:"expect"`
	Line     int            `yaml:"-"`
}

// Expect is what a scenario checks; only what is given.
type Expect struct {
	Level       string            `yaml:"level"`
	Kind        string            `yaml:"kind"`
	Category    *string           `yaml:"category"`
	Department  *string           `yaml:"department"`
	Departments []string          `yaml:"departments"`
	Notify      []string          `yaml:"notify"`
	ConfirmBy   string            `yaml:"confirm_by"`
	Rules       []string          `yaml:"rules"`
	NotRules    []string          `yaml:"not_rules"`
	Deadlines   map[string]string `yaml:"deadlines"`
}

// ScenarioFile is a pack's scenario file.
type ScenarioFile struct {
	Pack      string     `yaml:"pack"`
	Scenarios []Scenario `yaml:"scenarios"`
}

// ParseScenarios reads a scenario file.
func ParseScenarios(name string, data []byte) (*ScenarioFile, error) {
	var f ScenarioFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err == nil && len(root.Content) > 0 {
		for _, n := range mapValue(root.Content[0], "scenarios").Content {
			if i := slices.IndexFunc(f.Scenarios, func(s Scenario) bool { return s.Line == 0 }); i >= 0 {
				f.Scenarios[i].Line = n.Line
			}
		}
	}
	return &f, nil
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1]
			}
		}
	}
	return &yaml.Node{}
}

// Registration decodes the scenario's case as the API would.
func (s *Scenario) Registration() (cases.Registration, error) {
	var r cases.Registration
	data, err := json.Marshal(s.Case)
	if err != nil {
		return r, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return r, fmt.Errorf("case: %w", err)
	}
	return r, nil
}

// Run evaluates the scenario and returns what differs from its
// expectation (nothing when it passes) and the suggestion.
func (s *Scenario) Run(r sla.Rules) ([]string, *cases.Suggestion, error) {
	reg, err := s.Registration()
	if err != nil {
		return nil, nil, err
	}
	if reg.ReceivedAt.IsZero() {
		return nil, nil, fmt.Errorf("case: received_at is required, so that deadlines are stable")
	}
	reg.Normalize(r.Pack, reg.ReceivedAt, "scenario")
	if fe := reg.Validate(r.Pack, reg.ReceivedAt.Add(time.Minute)); fe != nil {
		return nil, nil, fmt.Errorf("case: %w", fe)
	}
	if s.Case["level"] == nil {
		reg.Level = "" // not given: the rules decide
	}
	sug, err := Evaluate(r, Input{Reg: reg, Previous: s.Previous})
	if err != nil {
		return nil, nil, err
	}
	var diffs []string
	e := s.Expect
	check := func(what, want, got string) {
		if want != "" && want != got {
			diffs = append(diffs, fmt.Sprintf("%s: got %q, want %q", what, got, want))
		}
	}
	check("level", e.Level, sug.Level)
	check("kind", e.Kind, sug.Kind)
	check("confirm_by", e.ConfirmBy, sug.ConfirmBy)
	if e.Category != nil && *e.Category != sug.Category {
		diffs = append(diffs, fmt.Sprintf("category: got %q, want %q", sug.Category, *e.Category))
	}
	if e.Department != nil && *e.Department != sug.Department {
		diffs = append(diffs, fmt.Sprintf("department: got %q, want %q", sug.Department, *e.Department))
	}
	if e.Departments != nil {
		got, want := slices.Sorted(slices.Values(sug.Departments)), slices.Sorted(slices.Values(e.Departments))
		if !slices.Equal(got, want) {
			diffs = append(diffs, fmt.Sprintf("departments: got %v, want %v", sug.Departments, e.Departments))
		}
	}
	for _, n := range e.Notify {
		if !slices.Contains(sug.Notify, n) {
			diffs = append(diffs, fmt.Sprintf("notify: %q missing from %v", n, sug.Notify))
		}
	}
	fired := func(id string) bool {
		return slices.ContainsFunc(sug.Reasons, func(r cases.Reason) bool { return r.Rule == id })
	}
	for _, id := range e.Rules {
		if !fired(id) {
			diffs = append(diffs, fmt.Sprintf("rule %s did not fire", id))
		}
	}
	for _, id := range e.NotRules {
		if fired(id) {
			diffs = append(diffs, fmt.Sprintf("rule %s fired", id))
		}
	}
	for name, want := range e.Deadlines {
		i := slices.IndexFunc(sug.Deadlines, func(d cases.SuggestedDeadline) bool { return d.Name == name })
		if i < 0 {
			diffs = append(diffs, fmt.Sprintf("deadline %s: none, want %s", name, want))
			continue
		}
		if got := OfficeTime(sug.Deadlines[i].DueAt); got != want {
			diffs = append(diffs, fmt.Sprintf("deadline %s: got %s, want %s", name, got, want))
		}
	}
	slices.Sort(diffs)
	return diffs, sug, nil
}

// OfficeTime writes a due time as the office calendar does, in
// Asia/Shanghai: "2026-10-09 24:00" for the end of a day.
func OfficeTime(t time.Time) string {
	local := t.In(calendar.Shanghai)
	if local.Hour() == 0 && local.Minute() == 0 && local.Second() == 0 {
		return local.Add(-time.Minute).Format("2006-01-02") + " 24:00"
	}
	return local.Format("2006-01-02 15:04")
}

// Explain is a one-line account of a suggestion, for failure reports.
func Explain(s *cases.Suggestion) string {
	var rules []string
	for _, r := range s.Reasons {
		var words []string
		for _, m := range r.Matched {
			words = append(words, m.Text)
		}
		if len(words) > 0 {
			rules = append(rules, r.Rule+"["+strings.Join(words, ",")+"]")
		} else {
			rules = append(rules, r.Rule)
		}
	}
	return fmt.Sprintf("level=%s kind=%s category=%s department=%s departments=%v notify=%v confirm_by=%s rules=%v",
		s.Level, s.Kind, s.Category, s.Department, s.Departments, s.Notify, s.ConfirmBy, rules)
}

// TestPack runs the scenario file of a pack (a built-in name or a file)
// and writes one line per scenario to w, with what differs and why for
// each failure. It returns the number of scenarios and of failures.
func TestPack(nameOrFile string, w io.Writer) (total, failed int, err error) {
	pack, err := policy.Load(nameOrFile)
	if err != nil {
		return 0, 0, err
	}
	name, data, err := policy.ScenarioData(nameOrFile)
	if err != nil {
		return 0, 0, err
	}
	f, err := ParseScenarios(name, data)
	if err != nil {
		return 0, 0, err
	}
	if f.Pack != "" && f.Pack != pack.ID {
		return 0, 0, fmt.Errorf("%s: the scenarios are for pack %q, not %q", name, f.Pack, pack.ID)
	}
	r := sla.Rules{Pack: pack, Cal: pack.CalendarOn(calendar.Default)}
	for _, s := range f.Scenarios {
		total++
		diffs, sug, err := s.Run(r)
		switch {
		case err != nil:
			failed++
			fmt.Fprintf(w, "FAIL %s:%d %s\n    %v\n", name, s.Line, s.Name, err)
		case len(diffs) > 0:
			failed++
			fmt.Fprintf(w, "FAIL %s:%d %s\n", name, s.Line, s.Name)
			for _, d := range diffs {
				fmt.Fprintf(w, "    %s\n", d)
			}
			fmt.Fprintf(w, "    suggestion: %s\n", Explain(sug))
		default:
			fmt.Fprintf(w, "ok   %s\n", s.Name)
		}
	}
	if total == 0 {
		return 0, 0, fmt.Errorf("%s: no scenarios", name)
	}
	return total, failed, nil
}
