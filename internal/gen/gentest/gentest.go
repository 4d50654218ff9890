// Package gentest holds the checks that the tests of generated cases
// share: those of ombud gen (package gen) and of the demo's sample cases
// (package demo).
package gentest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/audit"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
)

// Verify runs ombud verify's checks on st, whose cases are all of pack,
// and reports every problem found.
func Verify(t testing.TB, st *store.Store, pack *policy.Pack) *audit.Report {
	t.Helper()
	rep, err := audit.Verify(context.Background(), st, func(id string) *policy.Pack {
		if id == pack.ID {
			return pack
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		t.Errorf("verify: %s", p)
	}
	return rep
}

// Count returns how many cases in st match f.
func Count(t testing.TB, st *store.Store, f store.Filter) int {
	t.Helper()
	f.Limit = 1
	_, n, err := st.ListCases(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// CheckCoverage checks that st holds a case of every status, and of every
// kind, category and level of pack.
func CheckCoverage(t testing.TB, st *store.Store, pack *policy.Pack) {
	t.Helper()
	for _, s := range cases.Statuses {
		if Count(t, st, store.Filter{Status: []cases.Status{s}}) == 0 {
			t.Errorf("no case is %s", s)
		}
	}
	for _, k := range pack.Kinds {
		if Count(t, st, store.Filter{Kind: k.Code}) == 0 {
			t.Errorf("no case of kind %s", k.Code)
		}
	}
	for _, c := range pack.Categories {
		if Count(t, st, store.Filter{Category: c.Code}) == 0 {
			t.Errorf("no case of category %s", c.Code)
		}
	}
	for _, l := range pack.Levels {
		if Count(t, st, store.Filter{Level: l.Code}) == 0 {
			t.Errorf("no case of level %s", l.Code)
		}
	}
}

// CheckCase checks one generated case and its events: received before it
// was registered, every placeholder filled, and the events one after the
// other, none after now.
func CheckCase(t testing.TB, c *cases.Case, events []cases.Event, now time.Time) {
	t.Helper()
	if c.ReceivedAt.After(c.RegisteredAt) {
		t.Errorf("%s received %v after registration %v", c.Number, c.ReceivedAt, c.RegisteredAt)
	}
	for _, s := range []string{c.Subject, c.Content, c.DemandNote, c.Proposal, c.Reply, c.Reason, c.ForwardedTo} {
		if strings.ContainsAny(s, "{}") {
			t.Errorf("%s has an unfilled placeholder: %s", c.Number, s)
		}
	}
	for i, e := range events {
		if e.At.After(now) {
			t.Errorf("%s event %d at %v is in the future", c.Number, e.Seq, e.At)
		}
		if i > 0 && !e.At.After(events[i-1].At) {
			t.Errorf("%s event %d is not after the one before", c.Number, e.Seq)
		}
	}
}

// CheckChannels checks that some case came by each channel of pack;
// channels holds the channels cases came by.
func CheckChannels(t testing.TB, pack *policy.Pack, channels map[string]bool) {
	t.Helper()
	for _, ch := range pack.Channels {
		if !channels[ch.Code] {
			t.Errorf("no case came by channel %s", ch.Code)
		}
	}
}
