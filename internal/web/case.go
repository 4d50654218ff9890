package web

import (
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/api"
	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/i18n"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

// classify maps a domain error to a status, an error code and field errors.
func classify(err error) (int, string, cases.FieldErrors) { return api.Classify(err) }

// actionFields lists the inputs each action's form has, in order.
var actionFields = map[cases.Action][]string{
	cases.Accept:   {"category", "level"},
	cases.Reject:   {"reason"},
	cases.Forward:  {"to", "reason"},
	cases.Assign:   {"department", "handler"},
	cases.Take:     nil,
	cases.Propose:  {"reply"},
	cases.Approve:  nil,
	cases.SendBack: {"reason"},
	cases.Reply:    {"reply", "method"},
	cases.Visit:    {"satisfaction", "note"},
	cases.Reopen:   {"reason"},
	cases.Void:     {"reason"},

	cases.Grade:            {"level", "category", "reason"},
	cases.Comment:          {"note"},
	cases.Message:          {"note"},
	cases.Contact:          {"method", "note"},
	cases.Pause:            {"reason"},
	cases.Resume:           {"note"},
	cases.RequestExtension: {"clock", "days", "until", "reason"},
	cases.ApproveExtension: {"note"},
	cases.RejectExtension:  {"reason"},
}

// paramsFrom reads the parameters of action a from its form, and only
// those. Values that cannot be read (a number) are reported as field errors.
func paramsFrom(a cases.Action, f url.Values) (cases.Params, cases.FieldErrors) {
	var p cases.Params
	var fe cases.FieldErrors
	for _, name := range actionFields[a] {
		v := strings.TrimSpace(strings.ReplaceAll(f.Get(name), "\r\n", "\n"))
		switch name {
		case "reason":
			p.Reason = v
		case "to":
			p.To = v
		case "department":
			p.Department = v
		case "handler":
			p.Handler = v
		case "category":
			p.Category = v
		case "level":
			p.Level = v
		case "reply":
			p.Reply = v
		case "method":
			p.Method = v
		case "satisfaction":
			p.Satisfaction = cases.Satisfaction(v)
		case "note":
			p.Note = v
		case "clock":
			p.Clock = v
		case "until":
			p.Until = v
		case "days":
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				fe = cases.FieldErrors{"days": "invalid_number"}
			}
			p.Days = n
		}
	}
	return p, fe
}

// casePage is the data of a case's page.
type casePage struct {
	*base
	C          *cases.Case
	Phone      string // masked
	CanReveal  bool
	Revealed   *cases.Complainant
	Reveal     url.Values // the reveal form as typed
	RevealErr  string
	Deadlines  []clockView
	Events     []eventRow
	Forms      []*actionForm
	Error      string
	Done       string
	AssignedAt *time.Time
	Handlers   []*auth.User // users a case may be assigned to, for the handler list
	Methods    []string
	Sats       []cases.Satisfaction
	// Attachments are the files attached to the case.
	Attachments []store.Attachment
	// CanAttach: the user may add files; UploadErr is what went wrong
	// with an upload, UploadNote the note typed with it.
	CanAttach             bool
	UploadErr, UploadNote string
	names                 map[string]string
}

// Name shows a user by display name, falling back to the user name.
func (p *casePage) Name(username string) string { return p.base.name(p.names, username) }

// name shows a user by display name from names; the supervisor is "system".
func (b *base) name(names map[string]string, username string) string {
	if n := names[username]; n != "" {
		return n
	}
	switch username {
	case workflow.SystemActor:
		return b.T("ui.system")
	case workflow.PublicActor, workflow.ComplainantActor:
		return b.T("ui.actor." + username)
	}
	if d, ok := b.Pack.Dept(username); ok {
		return d.Name.In(b.Lang) // the central office receives what the public sends
	}
	return username
}

// HasForm reports whether the page has the form of action a.
func (p *casePage) HasForm(a string) bool {
	return slices.ContainsFunc(p.Forms, func(f *actionForm) bool { return string(f.Action) == a })
}

// eventRow is one line of the timeline.
type eventRow struct {
	At      time.Time
	Actor   string
	Type    string
	Status  cases.Status
	Details []detail
}

// detail is a labelled value of an event.
type detail struct {
	Label, Value string
	Long         bool
}

// actionForm is the form of one action on the case page.
type actionForm struct {
	b      *base
	Action cases.Action
	Fields []string
	Values url.Values
	Errs   cases.FieldErrors
	// Failed marks the form whose submission failed; Stale one that is no
	// longer allowed, shown to keep what the user typed.
	Failed, Stale bool
	// Clocks are the clocks to choose from (an extension's), when there
	// is a choice.
	Clocks []string
}

// V returns an input's value.
func (f *actionForm) V(name string) string { return f.Values.Get(name) }

// Err returns the translated message of an input's error, or "".
func (f *actionForm) Err(name string) string {
	if k, ok := f.Errs[name]; ok {
		return f.b.T("field." + k)
	}
	return ""
}

// OtherErrs are the messages of errors about inputs the form does not
// show (an extension's clock when there is no choice of clocks).
func (f *actionForm) OtherErrs() []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(f.Errs)) {
		if !slices.Contains(f.Fields, k) || k == "clock" && len(f.Clocks) < 2 {
			out = append(out, f.Err(k))
		}
	}
	return out
}

// Label is the label of an input: the action's own ("ui.a.<action>.<input>")
// or the common one ("ui.a.<input>").
func (f *actionForm) Label(name string) string {
	if key := "ui.a." + string(f.Action) + "." + name; i18n.Has(key) {
		return f.b.T(key)
	}
	return f.b.T("ui.a." + name)
}

// Danger reports whether the action is destructive-looking.
func (f *actionForm) Danger() bool {
	return f.Action == cases.Void || f.Action == cases.Reject || f.Action == cases.SendBack ||
		f.Action == cases.RejectExtension
}

// defaultValues are an action form's initial values from the case.
func defaultValues(a cases.Action, c *cases.Case, b *base) url.Values {
	v := url.Values{}
	switch a {
	case cases.Accept, cases.Grade:
		v.Set("category", c.Category)
		if c.Category == "" && c.Suggestion != nil {
			v.Set("category", c.Suggestion.Category)
		}
		v.Set("level", c.Level)
	case cases.Assign:
		dept := c.Department
		if dept == "" {
			dept = b.categoryDept(c.Category)
		}
		if dept == "" && c.Suggestion != nil {
			dept = c.Suggestion.Department
		}
		v.Set("department", dept)
		if c.Department == dept {
			v.Set("handler", c.Handler)
		}
	case cases.Propose:
		v.Set("reply", c.Proposal)
	case cases.Reply:
		reply := c.Proposal
		if reply == "" {
			reply = c.Reply
		}
		v.Set("reply", reply)
		method := c.ReplyMethod
		if method == "" && slices.Contains(cases.ReplyMethods, c.Channel) {
			method = c.Channel
		}
		if method == "" {
			method = "phone"
		}
		v.Set("method", method)
	case cases.Contact:
		method := c.ReplyMethod
		if method == "" && slices.Contains(cases.ReplyMethods, c.Channel) {
			method = c.Channel
		}
		if method == "" {
			method = "phone"
		}
		v.Set("method", method)
	case cases.RequestExtension:
		if ks := extClocks(c, b); len(ks) > 0 {
			v.Set("clock", ks[0])
		}
	}
	return v
}

// extClocks are the clocks of c the pack lets be extended and that still
// run (or are paused), the one an extension is for by default first: the
// reply clock, else the first in order.
func extClocks(c *cases.Case, b *base) []string {
	var out []string
	for _, k := range c.Clocks {
		if (k.State == cases.ClockRunning || k.State == cases.ClockPaused) && b.Pack.Extensions.Extendable(k.Name) {
			out = append(out, k.Name)
		}
	}
	if i := slices.Index(out, policy.ClockReply); i > 0 {
		out = append([]string{policy.ClockReply}, slices.Delete(out, i, i+1)...)
	}
	return out
}

func (b *base) categoryDept(code string) string {
	if cat, ok := b.Pack.Category(code); ok {
		return cat.Department
	}
	return ""
}

// showCase renders the page of the case in the path with status, after
// mod has adjusted it.
func (u *UI) showCase(w http.ResponseWriter, r *http.Request, b *base, status int, mod func(*casePage)) {
	a := workflow.ActorOf(b.User)
	c, events, err := u.svc.Get(r.Context(), a, r.PathValue("number"))
	if err != nil {
		u.failErr(w, r, b, err)
		return
	}
	b.Pack = u.svc.For(c.Pack).Pack // the case's own rulebook names its codes
	b.Title = b.T("ui.case.title", c.Number)
	if r.Method != http.MethodGet {
		b.URI = "/cases/" + url.PathEscape(c.Number)
	}
	p := &casePage{base: b, C: c, Phone: cases.MaskPhone(c.Complainant.Phone),
		CanReveal: c.Complainant.Phone != "" && b.User.Role != auth.Auditor ||
			c.Complainant.Sealed != "" && workflow.MayOpenIdentity(workflow.ActorOf(b.User)),
		Deadlines: b.clockViews(c, u.svc.Now()), names: map[string]string{},
		Methods: cases.ReplyMethods, Sats: []cases.Satisfaction{cases.Satisfied, cases.BasicallySatisfied, cases.Dissatisfied, cases.Unreachable}}
	users, err := u.svc.Store.Users(r.Context())
	if err != nil {
		u.failErr(w, r, b, err)
		return
	}
	for _, usr := range users {
		p.names[usr.Username] = usr.DisplayName
		if usr.Active && (usr.Role == auth.Handler || usr.Role == auth.DeptHead) {
			p.Handlers = append(p.Handlers, usr)
		}
	}
	if p.Attachments, err = u.svc.Attachments(r.Context(), a, c); err != nil {
		u.failErr(w, r, b, err)
		return
	}
	for _, e := range events {
		p.Events = append(p.Events, p.eventRow(e))
		if e.Type == string(cases.Assign) {
			at := e.At
			p.AssignedAt = &at
		}
	}
	ext := extClocks(c, b)
	for _, act := range cases.Available(a, c, b.Pack) {
		if act == cases.RequestExtension && len(ext) == 0 {
			continue // the pack lets none of the case's limits be extended
		}
		if act == cases.Attach {
			p.CanAttach = u.svc.Store.FilesAvailable() // the attachments' own form
			continue
		}
		p.Forms = append(p.Forms, &actionForm{b: b, Action: act, Fields: actionFields[act],
			Values: defaultValues(act, c, b)})
	}
	if done := cases.Action(r.URL.Query().Get("done")); slices.Contains(cases.Actions, done) {
		p.Done = b.T("ui.case.done", b.Action(done))
	}
	if mod != nil {
		mod(p)
	}
	if len(ext) > 1 {
		for _, f := range p.Forms {
			if f.Action == cases.RequestExtension {
				f.Clocks = ext
			}
		}
	}
	u.render(w, status, "case", p)
}

// failed marks the form of action a as failed with what the user typed,
// adding it if the action is no longer available.
func (p *casePage) failed(a cases.Action, typed url.Values, fe cases.FieldErrors) {
	v := url.Values{}
	for _, name := range actionFields[a] {
		v.Set(name, typed.Get(name))
	}
	for _, f := range p.Forms {
		if f.Action == a {
			f.Values, f.Errs, f.Failed = v, fe, true
			return
		}
	}
	p.Forms = append(p.Forms, &actionForm{b: p.base, Action: a, Fields: actionFields[a], Values: v,
		Errs: fe, Failed: true, Stale: true})
}

func (p *casePage) eventRow(e cases.Event) eventRow {
	row := eventRow{At: e.At, Actor: e.Actor, Type: e.Type}
	var ch cases.Change
	if err := json.Unmarshal(e.Payload, &ch); err != nil {
		return row
	}
	row.Status = ch.Status
	add := func(label, value string, long bool) {
		if strings.TrimSpace(value) != "" {
			row.Details = append(row.Details, detail{Label: p.T(label), Value: value, Long: long})
		}
	}
	if reg := ch.Registration; reg != nil {
		add("ui.f.channel", p.Channel(reg.Channel), false)
		add("ui.f.received_at", p.Time(reg.ReceivedAt), false)
		add("ui.f.category", p.Cat(reg.Category), false)
		add("ui.f.level", p.Level(reg.Level), false)
	}
	add("ui.case.forwarded_to", ch.To, false)
	add("ui.case.department", p.Dept(ch.Department), false)
	if ch.Handler != "" {
		add("ui.case.handler", p.Name(ch.Handler), false)
	}
	if ch.Registration == nil {
		add("ui.f.category", p.Cat(ch.Category), false)
		add("ui.f.level", p.Level(ch.Level), false)
	}
	add("ui.case.reason", ch.Reason, true)
	if e.Type == string(cases.Propose) {
		add("ui.case.proposal", ch.Reply, true)
	} else {
		add("ui.case.reply", ch.Reply, true)
	}
	// The labels of the action's form, where it has its own.
	method, note := "ui.case.reply_method", "ui.case.note"
	if k := "ui.a." + e.Type + ".method"; i18n.Has(k) {
		method = k
	}
	if k := "ui.a." + e.Type + ".note"; i18n.Has(k) {
		note = k
	} else if e.Type == string(cases.Visit) {
		note = "ui.a.note"
	}
	add(method, p.Method(ch.Method), false)
	add("ui.case.satisfaction", p.Satisfaction(ch.Satisfaction), false)
	add(note, ch.Note, true)
	for _, f := range ch.Files {
		add("ui.ev.file", p.T("ui.ev.file_desc", f.Name, p.Evidence(f.Evidence), p.FileSize(f.Size), f.SHA256[:min(12, len(f.SHA256))]), false)
	}
	if ch.DueAt != nil {
		// An event written before clocks: the reply deadline.
		add("ui.ev.clock", p.T("ui.clockop.set", p.ClockName(policy.ClockReply), p.Due(ch.DueAt)), false)
	}
	if x := ch.Extension; x != nil {
		add("ui.ev.extension", p.T("ui.ev.extension_until", p.ClockName(x.Clock), p.Due(x.Until), p.ExtDays(x.Days)), false)
	}
	for _, op := range ch.Clocks {
		add("ui.ev.clock", p.clockOp(op), false)
	}
	add("ui.ev.inform", p.code("ui.inform.", ch.Inform), false)
	return row
}

// clockOp says a change to a clock in words: "答复时限 → 2026-10-12 24:00",
// "提醒：答复时限", "督办：答复时限已超期".
func (b *base) clockOp(op cases.ClockOp) string {
	name := b.ClockName(op.Name)
	switch op.Op {
	case cases.OpSet:
		if op.Clock == nil {
			return name
		}
		s := b.T("ui.clockop.set", name, b.Due(op.Clock.Due))
		if op.Clock.State == cases.ClockPaused {
			s += " " + b.T("ui.clockop.still_paused")
		}
		return s
	case cases.OpStop, cases.OpCancel, cases.OpPause, cases.OpRemind, cases.OpEscalate:
		return b.T("ui.clockop."+op.Op, name)
	}
	return name + " " + op.Op
}

func (u *UI) show(w http.ResponseWriter, r *http.Request, b *base) {
	u.showCase(w, r, b, http.StatusOK, nil)
}

func (u *UI) act(w http.ResponseWriter, r *http.Request, b *base) {
	act := cases.Action(r.PathValue("action"))
	if !slices.Contains(cases.Actions, act) {
		u.fail(w, r, b, http.StatusNotFound, "not_found")
		return
	}
	number := r.PathValue("number")
	var err error
	if params, fe := paramsFrom(act, r.PostForm); fe != nil {
		err = fe
	} else {
		_, err = u.svc.Act(r.Context(), workflow.ActorOf(b.User), number, act, params)
	}
	if err == nil {
		http.Redirect(w, r, "/cases/"+url.PathEscape(number)+"?done="+url.QueryEscape(string(act)), http.StatusSeeOther)
		return
	}
	status, code, fields := classify(err)
	if status == http.StatusInternalServerError {
		u.log.Error("act", "case", number, "action", act, "err", err)
	}
	if status == http.StatusNotFound {
		u.fail(w, r, b, status, code)
		return
	}
	u.showCase(w, r, b, status, func(p *casePage) {
		p.Error = b.T("error." + code)
		p.failed(act, r.PostForm, fields)
	})
}

func (u *UI) reveal(w http.ResponseWriter, r *http.Request, b *base) {
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	typed := url.Values{"reason": {r.PostForm.Get("reason")}}
	if reason == "" {
		u.showCase(w, r, b, http.StatusBadRequest, func(p *casePage) {
			p.Reveal, p.RevealErr = typed, b.T("field.required")
		})
		return
	}
	c, err := u.svc.RevealContact(r.Context(), workflow.ActorOf(b.User), r.PathValue("number"), reason)
	if err != nil {
		status, code, _ := classify(err)
		if status == http.StatusInternalServerError {
			u.log.Error("reveal contact", "err", err)
		}
		if errors.Is(err, workflow.ErrForbidden) || status == http.StatusInternalServerError {
			// The user may see the case but not the number (an auditor).
			u.showCase(w, r, b, status, func(p *casePage) { p.Reveal, p.RevealErr = typed, b.T("error."+code) })
			return
		}
		u.fail(w, r, b, status, code)
		return
	}
	u.showCase(w, r, b, http.StatusOK, func(p *casePage) { p.Revealed = &c })
}

// CentralOffice names the office cases are reported back to.
func (b *base) CentralOffice() string { return b.Dept(b.Pack.CentralOffice) }
