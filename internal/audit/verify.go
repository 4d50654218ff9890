// Package audit checks that the record can be trusted: that every case's
// event log is an unbroken hash chain, that each case row is the projection
// of its events, and that no case number is missing from its series.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
)

// Problem is one thing wrong with the record.
type Problem struct {
	Case    string `json:"case,omitempty"`
	Seq     int64  `json:"seq,omitempty"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	switch {
	case p.Case != "" && p.Seq > 0:
		return fmt.Sprintf("case %s event %d: %s", p.Case, p.Seq, p.Message)
	case p.Case != "":
		return fmt.Sprintf("case %s: %s", p.Case, p.Message)
	}
	return p.Message
}

// Report is the result of Verify.
type Report struct {
	Cases    int       `json:"cases"`
	Events   int       `json:"events"`
	Problems []Problem `json:"problems"`
}

var serialRE = regexp.MustCompile(`^(.*?)(\d+)$`)

// Verify checks every case in st. Numbers are checked for gaps in the
// numbering series of each case's pack, found by packs (a case whose pack
// it cannot find is checked for its chain and projection only).
func Verify(ctx context.Context, st *store.Store, packs func(id string) *policy.Pack) (*Report, error) {
	rep := &Report{}
	// Serials seen per numbering series, to find gaps.
	serials := map[string][]int{}
	example := map[string]string{}
	err := st.EachCase(ctx, func(row *cases.Case, events []cases.Event) error {
		rep.Cases++
		rep.Events += len(events)
		if m := serialRE.FindStringSubmatch(row.Number); m != nil && packs(row.Pack) != nil {
			pack := packs(row.Pack)
			n, _ := strconv.Atoi(m[2])
			series := pack.Series(row.Kind, row.RegisteredAt)
			serials[series] = append(serials[series], n)
			example[series] = row.Number
		}
		replayed, err := cases.Replay(row.Number, events)
		if err != nil {
			seq := replayed.Seq + 1
			rep.Problems = append(rep.Problems, Problem{Case: row.Number, Seq: seq, Message: err.Error()})
			return nil
		}
		if replayed.Seq != row.Seq || replayed.Head != row.Head {
			rep.Problems = append(rep.Problems, Problem{Case: row.Number, Seq: replayed.Seq,
				Message: fmt.Sprintf("the case row says its last event is %d but the log ends at %d (events removed?)", row.Seq, replayed.Seq)})
			return nil
		}
		replayed.ID = row.ID
		a, _ := json.Marshal(replayed)
		b, _ := json.Marshal(row)
		if string(a) != string(b) {
			rep.Problems = append(rep.Problems, Problem{Case: row.Number,
				Message: "the case row differs from the projection of its events (row edited?)"})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	counters, err := st.Counters(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(counters))
	for series := range counters {
		names = append(names, series)
	}
	sort.Strings(names)
	for _, series := range names {
		ns := serials[series]
		sort.Ints(ns)
		last := counters[series]
		if id, _, _ := strings.Cut(series, ":"); packs(id) == nil {
			continue
		}
		for want := 1; int64(want) <= last; want++ {
			if len(ns) < want || ns[want-1] != want {
				rep.Problems = append(rep.Problems, Problem{Message: fmt.Sprintf(
					"numbering series %s has allocated %d numbers but serial %d has no case (deleted?); a case of it: %s",
					series, last, want, example[series])})
				break
			}
		}
		if len(ns) > int(last) {
			rep.Problems = append(rep.Problems, Problem{Message: fmt.Sprintf(
				"numbering series %s has %d cases but allocated only %d numbers", series, len(ns), last)})
		}
	}
	return rep, nil
}
