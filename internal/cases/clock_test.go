package cases

import (
	"testing"
	"time"
)

// TestLegacyDueAt: events written before clocks carried the reply deadline
// as due_at; replaying them yields a reply clock run by the old rule (met
// or breached by the first reply, gone when the case owes no reply).
func TestLegacyDueAt(t *testing.T) {
	due := time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)
	recv := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		steps []Change
		types []string
		want  string // state of the reply clock at the end, as StateAt
		open  bool   // whether OpenDue is still set
	}{
		{"replied in time", []Change{{Status: Accepted}, {Status: Replied, Params: Params{Reply: "x", Method: "phone"}}},
			[]string{"accept", "reply"}, DeadlineMet, false},
		{"still open", []Change{{Status: Accepted}}, []string{"accept"}, DeadlineBreached, true},
		{"not accepted", []Change{{Status: NotAccepted, Params: Params{Reason: "r"}}}, []string{"reject"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Case{Number: "T1"}
			reg := &Registration{Kind: "complaint", ReceivedAt: recv}
			steps := append([]Change{{Status: Registered, Registration: reg, Number: "T1", DueAt: &due}}, tt.steps...)
			types := append([]string{EventRegistered}, tt.types...)
			at := recv
			for i, ch := range steps {
				at = at.Add(time.Hour)
				e, err := NewEvent(c, types[i], "u", at, ch)
				if err != nil {
					t.Fatal(err)
				}
				if err := Apply(c, e); err != nil {
					t.Fatal(err)
				}
			}
			k := c.Clock("reply")
			if k == nil || !k.Due.Equal(due) {
				t.Fatalf("reply clock %+v", k)
			}
			if got := k.StateAt(due.Add(time.Hour)); got != tt.want {
				t.Fatalf("state %q, want %q", got, tt.want)
			}
			if (c.OpenDue() != nil) != tt.open {
				t.Fatalf("open due %v, want open=%v", c.OpenDue(), tt.open)
			}
		})
	}
}
