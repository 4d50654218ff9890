package api

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/notify"
	"github.com/ombud/ombud/internal/store"
)

// outboxStates are the states GET /api/v1/outbox filters by.
var outboxStates = []string{store.MessagePending, store.MessageSending, store.MessageSent, store.MessageFailed}

// outbox answers GET /api/v1/outbox[?state=&limit=] (administrators): the
// newest outbound messages, their state, attempts and last error, with
// recipients masked and never a body.
func (a *API) outbox(w http.ResponseWriter, r *http.Request) {
	if UserFrom(r.Context()).Role != auth.Admin {
		WriteError(w, r, http.StatusForbidden, "forbidden", nil)
		return
	}
	q := r.URL.Query()
	fe := cases.FieldErrors{}
	state := q.Get("state")
	if state != "" && !slices.Contains(outboxStates, state) {
		fe["state"] = "invalid"
	}
	limit := 100
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			fe["limit"] = "out_of_range"
		}
		limit = n
	}
	if len(fe) > 0 {
		WriteError(w, r, http.StatusBadRequest, "invalid_input", fe)
		return
	}
	msgs, err := a.svc.Store.Outbox(r.Context(), state, limit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	waiting, failed, err := a.svc.Store.OutboxCounts(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for i := range msgs {
		msgs[i].Recipient = notify.MaskRecipient(msgs[i].Channel, msgs[i].Recipient)
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": msgs, "pending": waiting, "failed": failed})
}
