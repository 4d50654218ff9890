package cases

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/policy"
)

// allowed is the lifecycle written out by hand, independently of the table
// in lifecycle.go: status → action → resulting status. Every pair not listed
// must be refused with ErrInvalidTransition.
var allowed = map[Status]map[Action]Status{
	Registered:  {Accept: Accepted, Reject: NotAccepted, Forward: Forwarded, Void: Voided},
	Accepted:    {Assign: Assigned, Reply: Replied, Void: Voided},
	NotAccepted: {Reopen: Registered},
	Forwarded:   {Reopen: Registered},
	Assigned:    {Take: InProgress, Assign: Assigned, Void: Voided},
	InProgress:  {Propose: Reviewing, Assign: Assigned, Void: Voided},
	Reviewing:   {Approve: Approved, SendBack: InProgress, Void: Voided},
	Approved:    {Reply: Replied, SendBack: InProgress, Void: Voided},
	Replied:     {Visit: Closed},
	Closed:      {Reopen: InProgress},
	Voided:      {},
}

// The actions on time limits and contact keep the status; they are possible
// while the case still has work ahead of it (its clocks decide the rest:
// see TestPossible).
func init() {
	for _, s := range []Status{Registered, Accepted, Assigned, InProgress, Reviewing, Approved, Replied} {
		for _, a := range []Action{Grade, Contact, Pause, Resume, RequestExtension, ApproveExtension, RejectExtension} {
			allowed[s][a] = s
		}
	}
}

// An internal note can be added whatever the status; a message to the
// complainant unless the case was voided.
func init() {
	for _, s := range Statuses {
		allowed[s][Comment] = s
		if s != Voided {
			allowed[s][Message] = s
		}
	}
}

func TestEveryTransition(t *testing.T) {
	if len(allowed) != len(Statuses) {
		t.Fatalf("test table covers %d statuses, lifecycle has %d", len(allowed), len(Statuses))
	}
	for _, s := range Statuses {
		for _, a := range Actions {
			t.Run(fmt.Sprintf("%s/%s", s, a), func(t *testing.T) {
				got, err := Next(s, a, Params{Satisfaction: Satisfied}, policy.ReviewDeptHead)
				want, ok := allowed[s][a]
				if !ok {
					if !errors.Is(err, ErrInvalidTransition) {
						t.Fatalf("Next(%s, %s) = %q, %v; want ErrInvalidTransition", s, a, got, err)
					}
					return
				}
				if err != nil || got != want {
					t.Fatalf("Next(%s, %s) = %q, %v; want %q", s, a, got, err, want)
				}
			})
		}
	}
}

func TestTransitionsThatDependOnParams(t *testing.T) {
	tests := []struct {
		name   string
		from   Status
		action Action
		p      Params
		review policy.Review
		want   Status
	}{
		{"proposal needs review", InProgress, Propose, Params{Reply: "x"}, policy.ReviewDeptHead, Reviewing},
		{"proposal needs the leader", InProgress, Propose, Params{Reply: "x"}, policy.ReviewManager, Reviewing},
		{"level without review", InProgress, Propose, Params{Reply: "x"}, policy.ReviewNone, Approved},
		{"satisfied closes", Replied, Visit, Params{Satisfaction: Satisfied}, "", Closed},
		{"basically satisfied closes", Replied, Visit, Params{Satisfaction: BasicallySatisfied}, "", Closed},
		{"dissatisfied goes back to the department", Replied, Visit, Params{Satisfaction: Dissatisfied}, "", InProgress},
		{"an unreachable complainant closes the case", Replied, Visit, Params{Satisfaction: Unreachable}, "", Closed},
		{"reopen a closed case", Closed, Reopen, Params{Reason: "x"}, "", InProgress},
		{"reconsider a refusal", NotAccepted, Reopen, Params{Reason: "x"}, "", Registered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Next(tt.from, tt.action, tt.p, tt.review)
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func testPack(t *testing.T) *policy.Pack {
	t.Helper()
	p, err := policy.Load("hospital-taicang")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPermissions(t *testing.T) {
	pack := testPack(t)
	clerk := Actor{Username: "clerk", Role: auth.Registrar, Department: "yhb"}
	handler := Actor{Username: "h", Role: auth.Handler, Department: "caiwu"}
	otherHandler := Actor{Username: "o", Role: auth.Handler, Department: "huli"}
	head := Actor{Username: "hd", Role: auth.DeptHead, Department: "caiwu"}
	vp := Actor{Username: "vp", Role: auth.Manager}
	auditor := Actor{Username: "au", Role: auth.Auditor}
	admin := Actor{Username: "admin", Role: auth.Admin}

	c := func(s Status, level string) *Case {
		return &Case{Status: s, Department: "caiwu", Registration: Registration{Level: level}}
	}
	tests := []struct {
		name  string
		actor Actor
		act   Action
		c     *Case
		want  bool
	}{
		{"clerk accepts", clerk, Accept, c(Registered, "3"), true},
		{"handler may not accept", handler, Accept, c(Registered, "3"), false},
		{"clerk assigns", clerk, Assign, c(Accepted, "3"), true},
		{"department takes its case", handler, Take, c(Assigned, "3"), true},
		{"other department may not take", otherHandler, Take, c(Assigned, "3"), false},
		{"clerk may not take", clerk, Take, c(Assigned, "3"), false},
		{"handler proposes", handler, Propose, c(InProgress, "3"), true},
		{"head approves level 3", head, Approve, c(Reviewing, "3"), true},
		{"handler may not approve", handler, Approve, c(Reviewing, "3"), false},
		{"head may not approve level 1", head, Approve, c(Reviewing, "1"), false},
		{"leader approves level 1", vp, Approve, c(Reviewing, "1"), true},
		{"leader sends back level 1", vp, SendBack, c(Reviewing, "1"), true},
		{"clerk sends back an approved reply", clerk, SendBack, c(Approved, "3"), true},
		{"clerk replies", clerk, Reply, c(Approved, "3"), true},
		{"head may not reply to the complainant", head, Reply, c(Approved, "3"), false},
		{"clerk visits", clerk, Visit, c(Replied, "3"), true},
		{"clerk voids", clerk, Void, c(InProgress, "3"), true},
		{"auditor changes nothing", auditor, Void, c(InProgress, "3"), false},
		{"admin does everything", admin, Approve, c(Reviewing, "1"), true},
		{"nobody acts against the state machine", admin, Take, c(Closed, "3"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := May(tt.actor, tt.act, tt.c, pack); got != tt.want {
				t.Fatalf("May = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestVisibility(t *testing.T) {
	cs := &Case{Department: "caiwu", Handler: "h"}
	for _, tt := range []struct {
		a    Actor
		want bool
	}{
		{Actor{Role: auth.Registrar}, true},
		{Actor{Role: auth.Auditor}, true},
		{Actor{Role: auth.Manager}, true},
		{Actor{Role: auth.Handler, Department: "caiwu"}, true},
		{Actor{Role: auth.Handler, Department: "huli"}, false},
		{Actor{Role: auth.Handler, Department: "huli", Username: "h"}, true},
		{Actor{Role: auth.DeptHead, Department: ""}, false},
	} {
		if got := CanSee(tt.a, cs); got != tt.want {
			t.Errorf("CanSee(%+v) = %v, want %v", tt.a, got, tt.want)
		}
	}
}

func TestCheckParams(t *testing.T) {
	pack := testPack(t)
	c := &Case{Status: InProgress, Registration: Registration{Category: "charges"}}
	tests := []struct {
		act   Action
		p     Params
		field string // "" means valid
	}{
		{Reject, Params{}, "reason"},
		{Reject, Params{Reason: "不属于受理范围"}, ""},
		{Forward, Params{Reason: "x"}, "to"},
		{Assign, Params{}, ""}, // the category's department is filled in
		{Assign, Params{Department: "nope"}, "department"},
		{Propose, Params{}, "reply"},
		{Reply, Params{Reply: "已核实"}, "method"},
		{Reply, Params{Reply: "已核实", Method: "pigeon"}, "method"},
		{Visit, Params{}, "satisfaction"},
		{Visit, Params{Satisfaction: "ecstatic"}, "satisfaction"},
		{Accept, Params{Level: "9"}, "level"},
		{Accept, Params{Category: "nope"}, "category"},
		{Void, Params{Reason: " "}, "reason"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%+v", tt.act, tt.p), func(t *testing.T) {
			p := tt.p
			fe := Check(tt.act, &p, c, pack)
			if tt.field == "" {
				if fe != nil {
					t.Fatalf("unexpected errors %v", fe)
				}
				return
			}
			if _, ok := fe[tt.field]; !ok {
				t.Fatalf("want an error on %s, got %v", tt.field, fe)
			}
		})
	}
	p := Params{}
	Check(Assign, &p, c, pack)
	if p.Department != "caiwu" {
		t.Errorf("assign without department: got %q, want the category's department caiwu", p.Department)
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"13812345678":    "138****5678",
		"+8613812345678": "+86****5678",
		"53658506":       "****8506",
		"110":            "***",
		"":               "",
	} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHashChainAndReplay(t *testing.T) {
	at := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	c := &Case{Number: "TS202611-0001"}
	reg := &Registration{Kind: "complaint", Channel: "phone", Subject: "s", Content: "c", Receiver: "clerk"}
	e1, err := NewEvent(c, EventRegistered, "clerk", at, Change{Status: Registered, Registration: reg, Number: c.Number, Pack: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(c, e1); err != nil {
		t.Fatal(err)
	}
	e2, _ := NewEvent(c, string(Accept), "clerk", at.Add(time.Minute), Change{Status: Accepted, Params: Params{Level: "2"}})
	if err := Apply(c, e2); err != nil {
		t.Fatal(err)
	}
	if e2.PrevHash != e1.Hash || c.Head != e2.Hash || c.Seq != 2 {
		t.Fatalf("chain not linked: %+v", c)
	}
	got, err := Replay(c.Number, []Event{e1, e2})
	if err != nil || got.Status != Accepted || got.Level != "2" || got.Subject != "s" {
		t.Fatalf("replay = %+v, %v", got, err)
	}
	tampered := e2
	tampered.Payload = []byte(`{"status":"closed"}`)
	if _, err := Replay(c.Number, []Event{e1, tampered}); err == nil {
		t.Fatal("replay accepted an edited event")
	}
	if _, err := Replay("TS202611-0002", []Event{e1, e2}); err == nil {
		t.Fatal("replay accepted events moved to another case")
	}
}
