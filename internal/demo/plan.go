package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/gen"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/seal"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

// The sample cases are planned by the load generator's planner (gen.Plan)
// with the demo's configuration: a fixed seed, a short period, the demo's
// accounts and the scenarios below.

// seed is the generator's seed: the same n at the same moment gives the
// same cases.
const seed = 0x0b0d20267a1ca11

// months is the period the sample cases are registered in, up to now.
const months = 1

// scenarios are the demo's hand-made cases, so that a visitor meets every
// way through the workflow and the complainants an office must take care
// with, whatever the number of cases: every path to the close, a group, a
// complainant who refuses to give their data, an anonymous one, an urgent
// matter, a level-1 complaint whose reply the responsible leader approved,
// a case long in progress (overdue), and one handled again after a
// dissatisfied return visit.
var scenarios = []gen.Scenario{
	{Status: cases.Closed, Path: gen.PathSendBack},
	{Status: cases.Closed, Kind: "complaint", Path: gen.PathDissatisfied},
	{Status: cases.Closed, Path: gen.PathReopen},
	{Status: cases.Closed, Path: gen.PathReassign},
	{Status: cases.Closed, Path: gen.PathSendBackApproved},
	{Status: cases.Closed, Kind: "complaint", Group: true},
	{Status: cases.Closed, Kind: "complaint", Refused: true},
	{Status: cases.Closed, Kind: "complaint", Anonymous: true},
	{Status: cases.Closed, Kind: "complaint", Urgent: true},
	{Status: cases.Closed, Kind: "complaint", Channel: "regulator", Level: "1"},
	{Status: cases.InProgress, Kind: "complaint"},
	{Status: cases.InProgress, Kind: "complaint", Path: gen.PathDissatisfied},
}

var statusLabel = map[cases.Status]string{
	cases.Registered:  "已登记",
	cases.Accepted:    "已受理",
	cases.NotAccepted: "不予受理",
	cases.Forwarded:   "已转送",
	cases.Assigned:    "已交办",
	cases.InProgress:  "办理中",
	cases.Reviewing:   "审核中",
	cases.Approved:    "已审定",
	cases.Replied:     "已答复",
	cases.Closed:      "已办结",
	cases.Voided:      "作废",
}

// generate plans n cases and drives them through the workflow, every step
// by its actor at its time, in the order the steps happened. It returns how
// many cases ended in each status.
func generate(ctx context.Context, st *store.Store, pack *policy.Pack, key *seal.Key, n int, now time.Time) (map[cases.Status]int, error) {
	plans, err := gen.Plan(pack, gen.Options{Cases: n, Months: months, Seed: seed, Now: now,
		IdentityKey: key, Staff: demoUsers(pack), Scenarios: scenarios})
	if err != nil {
		return nil, err
	}
	type ref struct{ plan, step int } // step -1 registers the case
	var order []ref
	for i, p := range plans {
		order = append(order, ref{i, -1})
		for j := range p.Steps {
			order = append(order, ref{i, j})
		}
	}
	at := func(o ref) time.Time {
		if o.step < 0 {
			return plans[o.plan].RegisteredAt
		}
		return plans[o.plan].Steps[o.step].At
	}
	slices.SortStableFunc(order, func(x, y ref) int { return at(x).Compare(at(y)) })

	var clock time.Time
	svc := workflow.New(st, pack)
	svc.Now = func() time.Time { return clock }
	svc.SetIdentityKey(key)
	numbers := make([]string, len(plans))
	counts := map[cases.Status]int{}
	for _, o := range order {
		p := &plans[o.plan]
		clock = at(o)
		var c *cases.Case
		if o.step < 0 {
			if c, err = svc.Register(ctx, p.Registrar, p.Registration); err != nil {
				return nil, fmt.Errorf("demo: case %d: register: %w", o.plan, err)
			}
			numbers[o.plan] = c.Number
		} else {
			s := p.Steps[o.step]
			if c, err = svc.Act(ctx, s.Actor, numbers[o.plan], s.Action, s.Params); err != nil {
				return nil, fmt.Errorf("demo: case %d (%s) step %d: %s by %s: %w",
					o.plan, numbers[o.plan], o.step, s.Action, s.Actor.Username, err)
			}
		}
		if o.step == len(p.Steps)-1 {
			counts[c.Status]++
		}
	}
	return counts, nil
}
