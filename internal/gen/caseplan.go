package gen

import (
	"math/rand/v2"
	"time"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
)

// A CasePlan is one case as the generator plans it: the registration the
// registrar enters, and the steps taken on the case afterwards.
type CasePlan struct {
	Registrar    cases.Actor
	RegisteredAt time.Time
	Registration cases.Registration
	// Steps are in the order of their times, all after RegisteredAt.
	Steps []Step
}

// A Step is one action on a case, by its actor at its time.
type Step struct {
	At     time.Time
	Actor  cases.Actor
	Action cases.Action
	Params cases.Params
}

// Plan plans the cases Generate would write with opt, to be driven through
// workflow.Service instead (ombud demo does): registered and acted on by
// their actors at their times, all cases' steps in the order of their
// times. The plans are in the order of registration; registered in that
// order in an empty store, the cases get the numbers Generate gives them
// there. opt's fields about writing (Batch, Workers, Writers, Progress)
// do not matter.
func Plan(pack *policy.Pack, opt Options) ([]CasePlan, error) {
	p, days, skel, limit, err := opt.period(pack)
	if err != nil {
		return nil, err
	}
	out := make([]CasePlan, 0, opt.Cases)
	var src rand.PCG
	r := rand.New(&src)
	for s := range p.slots(opt.Seed, days, skel, map[string]int64{}) {
		src.Seed(opt.Seed, uint64(s.i))
		b, err := p.planned(r, s, limit)
		if err != nil {
			return nil, err
		}
		cp := CasePlan{Registrar: b.clerk, RegisteredAt: s.reg, Registration: b.reg, Steps: make([]Step, len(b.steps))}
		p.unsealed(&cp.Registration)
		for i, st := range b.steps {
			cp.Steps[i] = Step{At: st.at, Actor: st.actor, Action: st.act, Params: st.p}
		}
		out = append(out, cp)
	}
	return out, nil
}
