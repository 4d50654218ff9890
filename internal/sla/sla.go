// Package sla works out a case's time limits (SLA clocks, R19–R21): which
// clocks an action starts, stops, cancels, pauses or moves, when each is
// due on the organization's calendar, when reminders fall due and when a
// missed limit must be escalated (督办, R18). It is pure: it reads a case,
// the pack and the calendar and returns clock operations, which the
// workflow records in the case's events.
package sla

import (
	"slices"
	"time"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
)

// Rules are a pack's time rules on its calendar.
type Rules struct {
	Pack *policy.Pack
	Cal  calendar.Calendar
}

// fromReceipt are the clocks that start when the case is received.
var fromReceipt = []string{policy.ClockFirstContact, policy.ClockAcceptance, policy.ClockReply, policy.ClockCompletion}

// stops lists the clocks whose step an action completes.
var stops = map[cases.Action][]string{
	cases.Accept:  {policy.ClockAcceptance},
	cases.Reject:  {policy.ClockAcceptance, policy.ClockFirstContact},
	cases.Forward: {policy.ClockAcceptance, policy.ClockFirstContact},
	cases.Propose: {policy.ClockProposal},
	cases.Reply:   {policy.ClockReply, policy.ClockFirstContact},
	cases.Contact: {policy.ClockFirstContact},
	cases.Visit:   {policy.ClockVisit},
}

// cancels lists the clocks whose step an action makes pointless.
var cancels = map[cases.Action][]string{
	cases.Reject:  {policy.ClockProposal, policy.ClockReply, policy.ClockCompletion, policy.ClockVisit},
	cases.Forward: {policy.ClockProposal, policy.ClockReply, policy.ClockCompletion, policy.ClockVisit},
	cases.Void:    policy.ClockNames,
}

// Clock starts clock name at start with limit d. Urgent cases count
// business-hour limits on the natural clock from the moment of receipt.
func (r Rules) Clock(name string, d calendar.Duration, start time.Time, urgent bool) cases.Clock {
	due, err := r.Cal.Deadline(start, d, urgent)
	k := cases.Clock{Name: name, Within: d.String(), Start: start.UTC(), Due: due.UTC(),
		Assumed: err != nil, State: cases.ClockRunning}
	k.Remind = r.thresholds(k, start, urgent)
	return k
}

// unit is the basis clock k counts time in: its limit's unit, except that
// an urgent case counts business hours on the natural clock.
func unit(k cases.Clock, urgent bool) calendar.Unit {
	d, _ := calendar.ParseDuration(k.Within)
	if urgent && d.Unit == calendar.BusinessHours {
		return calendar.Hours
	}
	return d.Unit
}

// thresholds are the reminder instants of k still ahead of from.
func (r Rules) thresholds(k cases.Clock, from time.Time, urgent bool) []time.Time {
	u := unit(k, urgent)
	var out []time.Time
	for _, f := range r.Pack.Supervision.RemindAt {
		t := r.Cal.Fraction(k.Start, k.Due, f, u).UTC()
		if !t.Before(from) && t.Before(k.Due) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// Registered returns the clocks a new case starts with.
func (r Rules) Registered(reg *cases.Registration) []cases.ClockOp {
	var ops []cases.ClockOp
	for _, name := range fromReceipt {
		if d, ok := r.Pack.Limit(name, reg.Kind, reg.Level); ok {
			k := r.Clock(name, d, reg.ReceivedAt, reg.Urgent)
			ops = append(ops, cases.ClockOp{Op: cases.OpSet, Name: name, Clock: &k})
		}
	}
	return ops
}

func live(k *cases.Clock) bool { return k.State == cases.ClockRunning || k.State == cases.ClockPaused }

// Acted returns the clock operations of action act with params p, taken
// at at on case c (as it was before the action), moving it to status next.
func (r Rules) Acted(c *cases.Case, act cases.Action, p cases.Params, next cases.Status, at time.Time) []cases.ClockOp {
	var ops []cases.ClockOp
	done := map[string]bool{}
	end := func(op string, names ...string) {
		for _, n := range names {
			if k := c.Clock(n); k != nil && live(k) && !done[n] {
				ops = append(ops, cases.ClockOp{Op: op, Name: n})
				done[n] = true
			}
		}
	}
	end(cases.OpStop, stops[act]...)
	if next == cases.Closed {
		end(cases.OpStop, policy.ClockCompletion)
	}
	end(cases.OpCancel, cancels[act]...)
	switch act {
	case cases.Accept, cases.Grade:
		if p.Level != "" && p.Level != c.Level {
			ops = append(ops, r.relevel(c, p.Level, done)...)
		}
	case cases.Assign:
		ops = append(ops, r.start(c, policy.ClockProposal, at)...)
	case cases.Reply:
		ops = append(ops, r.start(c, policy.ClockVisit, at)...)
	case cases.Pause:
		for _, k := range c.Clocks {
			if k.State == cases.ClockRunning {
				ops = append(ops, cases.ClockOp{Op: cases.OpPause, Name: k.Name})
			}
		}
	case cases.Resume:
		for _, k := range c.Clocks {
			if k.State == cases.ClockPaused {
				k := r.resumed(k, at, c.Urgent)
				ops = append(ops, cases.ClockOp{Op: cases.OpSet, Name: k.Name, Clock: &k})
			}
		}
	case cases.ApproveExtension:
		if x := c.Extension; x != nil {
			if k := c.Clock(x.Clock); k != nil && live(k) {
				k := r.extended(*k, x, at, c.Urgent)
				ops = append(ops, cases.ClockOp{Op: cases.OpSet, Name: k.Name, Clock: &k})
			}
		}
	}
	return ops
}

// start starts clock name at at, unless the case already has it or the
// pack sets no limit for it.
func (r Rules) start(c *cases.Case, name string, at time.Time) []cases.ClockOp {
	if c.Clock(name) != nil {
		return nil
	}
	d, ok := r.Pack.Limit(name, c.Kind, c.Level)
	if !ok {
		return nil
	}
	k := r.Clock(name, d, at, c.Urgent)
	return []cases.ClockOp{{Op: cases.OpSet, Name: name, Clock: &k}}
}

// relevel re-times the clocks that run from receipt for a new level: a
// limit that changed is counted again from the start, a limit the new
// level lacks is cancelled, one it adds starts from receipt.
func (r Rules) relevel(c *cases.Case, level string, done map[string]bool) []cases.ClockOp {
	var ops []cases.ClockOp
	for _, name := range fromReceipt {
		if done[name] {
			continue
		}
		d, ok := r.Pack.Limit(name, c.Kind, level)
		k := c.Clock(name)
		switch {
		case k == nil && ok:
			nk := r.Clock(name, d, c.ReceivedAt, c.Urgent)
			ops = append(ops, cases.ClockOp{Op: cases.OpSet, Name: name, Clock: &nk})
		case k == nil || !live(k):
		case !ok:
			ops = append(ops, cases.ClockOp{Op: cases.OpCancel, Name: name})
		case k.Within != d.String():
			nk := r.Clock(name, d, k.Start, c.Urgent)
			nk.State, nk.PausedAt, nk.PauseReason = k.State, k.PausedAt, k.PauseReason
			nk.Reminded = countBefore(nk.Remind, c.UpdatedAt)
			ops = append(ops, cases.ClockOp{Op: cases.OpSet, Name: name, Clock: &nk})
		}
	}
	return ops
}

// resumed restarts paused clock k at at with the time it had left when it
// was paused, counted in its own unit (working days, business hours ...).
func (r Rules) resumed(k cases.Clock, at time.Time, urgent bool) cases.Clock {
	u := unit(k, urgent)
	paused := at
	if k.PausedAt != nil {
		paused = *k.PausedAt
	}
	shift := func(t time.Time) time.Time {
		if t.Before(paused) {
			return t
		}
		return r.Cal.Advance(at, r.Cal.Elapsed(paused, t, u), u).UTC()
	}
	k.Due = shift(k.Due)
	remind := k.Remind[:0:0]
	for _, t := range k.Remind[k.Reminded:] {
		remind = append(remind, shift(t))
	}
	k.Remind = append(slices.Clone(k.Remind[:k.Reminded]), remind...)
	k.State, k.PausedAt, k.PauseReason = cases.ClockRunning, nil, ""
	return k
}

// extended moves clock k's due time to the approved extension x.
func (r Rules) extended(k cases.Clock, x *cases.Extension, at time.Time, urgent bool) cases.Clock {
	k.Due = x.Until.UTC()
	k.ExtendedDays += x.Days
	k.Remind = r.thresholds(k, k.Start, urgent)
	k.Reminded = countBefore(k.Remind, at)
	if k.Due.After(at) {
		k.Escalated = false
	}
	return k
}

func countBefore(ts []time.Time, t time.Time) int {
	n := 0
	for _, x := range ts {
		if !x.After(t) {
			n++
		}
	}
	return n
}
