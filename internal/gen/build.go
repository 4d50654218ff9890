package gen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
)

// build plans case s and returns it with its events, as the workflow
// would have produced them had its users taken the steps at their times.
// Steps after limit have not happened yet.
func (p *planner) build(r *rand.Rand, s slot, limit time.Time) (c *cases.Case, events []cases.Event, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("gen: case %d (%s): %v", s.i, s.number, x)
		}
	}()
	b := p.plan(r, s)
	b.schedule(limit)
	return b.run()
}

// dueAt is the reply deadline, as workflow.Service computes it.
func (p *planner) dueAt(received time.Time, level string) (*time.Time, bool) {
	l, ok := p.pack.Level(level)
	if !ok || l.ReplyWithin.IsZero() {
		return nil, false
	}
	t, err := calendar.Default.DueChecked(received, l.ReplyWithin)
	t = t.UTC()
	return &t, errors.Is(err, calendar.ErrYearMissing)
}

// run builds the events of the planned steps with cases.NewEvent and
// folds them with cases.Apply, checking each step as workflow.Service
// does: the state machine, the actor's rights, the parameters.
func (b *builder) run() (*cases.Case, []cases.Event, error) {
	pack := b.p.pack
	now := b.s.reg
	reg := b.reg
	reg.Normalize(pack, now, b.clerk.Username)
	if fe := reg.Validate(pack, now); fe != nil {
		return nil, nil, fmt.Errorf("gen: case %s: registration: %w", b.s.number, fe)
	}
	c := &cases.Case{Number: b.s.number}
	events := make([]cases.Event, 0, len(b.steps)+1)
	due, assumed := b.p.dueAt(reg.ReceivedAt, reg.Level)
	e, err := cases.NewEvent(c, cases.EventRegistered, b.clerk.Username, now, cases.Change{
		Status: cases.Registered, Registration: &reg, Number: c.Number, Pack: pack.ID,
		DueAt: due, DueAssumed: assumed,
	})
	if err != nil {
		return nil, nil, err
	}
	if err := cases.Apply(c, e); err != nil {
		return nil, nil, err
	}
	events = append(events, e)
	for _, st := range b.steps {
		review := policy.ReviewDeptHead
		if l, ok := pack.Level(c.Level); ok {
			review = l.Review
		}
		next, err := cases.Next(c.Status, st.act, st.p, review)
		if err != nil {
			return nil, nil, fmt.Errorf("gen: case %s: %w", c.Number, err)
		}
		if !cases.May(st.actor, st.act, c, pack) {
			return nil, nil, fmt.Errorf("gen: case %s: %s may not %s a %s case", c.Number, st.actor.Username, st.act, c.Status)
		}
		params := st.p
		if fe := cases.Check(st.act, &params, c, pack); fe != nil {
			return nil, nil, fmt.Errorf("gen: case %s: %s: %w", c.Number, st.act, fe)
		}
		ch := cases.Change{Status: next, Params: params}
		if st.act == cases.Accept && params.Level != "" && params.Level != c.Level {
			ch.DueAt, ch.DueAssumed = b.p.dueAt(c.ReceivedAt, params.Level)
		}
		e, err := cases.NewEvent(c, string(st.act), st.actor.Username, st.at, ch)
		if err != nil {
			return nil, nil, err
		}
		if err := cases.Apply(c, e); err != nil {
			return nil, nil, err
		}
		events = append(events, e)
	}
	if b.forced && c.Status != b.target {
		return nil, nil, fmt.Errorf("gen: case %s ended %s, planned %s", c.Number, c.Status, b.target)
	}
	return c, events, nil
}
