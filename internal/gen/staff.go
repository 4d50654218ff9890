package gen

import (
	"context"
	"errors"
	"fmt"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
)

// The accounts generated cases are handled by, named as the demo names
// them: registrars clerk, clerk2, clerk3 in the central office; in each
// department handlers handler-<dept> and handler2-<dept> and the head
// head-<dept>; the responsible leader vp; and an auditor.

// Staff lists the accounts the generator's cases are handled by.
func Staff(pack *policy.Pack) []auth.User {
	n := 0
	name := func() string {
		// Distinct, fixed names: walk the surnames and given names apart.
		s := Surnames[(n*7)%len(Surnames)] + GivenNames[(n*13+3)%len(GivenNames)]
		n++
		return s
	}
	mk := func(user string, role auth.Role, dept string) auth.User {
		return auth.User{Username: user, DisplayName: name(), Role: role, Department: dept, Active: true}
	}
	var us []auth.User
	for _, u := range []string{"clerk", "clerk2", "clerk3"} {
		us = append(us, mk(u, auth.Registrar, pack.CentralOffice))
	}
	for _, d := range pack.Departments {
		us = append(us, mk("handler-"+d.Code, auth.Handler, d.Code), mk("handler2-"+d.Code, auth.Handler, d.Code),
			mk("head-"+d.Code, auth.DeptHead, d.Code))
	}
	return append(us, mk("vp", auth.Manager, ""), mk("auditor", auth.Auditor, ""))
}

// CreateStaff creates the accounts of Staff that do not exist yet, with
// password. An existing account must have the role and department the
// generator acts in. It returns how many it created.
func CreateStaff(ctx context.Context, st *store.Store, pack *policy.Pack, password string) (int, error) {
	return CreateUsers(ctx, st, Staff(pack), password)
}

// CreateUsers creates the accounts of users that do not exist yet, all
// with password, which it hashes once (argon2id is deliberately slow). An
// existing account must have the role and department it has in users, and
// be active. It returns how many it created.
func CreateUsers(ctx context.Context, st *store.Store, users []auth.User, password string) (int, error) {
	var hash string
	created := 0
	for _, u := range users {
		old, _, err := st.UserByName(ctx, u.Username)
		switch {
		case err == nil:
			if old.Role != u.Role || old.Department != u.Department || !old.Active {
				return created, fmt.Errorf("gen: user %s exists with role %s in department %q; generated cases need role %s in %q",
					u.Username, old.Role, old.Department, u.Role, u.Department)
			}
			continue
		case !errors.Is(err, store.ErrNotFound):
			return created, err
		}
		if hash == "" {
			if hash, err = auth.HashPassword(password); err != nil {
				return created, err
			}
		}
		if err := st.CreateUser(ctx, &u, hash); err != nil {
			return created, fmt.Errorf("gen: create user %s: %w", u.Username, err)
		}
		created++
	}
	return created, nil
}

// staff are the actors of generated cases.
type staff struct {
	clerks   []cases.Actor
	handlers map[string][]cases.Actor
	heads    map[string]cases.Actor
	manager  cases.Actor
}

// newStaff sorts users by what they do in a case.
func newStaff(users []auth.User) *staff {
	s := &staff{handlers: map[string][]cases.Actor{}, heads: map[string]cases.Actor{}}
	for _, u := range users {
		a := cases.Actor{Username: u.Username, Role: u.Role, Department: u.Department}
		switch u.Role {
		case auth.Registrar:
			s.clerks = append(s.clerks, a)
		case auth.Handler:
			s.handlers[u.Department] = append(s.handlers[u.Department], a)
		case auth.DeptHead:
			s.heads[u.Department] = a
		case auth.Manager:
			s.manager = a
		}
	}
	return s
}
