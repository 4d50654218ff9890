package cases

import (
	"fmt"
	"slices"
	"time"
)

// ClockState is where an SLA clock stands, as stored. Whether a running
// clock has breached depends on the time of asking; see Clock.StateAt.
type ClockState string

const (
	ClockRunning   ClockState = "running"
	ClockPaused    ClockState = "paused"
	ClockStopped   ClockState = "stopped"   // its step was done; met or breached
	ClockCancelled ClockState = "cancelled" // its step no longer applies (voided, not accepted ...)
)

// Clock is one time limit of a case (R19–R21): the step it times (first
// contact, acceptance decision, department's proposal, reply, completion,
// return visit), when it started and when it is due. The workflow computes
// every instant on the organization's calendar and records it in events,
// so that replaying a case never needs the calendar or the pack.
type Clock struct {
	Name string `json:"name"`
	// Within is the limit as the pack wrote it, e.g. "2wd"; its unit says
	// how paused time and thresholds are counted.
	Within string    `json:"within"`
	Start  time.Time `json:"start"`
	Due    time.Time `json:"due"`
	// Assumed: the holiday calendar lacked a year the limit runs into, so
	// Due assumed Monday to Friday for it.
	Assumed bool       `json:"assumed,omitempty"`
	State   ClockState `json:"state"`
	// PausedAt and PauseReason are set while the clock is paused.
	PausedAt    *time.Time `json:"paused_at,omitempty"`
	PauseReason string     `json:"pause_reason,omitempty"`
	StoppedAt   *time.Time `json:"stopped_at,omitempty"`
	// Remind are the instants reminders are due (thresholds such as 75% of
	// the time); Reminded counts those already sent.
	Remind   []time.Time `json:"remind,omitempty"`
	Reminded int         `json:"reminded,omitempty"`
	// Escalated: the breach was escalated (督办).
	Escalated bool `json:"escalated,omitempty"`
	// ExtendedDays is the total of approved extensions, in the unit of the
	// pack's extension bound.
	ExtendedDays int `json:"extended_days,omitempty"`
}

// Deadline states as shown to users.
const (
	DeadlineRunning  = "running"
	DeadlinePaused   = "paused"
	DeadlineMet      = "met"
	DeadlineBreached = "breached"
)

// StateAt is the clock's state as users see it at now: running, paused,
// met or breached. A cancelled clock has none ("").
func (k *Clock) StateAt(now time.Time) string {
	switch k.State {
	case ClockStopped:
		if k.StoppedAt != nil && k.StoppedAt.After(k.Due) {
			return DeadlineBreached
		}
		return DeadlineMet
	case ClockPaused:
		return DeadlinePaused
	case ClockRunning:
		if now.After(k.Due) {
			return DeadlineBreached
		}
		return DeadlineRunning
	}
	return ""
}

// nextAlarm is when the supervisor must next look at the clock: its next
// reminder, or its due time until the breach has been escalated.
func (k *Clock) nextAlarm() *time.Time {
	if k.State != ClockRunning {
		return nil
	}
	if k.Reminded < len(k.Remind) {
		t := k.Remind[k.Reminded]
		return &t
	}
	if !k.Escalated {
		t := k.Due
		return &t
	}
	return nil
}

// Clock returns the case's clock called name, if it has one.
func (c *Case) Clock(name string) *Clock {
	for i := range c.Clocks {
		if c.Clocks[i].Name == name {
			return &c.Clocks[i]
		}
	}
	return nil
}

// OpenDue is the earliest due time of the case's running clocks: the
// due_at column that the overdue filter, the due-soon list and the sweep
// read. Paused, stopped and cancelled clocks have none.
func (c *Case) OpenDue() *time.Time {
	var out *time.Time
	for i := range c.Clocks {
		k := &c.Clocks[i]
		if k.State == ClockRunning && (out == nil || k.Due.Before(*out)) {
			t := k.Due
			out = &t
		}
	}
	return out
}

// AlarmAt is the earliest instant the supervisor has work on the case: a
// reminder or an escalation. nil when there is none.
func (c *Case) AlarmAt() *time.Time {
	var out *time.Time
	for i := range c.Clocks {
		if t := c.Clocks[i].nextAlarm(); t != nil && (out == nil || t.Before(*out)) {
			out = t
		}
	}
	return out
}

// ClockOp is one change to a case's clocks, recorded in an event's
// payload: set (start a clock, or replace it with new times: on a level
// change, on resuming, on an extension), stop, cancel, pause, remind (N
// reminders now sent) and escalate.
type ClockOp struct {
	Op    string `json:"op"`
	Name  string `json:"name"`
	Clock *Clock `json:"clock,omitempty"`
	N     int    `json:"n,omitempty"`
}

// Clock operations.
const (
	OpSet      = "set"
	OpStop     = "stop"
	OpCancel   = "cancel"
	OpPause    = "pause"
	OpRemind   = "remind"
	OpEscalate = "escalate"
)

func applyClocks(c *Case, ops []ClockOp, at time.Time, reason string) error {
	for _, op := range ops {
		if op.Op == OpSet {
			if op.Clock == nil || op.Clock.Name != op.Name {
				return fmt.Errorf("clock op set %q without its clock", op.Name)
			}
			k := *op.Clock
			if i := slices.IndexFunc(c.Clocks, func(x Clock) bool { return x.Name == op.Name }); i >= 0 {
				c.Clocks[i] = k
			} else {
				c.Clocks = append(c.Clocks, k)
			}
			continue
		}
		k := c.Clock(op.Name)
		if k == nil {
			return fmt.Errorf("clock op %s on clock %q the case does not have", op.Op, op.Name)
		}
		switch op.Op {
		case OpStop:
			k.State, k.StoppedAt, k.PausedAt, k.PauseReason = ClockStopped, &at, nil, ""
		case OpCancel:
			k.State, k.StoppedAt, k.PausedAt, k.PauseReason = ClockCancelled, &at, nil, ""
		case OpPause:
			k.State, k.PausedAt, k.PauseReason = ClockPaused, &at, reason
		case OpRemind:
			k.Reminded = op.N
		case OpEscalate:
			k.Escalated = true
			k.Reminded = len(k.Remind)
		default:
			return fmt.Errorf("unknown clock op %q", op.Op)
		}
	}
	return nil
}
