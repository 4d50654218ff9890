package gen

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/evaluate"
	"github.com/ombud/ombud/internal/workflow"
)

// build plans case s and returns it with its events, as the workflow
// would have produced them had its users taken the steps at their times.
// Steps after limit have not happened yet.
func (p *planner) build(r *rand.Rand, s slot, limit time.Time) (*cases.Case, []cases.Event, error) {
	b, err := p.planned(r, s, limit)
	if err != nil {
		return nil, nil, err
	}
	return b.run()
}

// planned plans case s and schedules its steps before limit.
func (p *planner) planned(r *rand.Rand, s slot, limit time.Time) (b *builder, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("gen: case %d (%s): %v", s.i, s.number, x)
		}
	}()
	b = p.plan(r, s)
	b.schedule(limit)
	return b, nil
}

// run builds the events of the planned steps with cases.NewEvent and
// folds them with cases.Apply, deciding each step with workflow.Decide as
// the service does: the state machine, the actor's rights, the
// parameters, the clocks.
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
	rules := b.p.rules
	// The rules' suggestion, as the workflow records it (the level the
	// generator chose stands). Generated phone numbers are random: no
	// complainant has earlier cases.
	sug, err := evaluate.Evaluate(rules, evaluate.Input{Reg: reg})
	if err != nil {
		return nil, nil, err
	}
	b.p.unsealed(&reg)
	if err := workflow.SealIdentity(pack, b.p.identity, &reg); err != nil {
		return nil, nil, err
	}
	ch := workflow.Registered(rules, &reg)
	ch.Suggestion = sug
	e, err := cases.NewEvent(c, cases.EventRegistered, b.clerk.Username, now, ch)
	if err != nil {
		return nil, nil, err
	}
	if err := cases.ApplyChange(c, e, ch); err != nil {
		return nil, nil, err
	}
	events = append(events, e)
	for _, st := range b.steps {
		ch, err := workflow.Decide(rules, st.actor, c, st.act, st.p, st.at)
		if err != nil {
			return nil, nil, fmt.Errorf("gen: case %s: %s by %s: %w", c.Number, st.act, st.actor.Username, err)
		}
		e, err := cases.NewEvent(c, string(st.act), st.actor.Username, st.at, ch)
		if err != nil {
			return nil, nil, err
		}
		if err := cases.ApplyChange(c, e, ch); err != nil {
			return nil, nil, err
		}
		events = append(events, e)
	}
	if b.forced && c.Status != b.target {
		return nil, nil, fmt.Errorf("gen: case %s ended %s, planned %s", c.Number, c.Status, b.target)
	}
	return c, events, nil
}

// unsealed makes the reporter of a confidential case anonymous when there
// is no key to seal their identity with.
func (p *planner) unsealed(reg *cases.Registration) {
	if p.identity == nil && p.pack.Confidential(reg.Kind) {
		reg.Complainant = cases.Complainant{Anonymous: true}
	}
}
