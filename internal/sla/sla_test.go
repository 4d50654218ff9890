package sla

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
)

func sh(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, calendar.Shanghai)
}

func hospital(t *testing.T) Rules {
	t.Helper()
	p, err := policy.Load("hospital-taicang")
	if err != nil {
		t.Fatal(err)
	}
	return Rules{Pack: p, Cal: p.CalendarOn(calendar.Default)}
}

// fold applies the ops to c as an event at at would (through cases.Apply,
// so the test exercises the real projection).
func fold(t *testing.T, c *cases.Case, typ string, at time.Time, ch cases.Change) {
	t.Helper()
	if ch.Status == "" {
		ch.Status = c.Status
	}
	e, err := cases.NewEvent(c, typ, "tester", at, ch)
	if err != nil {
		t.Fatal(err)
	}
	if err := cases.Apply(c, e); err != nil {
		t.Fatal(err)
	}
}

func register(t *testing.T, r Rules, received time.Time, level string, urgent bool) *cases.Case {
	t.Helper()
	reg := &cases.Registration{Kind: "complaint", Channel: "phone", ReceivedAt: received.UTC(), Level: level, Urgent: urgent,
		Subject: "s", Content: "c"}
	c := &cases.Case{Number: "T1"}
	fold(t, c, cases.EventRegistered, received, cases.Change{Status: cases.Registered, Registration: reg,
		Number: "T1", Pack: r.Pack.ID, Clocks: r.Registered(reg)})
	return c
}

// TestReplyDueAfterNationalDay: the example, as the office calendar
// on the wall says — received on 2026-09-30, two working days are 10-08
// and 10-09 (10-01…10-07 are the National Day holiday), so the reply is
// due at 24:00 on 2026-10-09.
func TestReplyDueAfterNationalDay(t *testing.T) {
	r := hospital(t)
	c := register(t, r, sh(2026, 9, 30, 10, 0), "3", false)
	k := c.Clock("reply")
	if k == nil {
		t.Fatalf("no reply clock: %+v", c.Clocks)
	}
	if want := sh(2026, 10, 10, 0, 0); !k.Due.Equal(want) || k.Assumed {
		t.Fatalf("reply due %v (assumed %v), want %v", k.Due.In(calendar.Shanghai), k.Assumed, want)
	}
	if k.Within != "2wd" || k.State != cases.ClockRunning {
		t.Fatalf("clock %+v", k)
	}
	// The reminder comes at 75% of the working time between receipt and
	// the due time: 14 h left of 09-30 + 24 h of 10-08 + 24 h of 10-09 =
	// 62 h; 75% is 46.5 h, which ends 8.5 h into 10-09.
	if len(k.Remind) != 1 || !k.Remind[0].Equal(sh(2026, 10, 9, 8, 30)) {
		t.Fatalf("reminders %v, want [2026-10-09 08:30 CST]", k.Remind)
	}
	if due := c.OpenDue(); due == nil || !due.Equal(k.Due) {
		t.Fatalf("OpenDue %v", due)
	}
	if a := c.AlarmAt(); a == nil || !a.Equal(k.Remind[0]) {
		t.Fatalf("AlarmAt %v", a)
	}
}

func TestStopsAndCancels(t *testing.T) {
	r := hospital(t)
	tests := []struct {
		name  string
		steps []cases.Action
		want  map[string]string // clock → state at the end (StateAt)
	}{
		{"reply in time stops the reply clock and starts no visit clock without a limit",
			[]cases.Action{cases.Accept, cases.Reply}, map[string]string{"reply": cases.DeadlineMet}},
		{"a void cancels every clock", []cases.Action{cases.Void}, map[string]string{}},
		{"not accepted cancels the reply clock", []cases.Action{cases.Reject}, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := sh(2026, 11, 2, 9, 0)
			c := register(t, r, at, "3", false)
			for _, act := range tt.steps {
				at = at.Add(time.Hour)
				p := cases.Params{Reason: "r", Reply: "x", Method: "phone"}
				next, err := cases.Next(c.Status, act, p, policy.ReviewNone)
				if err != nil {
					t.Fatal(err)
				}
				fold(t, c, string(act), at, cases.Change{Status: next, Params: p, Clocks: r.Acted(c, act, p, next, at)})
			}
			got := map[string]string{}
			for _, k := range c.Clocks {
				if st := k.StateAt(at); st != "" {
					got[k.Name] = st
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("clocks %v, want %v", got, tt.want)
			}
			for n, st := range tt.want {
				if got[n] != st {
					t.Fatalf("clock %s is %q, want %q (all: %v)", n, got[n], st, got)
				}
			}
			if c.OpenDue() != nil || c.AlarmAt() != nil {
				t.Fatalf("finished clocks still due: %v %v", c.OpenDue(), c.AlarmAt())
			}
		})
	}
}

// TestPauseKeepsRemainingWorkingTime: a clock paused with one working day
// left has one working day left when it resumes, counted on the calendar.
func TestPauseKeepsRemainingWorkingTime(t *testing.T) {
	r := hospital(t)
	// Monday 2026-11-02 09:00; 2wd → due Wed 11-04 24:00 (= 11-05 00:00).
	c := register(t, r, sh(2026, 11, 2, 9, 0), "3", false)
	if want := sh(2026, 11, 5, 0, 0); !c.Clock("reply").Due.Equal(want) {
		t.Fatalf("due %v", c.Clock("reply").Due)
	}
	pause := sh(2026, 11, 4, 0, 0) // Wednesday 00:00: exactly one working day left
	fold(t, c, string(cases.Pause), pause, cases.Change{Params: cases.Params{Reason: "等待患者补充病历"},
		Clocks: r.Acted(c, cases.Pause, cases.Params{}, c.Status, pause)})
	k := c.Clock("reply")
	if k.State != cases.ClockPaused || k.PauseReason != "等待患者补充病历" || c.OpenDue() != nil || c.AlarmAt() != nil {
		t.Fatalf("paused clock %+v, open due %v", k, c.OpenDue())
	}
	if st := k.StateAt(sh(2026, 12, 1, 0, 0)); st != cases.DeadlinePaused {
		t.Fatalf("a paused clock does not breach: %s", st)
	}
	// Resumed Friday 11-06 10:00: one working day left → Monday 11-09 10:00.
	resume := sh(2026, 11, 6, 10, 0)
	fold(t, c, string(cases.Resume), resume, cases.Change{Clocks: r.Acted(c, cases.Resume, cases.Params{}, c.Status, resume)})
	k = c.Clock("reply")
	if want := sh(2026, 11, 9, 10, 0); k.State != cases.ClockRunning || !k.Due.Equal(want) {
		t.Fatalf("resumed clock due %v state %s, want %v running", k.Due.In(calendar.Shanghai), k.State, want)
	}
}

func TestExtensionBound(t *testing.T) {
	r := hospital(t)
	c := register(t, r, sh(2026, 11, 2, 9, 0), "3", false) // reply due 11-04 24:00
	at := sh(2026, 11, 4, 15, 0)
	tests := []struct {
		name  string
		p     cases.Params
		until time.Time
		days  int
		err   string
	}{
		// Three days after 11-04 end on Saturday 11-07, a rest day, so the
		// period ends on Monday 11-09 (民法典 第二百零三条).
		{"three days", cases.Params{Days: 3}, sh(2026, 11, 10, 0, 0), 3, ""},
		{"five days is the bound", cases.Params{Days: 5}, sh(2026, 11, 10, 0, 0), 5, ""},
		{"six days is beyond it", cases.Params{Days: 6}, time.Time{}, 0, "beyond_bound"},
		{"until a date", cases.Params{Until: "2026-11-06"}, sh(2026, 11, 7, 0, 0), 2, ""},
		{"until a date beyond the bound", cases.Params{Until: "2026-11-20"}, time.Time{}, 0, "beyond_bound"},
		{"until the current due date", cases.Params{Until: "2026-11-04"}, time.Time{}, 0, "not_later"},
		{"a clock the pack does not extend", cases.Params{Days: 1, Clock: "acceptance"}, time.Time{}, 0, "not_extendable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, fe := r.Extension(c, tt.p, "handler", at)
			if tt.err != "" {
				if fe == nil || len(fe) != 1 {
					t.Fatalf("got %+v, %v; want error %s", x, fe, tt.err)
				}
				for _, v := range fe {
					if v != tt.err {
						t.Fatalf("error %v, want %s", fe, tt.err)
					}
				}
				return
			}
			if fe != nil || !x.Until.Equal(tt.until) || x.Days != tt.days || x.Clock != "reply" {
				t.Fatalf("got %+v, %v; want until %v, %d days", x, fe, tt.until, tt.days)
			}
		})
	}
	// Approved extensions add up: 3 days then 3 more exceed 5.
	x, _ := r.Extension(c, cases.Params{Days: 3, Reason: "复杂"}, "handler", at)
	fold(t, c, string(cases.RequestExtension), at, cases.Change{Extension: x})
	fold(t, c, string(cases.ApproveExtension), at, cases.Change{Inform: "extended",
		Clocks: r.Acted(c, cases.ApproveExtension, cases.Params{}, c.Status, at)})
	k := c.Clock("reply")
	if !k.Due.Equal(sh(2026, 11, 10, 0, 0)) || k.ExtendedDays != 3 || c.Extension != nil || c.Inform != "extended" {
		t.Fatalf("after approval: %+v, extension %v, inform %q", k, c.Extension, c.Inform)
	}
	if _, fe := r.Extension(c, cases.Params{Days: 3}, "handler", at); fe["days"] != "beyond_bound" {
		t.Fatalf("3 + 3 days: %v, want beyond_bound", fe)
	}
	if _, fe := r.Extension(c, cases.Params{Days: 2}, "handler", at); fe != nil {
		t.Fatalf("3 + 2 days: %v", fe)
	}
}

// TestAlarms walks a case through its reminder and its escalation, and
// checks that each comes once and that a late case must be explained to
// the complainant (第十一条: 不能按期办结的, 应当向投诉人说明情况).
func TestAlarms(t *testing.T) {
	r := hospital(t)
	// Due 11-05 00:00; 75% of the 63 working hours from Monday 09:00 ends
	// 8.25 h into Wednesday.
	c := register(t, r, sh(2026, 11, 2, 9, 0), "3", false)
	step := func(now time.Time) *Alarm {
		a := r.AlarmAt(c, now)
		if a != nil {
			fold(t, c, a.Type, now, cases.Change{Clocks: a.Ops, Inform: map[bool]string{true: "late"}[a.Inform]})
		}
		return a
	}
	if a := step(sh(2026, 11, 3, 12, 0)); a != nil {
		t.Fatalf("alarm before the threshold: %+v", a)
	}
	if a := step(sh(2026, 11, 4, 8, 14)); a != nil {
		t.Fatalf("alarm a minute before the threshold: %+v", a)
	}
	a := step(sh(2026, 11, 4, 8, 15))
	if a == nil || a.Type != cases.EventRemind || len(a.Reminded) != 1 || a.Inform {
		t.Fatalf("at the threshold: %+v", a)
	}
	if a := step(sh(2026, 11, 4, 9, 0)); a != nil {
		t.Fatalf("a second reminder: %+v", a)
	}
	if at := c.AlarmAt(); at == nil || !at.Equal(sh(2026, 11, 5, 0, 0)) {
		t.Fatalf("next alarm %v, want the due time", at)
	}
	a = step(sh(2026, 11, 5, 0, 0))
	if a == nil || a.Type != cases.EventEscalate || len(a.Escalated) != 1 || !a.Inform || c.Inform != "late" {
		t.Fatalf("at the due time: %+v, inform %q", a, c.Inform)
	}
	if a := step(sh(2026, 11, 9, 0, 0)); a != nil || c.AlarmAt() != nil {
		t.Fatalf("after escalation: %+v, next %v", a, c.AlarmAt())
	}
	if c.OpenDue() == nil {
		t.Fatal("an escalated clock still owes its step and stays overdue")
	}
}

// TestAlarmSkipsToEscalationWhenLate: a supervisor that was down past the
// due time escalates once and sends no stale reminders.
func TestAlarmSkipsToEscalationWhenLate(t *testing.T) {
	r := hospital(t)
	c := register(t, r, sh(2026, 11, 2, 9, 0), "3", false)
	a := r.AlarmAt(c, sh(2026, 11, 10, 0, 0))
	if a == nil || len(a.Ops) != 1 || a.Ops[0].Op != cases.OpEscalate {
		t.Fatalf("%+v", a)
	}
}

// TestUrgentBusinessHours: an urgent case counts a business-hours limit on
// the natural clock; a normal one waits for opening time.
func TestUrgentBusinessHours(t *testing.T) {
	r := hospital(t)
	r.Pack = clonePack(t, r.Pack)
	r.Pack.Calendar.Hours = "08:00-12:00,14:00-17:30"
	r.Pack.TimeLimits = []policy.TimeLimit{{Clock: "first_contact", WithinText: "4bh", Within: calendar.Duration{N: 4, Unit: calendar.BusinessHours}}}
	r.Cal = r.Pack.CalendarOn(calendar.Default)
	fri := sh(2026, 11, 6, 20, 0) // Friday evening
	normal := register(t, r, fri, "3", false).Clock("first_contact")
	urgent := register(t, r, fri, "3", true).Clock("first_contact")
	if want := sh(2026, 11, 9, 12, 0); normal == nil || !normal.Due.Equal(want) {
		t.Fatalf("normal: %+v, want due %v", normal, want)
	}
	if want := fri.Add(4 * time.Hour); urgent == nil || !urgent.Due.Equal(want) {
		t.Fatalf("urgent: %+v, want due %v", urgent, want)
	}
	// Reminders count on the same basis: 75% of 4 natural hours, and of
	// 4 business hours (Monday 08:00–11:00).
	if len(urgent.Remind) != 1 || !urgent.Remind[0].Equal(fri.Add(3*time.Hour)) {
		t.Fatalf("urgent reminder %v", urgent.Remind)
	}
	if len(normal.Remind) != 1 || !normal.Remind[0].Equal(sh(2026, 11, 9, 11, 0)) {
		t.Fatalf("normal reminder %v", normal.Remind)
	}
}

func clonePack(t *testing.T, p *policy.Pack) *policy.Pack {
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var q policy.Pack
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	for i := range q.Levels {
		q.Levels[i].ReplyWithin = p.Levels[i].ReplyWithin
	}
	q.Extensions.MaxTotal = p.Extensions.MaxTotal
	return &q
}
