package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/i18n"
	"github.com/ombud/ombud/internal/workflow"
)

// maxBulk bounds the cases one bulk assignment takes: a few pages of the
// list. More is refused whole, not cut short.
const maxBulk = 100

// canBulkAssign reports whether the user has the bulk-assign form on the
// list: the central office assigns (交办), and the administrator may.
func canBulkAssign(u *auth.User) bool {
	return u.Role == auth.Registrar || u.Role == auth.Admin
}

// bulkResult is the outcome of a bulk assignment.
type bulkResult struct {
	// Error is why nothing was tried (no case chosen, an unknown department).
	Error string
	// Done are the numbers of the cases assigned; Failed those that were not.
	Done   []string
	Failed []bulkFailure
}

// bulkFailure is a case that could not be assigned, and why.
type bulkFailure struct {
	Number, Reason string
}

// assignees are the active users cases may be assigned to (handlers and
// department heads).
func (u *UI) assignees(r *http.Request) ([]*auth.User, error) {
	users, err := u.svc.Store.Users(r.Context())
	if err != nil {
		return nil, err
	}
	var out []*auth.User
	for _, usr := range users {
		if usr.Active && (usr.Role == auth.Handler || usr.Role == auth.DeptHead) {
			out = append(out, usr)
		}
	}
	return out, nil
}

// bulkAssign assigns the cases ticked on the list (form values "number")
// to a department, and optionally a handler, one by one through the
// workflow, as if each had been assigned on its own page: every case gets
// its own event, checks and notifications, and one that cannot be
// assigned (its status changed meanwhile, the handler is not of the
// department) does not stop the others. The list comes back, filtered as
// it was, with what was done and what was not, and why.
func (u *UI) bulkAssign(w http.ResponseWriter, r *http.Request, b *base) {
	if !canBulkAssign(b.User) {
		u.fail(w, r, b, http.StatusForbidden, "forbidden")
		return
	}
	back, err := url.ParseQuery(r.PostForm.Get("back"))
	if err != nil {
		back = url.Values{}
	}
	b.URI = "/cases"
	if len(back) > 0 {
		b.URI += "?" + back.Encode()
	}
	var numbers []string
	for _, n := range r.PostForm["number"] {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(numbers, n) {
			numbers = append(numbers, n)
		}
	}
	dept := strings.TrimSpace(r.PostForm.Get("department"))
	handler := strings.TrimSpace(r.PostForm.Get("handler"))
	res := &bulkResult{}
	status := http.StatusOK
	_, known := u.svc.Pack.Dept(dept)
	switch {
	case len(numbers) == 0:
		res.Error, status = b.T("ui.bulk.none"), http.StatusBadRequest
	case len(numbers) > maxBulk:
		res.Error, status = b.T("ui.bulk.too_many", maxBulk), http.StatusBadRequest
	case dept != "" && !known:
		res.Error, status = b.T("field.unknown_department"), http.StatusBadRequest
	default:
		a := workflow.ActorOf(b.User)
		for _, n := range numbers {
			_, err := u.svc.Act(r.Context(), a, n, cases.Assign, cases.Params{Department: dept, Handler: handler})
			if err != nil {
				res.Failed = append(res.Failed, bulkFailure{Number: n, Reason: u.reason(b, n, err)})
				continue
			}
			res.Done = append(res.Done, n)
		}
	}
	p, err := u.listPage(r, b, back)
	if err != nil {
		u.failErr(w, r, b, err)
		return
	}
	p.Bulk = res
	u.render(w, status, "list", p)
}

// reason says in words why action on case number failed with err: the
// invalid fields by their labels, else the error's message.
func (u *UI) reason(b *base, number string, err error) string {
	status, code, fields := classify(err)
	if status == http.StatusInternalServerError {
		u.log.Error("bulk assign", "case", number, "err", err)
	}
	if len(fields) == 0 {
		return b.T("error." + code)
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		label := k
		switch key := "ui.a." + k; {
		case k == "department" || k == "handler":
			label = b.T("ui.case." + k)
		case i18n.Has(key):
			label = b.T(key)
		}
		out = append(out, b.T("ui.bulk.field", label, b.T("field."+fields[k])))
	}
	return strings.Join(out, b.T("ui.bulk.sep"))
}
