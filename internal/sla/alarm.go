package sla

import (
	"slices"
	"time"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
)

// Alarm is the supervisor's work on a case at one moment: reminders that
// fell due and missed limits to escalate.
type Alarm struct {
	// Type is the event to write: cases.EventEscalate when any limit was
	// missed, else cases.EventRemind.
	Type string
	Ops  []cases.ClockOp
	// Reminded and Escalated name the clocks concerned.
	Reminded, Escalated []string
	// Inform: the complainant must now be told the case is late.
	Inform bool
}

// lateToTell are the clocks whose breach the complainant must be told of.
var lateToTell = []string{policy.ClockReply, policy.ClockCompletion}

// AlarmAt returns the work due on case c at now, or nil when there is none.
// Reminders that fell due while nobody looked are sent once, as one; a
// limit already missed is escalated without its reminders.
func (r Rules) AlarmAt(c *cases.Case, now time.Time) *Alarm {
	a := &Alarm{Type: cases.EventRemind}
	for _, k := range c.Clocks {
		if k.State != cases.ClockRunning {
			continue
		}
		switch {
		case !now.Before(k.Due) && !k.Escalated:
			a.Ops = append(a.Ops, cases.ClockOp{Op: cases.OpEscalate, Name: k.Name})
			a.Escalated = append(a.Escalated, k.Name)
			a.Type = cases.EventEscalate
			if r.Pack.Supervision.TellComplainant && slices.Contains(lateToTell, k.Name) && c.Inform == "" {
				a.Inform = true
			}
		case k.Reminded < len(k.Remind) && !now.Before(k.Remind[k.Reminded]):
			a.Ops = append(a.Ops, cases.ClockOp{Op: cases.OpRemind, Name: k.Name, N: countBefore(k.Remind, now)})
			a.Reminded = append(a.Reminded, k.Name)
		}
	}
	if len(a.Ops) == 0 {
		return nil
	}
	return a
}
