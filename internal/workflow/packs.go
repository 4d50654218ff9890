package workflow

import (
	"fmt"
	"slices"
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

// ForPublic returns the service that takes public submission f: a served
// pack that is all confidential kinds (a whistleblowing rulebook served
// beside the organization's own) and has a public channel takes the
// reports it has; the default
// pack takes everything else. A category f names that the pack taking it
// lacks (the form lists the default pack's) is left to its rules.
func (s *Service) ForPublic(f *PublicForm) *Service {
	for _, sv := range s.served() {
		if _, ok := sv.Pack.Kind(f.Kind); ok && sv != s && allConfidential(sv.Pack) && takesPublic(sv.Pack) {
			if _, ok := sv.Pack.Category(f.Category); !ok {
				f.Category = ""
			}
			return sv
		}
	}
	return s
}

// PublicKinds are the kinds of contact the public may choose: the default
// pack's, and those a confidential pack served beside it adds (ForPublic).
func (s *Service) PublicKinds() []policy.Kind {
	kinds := slices.Clone(s.Pack.Kinds)
	for _, sv := range s.served() {
		if !allConfidential(sv.Pack) || !takesPublic(sv.Pack) {
			continue
		}
		for _, k := range sv.Pack.Kinds {
			if _, ok := s.Pack.Kind(k.Code); !ok && !slices.ContainsFunc(kinds, func(o policy.Kind) bool { return o.Code == k.Code }) {
				kinds = append(kinds, k)
			}
		}
	}
	return kinds
}

func (s *Service) served() []*Service {
	if s.family == nil {
		return []*Service{s}
	}
	return s.family.order
}

// takesPublic reports whether p has a channel the public submits through.
func takesPublic(p *policy.Pack) bool {
	return slices.ContainsFunc(PublicChannels, func(ch string) bool { _, ok := p.Channel(ch); return ok })
}

func allConfidential(p *policy.Pack) bool {
	for _, k := range p.Kinds {
		if !k.IsConfidential() {
			return false
		}
	}
	return len(p.Kinds) > 0
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
