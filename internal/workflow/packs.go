package workflow

import (
	"fmt"
	"time"

	"github.com/ombud/ombud/internal/policy"
)

// Link lets services of several packs on one store serve each other's
// cases (a hospital running patient complaints and staff whistleblowing):
// every case is handled under its own pack, whichever service is asked.
// The first service is the default one. It fails when two packs could
// give two cases the same number.
func Link(services ...*Service) error {
	for i, a := range services {
		for _, b := range services[i+1:] {
			if a.Pack.ID == b.Pack.ID {
				return fmt.Errorf("pack %s is loaded twice", a.Pack.ID)
			}
			if n := sameNumber(a.Pack, b.Pack); n != "" {
				return fmt.Errorf("packs %s and %s would both number a case %s: give one of them other kind prefixes or another numbering format",
					a.Pack.ID, b.Pack.ID, n)
			}
		}
	}
	linked := &family{byID: map[string]*Service{}}
	for _, s := range services {
		linked.byID[s.Pack.ID] = s
		linked.order = append(linked.order, s)
		s.family = linked
	}
	return nil
}

// family is a set of linked services.
type family struct {
	byID  map[string]*Service
	order []*Service
}

// For returns the service of pack id: s itself when id is its pack, is
// empty, or is not linked.
func (s *Service) For(id string) *Service {
	if s.family != nil {
		if sv := s.family.byID[id]; sv != nil {
			return sv
		}
	}
	return s
}

// Has reports whether pack id is served (s's own, or linked to it).
func (s *Service) Has(id string) bool {
	return s.Pack.ID == id || s.family != nil && s.family.byID[id] != nil
}

// Packs lists the packs served, the default first.
func (s *Service) Packs() []*policy.Pack {
	if s.family == nil {
		return []*policy.Pack{s.Pack}
	}
	var out []*policy.Pack
	for _, sv := range s.family.order {
		out = append(out, sv.Pack)
	}
	return out
}

// sameNumber returns a number both packs could give (for some kind, month
// and serial), "" if none of the samples tried collide.
func sameNumber(a, b *policy.Pack) string {
	seen := map[string]bool{}
	times := []time.Time{}
	for m := 1; m <= 12; m++ {
		times = append(times, time.Date(2026, time.Month(m), 15, 4, 0, 0, 0, time.UTC))
	}
	serials := []int64{1, 12, 123, 1234, 12345, 123456}
	for _, k := range a.Kinds {
		for _, t := range times {
			for _, n := range serials {
				seen[a.FormatNumber(k.Code, t, n)] = true
			}
		}
	}
	for _, k := range b.Kinds {
		for _, t := range times {
			for _, n := range serials {
				if x := b.FormatNumber(k.Code, t, n); seen[x] {
					return x
				}
			}
		}
	}
	return ""
}
