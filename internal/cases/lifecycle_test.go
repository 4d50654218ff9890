package cases

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
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
// complainant and files whatever the status but voided.
func init() {
	for _, s := range Statuses {
		allowed[s][Comment] = s
		if s != Voided {
			allowed[s][Message] = s
			allowed[s][Attach] = s
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

// TestAttachPermissions: whoever may act on the case may add files to it
// — a department user only on their department's cases or their own —
// in any status but voided; an auditor never.
func TestAttachPermissions(t *testing.T) {
	pack := testPack(t)
	clerk := Actor{Username: "clerk", Role: auth.Registrar, Department: "yhb"}
	handler := Actor{Username: "h", Role: auth.Handler, Department: "caiwu"}
	otherHandler := Actor{Username: "o", Role: auth.Handler, Department: "huli"}
	head := Actor{Username: "hd", Role: auth.DeptHead, Department: "caiwu"}
	otherHead := Actor{Username: "ohd", Role: auth.DeptHead, Department: "huli"}
	noDept := Actor{Username: "nd", Role: auth.Handler}
	vp := Actor{Username: "vp", Role: auth.Manager}
	auditor := Actor{Username: "au", Role: auth.Auditor}
	admin := Actor{Username: "admin", Role: auth.Admin}

	c := func(s Status, dept, handler string) *Case {
		return &Case{Status: s, Department: dept, Handler: handler, Registration: Registration{Level: "3"}}
	}
	tests := []struct {
		name  string
		actor Actor
		c     *Case
		want  bool
	}{
		{"clerk on a new case", clerk, c(Registered, "", ""), true},
		{"clerk on a closed case", clerk, c(Closed, "caiwu", ""), true},
		{"clerk on a case not accepted", clerk, c(NotAccepted, "", ""), true},
		{"clerk on a forwarded case", clerk, c(Forwarded, "", ""), true},
		{"nobody on a voided case", clerk, c(Voided, "caiwu", ""), false},
		{"not even the admin on a voided case", admin, c(Voided, "caiwu", ""), false},
		{"admin", admin, c(InProgress, "caiwu", ""), true},
		{"leadership", vp, c(Reviewing, "caiwu", ""), true},
		{"auditor never", auditor, c(InProgress, "caiwu", ""), false},
		{"handler of the department", handler, c(InProgress, "caiwu", ""), true},
		{"head of the department", head, c(Replied, "caiwu", ""), true},
		{"handler of another department", otherHandler, c(InProgress, "caiwu", ""), false},
		{"head of another department", otherHead, c(InProgress, "caiwu", ""), false},
		{"handler of another department handling it", otherHandler, c(InProgress, "caiwu", "o"), true},
		{"department user on an unassigned case", handler, c(Registered, "", ""), false},
		{"department user without a department", noDept, c(InProgress, "caiwu", ""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := May(tt.actor, Attach, tt.c, pack); got != tt.want {
				t.Fatalf("May(attach) = %v, want %v", got, tt.want)
			}
			if got := slices.Contains(Available(tt.actor, tt.c, pack), Attach); got != tt.want {
				t.Fatalf("attach available = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestAttachEvents: an attach event records its files in the hash chain
// and counts them as evidence on the registration record; replay gives
// the same case, and an edited file record breaks the chain.
func TestAttachEvents(t *testing.T) {
	at := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	c := &Case{Number: "TS202611-0001"}
	reg := &Registration{Kind: "complaint", Channel: "phone", Subject: "s", Content: "c", Receiver: "clerk",
		Evidence: []Evidence{{Type: "receipt", Count: 2, Note: "纸质"}, {Type: "photo", Count: 1}}}
	var events []Event
	add := func(typ string, ch Change) {
		t.Helper()
		e, err := NewEvent(c, typ, "clerk", at.Add(time.Duration(len(events))*time.Minute), ch)
		if err != nil {
			t.Fatal(err)
		}
		if err := Apply(c, e); err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	add(EventRegistered, Change{Status: Registered, Registration: reg, Pack: "p"})
	add(string(Attach), Change{Status: Registered, Params: Params{Note: "患者微信发来"}, Files: []File{
		{Name: "a.jpg", ContentType: "image/jpeg", Size: 10, SHA256: strings.Repeat("a", 64), Evidence: "photo"},
		{Name: "b.mp3", ContentType: "audio/mpeg", Size: 20, SHA256: strings.Repeat("b", 64), Evidence: "recording"},
		{Name: "c.png", ContentType: "image/png", Size: 30, SHA256: strings.Repeat("c", 64), Evidence: "photo"},
	}})
	add(string(Accept), Change{Status: Accepted})
	add(string(Attach), Change{Status: Accepted, Files: []File{
		{Name: "d.pdf", ContentType: "application/pdf", Size: 40, SHA256: strings.Repeat("d", 64), Evidence: "document"},
	}})
	want := []Evidence{{Type: "receipt", Count: 2, Note: "纸质"}, {Type: "photo", Count: 3},
		{Type: "recording", Count: 1}, {Type: "document", Count: 1}}
	if !reflect.DeepEqual(c.Evidence, want) {
		t.Fatalf("evidence %+v, want %+v", c.Evidence, want)
	}
	if reg.Evidence[1].Count != 1 {
		t.Fatalf("the registration event's record changed: %+v", reg.Evidence)
	}
	if c.Status != Accepted || c.Seq != 4 {
		t.Fatalf("status %s seq %d", c.Status, c.Seq)
	}
	got, err := Replay(c.Number, events)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(c)
	if string(a) != string(b) {
		t.Fatalf("replay differs:\n%s\n%s", a, b)
	}
	// A file's hash changed in the log: the chain no longer holds.
	tampered := slices.Clone(events)
	tampered[1].Payload = []byte(strings.Replace(string(tampered[1].Payload), strings.Repeat("a", 64), strings.Repeat("e", 64), 1))
	if _, err := Replay(c.Number, tampered); err == nil || !strings.Contains(err.Error(), "event 2") {
		t.Fatalf("replay of an edited file record: %v", err)
	}
	// An attach event without files is refused.
	bad := *c
	e, _ := NewEvent(&bad, string(Attach), "clerk", at.Add(time.Hour), Change{Status: Accepted})
	if err := Apply(&bad, e); err == nil {
		t.Fatal("an attach event without files applied")
	}
}
