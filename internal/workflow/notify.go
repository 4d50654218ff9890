package workflow

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/sla"
	"github.com/ombud/ombud/internal/store"
)

// SystemActor is the actor of the events the supervisor writes.
const SystemActor = "system"

// Supervise does the supervisor's work due on the case with number at the
// service's now: it sends the reminders that fell due and escalates missed
// limits (督办, R18), each as an event with its inbox notifications, in one
// transaction. Several processes may call it for the same case at once:
// the event's sequence guard lets one win and the others find nothing
// left to do, so each reminder is sent exactly once. It reports whether
// it wrote an event.
func (s *Service) Supervise(ctx context.Context, number string) (bool, error) {
	for attempt := 0; ; attempt++ {
		wrote, err := s.supervise(ctx, number)
		if err == store.ErrConflict && attempt < 5 {
			continue
		}
		return wrote, err
	}
}

func (s *Service) supervise(ctx context.Context, number string) (bool, error) {
	wrote := false
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		c, err := tx.GetCase(ctx, number)
		if err != nil {
			return err
		}
		now := s.Now()
		sv := s.For(c.Pack)
		alarm := sv.Rules().AlarmAt(c, now)
		if alarm == nil {
			return nil
		}
		before := *c
		ch := cases.Change{Status: c.Status, Clocks: alarm.Ops}
		if alarm.Inform {
			ch.Inform = "late"
		}
		e, err := appendChange(ctx, tx, c, alarm.Type, SystemActor, now, ch)
		if err != nil {
			return err
		}
		wrote = true
		return sv.notify(ctx, tx, &before, c, e, alarm)
	})
	return wrote, err
}

// notify writes the inbox notifications event e causes on case c (before:
// the case as it was before e).
func (s *Service) notify(ctx context.Context, tx *store.Tx, before, c *cases.Case, e cases.Event, alarm *sla.Alarm) error {
	type note struct {
		kind, clock string
		to          []string
	}
	var notes []note
	switch {
	case alarm != nil:
		if len(alarm.Reminded) > 0 || len(alarm.Escalated) > 0 {
			users, err := tx.Users(ctx)
			if err != nil {
				return err
			}
			for _, k := range alarm.Reminded {
				notes = append(notes, note{"remind", k, s.workers(users, c)})
			}
			for _, k := range alarm.Escalated {
				notes = append(notes, note{"escalate", k, s.escalation(users, c)})
			}
			if alarm.Inform {
				// The central office, which speaks to complainants, must
				// tell this one the case is late (R21).
				notes = append(notes, note{"inform_complainant", alarm.Escalated[0], s.centralOffice(users)})
			}
		}
	case e.Type == cases.EventRegistered:
		if c.Suggestion == nil || len(c.Suggestion.Notify) == 0 {
			return nil
		}
		users, err := tx.Users(ctx)
		if err != nil {
			return err
		}
		notes = append(notes, note{"flagged", "", s.recipients(users, c, c.Suggestion.Notify)})
	case e.Type == string(cases.Assign), e.Type == string(cases.RequestExtension):
		users, err := tx.Users(ctx)
		if err != nil {
			return err
		}
		if e.Type == string(cases.Assign) {
			notes = append(notes, note{"assigned", "", s.workers(users, c)})
		} else {
			notes = append(notes, note{"extension_requested", c.Extension.Clock, s.approvers(users, c)})
		}
	case e.Type == string(cases.ApproveExtension), e.Type == string(cases.RejectExtension):
		if x := before.Extension; x != nil {
			kind := "extension_approved"
			if e.Type == string(cases.RejectExtension) {
				kind = "extension_rejected"
			}
			notes = append(notes, note{kind, x.Clock, []string{x.By}})
		}
	}
	if c.Confidential && len(notes) > 0 {
		// Nobody hears of a confidential case they may not see (R30).
		users, err := tx.Users(ctx)
		if err != nil {
			return err
		}
		byName := map[string]*auth.User{}
		for _, u := range users {
			byName[u.Username] = u
		}
		for i := range notes {
			notes[i].to = slices.DeleteFunc(slices.Clone(notes[i].to), func(name string) bool {
				u := byName[name]
				return u == nil || !cases.CanSee(ActorOf(u), c)
			})
		}
	}
	var ns []store.Notification
	for _, n := range notes {
		for _, u := range n.to {
			ns = append(ns, store.Notification{Username: u, CaseID: c.ID, Number: c.Number, Kind: n.kind,
				Clock: n.clock, EventSeq: e.Seq, CreatedAt: e.At})
		}
	}
	return tx.Notify(ctx, ns)
}

// who returns the active users that match, without repeats, in order.
func who(users []*auth.User, match func(*auth.User) bool) []string {
	var out []string
	for _, u := range users {
		if u.Active && match(u) && !slices.Contains(out, u.Username) {
			out = append(out, u.Username)
		}
	}
	return out
}

// workers are the people who work on the case now: its handler; else its
// department (handlers and head); else, before it is assigned, the
// central office that registered it.
func (s *Service) workers(users []*auth.User, c *cases.Case) []string {
	switch {
	case c.Handler != "":
		return who(users, func(u *auth.User) bool { return u.Username == c.Handler })
	case c.Department != "":
		return who(users, func(u *auth.User) bool {
			return u.Department == c.Department && (u.Role == auth.Handler || u.Role == auth.DeptHead)
		})
	}
	return s.centralOffice(users)
}

func (s *Service) centralOffice(users []*auth.User) []string {
	return who(users, func(u *auth.User) bool {
		return u.Role == auth.Registrar || u.Department == s.Pack.CentralOffice && u.Role != auth.Auditor
	})
}

// escalation are who is told of a missed limit: the pack's targets
// (default: the department head and the central office) and the handler.
func (s *Service) escalation(users []*auth.User, c *cases.Case) []string {
	targets := s.Pack.Supervision.EscalateTo
	if len(targets) == 0 {
		targets = []string{"dept_head", "central_office"}
	}
	out := s.workers(users, c)
	for _, t := range targets {
		var add []string
		switch t {
		case "dept_head":
			add = who(users, func(u *auth.User) bool {
				return u.Role == auth.DeptHead && u.Department == c.Department && c.Department != ""
			})
		case "central_office":
			add = s.centralOffice(users)
		case "manager":
			add = who(users, func(u *auth.User) bool { return u.Role == auth.Manager })
		}
		for _, u := range add {
			if !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	return out
}

// recipients resolves a rule's notification targets (policy.Rule.Notify)
// for case c: role:<role>, department:<code>, dept_head, involved,
// central_office.
func (s *Service) recipients(users []*auth.User, c *cases.Case, targets []string) []string {
	var out []string
	dept := c.Department
	var involved []string
	if sg := c.Suggestion; sg != nil {
		if dept == "" {
			dept = sg.Department
		}
		involved = sg.Departments
	}
	for _, t := range targets {
		var add []string
		switch {
		case strings.HasPrefix(t, "role:"):
			role := auth.Role(strings.TrimPrefix(t, "role:"))
			add = who(users, func(u *auth.User) bool { return u.Role == role })
		case strings.HasPrefix(t, "department:"):
			d := strings.TrimPrefix(t, "department:")
			add = who(users, func(u *auth.User) bool { return u.Department == d && u.Role != auth.Auditor })
		case t == "dept_head":
			add = who(users, func(u *auth.User) bool { return u.Role == auth.DeptHead && u.Department == dept && dept != "" })
		case t == "involved":
			add = who(users, func(u *auth.User) bool { return slices.Contains(involved, u.Department) && u.Role != auth.Auditor })
		case t == "central_office":
			add = s.centralOffice(users)
		}
		for _, u := range add {
			if !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	return out
}

// approvers are who may approve an extension of the case.
func (s *Service) approvers(users []*auth.User, c *cases.Case) []string {
	return who(users, func(u *auth.User) bool {
		return u.Role != auth.Admin && cases.May(cases.Actor{Username: u.Username, Role: u.Role, Department: u.Department},
			cases.ApproveExtension, c, s.Pack)
	})
}

// Board is the supervision board (督办): overdue and due-soon counts per
// department, and the cases, soonest due first.
type Board struct {
	Counts  []store.DueCount
	Overdue []*cases.Case
	DueSoon []*cases.Case
}

// Board returns the board as the actor may see it: a department's own
// cases for department users, every case for the others.
func (s *Service) Board(ctx context.Context, a cases.Actor, soon time.Duration, limit int) (*Board, error) {
	now := s.Now()
	counts, err := s.Store.DueCounts(ctx, now, now.Add(soon))
	if err != nil {
		return nil, err
	}
	b := &Board{Counts: counts}
	if a.Role == auth.Handler || a.Role == auth.DeptHead {
		b.Counts = slices.DeleteFunc(counts, func(d store.DueCount) bool { return d.Department != a.Department })
	}
	if b.Overdue, _, err = s.List(ctx, a, store.Filter{Overdue: true, SortDue: true, Limit: limit}); err != nil {
		return nil, err
	}
	if b.DueSoon, _, err = s.List(ctx, a, store.Filter{DueAfter: now, DueBefore: now.Add(soon), SortDue: true, Limit: limit}); err != nil {
		return nil, err
	}
	return b, nil
}

// Dashboard is a user's start page: the cases waiting for them, the
// serious open ones, and open cases counted by level and department.
type Dashboard struct {
	Queue   []*cases.Case
	Serious []*cases.Case
	Counts  []store.OpenCount
}

// openStatuses are the statuses in which a case has work ahead of it.
var openStatuses = []cases.Status{cases.Registered, cases.Accepted, cases.Assigned, cases.InProgress,
	cases.Reviewing, cases.Approved, cases.Replied}

// nextSteps are the actions that move a case in each status forward: whoever
// may take one has the case waiting for them (re-assigning, sending back
// and voiding are possible too, but nobody waits for them).
var nextSteps = map[cases.Status][]cases.Action{
	cases.Registered: {cases.Accept, cases.Reject, cases.Forward},
	cases.Accepted:   {cases.Assign, cases.Reply},
	cases.Assigned:   {cases.Take},
	cases.InProgress: {cases.Propose},
	cases.Reviewing:  {cases.Approve},
	cases.Approved:   {cases.Reply},
	cases.Replied:    {cases.Visit},
}

// waiting reports whether case c waits for actor a: its next step is
// theirs to take, or its grade or an extension awaits their decision.
func (s *Service) waiting(a cases.Actor, c *cases.Case) bool {
	for _, act := range cases.Available(a, c, s.For(c.Pack).Pack) {
		switch {
		case slices.Contains(nextSteps[c.Status], act):
			return true
		case act == cases.ApproveExtension:
			return true
		case act == cases.Grade && c.GradedBy == "" && a.Role != auth.Admin:
			return true
		}
	}
	return false
}

// Dashboard returns actor's dashboard. The queue looks at the 200 open
// cases due soonest (then the newest without a deadline) and keeps
// those waiting for the actor, at most limit.
func (s *Service) Dashboard(ctx context.Context, a cases.Actor, limit int) (*Dashboard, error) {
	d := &Dashboard{}
	seen := map[string]bool{}
	for _, f := range []store.Filter{{Status: openStatuses, SortDue: true, Limit: 200},
		{Status: openStatuses, Limit: 200}} {
		list, _, err := s.List(ctx, a, f)
		if err != nil {
			return nil, err
		}
		for _, c := range list {
			if len(d.Queue) < limit && !seen[c.Number] && s.waiting(a, c) {
				d.Queue = append(d.Queue, c)
			}
			seen[c.Number] = true
		}
	}
	if len(s.Pack.Levels) > 1 {
		serious, _, err := s.List(ctx, a, store.Filter{Status: openStatuses, Level: s.Pack.Levels[0].Code, Limit: limit})
		if err != nil {
			return nil, err
		}
		d.Serious = serious
	}
	visible, handler := "", ""
	if a.Role == auth.Handler || a.Role == auth.DeptHead {
		visible, handler = a.Department, a.Username
		if visible == "" {
			visible = "\x00"
		}
	}
	counts, err := s.Store.OpenCounts(ctx, visible, handler)
	if err != nil {
		return nil, err
	}
	d.Counts = counts
	return d, nil
}
