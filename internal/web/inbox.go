package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/i18n"
	"github.com/ombud/ombud/internal/store"
)

// inboxLimit is how many notifications the inbox shows.
const inboxLimit = 100

// inboxPage is the data of the inbox.
type inboxPage struct {
	*base
	Items []inboxItem
}

// inboxItem is one notification as a sentence around its case number.
type inboxItem struct {
	ID            int64
	Number        string
	Before, After string
	At            time.Time
	Unread        bool
}

// numberMark stands for the case number in a sentence while it is split.
const numberMark = "\x00"

// sentence says notification n in words, split around its case number.
// A reminder says when the limit is due: due is the clock's due time now,
// nil when it is unknown.
func (b *base) sentence(n store.Notification, due *time.Time) (before, after string) {
	clock := b.ClockName(n.Clock)
	var s string
	switch n.Kind {
	case "remind":
		if due == nil {
			s = b.T("ui.note.remind_nodue", numberMark, clock)
		} else {
			s = b.T("ui.note.remind", numberMark, clock, b.Due(*due))
		}
	case "escalate", "inform_complainant", "extension_requested", "extension_approved", "extension_rejected":
		s = b.T("ui.note."+n.Kind, numberMark, clock)
	default:
		key := "ui.note." + n.Kind
		if !i18n.Has(key) {
			key = "ui.note.other"
		}
		s = b.T(key, numberMark)
	}
	before, after, _ = strings.Cut(s, numberMark)
	return before, after
}

// clockDue returns the due time of the clock called name of the case with
// number, looking each case up once; nil when there is none.
func (u *UI) clockDue(ctx context.Context, seen map[string]*cases.Case, number, name string) *time.Time {
	c, ok := seen[number]
	if !ok {
		c, _ = u.svc.Store.GetCase(ctx, number) // a case that cannot be read has no due time to show
		seen[number] = c
	}
	if c == nil {
		return nil
	}
	if k := c.Clock(name); k != nil && k.State == cases.ClockRunning {
		return &k.Due
	}
	return nil
}

func (u *UI) inbox(w http.ResponseWriter, r *http.Request, b *base) {
	list, unread, err := u.svc.Store.Notifications(r.Context(), b.User.Username, false, inboxLimit)
	if err != nil {
		u.failErr(w, r, b, err)
		return
	}
	b.Title, b.Nav = b.T("ui.inbox.title"), "inbox"
	b.setUnread(unread)
	p := &inboxPage{base: b}
	seen := map[string]*cases.Case{}
	for _, n := range list {
		var due *time.Time
		if n.Kind == "remind" {
			due = u.clockDue(r.Context(), seen, n.Number, n.Clock)
		}
		item := inboxItem{ID: n.ID, Number: n.Number, At: n.CreatedAt, Unread: n.ReadAt == nil}
		item.Before, item.After = b.sentence(n, due)
		p.Items = append(p.Items, item)
	}
	u.render(w, http.StatusOK, "inbox", p)
}

// readAll marks all the user's notifications read.
func (u *UI) readAll(w http.ResponseWriter, r *http.Request, b *base) {
	if err := u.svc.Store.MarkRead(r.Context(), b.User.Username, 0, u.svc.Now()); err != nil {
		u.failErr(w, r, b, err)
		return
	}
	http.Redirect(w, r, "/inbox", http.StatusSeeOther)
}

// readOne marks one of the user's notifications read and opens its case.
func (u *UI) readOne(w http.ResponseWriter, r *http.Request, b *base) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		u.fail(w, r, b, http.StatusNotFound, "not_found")
		return
	}
	if err := u.svc.Store.MarkRead(r.Context(), b.User.Username, id, u.svc.Now()); err != nil {
		u.failErr(w, r, b, err)
		return
	}
	target := "/inbox"
	if n := strings.TrimSpace(r.PostForm.Get("number")); n != "" {
		target = "/cases/" + url.PathEscape(n)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}
