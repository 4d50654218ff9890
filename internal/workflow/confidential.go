package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/seal"
)

// Confidential cases (R29, R30): a report's (举报) registration seals who
// made it with the service's identity key before anything is written, so
// the name, phone and other contact are in no event, row or search index
// in the clear. Of the department only the case's handler sees the case;
// only a manager or an administrator may open the identity, with a reason,
// and every read of a confidential case is in the access log.

// ErrNoIdentityKey is returned when a confidential case comes with an
// identity and the service has no key to seal it with.
var ErrNoIdentityKey = errors.New("no identity key: confidential identities cannot be sealed")

// ErrConflictOfInterest is returned when a confidential case would be
// assigned to the person it reports (R30).
var ErrConflictOfInterest = cases.FieldErrors{"handler": "reported_person"}

// SetIdentityKey makes s, and every service linked to it, seal and open
// identities with k.
func (s *Service) SetIdentityKey(k *seal.Key) {
	if s.family == nil {
		s.identity = k
		return
	}
	for _, sv := range s.family.order {
		sv.identity = k
	}
}

// IdentityKey is the key identities are sealed with (nil: none).
func (s *Service) IdentityKey() *seal.Key { return s.identity }

// sealIdentity marks r confidential when its kind is, and seals its
// complainant's identity.
func (s *Service) sealIdentity(r *cases.Registration) error {
	return SealIdentity(s.Pack, s.identity, r)
}

// SealIdentity marks r confidential when its kind is under pack, and seals
// its complainant's identity with key (the registration of a case, and
// the generator's).
func SealIdentity(pack *policy.Pack, key *seal.Key, r *cases.Registration) error {
	if !pack.Confidential(r.Kind) {
		return nil
	}
	r.Confidential = true
	id := r.Complainant.Identity()
	if id.Empty() {
		return nil
	}
	if key == nil {
		return ErrNoIdentityKey
	}
	b, err := json.Marshal(id)
	if err != nil {
		return err
	}
	sealed, err := key.Seal(b)
	if err != nil {
		return err
	}
	r.Complainant.Name, r.Complainant.Phone, r.Complainant.OtherContact = "", "", ""
	r.Complainant.Sealed = sealed
	return nil
}

// MayOpenIdentity reports whether a may open a sealed identity.
func MayOpenIdentity(a cases.Actor) bool { return a.Role == auth.Manager || a.Role == auth.Admin }

// openIdentity returns c's complainant with the sealed identity opened.
func (s *Service) openIdentity(c *cases.Case) (cases.Complainant, error) {
	out := c.Complainant
	if out.Sealed == "" {
		return out, nil
	}
	if s.identity == nil {
		return out, ErrNoIdentityKey
	}
	b, err := s.identity.Open(out.Sealed)
	if err != nil {
		return out, fmt.Errorf("case %s: %w", c.Number, err)
	}
	var id cases.Identity
	if err := json.Unmarshal(b, &id); err != nil {
		return out, fmt.Errorf("case %s: sealed identity: %w", c.Number, err)
	}
	out.Name, out.Phone, out.OtherContact, out.Sealed = id.Name, id.Phone, id.OtherContact, ""
	return out, nil
}

// reportsOn reports whether a confidential case c names user u as whom it
// reports: the respondent's staff field holds their display name or user
// name.
func reportsOn(c *cases.Case, u *auth.User) bool {
	staff := strings.TrimSpace(c.Respondent.Staff)
	if !c.Confidential || staff == "" {
		return false
	}
	for _, name := range []string{u.DisplayName, u.Username} {
		if name = strings.TrimSpace(name); name != "" && strings.Contains(staff, name) {
			return true
		}
	}
	return false
}

// logRead records that a read a confidential case (R28: every access to
// sensitive records is in the access register).
func (s *Service) logRead(ctx context.Context, a cases.Actor, c *cases.Case) error {
	if !c.Confidential {
		return nil
	}
	return s.Store.LogAccess(ctx, c.ID, a.Username, "confidential_case", "")
}
