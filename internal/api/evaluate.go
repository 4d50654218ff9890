package api

import (
	"net/http"
	"slices"
	"sync"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
)

// PackInfo describes a pack in GET /api/v1/packs (the default pack first).
type PackInfo struct {
	ID           string      `json:"id"`
	Version      int         `json:"version"`
	Name         policy.Text `json:"name"`
	Organization policy.Text `json:"organization"`
	// Serving: this deployment registers its cases under the pack.
	Serving bool `json:"serving"`
}

// packs answers GET /api/v1/packs: the pack this deployment serves and
// the built-in packs that POST /api/v1/evaluate can try.
func (a *API) packs(w http.ResponseWriter, r *http.Request) {
	var out []PackInfo
	for _, p := range a.svc.Packs() {
		out = append(out, PackInfo{ID: p.ID, Version: p.Version, Name: p.Name, Organization: p.Organization, Serving: true})
	}
	for _, id := range policy.Builtin() {
		if a.svc.Has(id) {
			continue
		}
		if p, err := builtinPack(id); err == nil {
			out = append(out, PackInfo{ID: p.ID, Version: p.Version, Name: p.Name, Organization: p.Organization})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"packs": out})
}

var (
	builtinMu    sync.Mutex
	builtinCache = map[string]*policy.Pack{}
)

func builtinPack(id string) (*policy.Pack, error) {
	builtinMu.Lock()
	defer builtinMu.Unlock()
	if p := builtinCache[id]; p != nil {
		return p, nil
	}
	p, err := policy.Load(id)
	if err == nil {
		builtinCache[id] = p
	}
	return p, err
}

// evaluate answers POST /api/v1/evaluate?pack=ID: the suggestion the pack's
// rules make for a registration body, without registering it. ID defaults
// to the served pack; other built-in packs can be tried.
func (a *API) evaluate(w http.ResponseWriter, r *http.Request) {
	svc := a.svc
	if id := r.URL.Query().Get("pack"); a.svc.Has(id) {
		svc = a.svc.For(id)
	} else if id != "" {
		if !slices.Contains(policy.Builtin(), id) {
			WriteError(w, r, http.StatusNotFound, "not_found", cases.FieldErrors{"pack": "unknown_pack"})
			return
		}
		p, err := builtinPack(id)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		other := *svc
		other.Pack, other.Cal = p, p.CalendarOn(calendar.Default)
		svc = &other
	}
	var in cases.Registration
	if !decode(w, r, &in) {
		return
	}
	s, err := svc.Evaluate(r.Context(), actor(r), in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"pack": svc.Pack.ID, "suggestion": s})
}
