package cases

import (
	"time"

	"github.com/ombud/ombud/internal/policy"
)

// Suggestion is what the pack's rules suggest for a case (R9–R13): its
// kind, category, level, departments, who is notified and who confirms the
// grade, each explained by the rules that fired and the words they matched.
// It is recorded in the registration event; people confirm or change it
// (the grade action).
type Suggestion struct {
	Kind        string   `json:"kind"`
	Category    string   `json:"category,omitempty"`
	Level       string   `json:"level"`
	Department  string   `json:"department,omitempty"`
	Departments []string `json:"departments,omitempty"`
	Notify      []string `json:"notify,omitempty"`
	ConfirmBy   string   `json:"confirm_by"`
	Reasons     []Reason `json:"reasons,omitempty"`
	// Deadlines are the limits registration starts at the suggested level.
	Deadlines []SuggestedDeadline `json:"deadlines,omitempty"`
	// Rewards are the reward rules that apply to a report.
	Rewards []policy.Reward `json:"rewards,omitempty"`
}

// Reason is one rule that fired, with what it matched.
type Reason struct {
	Rule    string      `json:"rule"`
	Reason  policy.Text `json:"reason,omitempty"`
	Source  string      `json:"source,omitempty"`
	Matched []Matched   `json:"matched,omitempty"`
}

// Matched is a piece of the complaint's text a rule relied on: a risk
// signal's words (Signal is its kind), a keyword, or a word of has().
type Matched struct {
	Signal string  `json:"signal,omitempty"`
	Text   string  `json:"text"`
	Start  int     `json:"start"` // rune offsets in the text evaluated
	End    int     `json:"end"`
	Value  float64 `json:"value,omitempty"`
}

// SuggestedDeadline is a time limit the suggestion implies.
type SuggestedDeadline struct {
	Name   string    `json:"name"`
	Within string    `json:"within"`
	DueAt  time.Time `json:"due_at"`
	// Assumed: the calendar lacked a year the limit runs into.
	Assumed bool `json:"assumed,omitempty"`
}
