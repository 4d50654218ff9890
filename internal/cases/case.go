// Package cases holds the case: its registration record (登记凭证), its
// lifecycle as an explicit state machine, and the events every change
// produces. A case is the projection of its events: Apply folds them into
// the case row. Nothing here touches a database.
package cases

import (
	"strings"
	"time"
)

// Status is where a case is in its lifecycle.
type Status string

const (
	Registered  Status = "registered"   // 已登记
	Accepted    Status = "accepted"     // 已受理
	NotAccepted Status = "not_accepted" // 不予受理
	Forwarded   Status = "forwarded"    // 已转送
	Assigned    Status = "assigned"     // 已交办
	InProgress  Status = "in_progress"  // 办理中
	Reviewing   Status = "reviewing"    // 审核中
	Approved    Status = "approved"     // 已审定
	Replied     Status = "replied"      // 已答复
	Closed      Status = "closed"       // 已办结
	Voided      Status = "voided"       // 作废
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{Registered, Accepted, NotAccepted, Forwarded, Assigned, InProgress,
	Reviewing, Approved, Replied, Closed, Voided}

// Satisfaction is the complainant's verdict at the return visit (回访).
type Satisfaction string

const (
	Satisfied          Satisfaction = "satisfied"           // 满意
	BasicallySatisfied Satisfaction = "basically_satisfied" // 基本满意
	Dissatisfied       Satisfaction = "dissatisfied"        // 不满意
	// Unreachable: the complainant could not be reached (anonymous, no
	// contact, no answer). The case closes; it counts in no satisfaction rate.
	Unreachable Satisfaction = "unreachable" // 无法回访
)

// Complainant is who complained. Phone is stored in full and shown masked.
type Complainant struct {
	Name string `json:"name,omitempty"`
	// Phone is the contact number; MaskPhone shows it as 138****5678.
	Phone string `json:"phone,omitempty"`
	// OtherContact is any other way to reach them (address, WeChat id ...).
	OtherContact string `json:"other_contact,omitempty"`
	// Anonymous: the complainant did not give their identity.
	Anonymous bool `json:"anonymous,omitempty"`
	// Refused: the complainant refused to provide personal data (顾客拒绝提供).
	Refused bool `json:"refused,omitempty"`
	// GroupSize is the number of complainants when several complain together
	// (集体投诉); Name is then the lead complainant (牵头人). 0 or 1: one person.
	GroupSize   int    `json:"group_size,omitempty"`
	MemberLevel string `json:"member_level,omitempty"`
	// Emotion notes the complainant's emotional state (情绪状态).
	Emotion string `json:"emotion,omitempty"`
	// Sealed holds Name, Phone and OtherContact encrypted (package seal)
	// when the case is confidential; those fields are then empty here, in
	// the event log, the case row and the search index.
	Sealed string `json:"sealed,omitempty"`
}

// Identity is the part of a complainant that a confidential case seals.
type Identity struct {
	Name         string `json:"name,omitempty"`
	Phone        string `json:"phone,omitempty"`
	OtherContact string `json:"other_contact,omitempty"`
}

// Identity returns who the complainant is, as given.
func (c Complainant) Identity() Identity {
	return Identity{Name: c.Name, Phone: c.Phone, OtherContact: c.OtherContact}
}

// Empty reports whether no identity was given.
func (id Identity) Empty() bool { return id == Identity{} }

// Respondent is who or what is complained about (被投诉对象).
type Respondent struct {
	Department string `json:"department,omitempty"` // a pack department code, or free text
	Staff      string `json:"staff,omitempty"`
	Site       string `json:"site,omitempty"` // store, ward, branch, window ...
}

// Evidence is one kind of material the complainant brought, with a count.
type Evidence struct {
	Type  string `json:"type"` // receipt, photo, video, chat, recording, document, other
	Count int    `json:"count"`
	Note  string `json:"note,omitempty"`
}

// EvidenceTypes are the evidence types a registration may record.
var EvidenceTypes = []string{"receipt", "photo", "video", "chat", "recording", "document", "other"}

// Demands are the complainant's demands (诉求).
var Demands = []string{"apology", "refund", "compensation", "replacement", "improvement", "explanation", "discipline", "other"}

// Registration is the registration record (登记凭证, R3): everything the
// registering clerk writes down. It is the payload of the first event.
type Registration struct {
	Kind        string      `json:"kind"`
	Channel     string      `json:"channel"`
	ReceivedAt  time.Time   `json:"received_at"`
	Complainant Complainant `json:"complainant"`
	Respondent  Respondent  `json:"respondent"`
	Subject     string      `json:"subject"`
	Content     string      `json:"content"`
	Demands     []string    `json:"demands,omitempty"`
	DemandNote  string      `json:"demand_note,omitempty"`
	Evidence    []Evidence  `json:"evidence,omitempty"`
	Category    string      `json:"category,omitempty"`
	Level       string      `json:"level,omitempty"`
	// Urgent marks a matter handled first and registered afterwards (先处理后登记).
	Urgent bool `json:"urgent,omitempty"`
	// Confidential: the case's kind protects who reported it (R30, the
	// pack's kinds); set at registration from the pack.
	Confidential bool `json:"confidential,omitempty"`
	// Receiver is the first-responsible person (首问责任人): who first took
	// the complaint, by user name, with free-text department and contact.
	Receiver     string `json:"receiver"`
	ReceiverDept string `json:"receiver_dept,omitempty"`
	ReceiverTel  string `json:"receiver_tel,omitempty"`
}

// Case is the current state of a case: the projection of its events.
type Case struct {
	ID     int64  `json:"-"`
	Number string `json:"number"`
	Pack   string `json:"pack"`
	Status Status `json:"status"`
	Registration
	Department   string       `json:"department,omitempty"`
	Handler      string       `json:"handler,omitempty"`
	ForwardedTo  string       `json:"forwarded_to,omitempty"`
	Proposal     string       `json:"proposal,omitempty"`
	Reply        string       `json:"reply,omitempty"`
	ReplyMethod  string       `json:"reply_method,omitempty"`
	Satisfaction Satisfaction `json:"satisfaction,omitempty"`
	// Reason is the reason given by the last reject, forward, send_back,
	// reopen or void.
	Reason       string    `json:"reason,omitempty"`
	RegisteredAt time.Time `json:"registered_at"`
	RegisteredBy string    `json:"registered_by"`
	UpdatedAt    time.Time `json:"updated_at"`
	// Clocks are the case's time limits (SLA clocks), in the order they started.
	Clocks []Clock `json:"clocks,omitempty"`
	// Suggestion is what the pack's rules suggested at registration.
	Suggestion *Suggestion `json:"suggestion,omitempty"`
	// GradedBy is who confirmed or changed the grade (level and category)
	// with the grade action; empty while the grade awaits confirmation.
	GradedBy string `json:"graded_by,omitempty"`
	// Extension is a pending request to extend a clock (R21).
	Extension *Extension `json:"extension,omitempty"`
	// Inform says the complainant must be told something and has not been
	// yet: "late" (a time limit was missed) or "extended". A contact clears it.
	Inform string `json:"inform,omitempty"`
	// RepliedAt is when the complainant was first replied to.
	RepliedAt *time.Time `json:"replied_at,omitempty"`
	ClosedAt  *time.Time `json:"closed_at,omitempty"`
	// Seq and Head are the sequence number and hash of the last event.
	Seq  int64  `json:"-"`
	Head string `json:"-"`
}

// Extension is a request to extend a clock's due time (延期, R21).
type Extension struct {
	Clock string `json:"clock"`
	// Until is the due time asked for; Days its length beyond the current
	// due time in the unit of the pack's bound (working or natural days).
	Until  time.Time `json:"until"`
	Days   int       `json:"days"`
	Reason string    `json:"reason"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// MaskPhone shows a phone number with its middle hidden: 13812345678 →
// 138****5678. Short numbers keep only their last two digits.
func MaskPhone(p string) string {
	r := []rune(strings.TrimSpace(p))
	switch {
	case len(r) == 0:
		return ""
	case len(r) >= 11:
		return string(r[:3]) + "****" + string(r[len(r)-4:])
	case len(r) > 4:
		return strings.Repeat("*", len(r)-4) + string(r[len(r)-4:])
	default:
		return strings.Repeat("*", len(r))
	}
}
