package web

import (
	"net/http"
	"slices"

	"github.com/ombud/ombud/internal/workflow"
)

// dashboardLimit is how many cases each list of the dashboard shows.
const dashboardLimit = 20

// dashboardPage is a user's start page (工作台).
type dashboardPage struct {
	*base
	Queue, Serious []boardRow
	// Levels and Depts head the table of open cases; Cell(level, dept)
	// reads it.
	Levels, Depts []string
	cells         map[[2]string]int
	Total         int
	SeriousLevel  string
	names         map[string]string
}

// Name shows a user by display name.
func (p *dashboardPage) Name(username string) string { return p.base.name(p.names, username) }

// Cell is the number of open cases of a level in a department.
func (p *dashboardPage) Cell(level, dept string) int { return p.cells[[2]string{level, dept}] }

// LevelTotal is the number of open cases of a level.
func (p *dashboardPage) LevelTotal(level string) int {
	n := 0
	for _, d := range p.Depts {
		n += p.Cell(level, d)
	}
	return n
}

func (u *UI) dashboard(w http.ResponseWriter, r *http.Request, b *base) {
	d, err := u.svc.Dashboard(r.Context(), workflow.ActorOf(b.User), dashboardLimit)
	if err != nil {
		u.failErr(w, r, b, err)
		return
	}
	b.Title, b.Nav = b.T("ui.dash.title"), "dashboard"
	p := &dashboardPage{base: b, cells: map[[2]string]int{}, names: map[string]string{}}
	users, err := u.svc.Store.Users(r.Context())
	if err != nil {
		u.failErr(w, r, b, err)
		return
	}
	for _, usr := range users {
		p.names[usr.Username] = usr.DisplayName
	}
	now := u.svc.Now()
	p.Queue, p.Serious = b.boardRows(d.Queue, now), b.boardRows(d.Serious, now)
	if len(b.Pack.Levels) > 1 {
		p.SeriousLevel = b.Pack.Levels[0].Code
	}
	for _, l := range b.Pack.Levels {
		p.Levels = append(p.Levels, l.Code)
	}
	for _, c := range d.Counts {
		p.cells[[2]string{c.Level, c.Department}] += c.N
		p.Total += c.N
		if !slices.Contains(p.Depts, c.Department) {
			p.Depts = append(p.Depts, c.Department)
		}
		if !slices.Contains(p.Levels, c.Level) {
			p.Levels = append(p.Levels, c.Level)
		}
	}
	u.render(w, http.StatusOK, "dashboard", p)
}
