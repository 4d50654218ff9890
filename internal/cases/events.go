package cases

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// EventRegistered is the type of a case's first event.
const EventRegistered = "registered"

// Event is one change to a case, in its append-only log (台账, R25).
type Event struct {
	Seq     int64           `json:"seq"`
	Type    string          `json:"type"`
	Actor   string          `json:"actor"`
	At      time.Time       `json:"at"`
	Payload json.RawMessage `json:"payload"`
	// PrevHash is the hash of the previous event of the case ("" for the first).
	PrevHash string `json:"prev_hash"`
	// Hash is SHA-256 over PrevHash and this event's canonical content.
	Hash string `json:"hash"`
}

// Change is the payload of every event: what the event set on the case.
// It records results (the status reached, the department resolved, the due
// time computed) so that replaying events never needs the policy pack, whose
// later versions must not rewrite history.
type Change struct {
	Status       Status        `json:"status"`
	Registration *Registration `json:"registration,omitempty"`
	Number       string        `json:"number,omitempty"`
	Pack         string        `json:"pack,omitempty"`
	// Clocks are the changes to the case's time limits.
	Clocks []ClockOp `json:"clocks,omitempty"`
	// Suggestion is what the rules suggested, on registration.
	Suggestion *Suggestion `json:"suggestion,omitempty"`
	// Extension is the extension requested, as worked out on the calendar.
	Extension *Extension `json:"extension,omitempty"`
	// Inform: the complainant must now be told ("late", "extended").
	Inform string `json:"inform,omitempty"`
	// DueAt and DueAssumed are the reply deadline as events written
	// before clocks recorded it; Apply reads them as the reply clock.
	DueAt      *time.Time `json:"due_at,omitempty"`
	DueAssumed bool       `json:"due_assumed,omitempty"`
	// Files are the files an attach event added, as stored: their
	// SHA-256 in the event's hash makes the evidence tamper-evident.
	Files []File `json:"files,omitempty"`
	Params
}

// File is a file added to a case, as its attach event records it.
type File struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	// Evidence is the evidence type it counts as on the registration
	// record (photo, video, recording, document).
	Evidence string `json:"evidence"`
}

// Precision is the time precision stored for events: PostgreSQL keeps
// microseconds, so hashes are computed on microsecond-truncated times.
const Precision = time.Microsecond

// NewEvent builds the next event of c, chained to c's head.
func NewEvent(c *Case, typ, actor string, at time.Time, ch Change) (Event, error) {
	payload, err := json.Marshal(ch)
	if err != nil {
		return Event{}, err
	}
	return NewEventPayload(c, typ, actor, at, payload), nil
}

// NewEventPayload is NewEvent with the change already encoded, so that the
// encoding can happen before the transaction that numbers the case.
func NewEventPayload(c *Case, typ, actor string, at time.Time, payload []byte) Event {
	e := Event{Seq: c.Seq + 1, Type: typ, Actor: actor, At: at.UTC().Truncate(Precision),
		Payload: payload, PrevHash: c.Head}
	e.Hash = e.ComputeHash(c.Number)
	return e
}

// ComputeHash returns the hash the event should carry: SHA-256 of the
// previous hash and the event's canonical content, the stored payload bytes
// included as they are.
func (e Event) ComputeHash(number string) string {
	h := sha256.New()
	for _, part := range []string{e.PrevHash, number, strconv.FormatInt(e.Seq, 10), e.Type, e.Actor,
		e.At.UTC().Format(time.RFC3339Nano)} {
		h.Write([]byte(part))
		h.Write([]byte{'\n'})
	}
	h.Write(e.Payload)
	return hex.EncodeToString(h.Sum(nil))
}

// Apply folds event e into c. Every field of the case row is set by some
// event; Replay from nothing reproduces the row.
func Apply(c *Case, e Event) error {
	var ch Change
	if err := json.Unmarshal(e.Payload, &ch); err != nil {
		return fmt.Errorf("event %d: payload: %w", e.Seq, err)
	}
	return ApplyChange(c, e, ch)
}

// ApplyChange is Apply with the payload already decoded: ch must be what
// e.Payload encodes (the workflow has it at hand and skips decoding).
func ApplyChange(c *Case, e Event, ch Change) error {
	if e.Seq != c.Seq+1 {
		return fmt.Errorf("event %d follows event %d", e.Seq, c.Seq)
	}
	at := e.At
	// Events written before clocks carry the reply deadline as DueAt: it
	// becomes a reply clock without a limit text, run by the old rules.
	if ch.DueAt != nil {
		start := c.ReceivedAt
		if ch.Registration != nil {
			start = ch.Registration.ReceivedAt
		}
		c.Clocks = []Clock{{Name: "reply", Start: start, Due: *ch.DueAt, Assumed: ch.DueAssumed, State: ClockRunning}}
	}
	switch Action(e.Type) {
	case EventRegistered:
		if ch.Registration == nil {
			return fmt.Errorf("event %d: registered without a registration", e.Seq)
		}
		c.Registration = *ch.Registration
		// The number is part of every event's hash; events since the
		// clocks leave it out of the payload (Replay knows it).
		if ch.Number != "" {
			c.Number = ch.Number
		}
		c.Pack = ch.Pack
		c.RegisteredAt, c.RegisteredBy = at, e.Actor
		c.Suggestion = ch.Suggestion
	case Grade:
		c.Level, c.GradedBy, c.Reason = ch.Level, e.Actor, ch.Reason
		if ch.Category != "" {
			c.Category = ch.Category
		}
	case Accept:
		if ch.Category != "" {
			c.Category = ch.Category
		}
		if ch.Level != "" {
			c.Level = ch.Level
		}
	case Reject, Void, SendBack:
		c.Reason = ch.Reason
	case Forward:
		c.ForwardedTo, c.Reason = ch.To, ch.Reason
	case Assign:
		c.Department, c.Handler = ch.Department, ch.Handler
	case Take:
		if c.Handler == "" {
			c.Handler = e.Actor
		}
	case Propose:
		c.Proposal = ch.Reply
	case Approve:
	case Reply:
		c.Reply, c.ReplyMethod = ch.Reply, ch.Method
		if c.RepliedAt == nil {
			c.RepliedAt = &at
		}

	case Visit:
		c.Satisfaction = ch.Satisfaction
		if ch.Status == Closed {
			c.ClosedAt = &at
		}
	case Reopen:
		c.Reason = ch.Reason
		c.ClosedAt = nil
		if ch.Status == Registered {
			c.ForwardedTo = ""
		}
	case Contact:
		c.Inform = ""
	case Comment:
	case Attach:
		if len(ch.Files) == 0 {
			return fmt.Errorf("event %d: attach without files", e.Seq)
		}
		for _, f := range ch.Files {
			c.Evidence = CountEvidence(c.Evidence, f.Evidence, 1)
		}
	case Pause:
		c.Reason = ch.Reason
	case Resume:
	case RequestExtension:
		if ch.Extension == nil {
			return fmt.Errorf("event %d: extension request without the extension", e.Seq)
		}
		c.Extension = ch.Extension
	case ApproveExtension:
		c.Extension = nil
	case RejectExtension:
		c.Extension, c.Reason = nil, ch.Reason
	case EventRemind, EventEscalate, EventPublicMessage, Message:
	default:
		return fmt.Errorf("event %d: unknown type %q", e.Seq, e.Type)
	}
	if ch.Inform != "" {
		c.Inform = ch.Inform
	}
	if err := applyClocks(c, ch.Clocks, at, ch.Reason); err != nil {
		return fmt.Errorf("event %d: %w", e.Seq, err)
	}
	c.Status = ch.Status
	if k := c.Clock("reply"); k != nil && k.Within == "" && k.State == ClockRunning {
		switch {
		case c.RepliedAt != nil:
			k.State, k.StoppedAt = ClockStopped, c.RepliedAt
		case c.Status == NotAccepted || c.Status == Forwarded || c.Status == Voided:
			k.State, k.StoppedAt = ClockCancelled, &at
		}
	}
	c.UpdatedAt = at
	c.Seq, c.Head = e.Seq, e.Hash
	return nil
}

// CountEvidence adds n to the count of evidence type typ in ev: to its
// first entry of that type, or as a new entry at the end. The registration
// record's counts follow the files attached to the case this way.
func CountEvidence(ev []Evidence, typ string, n int) []Evidence {
	for i := range ev {
		if ev[i].Type == typ {
			out := slices.Clone(ev)
			out[i].Count += n
			return out
		}
	}
	return append(slices.Clone(ev), Evidence{Type: typ, Count: n})
}

// Replay builds a case from its events, checking the hash chain on the way.
// It returns the case and, if the chain is broken, an error naming the first
// broken event.
func Replay(number string, events []Event) (*Case, error) {
	c := &Case{Number: number}
	for _, e := range events {
		if e.PrevHash != c.Head {
			return c, fmt.Errorf("case %s event %d (%s): previous hash does not match event %d", number, e.Seq, e.Type, c.Seq)
		}
		if got := e.ComputeHash(number); got != e.Hash {
			return c, fmt.Errorf("case %s event %d (%s): content does not match its hash (edited?)", number, e.Seq, e.Type)
		}
		if err := Apply(c, e); err != nil {
			return c, fmt.Errorf("case %s %w", number, err)
		}
	}
	return c, nil
}
