package web

import (
	"html/template"
	"net/http"
	"time"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/workflow"
)

// The print pages are the paper forms that still travel with a case: the
// registration voucher (登记凭证) handed to the complainant, the handling
// slip (交办单) sent to the department and the feedback slip (处理反馈单) it
// returns. Each is one A4 page with the case number as a QR code; whoever
// may see the case may print them.

// printPage is the data of a print page.
type printPage struct {
	// Heading is the form\'s title: 交办单, 登记凭证 …
	Heading string
	*casePage
	// QR is the case number as a QR code (an SVG data URI).
	QR template.URL
	// The last of each step of handling, for the feedback slip, as the
	// case row keeps the last proposal, reply and satisfaction.
	Proposed, Approved, Replied, Visited *stepDone
	// Limits are the case's time limits, met or not.
	Limits []clockView
	// Confirm are the verdicts the complainant ticks on the feedback slip.
	Confirm []cases.Satisfaction
}

// stepDone is who took a step of handling and when.
type stepDone struct {
	By string
	At time.Time
}

// printCase loads the case in the path for print page name, titled by
// the message key title, and renders it after mod has filled in what the
// page needs from the case's events.
func (u *UI) printCase(w http.ResponseWriter, r *http.Request, b *base, name, title string, mod func(*printPage, []cases.Event)) {
	c, events, err := u.svc.Get(r.Context(), workflow.ActorOf(b.User), r.PathValue("number"))
	if err == nil {
		b.Pack = u.svc.For(c.Pack).Pack
	}
	if err != nil {
		u.failErr(w, r, b, err)
		return
	}
	users, err := u.svc.Store.Users(r.Context())
	if err != nil {
		u.failErr(w, r, b, err)
		return
	}
	qr, err := qrDataURI(c.Number)
	if err != nil {
		u.failErr(w, r, b, err)
		return
	}
	heading := b.T(title, b.Kind(c.Kind))
	b.Title = heading + " " + c.Number
	p := &printPage{casePage: &casePage{base: b, C: c, Phone: cases.MaskPhone(c.Complainant.Phone),
		names: map[string]string{}}, QR: qr, Heading: heading}
	for _, usr := range users {
		p.names[usr.Username] = usr.DisplayName
	}
	for _, e := range events {
		if e.Type == string(cases.Assign) {
			at := e.At
			p.AssignedAt = &at
		}
	}
	if mod != nil {
		mod(p, events)
	}
	u.render(w, http.StatusOK, name, p)
}

// slip is the handling slip (交办单).
func (u *UI) slip(w http.ResponseWriter, r *http.Request, b *base) {
	u.printCase(w, r, b, "slip", "ui.slip.title", nil)
}

// voucher is the registration voucher (登记凭证): the registration record
// (R3) as the complainant and the receiver sign it.
func (u *UI) voucher(w http.ResponseWriter, r *http.Request, b *base) {
	u.printCase(w, r, b, "voucher", "ui.voucher.title", nil)
}

// feedback is the feedback slip (处理反馈单): what the department proposed
// and the office replied, whether the time limits were kept, and the
// complainant's verdict.
func (u *UI) feedback(w http.ResponseWriter, r *http.Request, b *base) {
	u.printCase(w, r, b, "feedback", "ui.feedback.title", func(p *printPage, events []cases.Event) {
		for _, e := range events {
			step := &stepDone{By: e.Actor, At: e.At}
			switch cases.Action(e.Type) {
			case cases.Propose:
				p.Proposed = step
			case cases.Approve:
				p.Approved = step
			case cases.Reply:
				p.Replied = step
			case cases.Visit:
				p.Visited = step
			}
		}
		p.Limits = p.clockViews(p.C, u.svc.Now())
		p.Confirm = []cases.Satisfaction{cases.Satisfied, cases.BasicallySatisfied, cases.Dissatisfied}
	})
}

// ReplyText is what the feedback slip shows as the handling result: the
// reply given, else the department's proposal, else nothing (a box to
// write in).
func (p *printPage) ReplyText() string {
	if p.C.Reply != "" {
		return p.C.Reply
	}
	return p.C.Proposal
}
