// Package policy holds policy packs: an organization's complaint-handling
// rulebook (制度) as declarative, validated configuration — its departments,
// categories and their routing, levels with time limits and review rules,
// kinds and channels, and the case-number format.
package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/signals"
)

// Text is a user-visible string in several languages, keyed "zh" and "en".
type Text map[string]string

// In returns the text for lang ("zh-CN", "en", ...), falling back to Chinese.
func (t Text) In(lang string) string {
	if strings.HasPrefix(lang, "en") {
		if s := t["en"]; s != "" {
			return s
		}
	}
	if s := t["zh"]; s != "" {
		return s
	}
	return t["en"]
}

// Pack is one organization's rulebook.
type Pack struct {
	ID            string     `yaml:"id" json:"id"`
	Version       int        `yaml:"version" json:"version"`
	Name          Text       `yaml:"name" json:"name"`
	Organization  Text       `yaml:"organization" json:"organization"`
	Source        string     `yaml:"source,omitempty" json:"source,omitempty"`
	CentralOffice string     `yaml:"central_office" json:"central_office"`
	Numbering     Numbering  `yaml:"numbering" json:"numbering"`
	Kinds         []Kind     `yaml:"kinds" json:"kinds"`
	Channels      []Channel  `yaml:"channels" json:"channels"`
	Departments   []Dept     `yaml:"departments" json:"departments"`
	Categories    []Category `yaml:"categories" json:"categories"`
	Levels        []Level    `yaml:"levels" json:"levels"`
	DefaultLevel  string     `yaml:"default_level" json:"default_level"`
	// TimeLimits, Supervision, Extensions and Calendar are the pack's time
	// rules (see limits.go).
	TimeLimits  []TimeLimit   `yaml:"time_limits,omitempty" json:"time_limits,omitempty"`
	Supervision Supervision   `yaml:"supervision,omitempty" json:"supervision"`
	Extensions  Extensions    `yaml:"extensions,omitempty" json:"extensions"`
	Calendar    CalendarRules `yaml:"calendar,omitempty" json:"calendar"`
	// Rules grade, route and notify (see rules.go); Rewards are the reward
	// rules for reports.
	Rules   []Rule   `yaml:"rules,omitempty" json:"rules,omitempty"`
	Rewards []Reward `yaml:"rewards,omitempty" json:"rewards,omitempty"`
	// Signals extend the risk-signal lexicon for this organization: words
	// per kind (a new kind is created), "!word" to exclude a phrase, e.g.
	// injury: ["!住院"] where every ward complaint mentions 住院.
	Signals map[string][]string `yaml:"signals,omitempty" json:"signals,omitempty"`
	// Lexicon is the built-in lexicon with Signals added (set on load).
	Lexicon *signals.Lexicon `yaml:"-" json:"-"`
}

// Numbering says how case numbers look and when their serial restarts.
type Numbering struct {
	// Format uses {prefix} (the kind's prefix), {yyyy}, {yy}, {mm} and
	// {seq:N} (the serial, zero-padded to N digits), e.g. "{prefix}{yyyy}{mm}-{seq:4}".
	Format string `yaml:"format" json:"format"`
	// Reset is "monthly", "yearly" or "never".
	Reset string `yaml:"reset" json:"reset"`
}

// Kind is a kind of contact the organization takes (咨询, 建议, 投诉, 举报).
type Kind struct {
	Code   string `yaml:"code" json:"code"`
	Label  Text   `yaml:"label" json:"label"`
	Prefix string `yaml:"prefix" json:"prefix"`
	// Confidential: who contacts the organization this way is protected
	// (R30): their identity is sealed at rest, revealed only to a manager
	// with a reason, and the case is seen only by its own handler in the
	// department. Unset, a kind is confidential when its code is report
	// (举报).
	Confidential *bool `yaml:"confidential,omitempty" json:"confidential,omitempty"`
}

// IsConfidential reports whether cases of kind k are confidential.
func (k Kind) IsConfidential() bool {
	if k.Confidential != nil {
		return *k.Confidential
	}
	return k.Code == "report"
}

// Confidential reports whether cases of kind code are confidential under p.
func (p *Pack) Confidential(code string) bool {
	k, ok := p.Kind(code)
	return ok && k.IsConfidential()
}

// Channel is an intake channel the organization uses.
type Channel struct {
	Code  string `yaml:"code" json:"code"`
	Label Text   `yaml:"label" json:"label"`
}

// Dept is a department that handles cases.
type Dept struct {
	Code string `yaml:"code" json:"code"`
	Name Text   `yaml:"name" json:"name"`
}

// Category is a subject category; it routes to a default department.
type Category struct {
	Code       string `yaml:"code" json:"code"`
	Name       Text   `yaml:"name" json:"name"`
	Department string `yaml:"department" json:"department"`
	// Keywords suggest the category from a complaint's text when no rule
	// sets one.
	Keywords []string `yaml:"keywords,omitempty" json:"keywords,omitempty"`
}

// Review says who must approve a department's proposed reply.
type Review string

const (
	ReviewNone     Review = "none"      // the proposal is approved as it is proposed
	ReviewDeptHead Review = "dept_head" // the department head approves
	ReviewManager  Review = "manager"   // the responsible leader (分管领导) approves
)

// Level is a grade of seriousness with its time limit and review rule.
type Level struct {
	Code        string `yaml:"code" json:"code"`
	Name        Text   `yaml:"name" json:"name"`
	Description Text   `yaml:"description,omitempty" json:"description,omitempty"`
	// ReplyWithin is the time limit for the reply, e.g. "2wd" (see calendar.ParseDuration).
	ReplyWithinText string            `yaml:"reply_within" json:"reply_within"`
	ReplyWithin     calendar.Duration `yaml:"-" json:"-"`
	Review          Review            `yaml:"review" json:"review"`
	// ConfirmBy is who confirms a grade at this level (R12): registrar
	// (the default), dept_head or manager.
	ConfirmBy string `yaml:"confirm_by,omitempty" json:"confirm_by,omitempty"`
	// Retention is how long closed cases of the level are kept (R27):
	// "2y" … or "permanent". Sanctions are the sanctions the rulebook
	// sets for the level (data; applying them is later work).
	Retention string `yaml:"retention,omitempty" json:"retention,omitempty"`
	Sanctions []Text `yaml:"sanctions,omitempty" json:"sanctions,omitempty"`
}

// Severity is the rank of level code: 0 for the most severe (levels are
// listed from the most to the least severe), len(Levels) if unknown.
func (p *Pack) Severity(code string) int {
	for i, l := range p.Levels {
		if l.Code == code {
			return i
		}
	}
	return len(p.Levels)
}

// Kind returns the kind with code, if the pack has it.
func (p *Pack) Kind(code string) (Kind, bool) {
	return find(p.Kinds, code, func(k Kind) string { return k.Code })
}

// Channel returns the channel with code, if the pack has it.
func (p *Pack) Channel(code string) (Channel, bool) {
	return find(p.Channels, code, func(c Channel) string { return c.Code })
}

// Dept returns the department with code, if the pack has it.
func (p *Pack) Dept(code string) (Dept, bool) {
	return find(p.Departments, code, func(d Dept) string { return d.Code })
}

// Category returns the category with code, if the pack has it.
func (p *Pack) Category(code string) (Category, bool) {
	return find(p.Categories, code, func(c Category) string { return c.Code })
}

// Level returns the level with code, if the pack has it.
func (p *Pack) Level(code string) (Level, bool) {
	return find(p.Levels, code, func(l Level) string { return l.Code })
}

func find[T any](items []T, code string, key func(T) string) (T, bool) {
	for _, it := range items {
		if key(it) == code {
			return it, true
		}
	}
	var zero T
	return zero, false
}

// Series returns the numbering series a case registered at t of the given
// kind belongs to, and formats serial n in it. Serials restart whenever the
// series key changes (each month with reset: monthly).
func (p *Pack) Series(kind string, t time.Time) string {
	k, _ := p.Kind(kind)
	local := t.In(calendar.Shanghai)
	key := k.Prefix
	switch p.Numbering.Reset {
	case "monthly":
		key += local.Format("200601")
	case "yearly":
		key += local.Format("2006")
	}
	return p.ID + ":" + key
}

// FormatNumber renders serial n of a case of kind registered at t.
func (p *Pack) FormatNumber(kind string, t time.Time, n int64) string {
	k, _ := p.Kind(kind)
	local := t.In(calendar.Shanghai)
	out := p.Numbering.Format
	out = strings.ReplaceAll(out, "{prefix}", k.Prefix)
	out = strings.ReplaceAll(out, "{yyyy}", local.Format("2006"))
	out = strings.ReplaceAll(out, "{yy}", local.Format("06"))
	out = strings.ReplaceAll(out, "{mm}", local.Format("01"))
	if i := strings.Index(out, "{seq:"); i >= 0 {
		j := strings.Index(out[i:], "}")
		width := 0
		fmt.Sscanf(out[i+5:i+j], "%d", &width)
		out = out[:i] + fmt.Sprintf("%0*d", width, n) + out[i+j+1:]
	}
	return out
}
