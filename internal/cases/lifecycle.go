package cases

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/policy"
)

// Action is something a user does to a case.
type Action string

const (
	Accept   Action = "accept"    // 受理
	Reject   Action = "reject"    // 不予受理 {reason}
	Forward  Action = "forward"   // 转送 {to, reason}
	Assign   Action = "assign"    // 交办 {department, handler?}: issues the handling slip
	Take     Action = "take"      // 科室签收
	Propose  Action = "propose"   // 拟办答复 {reply}
	Approve  Action = "approve"   // 审定
	SendBack Action = "send_back" // 退回 {reason}
	Reply    Action = "reply"     // 答复 {reply, method}
	Visit    Action = "visit"     // 回访 {satisfaction, note}
	Reopen   Action = "reopen"    // 重新办理 {reason}
	Void     Action = "void"      // 作废 {reason}

	// Actions on a case's time limits and contact, which leave its status as it is.
	Pause            Action = "pause"             // 暂停计时 {reason}: e.g. waiting for the complainant's material
	Resume           Action = "resume"            // 恢复计时
	RequestExtension Action = "request_extension" // 申请延期 {days | until, reason, clock?}
	ApproveExtension Action = "approve_extension" // 批准延期
	RejectExtension  Action = "reject_extension"  // 驳回延期 {reason}
	Contact          Action = "contact"           // 联系投诉人 {method, note}: first contact, or telling them of a delay
	Grade            Action = "grade"             // 认定等级 {level, category?, reason}: confirm or change the grade (R12)
	Comment          Action = "comment"           // 内部备注 {note}: staff only, never shown to the complainant
	// Message is a message to the complainant, shown on their tracking page
	// (the portal); only for cases the public registered, who can read it.
	Message Action = "message" // 给投诉人留言 {note}
	// Attach adds files to the case (添加附件 {note}); the files are not
	// parameters a user types but what the workflow stored (Change.Files):
	// it is taken only through workflow.Service.Attach.
	Attach Action = "attach"
)

// PublicActor registers the cases the public submits through the portal;
// ComplainantActor writes what the complainant does with their access
// code (a rating, a message).
const (
	PublicActor      = "public"
	ComplainantActor = "complainant"
)

// EventPublicMessage is a message from the complainant through the
// tracking page (补充说明): no staff action, like the supervisor's events.
const EventPublicMessage = "public_message"

// MaxMessage is the length of a message, either way, in characters.
const MaxMessage = 2000

// Events the supervisor (督办) writes; no user takes them.
const (
	EventRemind   = "remind"   // a reminder before a deadline
	EventEscalate = "escalate" // a missed deadline escalated
)

// Actions lists every action in lifecycle order.
var Actions = []Action{Accept, Reject, Forward, Assign, Take, Propose, Approve, SendBack, Reply, Visit, Reopen, Void,
	Grade, Contact, Pause, Resume, RequestExtension, ApproveExtension, RejectExtension, Comment, Message, Attach}

// SideActions are the actions that leave the case's status as it is.
var SideActions = []Action{Grade, Contact, Pause, Resume, RequestExtension, ApproveExtension, RejectExtension, Comment, Message, Attach}

// open lists the statuses in which a case still has work ahead of it.
var open = []Status{Registered, Accepted, Assigned, InProgress, Reviewing, Approved, Replied}

// attachable lists the statuses in which files may be added to a case:
// every one but voided (a closed case may still receive late material).
var attachable = slices.DeleteFunc(slices.Clone(Statuses), func(s Status) bool { return s == Voided })

// Params are an action's parameters. Which are required depends on the action.
type Params struct {
	Reason       string       `json:"reason,omitempty"`
	To           string       `json:"to,omitempty"`
	Department   string       `json:"department,omitempty"`
	Handler      string       `json:"handler,omitempty"`
	Category     string       `json:"category,omitempty"`
	Level        string       `json:"level,omitempty"`
	Reply        string       `json:"reply,omitempty"`
	Method       string       `json:"method,omitempty"`
	Satisfaction Satisfaction `json:"satisfaction,omitempty"`
	Note         string       `json:"note,omitempty"`
	// Clock names the clock an extension is for (default: reply).
	Clock string `json:"clock,omitempty"`
	// Days or Until (a date, 2006-01-02) say how long an extension is.
	Days  int    `json:"days,omitempty"`
	Until string `json:"until,omitempty"`
}

// ReplyMethods are the ways a reply reaches the complainant.
var ReplyMethods = []string{"phone", "letter", "email", "sms", "in_person", "wechat", "web", "other"}

// from lists the statuses each action may be taken in.
var from = map[Action][]Status{
	Accept:   {Registered},
	Reject:   {Registered},
	Forward:  {Registered},
	Assign:   {Accepted, Assigned, InProgress},
	Take:     {Assigned},
	Propose:  {InProgress},
	Approve:  {Reviewing},
	SendBack: {Reviewing, Approved},
	Reply:    {Accepted, Approved},
	Visit:    {Replied},
	Reopen:   {Closed, NotAccepted, Forwarded},
	Void:     {Registered, Accepted, Assigned, InProgress, Reviewing, Approved},

	Grade:            open,
	Contact:          open,
	Comment:          Statuses,
	Message:          {Registered, Accepted, NotAccepted, Forwarded, Assigned, InProgress, Reviewing, Approved, Replied, Closed},
	Attach:           attachable,
	Pause:            open,
	Resume:           open,
	RequestExtension: open,
	ApproveExtension: open,
	RejectExtension:  open,
}

// ErrInvalidTransition is returned for an action the case's status does not allow.
var ErrInvalidTransition = errors.New("invalid transition")

// FieldErrors names each invalid parameter or field with a message key
// (see package i18n) describing what is wrong.
type FieldErrors map[string]string

func (fe FieldErrors) Error() string {
	var parts []string
	for _, k := range slices.Sorted(mapKeys(fe)) {
		parts = append(parts, k+": "+fe[k])
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// Allowed reports whether action may be taken on a case in status s,
// whoever takes it.
func Allowed(s Status, a Action) bool { return slices.Contains(from[a], s) }

// Possible reports whether action a may be taken on case c now, whoever
// takes it: its status allows it, and for the actions on time limits, the
// clocks and any pending extension do.
func Possible(c *Case, a Action) bool {
	if !Allowed(c.Status, a) {
		return false
	}
	has := func(states ...ClockState) bool {
		return slices.ContainsFunc(c.Clocks, func(k Clock) bool { return slices.Contains(states, k.State) })
	}
	switch a {
	case Pause:
		return has(ClockRunning)
	case Resume:
		return has(ClockPaused)
	case RequestExtension:
		return c.Extension == nil && has(ClockRunning, ClockPaused)
	case ApproveExtension, RejectExtension:
		return c.Extension != nil
	case Message:
		return c.RegisteredBy == PublicActor // nobody could read it otherwise
	}
	return true
}

// Next is the status a case moves to when action a with params p is taken
// in status s, with review the review rule of the case's level.
func Next(s Status, a Action, p Params, review policy.Review) (Status, error) {
	if !Allowed(s, a) {
		return "", fmt.Errorf("%w: %s is not possible when the case is %s", ErrInvalidTransition, a, s)
	}
	if slices.Contains(SideActions, a) {
		return s, nil
	}
	switch a {
	case Accept:
		return Accepted, nil
	case Reject:
		return NotAccepted, nil
	case Forward:
		return Forwarded, nil
	case Assign:
		return Assigned, nil
	case Take:
		return InProgress, nil
	case Propose:
		if review == policy.ReviewNone {
			return Approved, nil
		}
		return Reviewing, nil
	case Approve:
		return Approved, nil
	case SendBack:
		return InProgress, nil
	case Reply:
		return Replied, nil
	case Visit:
		if p.Satisfaction == Dissatisfied {
			return InProgress, nil
		}
		return Closed, nil
	case Reopen:
		if s == Closed {
			return InProgress, nil
		}
		return Registered, nil
	case Void:
		return Voided, nil
	}
	return "", fmt.Errorf("%w: unknown action %q", ErrInvalidTransition, a)
}

// Check validates the parameters of action a against the pack. It fills
// derived values (the department of the category when assigning without one).
func Check(a Action, p *Params, c *Case, pack *policy.Pack) FieldErrors {
	fe := FieldErrors{}
	need := func(field, v string) {
		if strings.TrimSpace(v) == "" {
			fe[field] = "required"
		}
	}
	switch a {
	case Accept:
		if p.Category != "" {
			if _, ok := pack.Category(p.Category); !ok {
				fe["category"] = "unknown_category"
			}
		}
		if p.Level != "" {
			if _, ok := pack.Level(p.Level); !ok {
				fe["level"] = "unknown_level"
			}
		}
	case Reject, SendBack, Reopen, Void, Pause, RejectExtension:
		need("reason", p.Reason)
	case RequestExtension:
		need("reason", p.Reason)
		switch {
		case p.Days < 0:
			fe["days"] = "invalid"
		case p.Days == 0 && p.Until == "":
			fe["days"] = "required"
		case p.Days > 0 && p.Until != "":
			fe["until"] = "days_or_until"
		case p.Until != "":
			if _, err := time.Parse("2006-01-02", p.Until); err != nil {
				fe["until"] = "invalid_date"
			}
		}
		if p.Clock != "" && c.Clock(p.Clock) == nil {
			fe["clock"] = "unknown_clock"
		}
	case Comment:
		need("note", p.Note)
	case Message:
		need("note", p.Note)
		if utf8.RuneCountInString(p.Note) > MaxMessage {
			fe["note"] = "too_long"
		}
	case Grade:
		need("level", p.Level)
		need("reason", p.Reason)
		if _, ok := pack.Level(p.Level); p.Level != "" && !ok {
			fe["level"] = "unknown_level"
		}
		if _, ok := pack.Category(p.Category); p.Category != "" && !ok {
			fe["category"] = "unknown_category"
		}
	case Contact:
		need("method", p.Method)
		if p.Method != "" && !slices.Contains(ReplyMethods, p.Method) {
			fe["method"] = "unknown_method"
		}
	case Forward:
		need("to", p.To)
		need("reason", p.Reason)
	case Assign:
		if p.Department == "" {
			if cat, ok := pack.Category(c.Category); ok {
				p.Department = cat.Department
			}
		}
		need("department", p.Department)
		if _, ok := pack.Dept(p.Department); p.Department != "" && !ok {
			fe["department"] = "unknown_department"
		}
	case Propose:
		need("reply", p.Reply)
	case Reply:
		if p.Reply == "" && c.Status == Approved {
			p.Reply = c.Proposal
		}
		need("reply", p.Reply)
		need("method", p.Method)
		if p.Method != "" && !slices.Contains(ReplyMethods, p.Method) {
			fe["method"] = "unknown_method"
		}
	case Visit:
		switch p.Satisfaction {
		case Satisfied, BasicallySatisfied, Dissatisfied, Unreachable:
		case "":
			fe["satisfaction"] = "required"
		default:
			fe["satisfaction"] = "unknown_satisfaction"
		}
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// Actor is the user taking an action.
type Actor struct {
	Username   string
	Role       auth.Role
	Department string
}

// CanSee reports whether actor may read case c: the central office,
// leadership and auditors see every case, a department its own — but of a
// confidential case, among its handlers only the one it is assigned to.
func CanSee(a Actor, c *Case) bool {
	switch a.Role {
	case auth.Admin, auth.Registrar, auth.Manager, auth.Auditor:
		return true
	case auth.DeptHead:
		return c.Department != "" && c.Department == a.Department || c.Handler == a.Username
	case auth.Handler:
		// A confidential case is not the whole department's: only its
		// handler's (R30: never handed to the person reported).
		return !c.Confidential && c.Department != "" && c.Department == a.Department || c.Handler == a.Username
	}
	return false
}

// May reports whether actor may take action a on case c now, under pack.
func May(a Actor, act Action, c *Case, pack *policy.Pack) bool {
	if !Possible(c, act) {
		return false
	}
	if a.Role == auth.Admin {
		return true
	}
	ownDept := c.Department != "" && c.Department == a.Department
	if c.Confidential && a.Role == auth.Handler {
		ownDept = ownDept && c.Handler == a.Username
	}
	review := policy.ReviewDeptHead
	if l, ok := pack.Level(c.Level); ok {
		review = l.Review
	}
	switch act {
	case Accept, Reject, Forward, Assign, Reply, Visit, Reopen, Void:
		return a.Role == auth.Registrar
	case Take, Propose:
		return (a.Role == auth.Handler || a.Role == auth.DeptHead) && ownDept
	case RequestExtension:
		if !slices.ContainsFunc(c.Clocks, func(k Clock) bool {
			return (k.State == ClockRunning || k.State == ClockPaused) && pack.Extensions.Extendable(k.Name)
		}) {
			return false
		}
		return a.Role == auth.Registrar || (a.Role == auth.Handler || a.Role == auth.DeptHead) && ownDept
	case Contact:
		return a.Role == auth.Registrar || (a.Role == auth.Handler || a.Role == auth.DeptHead) && ownDept
	case Message:
		return a.Role == auth.Registrar || (a.Role == auth.Handler || a.Role == auth.DeptHead) && ownDept
	case Grade:
		return MayConfirm(a, c, pack)
	case Comment:
		return a.Role != auth.Auditor
	case Attach:
		// Whoever may read the case and act on it: a department user only
		// on their department's cases or their own.
		return a.Role != auth.Auditor && CanSee(a, c)
	case Pause, Resume:
		return a.Role == auth.Registrar || a.Role == auth.Manager ||
			(a.Role == auth.Handler || a.Role == auth.DeptHead) && ownDept
	case ApproveExtension, RejectExtension:
		switch auth.Role(pack.Extensions.Approver) {
		case auth.DeptHead:
			return a.Role == auth.Manager || a.Role == auth.DeptHead && ownDept
		case auth.Registrar:
			return a.Role == auth.Manager || a.Role == auth.Registrar
		}
		return a.Role == auth.Manager
	case Approve:
		if review == policy.ReviewManager {
			return a.Role == auth.Manager
		}
		return a.Role == auth.Manager || a.Role == auth.DeptHead && ownDept
	case SendBack:
		if c.Status == Approved {
			return a.Role == auth.Registrar || a.Role == auth.Manager
		}
		if review == policy.ReviewManager {
			return a.Role == auth.Manager
		}
		return a.Role == auth.Manager || a.Role == auth.DeptHead && ownDept
	}
	return false
}

// confirmRank orders who may confirm a grade: a manager may confirm what
// a department head may, who may confirm what the central office may.
var confirmRank = map[string]int{"registrar": 0, "dept_head": 1, "manager": 2}

// ConfirmRole is who must confirm case c's grade (R12): the strictest of
// its level's confirm_by and the suggestion's, when the level is the
// suggested one.
func ConfirmRole(c *Case, pack *policy.Pack) string {
	role := "registrar"
	if l, ok := pack.Level(c.Level); ok && l.ConfirmBy != "" {
		role = l.ConfirmBy
	}
	if s := c.Suggestion; s != nil && s.Level == c.Level && confirmRank[s.ConfirmBy] > confirmRank[role] {
		role = s.ConfirmBy
	}
	return role
}

// MayConfirm reports whether actor may confirm or change case c's grade:
// whoever its confirming role names (a department head of the case's own
// department), or anyone above.
func MayConfirm(a Actor, c *Case, pack *policy.Pack) bool {
	need := confirmRank[ConfirmRole(c, pack)]
	switch a.Role {
	case auth.Admin, auth.Manager:
		return true
	case auth.DeptHead:
		return need <= 1 && c.Department != "" && c.Department == a.Department
	case auth.Registrar:
		return need == 0
	}
	return false
}

// Available lists the actions actor may take on case c now.
func Available(a Actor, c *Case, pack *policy.Pack) []Action {
	out := []Action{}
	for _, act := range Actions {
		if May(a, act, c, pack) {
			out = append(out, act)
		}
	}
	return out
}
