package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

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
}

// V returns a filter value.
func (p listPage) V(name string) string { return p.F.Get(name) }

// Overdue reports whether the overdue filter is on.
func (p listPage) Overdue() bool { return p.F.Get("overdue") != "" }

// DueSoon reports whether the due-soon filter is on.
func (p listPage) DueSoon() bool { return p.F.Get("due_soon") != "" }

// SortDue reports whether the list is sorted by deadline.
func (p listPage) SortDue() bool { return p.F.Get("sort") == "due" }

func (u *UI) list(w http.ResponseWriter, r *http.Request, b *base) {
	q := r.URL.Query()
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
	list, total, err := u.svc.List(r.Context(), workflow.ActorOf(b.User), f)
	if err != nil {
		u.failErr(w, r, b, err)
		return
	}
	b.Title, b.Nav = b.T("ui.cases.title"), "cases"
	capped := total > store.CountCap
	total = min(total, store.CountCap)
	p := listPage{base: b, F: q, Statuses: cases.Statuses, Total: total, Capped: capped, Page: page,
		Pages: max(1, (total+perPage-1)/perPage)}
	query := search.Parse(f.Q)
	for _, c := range list {
		row := listRow{C: c, Phone: cases.MaskPhone(c.Complainant.Phone), Subject: search.Highlight(c.Subject, query)}
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
	u.render(w, http.StatusOK, "list", p)
}
