package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
)

// calendarDue answers GET /api/v1/calendar/due?from=&duration=[&urgent=true]:
// when a limit of duration that starts at from ends on the organization's
// calendar. from is RFC 3339 or a date (read in Asia/Shanghai, 00:00).
func (a *API) calendarDue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	fe := cases.FieldErrors{}
	from, err := parseWhen(q.Get("from"))
	if err != nil {
		fe["from"] = "invalid_time"
	}
	d, err := calendar.ParseDuration(q.Get("duration"))
	if err != nil {
		fe["duration"] = "invalid_duration"
	}
	if len(fe) > 0 {
		WriteError(w, r, http.StatusBadRequest, "invalid_input", fe)
		return
	}
	due, err := a.svc.Cal.Deadline(from, d, q.Get("urgent") == "true")
	switch {
	case errors.Is(err, calendar.ErrNoHours):
		WriteError(w, r, http.StatusBadRequest, "invalid_input", cases.FieldErrors{"duration": "no_business_hours"})
		return
	case err != nil && !errors.Is(err, calendar.ErrYearMissing):
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": from.In(calendar.Shanghai), "duration": d.String(),
		"due_at": due.In(calendar.Shanghai), "assumed": errors.Is(err, calendar.ErrYearMissing)})
}

func parseWhen(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.ParseInLocation("2006-01-02", s, calendar.Shanghai)
}

// DueSoon is the window of the due-soon list.
const DueSoon = 24 * time.Hour

// supervision answers GET /api/v1/supervision: per department, how many
// cases are overdue and due within DueSoon, with the cases themselves,
// soonest first (the central office's supervision board, 督办).
func (a *API) supervision(w http.ResponseWriter, r *http.Request) {
	b, err := a.svc.Board(r.Context(), actor(r), DueSoon, 100)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	now := a.svc.Now()
	views := func(cs []*cases.Case) []CaseView {
		out := make([]CaseView, 0, len(cs))
		for _, c := range cs {
			out = append(out, View(c, now))
		}
		return out
	}
	writeJSON(w, http.StatusOK, map[string]any{"now": now, "soon": DueSoon.String(), "counts": b.Counts,
		"overdue": views(b.Overdue), "due_soon": views(b.DueSoon)})
}

// notifications answers GET /api/v1/notifications[?unread=true].
func (a *API) notifications(w http.ResponseWriter, r *http.Request) {
	u := UserFrom(r.Context())
	list, unread, err := a.svc.Store.Notifications(r.Context(), u.Username, r.URL.Query().Get("unread") == "true", 100)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"notifications": list, "unread": unread})
}

// markRead answers POST /api/v1/notifications/read {"id": N} (0 or none: all).
func (a *API) markRead(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ID int64 `json:"id"`
	}
	if r.ContentLength != 0 && !decode(w, r, &in) {
		return
	}
	u := UserFrom(r.Context())
	if err := a.svc.Store.MarkRead(r.Context(), u.Username, in.ID, a.svc.Now()); err != nil {
		a.fail(w, r, err)
		return
	}
	_, unread, err := a.svc.Store.Notifications(r.Context(), u.Username, true, 1)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"unread": unread})
}
