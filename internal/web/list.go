package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/search"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

// perPage is the number of cases on a page of the list.
const perPage = 30

// listPage is the data of the case list.
type listPage struct {
	*base
	F        url.Values // the filter as submitted
	Statuses []cases.Status
	Rows     []listRow
	Total    int
	Capped   bool // there are more than Total
	Page     int
	Pages    int
	PrevHref string
	NextHref string
	// CanBulk: the user may assign cases in bulk (see bulk.go); Assignable:
	// some case on the page may be assigned now, so the page has the form.
	CanBulk, Assignable bool
	// Handlers are the users cases may be assigned to, for the bulk form.
	Handlers []*auth.User
	// Bulk is the outcome of a bulk assignment, on the page answering it.
	Bulk *bulkResult
}

// listRow is one case in the list.
type listRow struct {
	C *cases.Case
	// Subject is the subject with search matches marked; Snippet, when
	// searching, is the content around the first match.
	Subject []search.Segment
	Snippet []search.Segment
	Phone   string
	// Clock is the running time limit due first, else a paused one; nil
	// when the case has neither.
	Clock *clockView
	// Assignable: the user may assign the case now (a bulk-assign checkbox).
	Assignable bool
}

// V returns a filter value.
func (p listPage) V(name string) string { return p.F.Get(name) }

// Overdue reports whether the overdue filter is on.
func (p listPage) Overdue() bool { return p.F.Get("overdue") != "" }

// DueSoon reports whether the due-soon filter is on.
func (p listPage) DueSoon() bool { return p.F.Get("due_soon") != "" }

// SortDue reports whether the list is sorted by deadline.
func (p listPage) SortDue() bool { return p.F.Get("sort") == "due" }

// Query is the list's filter as a query string, without the page: what a
// saved view keeps.
func (p listPage) Query() string {
	v := url.Values{}
	for k, vs := range p.F {
		for _, s := range vs {
			if k != "page" && s != "" {
				v.Add(k, s)
			}
		}
	}
	return v.Encode()
}

// Back is the list's filter and page as a query string, for the bulk form
// to come back to.
func (p listPage) Back() string { return p.F.Encode() }

// ListURL is the address of the list as it is shown.
func (p listPage) ListURL() string {
	if q := p.Back(); q != "" {
		return "/cases?" + q
	}
	return "/cases"
}

func (u *UI) list(w http.ResponseWriter, r *http.Request, b *base) {
	p, err := u.listPage(r, b, r.URL.Query())
	if err != nil {
		u.failErr(w, r, b, err)
		return
	}
	u.render(w, http.StatusOK, "list", p)
}

// listPage is the case list filtered by q.
func (u *UI) listPage(r *http.Request, b *base, q url.Values) (*listPage, error) {
	f := store.Filter{Level: q.Get("level"), Department: q.Get("department"), Kind: q.Get("kind"),
		Category: q.Get("category"), Q: strings.TrimSpace(q.Get("q")), Overdue: q.Get("overdue") != ""}
	for _, s := range q["status"] {
		if s != "" && slices.Contains(cases.Statuses, cases.Status(s)) {
			f.Status = append(f.Status, cases.Status(s))
		}
	}
	now := u.svc.Now()
	if q.Get("due_soon") != "" {
		f.DueAfter, f.DueBefore = now, now.Add(soonWithin)
	}
	f.SortDue = q.Get("sort") == "due"
	page, _ := strconv.Atoi(q.Get("page"))
	if page < 1 || page > 100000 {
		page = 1
	}
	f.Limit, f.Offset = perPage, (page-1)*perPage
	actor := workflow.ActorOf(b.User)
	list, total, err := u.svc.List(r.Context(), actor, f)
	if err != nil {
		return nil, err
	}
	b.Title, b.Nav = b.T("ui.cases.title"), "cases"
	countCap := u.svc.Store.CountCapFor(f)
	capped := total > countCap
	total = min(total, countCap)
	p := &listPage{base: b, F: q, Statuses: cases.Statuses, Total: total, Capped: capped, Page: page,
		Pages: max(1, (total+perPage-1)/perPage), CanBulk: canBulkAssign(b.User)}
	query := search.Parse(f.Q)
	for _, c := range list {
		row := listRow{C: c, Phone: cases.MaskPhone(c.Complainant.Phone), Subject: search.Highlight(c.Subject, query),
			Assignable: p.CanBulk && cases.May(actor, cases.Assign, c, u.svc.For(c.Pack).Pack)}
		p.Assignable = p.Assignable || row.Assignable
		if len(query) > 0 {
			row.Snippet = search.Snippet(c.Content, query, 60)
		}
		k := nextClock(c)
		if k == nil {
			if i := slices.IndexFunc(c.Clocks, func(k cases.Clock) bool { return k.State == cases.ClockPaused }); i >= 0 {
				k = &c.Clocks[i]
			}
		}
		if k != nil {
			v := b.clockView(k, now)
			row.Clock = &v
		}
		p.Rows = append(p.Rows, row)
	}
	pageHref := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "page" {
				v[k] = vs
			}
		}
		v.Set("page", strconv.Itoa(n))
		return "/cases?" + v.Encode()
	}
	if page > 1 {
		p.PrevHref = pageHref(page - 1)
	}
	if page < p.Pages {
		p.NextHref = pageHref(page + 1)
	}
	if p.Assignable {
		if p.Handlers, err = u.assignees(r); err != nil {
			return nil, err
		}
	}
	return p, nil
}
