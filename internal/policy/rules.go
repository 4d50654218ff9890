package policy

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"github.com/ombud/ombud/internal/signals"
)

// Rule is one grading, routing or notification rule of the rulebook: when
// its condition holds for a case, it suggests what it sets.
type Rule struct {
	ID string `yaml:"id" json:"id"`
	// When is an expr-lang boolean expression over Env.
	When        string      `yaml:"when" json:"when"`
	Level       string      `yaml:"level,omitempty" json:"level,omitempty"`
	Category    string      `yaml:"category,omitempty" json:"category,omitempty"`
	Department  string      `yaml:"department,omitempty" json:"department,omitempty"`
	Departments []string    `yaml:"departments,omitempty" json:"departments,omitempty"`
	Kind        string      `yaml:"kind,omitempty" json:"kind,omitempty"`
	Notify      []string    `yaml:"notify,omitempty" json:"notify,omitempty"`
	ConfirmBy   string      `yaml:"confirm_by,omitempty" json:"confirm_by,omitempty"`
	Reason      Text        `yaml:"reason" json:"reason"`
	Source      string      `yaml:"source,omitempty" json:"source,omitempty"`
	Program     *vm.Program `yaml:"-" json:"-"`
}

// Reward is a reward rule for reports (举报奖励): data shown with the
// suggestion of a report it applies to.
type Reward struct {
	ID      string      `yaml:"id" json:"id"`
	When    string      `yaml:"when,omitempty" json:"when,omitempty"`
	Text    Text        `yaml:"text" json:"text"`
	Source  string      `yaml:"source,omitempty" json:"source,omitempty"`
	Program *vm.Program `yaml:"-" json:"-"`
}

// Env is what a rule's condition sees of a case. Its functions are
// filled by package evaluate for each case.
type Env struct {
	Kind                 string   `expr:"kind"`
	Channel              string   `expr:"channel"`
	Category             string   `expr:"category"`
	Level                string   `expr:"level"`
	Subject              string   `expr:"subject"`
	Content              string   `expr:"content"`
	Text                 string   `expr:"text"`
	Demands              []string `expr:"demands"`
	Evidence             int      `expr:"evidence"`
	GroupSize            int      `expr:"group_size"`
	Amount               float64  `expr:"amount"`
	Anonymous            bool     `expr:"anonymous"`
	Urgent               bool     `expr:"urgent"`
	RespondentDepartment string   `expr:"respondent_department"`
	RespondentStaff      string   `expr:"respondent_staff"`
	RespondentSite       string   `expr:"respondent_site"`
	Previous             int      `expr:"previous"`
	DepartmentsMentioned []string `expr:"departments_mentioned"`
	Hour                 int      `expr:"hour"`
	Workday              bool     `expr:"workday"`

	Signal func(kind string) bool                  `expr:"signal"`
	Value  func(kind string) float64               `expr:"value"`
	Has    func(text string, words ...string) bool `expr:"has"`
}

// Roles that may confirm a grade (R12).
var ConfirmRoles = []string{"registrar", "dept_head", "manager"}

var (
	ruleIDRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	retentionRE = regexp.MustCompile(`^([1-9][0-9]?y|permanent)$`)
)

// compile compiles a condition for Env.
func compile(when string) (*vm.Program, error) {
	return expr.Compile(when, expr.Env(Env{}), expr.AsBool())
}

// notifyTarget checks a notification recipient: role:<role>,
// department:<code>, dept_head, involved or central_office.
func notifyTarget(p *Pack, t string) error {
	switch {
	case t == "dept_head" || t == "involved" || t == "central_office":
		return nil
	case strings.HasPrefix(t, "role:"):
		r := strings.TrimPrefix(t, "role:")
		if !slices.Contains([]string{"registrar", "handler", "dept_head", "manager", "auditor", "admin"}, r) {
			return fmt.Errorf("unknown role %q", r)
		}
		return nil
	case strings.HasPrefix(t, "department:"):
		d := strings.TrimPrefix(t, "department:")
		if _, ok := p.Dept(d); !ok {
			return fmt.Errorf("department %q is not one of the departments", d)
		}
		return nil
	}
	return fmt.Errorf("unknown recipient %q: use role:<role>, department:<code>, dept_head, involved or central_office", t)
}

func (v *validator) rules(p *Pack, levels map[string]bool) {
	for i, l := range p.Levels {
		if l.ConfirmBy != "" && !slices.Contains(ConfirmRoles, l.ConfirmBy) {
			v.fail(fmt.Sprintf("confirm_by must be one of %s", strings.Join(ConfirmRoles, ", ")), "levels", i, "confirm_by")
		}
		if l.Retention != "" && !retentionRE.MatchString(l.Retention) {
			v.fail(`retention is a number of years ("5y") or "permanent"`, "levels", i, "retention")
		}
		for j, s := range l.Sanctions {
			v.text(s, "levels", i, "sanctions", j)
		}
	}
	for i, c := range p.Categories {
		for j, k := range c.Keywords {
			if strings.TrimSpace(k) == "" {
				v.fail("empty keyword", "categories", i, "keywords", j)
			}
		}
	}
	ids := map[string]bool{}
	for i := range p.Rules {
		r := &p.Rules[i]
		switch {
		case !ruleIDRE.MatchString(r.ID):
			v.fail("id is required: lower-case letters, digits, _ or -", "rules", i, "id")
		case ids[r.ID]:
			v.fail(fmt.Sprintf("id %q appears twice", r.ID), "rules", i, "id")
		}
		ids[r.ID] = true
		if strings.TrimSpace(r.When) == "" {
			v.fail("when is required: a condition such as 'signal(\"media\")'", "rules", i, "when")
		} else if prog, err := compile(r.When); err != nil {
			v.fail("condition: "+oneLine(err.Error()), "rules", i, "when")
		} else {
			r.Program = prog
		}
		if r.Level != "" && !levels[r.Level] {
			v.fail(fmt.Sprintf("level %q is not one of the levels", r.Level), "rules", i, "level")
		}
		if _, ok := p.Category(r.Category); r.Category != "" && !ok {
			v.fail(fmt.Sprintf("category %q is not one of the categories", r.Category), "rules", i, "category")
		}
		for j, d := range append([]string{r.Department}, r.Departments...) {
			if _, ok := p.Dept(d); d != "" && !ok {
				path := []any{"rules", i, "department"}
				if j > 0 {
					path = []any{"rules", i, "departments", j - 1}
				}
				v.fail(fmt.Sprintf("department %q is not one of the departments", d), path...)
			}
		}
		if _, ok := p.Kind(r.Kind); r.Kind != "" && !ok {
			v.fail(fmt.Sprintf("kind %q is not one of the kinds", r.Kind), "rules", i, "kind")
		}
		for j, t := range r.Notify {
			if err := notifyTarget(p, t); err != nil {
				v.fail(err.Error(), "rules", i, "notify", j)
			}
		}
		if r.ConfirmBy != "" && !slices.Contains(ConfirmRoles, r.ConfirmBy) {
			v.fail(fmt.Sprintf("confirm_by must be one of %s", strings.Join(ConfirmRoles, ", ")), "rules", i, "confirm_by")
		}
		if r.Reason == nil {
			v.fail("reason is required: what the rule means, shown with the suggestion", "rules", i, "reason")
		} else {
			v.text(r.Reason, "rules", i, "reason")
		}
		if r.Level == "" && r.Category == "" && r.Department == "" && len(r.Departments) == 0 && r.Kind == "" &&
			len(r.Notify) == 0 && r.ConfirmBy == "" {
			v.fail("the rule sets nothing: give level, category, department, departments, kind, notify or confirm_by", "rules", i)
		}
	}
	if len(p.Signals) > 0 {
		p.Lexicon = signals.Default()
	}
	for _, kind := range slices.Sorted(maps.Keys(p.Signals)) {
		if err := p.Lexicon.Extend(kind, p.Signals[kind]...); err != nil {
			v.fail(strings.TrimPrefix(err.Error(), "signals: "), "signals", kind)
		}
	}
	rewardIDs := map[string]bool{}
	for i := range p.Rewards {
		r := &p.Rewards[i]
		switch {
		case !ruleIDRE.MatchString(r.ID):
			v.fail("id is required: lower-case letters, digits, _ or -", "rewards", i, "id")
		case rewardIDs[r.ID]:
			v.fail(fmt.Sprintf("id %q appears twice", r.ID), "rewards", i, "id")
		}
		rewardIDs[r.ID] = true
		v.text(r.Text, "rewards", i, "text")
		if r.When != "" {
			prog, err := compile(r.When)
			if err != nil {
				v.fail("condition: "+oneLine(err.Error()), "rewards", i, "when")
			}
			r.Program = prog
		}
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
