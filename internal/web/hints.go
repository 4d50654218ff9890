package web

import (
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

// hintsPage is the hints panel of the registration form: what the pack's
// rules suggest for what has been typed so far, and the complainant's
// earlier cases.
type hintsPage struct {
	*base
	S       *cases.Suggestion
	Earlier []*cases.Case
	Phone   string
	// Similar are recent cases whose text contains this subject: possibly
	// the same matter reported again (by others, or on another channel).
	Similar []*cases.Case
}

// similarWithin is how far back the duplicate hint looks.
const similarWithin = 30 * 24 * time.Hour

var hintsTemplate = template.Must(template.New("hints.html").Funcs(funcs).ParseFS(templateFS, "templates/hints.html"))

// hints answers POST /cases/new/hints with the form as typed (the page's
// script sends it while the clerk types) and returns the panel's HTML.
func (u *UI) hints(w http.ResponseWriter, r *http.Request, b *base) {
	if !b.CanRegister {
		u.fail(w, r, b, http.StatusForbidden, "forbidden")
		return
	}
	reg, _ := parseRegistration(r.PostForm) // half-typed: problems are for the submit
	p := hintsPage{base: b, Phone: cases.MaskPhone(reg.Complainant.Phone)}
	a := workflow.ActorOf(b.User)
	if strings.TrimSpace(reg.Subject+reg.Content+reg.DemandNote) != "" {
		s, err := u.svc.For(b.Pack.ID).Suggest(r.Context(), a, reg)
		if err != nil {
			u.failErr(w, r, b, err)
			return
		}
		p.S = s
	}
	if phone := strings.TrimSpace(reg.Complainant.Phone); len(phone) >= 7 {
		list, _, err := u.svc.List(r.Context(), a, store.Filter{Phone: phone, Limit: 5})
		if err != nil {
			u.failErr(w, r, b, err)
			return
		}
		p.Earlier = list
	}
	if subject := strings.TrimSpace(reg.Subject); utf8.RuneCountInString(subject) >= 4 {
		// The subject as one quoted phrase: cases that say the same thing.
		list, _, err := u.svc.List(r.Context(), a, store.Filter{Q: `"` + strings.ReplaceAll(subject, `"`, "") + `"`, Limit: 5})
		if err != nil {
			u.failErr(w, r, b, err)
			return
		}
		since := u.svc.Now().Add(-similarWithin)
		for _, c := range list {
			if c.RegisteredAt.After(since) && !slices.ContainsFunc(p.Earlier, func(e *cases.Case) bool { return e.Number == c.Number }) {
				p.Similar = append(p.Similar, c)
			}
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := hintsTemplate.Execute(w, p); err != nil {
		u.log.Error("render hints", "err", err)
	}
}
