package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/workflow"
)

// boardLimit is how many cases each list of the supervision board shows.
const boardLimit = 100

// canSupervise reports whether the user has the supervision board (督办台):
// the central office, managers, auditors and department heads.
func canSupervise(u *auth.User) bool {
	switch u.Role {
	case auth.Registrar, auth.Manager, auth.Admin, auth.Auditor, auth.DeptHead:
		return true
	}
	return false
}

// boardPage is the data of the supervision board.
type boardPage struct {
	*base
	Counts  []boardCount
	Total   boardCount
	Overdue []boardRow
	DueSoon []boardRow
	names   map[string]string
}

// boardCount is a department's line of the board's table, with links to
// the list filtered to its cases ("" when the list cannot show them).
type boardCount struct {
	Department               string
	Overdue, DueSoon         int
	OverdueHref, DueSoonHref string
}

// boardRow is a case on the board with its time limit due first.
type boardRow struct {
	C     *cases.Case
	Clock *clockView
}

// Name shows a user by display name.
func (p *boardPage) Name(username string) string { return p.base.name(p.names, username) }

// listHref is the link to the case list filtered by department (all when
// "") and by the deadline filter (overdue or due_soon), soonest due first.
func listHref(dept, filter string) string {
	v := url.Values{filter: {"1"}, "sort": {"due"}}
	if dept != "" {
		v.Set("department", dept)
	}
	return "/cases?" + v.Encode()
}

func (u *UI) supervision(w http.ResponseWriter, r *http.Request, b *base) {
	if !b.CanSupervise {
		u.fail(w, r, b, http.StatusForbidden, "forbidden")
		return
	}
	board, err := u.svc.Board(r.Context(), workflow.ActorOf(b.User), soonWithin, boardLimit)
	if err != nil {
		u.failErr(w, r, b, err)
		return
	}
	b.Title, b.Nav = b.T("ui.board.title"), "supervision"
	p := &boardPage{base: b, names: map[string]string{}}
	users, err := u.svc.Store.Users(r.Context())
	if err != nil {
		u.failErr(w, r, b, err)
		return
	}
	for _, usr := range users {
		p.names[usr.Username] = usr.DisplayName
	}
	for _, d := range board.Counts {
		line := boardCount{Department: d.Department, Overdue: d.Overdue, DueSoon: d.DueSoon}
		if d.Department != "" {
			// The list cannot filter the cases not yet assigned.
			line.OverdueHref, line.DueSoonHref = listHref(d.Department, "overdue"), listHref(d.Department, "due_soon")
		}
		p.Counts = append(p.Counts, line)
		p.Total.Overdue += d.Overdue
		p.Total.DueSoon += d.DueSoon
	}
	p.Total.OverdueHref, p.Total.DueSoonHref = listHref("", "overdue"), listHref("", "due_soon")
	now := u.svc.Now()
	p.Overdue, p.DueSoon = b.boardRows(board.Overdue, now), b.boardRows(board.DueSoon, now)
	u.render(w, http.StatusOK, "supervision", p)
}

// boardRows are cases with the time limit each has due first.
func (b *base) boardRows(cs []*cases.Case, now time.Time) []boardRow {
	out := make([]boardRow, 0, len(cs))
	for _, c := range cs {
		row := boardRow{C: c}
		if k := nextClock(c); k != nil {
			v := b.clockView(k, now)
			row.Clock = &v
		}
		out = append(out, row)
	}
	return out
}

// boardSection is one list of the board: overdue or due_soon.
type boardSection struct {
	P    *boardPage
	Name string
	Rows []boardRow
}

// Section is the data of the board's list called name.
func (p *boardPage) Section(name string, rows []boardRow) boardSection {
	return boardSection{P: p, Name: name, Rows: rows}
}
