package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/workflow"
)

// inputTime is the layout of a datetime-local input.
const inputTime = "2006-01-02T15:04"

// minEvidenceRows is how many evidence rows the form shows at least.
const minEvidenceRows = 3

// newPage is the data of the registration form.
type newPage struct {
	*base
	F          url.Values          // the form's values, as typed
	Errs       cases.FieldErrors   // message keys by field
	Error      string              // the message above the form
	Focus      string              // the field that gets the focus
	EvRows     []evidenceRow       // the evidence rows
	AllDemands []string            // every demand
	EvTypes    []string            // every evidence type
	Selected   map[string]struct{} // the demands ticked
}

// evidenceRow is one evidence row as typed.
type evidenceRow struct{ Type, Count, Note string }

// V returns the typed value of a field.
func (p newPage) V(name string) string { return p.F.Get(name) }

// Checked reports whether a checkbox field is ticked.
func (p newPage) Checked(name string) bool { return p.F.Get(name) != "" }

// MoreOpen reports whether the complainant's less used fields are shown:
// when one of them has a value or an error.
func (p newPage) MoreOpen() bool {
	for _, name := range []string{"complainant.other_contact", "complainant.refused", "complainant.group_size",
		"complainant.member_level", "complainant.emotion"} {
		if strings.TrimSpace(p.F.Get(name)) != "" || p.Errs[name] != "" {
			return true
		}
	}
	return false
}

// HasDemand reports whether demand d is ticked.
func (p newPage) HasDemand(d string) bool { _, ok := p.Selected[d]; return ok }

// Err returns the translated message of a field's error, or "".
func (p newPage) Err(name string) string {
	if k, ok := p.Errs[name]; ok {
		return p.T("field." + k)
	}
	return ""
}

// fieldOrder is the order of the form's fields, for the focus.
var fieldOrder = []string{"kind", "channel", "received_at", "complainant.name", "complainant.phone",
	"complainant.other_contact", "complainant.group_size", "complainant.member_level",
	"complainant.emotion", "content", "subject", "respondent.department", "respondent.staff", "respondent.site",
	"demands", "demand_note", "evidence", "category", "level", "receiver", "receiver_dept",
	"receiver_tel"}

func (u *UI) newPage(b *base, f url.Values, errs cases.FieldErrors) newPage {
	b.Title, b.Nav, b.URI = b.T("ui.new.title"), "new", "/cases/new"
	p := newPage{base: b, F: f, Errs: errs, AllDemands: cases.Demands, EvTypes: cases.EvidenceTypes,
		Selected: map[string]struct{}{}, Focus: "complainant.name"}
	for _, d := range f["demands"] {
		p.Selected[d] = struct{}{}
	}
	types, counts, notes := f["evidence.type"], f["evidence.count"], f["evidence.note"]
	at := func(s []string, i int) string {
		if i < len(s) {
			return s[i]
		}
		return ""
	}
	for i := range max(len(types), len(counts), len(notes)) {
		row := evidenceRow{Type: at(types, i), Count: at(counts, i), Note: at(notes, i)}
		if row != (evidenceRow{}) {
			p.EvRows = append(p.EvRows, row)
		}
	}
	for len(p.EvRows) < minEvidenceRows {
		p.EvRows = append(p.EvRows, evidenceRow{})
	}
	if len(errs) > 0 {
		p.Error = b.T("error.invalid_input")
		for _, name := range fieldOrder {
			if _, ok := errs[name]; ok {
				p.Focus = name
				break
			}
		}
	}
	return p
}

// defaults is the form of a new registration: a complaint by phone,
// received now, at the pack's default level, received by the user.
func (u *UI) defaults(b *base) url.Values {
	f := url.Values{}
	kind := "complaint"
	if _, ok := b.Pack.Kind(kind); !ok && len(b.Pack.Kinds) > 0 {
		kind = b.Pack.Kinds[0].Code
	}
	channel := "phone"
	if _, ok := b.Pack.Channel(channel); !ok && len(b.Pack.Channels) > 0 {
		channel = b.Pack.Channels[0].Code
	}
	f.Set("kind", kind)
	f.Set("channel", channel)
	f.Set("received_at", u.svc.Now().In(calendar.Shanghai).Format(inputTime))
	f.Set("receiver", b.User.Username)
	if d, ok := b.Pack.Dept(b.User.Department); ok {
		f.Set("receiver_dept", d.Name.In(b.Lang))
	}
	return f
}

func (u *UI) newForm(w http.ResponseWriter, r *http.Request, b *base) {
	if !b.CanRegister {
		u.fail(w, r, b, http.StatusForbidden, "forbidden")
		return
	}
	u.render(w, http.StatusOK, "new", u.newPage(b, u.defaults(b), nil))
}

// parseRegistration reads the registration form. Values that cannot be
// read (a time, a number) are reported as field errors.
func parseRegistration(f url.Values) (cases.Registration, cases.FieldErrors) {
	fe := cases.FieldErrors{}
	g := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	on := func(k string) bool { return f.Get(k) != "" }
	r := cases.Registration{
		Kind: g("kind"), Channel: g("channel"),
		Complainant: cases.Complainant{Name: g("complainant.name"), Phone: g("complainant.phone"),
			OtherContact: g("complainant.other_contact"), Anonymous: on("complainant.anonymous"),
			Refused: on("complainant.refused"), MemberLevel: g("complainant.member_level"),
			Emotion: g("complainant.emotion")},
		Respondent: cases.Respondent{Department: g("respondent.department"), Staff: g("respondent.staff"),
			Site: g("respondent.site")},
		Subject: g("subject"), Content: strings.TrimSpace(strings.ReplaceAll(f.Get("content"), "\r\n", "\n")),
		DemandNote: g("demand_note"), Category: g("category"), Level: g("level"), Urgent: on("urgent"),
		Receiver: g("receiver"), ReceiverDept: g("receiver_dept"), ReceiverTel: g("receiver_tel"),
	}
	if v := g("received_at"); v != "" {
		t, err := time.ParseInLocation(inputTime, v, calendar.Shanghai)
		if err != nil {
			t, err = time.ParseInLocation("2006-01-02T15:04:05", v, calendar.Shanghai)
		}
		if err != nil {
			fe["received_at"] = "invalid_time"
		}
		r.ReceivedAt = t
	}
	if v := g("complainant.group_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			fe["complainant.group_size"] = "invalid_number"
		}
		r.Complainant.GroupSize = n
	}
	for _, d := range f["demands"] {
		if d != "" && !slices.Contains(r.Demands, d) {
			r.Demands = append(r.Demands, d)
		}
	}
	types, counts, notes := f["evidence.type"], f["evidence.count"], f["evidence.note"]
	for i, typ := range types {
		typ = strings.TrimSpace(typ)
		var count, note string
		if i < len(counts) {
			count = strings.TrimSpace(counts[i])
		}
		if i < len(notes) {
			note = strings.TrimSpace(notes[i])
		}
		if typ == "" {
			if count != "" || note != "" {
				fe["evidence"] = "unknown_evidence"
			}
			continue
		}
		n := 1
		if count != "" {
			var err error
			if n, err = strconv.Atoi(count); err != nil {
				fe["evidence"] = "invalid_number"
			}
		}
		r.Evidence = append(r.Evidence, cases.Evidence{Type: typ, Count: n, Note: note})
	}
	if len(fe) == 0 {
		return r, nil
	}
	return r, fe
}

func (u *UI) create(w http.ResponseWriter, r *http.Request, b *base) {
	if !b.CanRegister {
		u.fail(w, r, b, http.StatusForbidden, "forbidden")
		return
	}
	a := workflow.ActorOf(b.User)
	reg, fe := parseRegistration(r.PostForm)
	if reg.Subject == "" {
		// A clerk on the phone types what they hear; the subject may be
		// left to the text's first sentence.
		reg.Subject = cases.Summary(reg.Content)
	}
	if fe != nil {
		// Report every problem at once: validate the rest of the record too.
		now := u.svc.Now()
		check := reg
		check.Normalize(b.Pack, now, a.Username)
		for k, v := range check.Validate(b.Pack, now) {
			if _, ok := fe[k]; !ok {
				fe[k] = v
			}
		}
		u.render(w, http.StatusBadRequest, "new", u.newPage(b, r.PostForm, fe))
		return
	}
	c, err := u.svc.For(b.Pack.ID).Register(r.Context(), a, reg)
	if err != nil {
		status, code, fields := classify(err)
		if fields["content"] != "" && fields["subject"] == "required" {
			delete(fields, "subject") // it would have come from the text
		}
		if fields != nil {
			u.render(w, status, "new", u.newPage(b, r.PostForm, fields))
			return
		}
		if status == http.StatusInternalServerError {
			u.log.Error("register", "err", err)
		}
		p := u.newPage(b, r.PostForm, nil)
		p.Error = b.T("error." + code)
		u.render(w, status, "new", p)
		return
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(c.Number), http.StatusSeeOther)
}
