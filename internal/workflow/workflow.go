// Package workflow carries out what users do to cases: it registers them
// with a gap-free number and takes actions on them, checking the policy
// pack, the state machine and the user's rights, and writes each change as
// an event and its projection in one transaction.
package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/evaluate"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/seal"
	"github.com/ombud/ombud/internal/sla"
	"github.com/ombud/ombud/internal/store"
)

// ErrForbidden is returned when the user may not see or do what they asked.
var ErrForbidden = errors.New("forbidden")

// Service runs the lifecycle of one organization's cases.
type Service struct {
	Store *store.Store
	Pack  *policy.Pack
	Cal   calendar.Calendar
	// Now is the clock; tests and the demo generator set it.
	Now func() time.Time
	// Outbound are the channels (notify.SMS, notify.Email) through which
	// the public may have messages sent to them (SendAccessCode); none by
	// default. OnEnqueue, if set, is called once a message is queued (it
	// wakes this process's delivery worker).
	Outbound  []string
	OnEnqueue func()
	// family are the services of the other packs on the same store (Link).
	family *family
	// identity seals confidential complainants' identities (SetIdentityKey).
	identity *seal.Key
}

// New returns a service on st under pack.
func New(st *store.Store, pack *policy.Pack) *Service {
	return &Service{Store: st, Pack: pack, Cal: pack.CalendarOn(calendar.Default), Now: time.Now}
}

// ActorOf is the actor a user acts as.
func ActorOf(u *auth.User) cases.Actor {
	return cases.Actor{Username: u.Username, Role: u.Role, Department: u.Department}
}

// CanRegister reports whether a user may register cases.
func CanRegister(a cases.Actor) bool {
	return a.Role == auth.Admin || a.Role == auth.Registrar || a.Role == auth.Handler || a.Role == auth.DeptHead
}

// Rules are the pack's rules on its calendar, for working out changes
// without a database (the workflow, the generator).
func (s *Service) Rules() sla.Rules { return sla.Rules{Pack: s.Pack, Cal: s.Cal} }

// Register validates r and stores it as a new case with the next number.
// Anyone who first receives a complaint may register it (首问负责): the
// receiver defaults to the registering user.
func (s *Service) Register(ctx context.Context, a cases.Actor, r cases.Registration) (*cases.Case, error) {
	if !CanRegister(a) {
		return nil, ErrForbidden
	}
	return s.register(ctx, a.Username, r, nil)
}

// register registers r as actor; with, if not nil, runs in the
// registration's transaction once the case is stored (RegisterPublic).
func (s *Service) register(ctx context.Context, actor string, r cases.Registration, with func(*store.Tx, *cases.Case) error) (*cases.Case, error) {
	now := s.Now()
	levelGiven := strings.TrimSpace(r.Level) != ""
	r.Normalize(s.Pack, now, actor)
	if fe := r.Validate(s.Pack, now); fe != nil {
		return nil, fe
	}
	sug, err := s.suggest(ctx, r, levelGiven)
	if err != nil {
		return nil, err
	}
	// The rules' grade stands until someone confirms or changes it
	// (grade); a level the registrant chose stands over it. The suggested
	// category and department wait for acceptance and assignment.
	if !levelGiven {
		r.Level = sug.Level
	}
	// Sealed after the rules ran: they may count the caller's earlier cases.
	if err := s.sealIdentity(&r); err != nil {
		return nil, err
	}
	// Everything but the number is worked out before the transaction: the
	// single writer only numbers, chains and stores.
	ch := Registered(s.Rules(), &r)
	ch.Suggestion = sug
	payload, err := json.Marshal(ch)
	if err != nil {
		return nil, err
	}
	var c *cases.Case
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		serial, err := tx.NextSerial(ctx, s.Pack.Series(r.Kind, now))
		if err != nil {
			return fmt.Errorf("allocate number: %w", err)
		}
		c = &cases.Case{Number: s.Pack.FormatNumber(r.Kind, now, serial)}
		e := cases.NewEventPayload(c, cases.EventRegistered, actor, now, payload)
		if err := cases.ApplyChange(c, e, ch); err != nil {
			return err
		}
		if err := tx.InsertCase(ctx, c, e); err != nil {
			return err
		}
		if err := s.notify(ctx, tx, nil, c, e, nil); err != nil {
			return err
		}
		if with != nil {
			return with(tx, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// suggest runs the pack's rules on a registration (its level counted as
// not given unless levelGiven).
func (s *Service) suggest(ctx context.Context, r cases.Registration, levelGiven bool) (*cases.Suggestion, error) {
	previous := 0
	if r.Complainant.Phone != "" {
		n, err := s.Store.CountByPhone(ctx, r.Complainant.Phone)
		if err != nil {
			return nil, err
		}
		previous = n
	}
	if !levelGiven {
		r.Level = ""
	}
	return evaluate.Evaluate(s.Rules(), evaluate.Input{Reg: r, Previous: previous})
}

// Suggest is Evaluate for a registration still being typed: nothing is
// validated, so that hints follow the clerk from the first words.
func (s *Service) Suggest(ctx context.Context, a cases.Actor, r cases.Registration) (*cases.Suggestion, error) {
	if !CanRegister(a) {
		return nil, ErrForbidden
	}
	levelGiven := strings.TrimSpace(r.Level) != ""
	r.Normalize(s.Pack, s.Now(), a.Username)
	return s.suggest(ctx, r, levelGiven)
}

// Evaluate returns the suggestion the pack's rules make for a registration
// without registering it (POST /api/v1/evaluate).
func (s *Service) Evaluate(ctx context.Context, a cases.Actor, r cases.Registration) (*cases.Suggestion, error) {
	if !CanRegister(a) {
		return nil, ErrForbidden
	}
	now := s.Now()
	levelGiven := strings.TrimSpace(r.Level) != ""
	r.Normalize(s.Pack, now, a.Username)
	if fe := r.Validate(s.Pack, now); fe != nil {
		return nil, fe
	}
	return s.suggest(ctx, r, levelGiven)
}

// Registered is the change that registers reg: its status, record and the
// clocks it starts with. (The number is the case's, in every event's hash.)
func Registered(r sla.Rules, reg *cases.Registration) cases.Change {
	return cases.Change{Status: cases.Registered, Registration: reg, Pack: r.Pack.ID,
		Clocks: r.Registered(reg)}
}

// Decide works out the change that action act with params p, taken by a
// at at, makes to case c: the state machine, the actor's rights and the
// parameters are checked, in that order (409, 403, 400), and the clocks
// moved on the calendar. It reads no database.
func Decide(r sla.Rules, a cases.Actor, c *cases.Case, act cases.Action, p cases.Params, at time.Time) (cases.Change, error) {
	review := policy.ReviewDeptHead
	if l, ok := r.Pack.Level(c.Level); ok {
		review = l.Review
	}
	next, err := cases.Next(c.Status, act, p, review)
	if err != nil {
		return cases.Change{}, err
	}
	if !cases.Possible(c, act) {
		return cases.Change{}, fmt.Errorf("%w: %s is not possible now", cases.ErrInvalidTransition, act)
	}
	if !cases.May(a, act, c, r.Pack) {
		return cases.Change{}, ErrForbidden
	}
	if fe := cases.Check(act, &p, c, r.Pack); fe != nil {
		return cases.Change{}, fe
	}
	ch := cases.Change{Status: next, Params: p}
	if act == cases.RequestExtension {
		x, fe := r.Extension(c, p, a.Username, at)
		if fe != nil {
			return cases.Change{}, fe
		}
		ch.Extension = x
	}
	if act == cases.ApproveExtension {
		ch.Inform = "extended"
	}
	ch.Clocks = r.Acted(c, act, p, next, at)
	return ch, nil
}

// Act takes action act with params p on the case with number.
func (s *Service) Act(ctx context.Context, a cases.Actor, number string, act cases.Action, p cases.Params) (*cases.Case, error) {
	var c *cases.Case
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		c, err = s.act(ctx, a, number, act, p)
		if !errors.Is(err, store.ErrConflict) {
			break
		}
	}
	return c, err
}

// visibleCase reads case number in the transaction, if a may see it.
func visibleCase(ctx context.Context, tx *store.Tx, a cases.Actor, number string) (*cases.Case, error) {
	c, err := tx.GetCase(ctx, number)
	if err != nil {
		return nil, err
	}
	if !cases.CanSee(a, c) {
		return nil, ErrForbidden
	}
	return c, nil
}

func (s *Service) act(ctx context.Context, a cases.Actor, number string, act cases.Action, p cases.Params) (*cases.Case, error) {
	var c *cases.Case
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = visibleCase(ctx, tx, a, number); err != nil {
			return err
		}
		now := s.Now()
		before := *c
		sv := s.For(c.Pack) // the case's own rulebook
		ch, err := Decide(sv.Rules(), a, c, act, p, now)
		if err != nil {
			return err
		}
		if act == cases.Attach {
			// Files are added with Attach, which stores them.
			return cases.FieldErrors{AttachField: "required"}
		}
		if act == cases.Assign && ch.Handler != "" {
			if err := sv.checkHandler(ctx, c, ch.Handler, ch.Department); err != nil {
				return err
			}
		}
		e, err := appendChange(ctx, tx, c, string(act), a.Username, now, ch)
		if err != nil {
			return err
		}
		return sv.notify(ctx, tx, &before, c, e, nil)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// checkHandler checks that username may handle case c in department dept:
// an active user of that department, and not the person c reports.
func (s *Service) checkHandler(ctx context.Context, c *cases.Case, username, dept string) error {
	u, _, err := s.Store.UserByName(ctx, username)
	if errors.Is(err, store.ErrNotFound) || err == nil && (!u.Active || u.Department != dept) {
		return cases.FieldErrors{"handler": "unknown_handler"}
	}
	if err == nil && reportsOn(c, u) {
		return ErrConflictOfInterest
	}
	return err
}

// Get returns a case the actor may see, with its events.
func (s *Service) Get(ctx context.Context, a cases.Actor, number string) (*cases.Case, []cases.Event, error) {
	c, err := s.Store.GetCase(ctx, number)
	if err != nil {
		return nil, nil, err
	}
	if !cases.CanSee(a, c) {
		return nil, nil, ErrForbidden
	}
	if err := s.logRead(ctx, a, c); err != nil {
		return nil, nil, err
	}
	events, err := s.Store.Events(ctx, c.ID)
	return c, events, err
}

// List returns the cases the actor may see that match f.
func (s *Service) List(ctx context.Context, a cases.Actor, f store.Filter) ([]*cases.Case, int, error) {
	switch a.Role {
	case auth.Handler, auth.DeptHead:
		f.Visible, f.VisibleHandler = a.Department, a.Username
		f.HideConfidential = a.Role == auth.Handler
		if a.Department == "" {
			f.Visible = "\x00" // a department user without a department sees only their own
		}
	}
	f.Now = s.Now()
	return s.Store.ListCases(ctx, f)
}

// RevealContact returns the complainant's unmasked contact and records the
// read in the access log.
func (s *Service) RevealContact(ctx context.Context, a cases.Actor, number, reason string) (cases.Complainant, error) {
	c, err := s.Store.GetCase(ctx, number)
	if err != nil {
		return cases.Complainant{}, err
	}
	if !cases.CanSee(a, c) || a.Role == auth.Auditor {
		return cases.Complainant{}, ErrForbidden
	}
	what := "complainant_contact"
	if c.Complainant.Sealed != "" {
		if !MayOpenIdentity(a) {
			return cases.Complainant{}, ErrForbidden
		}
		what = "reporter_identity"
	}
	// Opened before the read is logged, logged before it is returned: a
	// failure to open leaves no false entry, and nothing is shown unlogged.
	who, err := s.openIdentity(c)
	if err != nil {
		return cases.Complainant{}, err
	}
	if err := s.Store.LogAccess(ctx, c.ID, a.Username, what, reason); err != nil {
		return cases.Complainant{}, err
	}
	return who, nil
}

// Deadline is a time limit of a case and where it stands.
type Deadline struct {
	Name   string    `json:"name"`
	Within string    `json:"within,omitempty"`
	DueAt  time.Time `json:"due_at"`
	// State is running, paused, met or breached.
	State string `json:"state"`
	// Assumed: the calendar lacked a year, so Monday to Friday were assumed.
	Assumed bool `json:"assumed,omitempty"`
	// ExtendedDays is the total of approved extensions.
	ExtendedDays int `json:"extended_days,omitempty"`
}

// Deadlines lists the time limits of c as of now, cancelled ones left out.
func Deadlines(c *cases.Case, now time.Time) []Deadline {
	out := []Deadline{}
	for i := range c.Clocks {
		k := &c.Clocks[i]
		st := k.StateAt(now)
		if st == "" {
			continue
		}
		out = append(out, Deadline{Name: k.Name, Within: k.Within, DueAt: k.Due, State: st,
			Assumed: k.Assumed, ExtendedDays: k.ExtendedDays})
	}
	return out
}

// appendChange writes change ch to case c as an event of type typ by
// actor at at, in tx: the event, the projection and the row.
func appendChange(ctx context.Context, tx *store.Tx, c *cases.Case, typ, actor string, at time.Time, ch cases.Change) (cases.Event, error) {
	e, err := cases.NewEvent(c, typ, actor, at, ch)
	if err != nil {
		return e, err
	}
	if err := cases.ApplyChange(c, e, ch); err != nil {
		return e, err
	}
	return e, tx.AppendEvent(ctx, c, e)
}
