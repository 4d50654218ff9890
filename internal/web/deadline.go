package web

import (
	"time"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/workflow"
)

// soonWithin is how close a running deadline is "due soon" at the latest;
// a limit with less than soonShare of its time left is due soon too.
const (
	soonWithin = 24 * time.Hour
	soonShare  = 4 // a quarter
)

// clockView is a time limit of a case as the pages show it.
type clockView struct {
	Name   string
	Within string // the limit as the pack wrote it, e.g. "2wd"
	Due    time.Time
	// State is running, paused, met or breached; Class adds "soon" for a
	// running limit close to its due time, for the colour.
	State, Class string
	// Left says in words how long is left or how late it is.
	Left         string
	Assumed      bool
	ExtendedDays int
	PausedAt     *time.Time
	PauseReason  string
	Escalated    bool
}

// clockView describes clock k at now.
func (b *base) clockView(k *cases.Clock, now time.Time) clockView {
	v := clockView{Name: k.Name, Within: k.Within, Due: k.Due, State: k.StateAt(now), Assumed: k.Assumed,
		ExtendedDays: k.ExtendedDays, PausedAt: k.PausedAt, PauseReason: k.PauseReason, Escalated: k.Escalated}
	v.Class = v.State
	switch {
	case k.State == cases.ClockRunning && v.State == cases.DeadlineBreached:
		v.Left = b.T("ui.due.late", b.span(now.Sub(k.Due)))
	case k.State == cases.ClockRunning:
		left := k.Due.Sub(now)
		if left < soonWithin || left*soonShare < k.Due.Sub(k.Start) {
			v.Class = "soon"
		}
		v.Left = b.T("ui.due.left", b.span(left))
	case k.State == cases.ClockPaused && k.PausedAt != nil && k.PausedAt.After(k.Due):
		v.Left = b.T("ui.due.late_at_pause", b.span(k.PausedAt.Sub(k.Due)))
	case k.State == cases.ClockPaused && k.PausedAt != nil:
		v.Left = b.T("ui.due.left_at_pause", b.span(k.Due.Sub(*k.PausedAt)))
	case k.State == cases.ClockStopped && v.State == cases.DeadlineBreached:
		v.Left = b.T("ui.due.was_late", b.span(k.StoppedAt.Sub(k.Due)))
	}
	return v
}

// clockViews are the time limits of c at now, cancelled ones left out.
func (b *base) clockViews(c *cases.Case, now time.Time) []clockView {
	var out []clockView
	for _, d := range workflow.Deadlines(c, now) {
		if k := c.Clock(d.Name); k != nil {
			out = append(out, b.clockView(k, now))
		}
	}
	return out
}

// nextClock is the running clock of c that is due first, nil when none runs.
func nextClock(c *cases.Case) *cases.Clock {
	due := c.OpenDue()
	if due == nil {
		return nil
	}
	for i := range c.Clocks {
		if k := &c.Clocks[i]; k.State == cases.ClockRunning && k.Due.Equal(*due) {
			return k
		}
	}
	return nil
}

// span says a length of time in words, to the hour beyond a day and to
// the minute below an hour: "1 天 3 小时", "5 小时", "40 分钟".
func (b *base) span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	const day = 24 * time.Hour
	switch {
	case d >= day:
		days, hours := int(d/day), int(d%day/time.Hour)
		if hours == 0 {
			return b.T("ui.span.days", days)
		}
		return b.T("ui.span.days_hours", days, hours)
	case d >= time.Hour:
		return b.T("ui.span.hours", int(d/time.Hour))
	}
	return b.T("ui.span.minutes", max(1, int((d+time.Minute-1)/time.Minute)))
}

// Limit says a time limit as the pack wrote it ("2wd") in words
// ("2 个工作日"); a limit it cannot read is shown as it is.
func (b *base) Limit(within string) string {
	d, err := calendar.ParseDuration(within)
	if err != nil || d.IsZero() {
		return within
	}
	return b.T("ui.unit."+string(d.Unit), d.N)
}

// ExtDays says a number of extension days in the unit of the pack's
// extension bound: days or working days.
func (b *base) ExtDays(n int) string {
	if b.Pack.Extensions.MaxTotal.Unit == calendar.WorkingDays {
		return b.T("ui.unit.wd", n)
	}
	return b.T("ui.unit.d", n)
}

// ExtUnit names the unit of extension days: natural or working days.
func (b *base) ExtUnit() string {
	if b.Pack.Extensions.MaxTotal.Unit == calendar.WorkingDays {
		return b.T("ui.a.days_wd")
	}
	return b.T("ui.a.days_d")
}
