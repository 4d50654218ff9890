package gen_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/gen"
	"github.com/ombud/ombud/internal/gen/gentest"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
	"github.com/ombud/ombud/internal/workflow"
)

// genNow is the clock of the tests: a Wednesday, 10:30 in Shanghai.
var genNow = time.Date(2026, 3, 18, 2, 30, 0, 0, time.UTC)

var serialRE = regexp.MustCompile(`(\d+)$`)

func TestGenerate(t *testing.T) {
	tests := []struct {
		pack string
		n    int
		// words are common in the pack's texts, but not in every case.
		words []string
		// staff: create the staff accounts first.
		staff bool
		// again: generate this many more cases afterwards with seed
		// againSeed; with the same seed, the same cases again.
		again, againSeed int
	}{
		{pack: "hospital-taicang", n: 300, words: []string{"护士", "收费", "态度", "退款"}, staff: true, again: 300, againSeed: 42},
		{pack: "generic", n: 300, words: []string{"退款", "态度", "门店", "收费"}, again: 40, againSeed: 43},
		{pack: "testdata/water.yaml", n: 120, words: []string{"水费", "办理"}},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(strings.TrimSuffix(strings.TrimPrefix(tc.pack, "testdata/"), ".yaml"), func(t *testing.T) {
					ctx := context.Background()
					pack, err := policy.Load(tc.pack)
					if err != nil {
						t.Fatal(err)
					}
					st, _ := b.Open(t)
					if tc.staff {
						n, err := gen.CreateStaff(ctx, st, pack, "secret-1")
						if err != nil || n != len(gen.Staff(pack)) {
							t.Fatalf("CreateStaff: %d, %v", n, err)
						}
					}
					var progress bytes.Buffer
					start := time.Now()
					res, err := gen.Generate(ctx, st, pack, gen.Options{Cases: tc.n, Seed: 42, Now: genNow, Progress: &progress})
					if err != nil {
						t.Fatal(err)
					}
					t.Logf("%d cases, %d events in %v", res.Cases, res.Events, time.Since(start))
					if res.Cases != tc.n {
						t.Errorf("generated %d cases, want %d", res.Cases, tc.n)
					}
					if out := progress.String(); strings.Contains(out, "\r") || !strings.HasPrefix(out, "generated "+strconv.Itoa(tc.n)+" cases") {
						t.Errorf("progress, not on a terminal, is not just the final line: %q", out)
					}
					check(t, st, pack, tc.n, res.Events)

					// Common words are found, in some cases but not all.
					for _, w := range tc.words {
						_, total, err := st.ListCases(ctx, store.Filter{Q: w, Limit: 1})
						if err != nil {
							t.Fatal(err)
						}
						if total == 0 || total == tc.n {
							t.Errorf("search %q finds %d of %d cases", w, total, tc.n)
						}
					}

					if tc.again > 0 {
						// More cases continue the numbering; the same seed
						// and clock give the same cases.
						first := ordered(t, st)
						if _, err := gen.Generate(ctx, st, pack, gen.Options{Cases: tc.again, Seed: uint64(tc.againSeed), Now: genNow}); err != nil {
							t.Fatal(err)
						}
						check(t, st, pack, tc.n+tc.again, -1)
						if tc.againSeed == 42 {
							second := ordered(t, st)[tc.n:]
							for i := range first {
								if first[i][1] != second[i][1] {
									t.Errorf("the same seed gave case %d (%s, %s) another subject or content", i, first[i][0], second[i][0])
									break
								}
							}
						}
					}

					// A registration through the workflow continues the series.
					counters, err := st.Counters(ctx)
					if err != nil {
						t.Fatal(err)
					}
					svc := workflow.New(st, pack)
					svc.Now = func() time.Time { return genNow }
					clerk := cases.Actor{Username: "clerk", Role: auth.Registrar, Department: pack.CentralOffice}
					c, err := svc.Register(ctx, clerk, cases.Registration{Kind: "complaint", Channel: pack.Channels[0].Code,
						Complainant: cases.Complainant{Name: "张女士", Phone: "13812345678"},
						Subject:     "测试登记", Content: "生成数据之后的正常登记。"})
					if err != nil {
						t.Fatal(err)
					}
					series := pack.Series("complaint", genNow)
					if want := pack.FormatNumber("complaint", genNow, counters[series]+1); c.Number != want || counters[series] == 0 {
						t.Errorf("the next registration got %s, want %s", c.Number, want)
					}
					gentest.Verify(t, st, pack)

					// The counters are compared before they move.
					bulk, err := st.BeginBulk(ctx)
					if err != nil {
						t.Fatal(err)
					}
					err = bulk.Insert(ctx, nil, []store.SerialRange{{Series: series, From: 1, To: 2}})
					if !errors.Is(err, store.ErrCountersMoved) {
						t.Errorf("a bulk insert from a stale counter: %v, want ErrCountersMoved", err)
					}
					if err := bulk.Close(); err != nil {
						t.Fatal(err)
					}
				})
			}
		})
	}
}

// ordered returns every case's number and its subject and content, in
// the order the cases were stored.
func ordered(t *testing.T, st *store.Store) [][2]string {
	t.Helper()
	var out [][2]string
	err := st.EachCase(context.Background(), func(c *cases.Case, _ []cases.Event) error {
		out = append(out, [2]string{c.Number, c.Subject + "\n" + c.Content})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// check checks the n cases of pack in st: the ledger, the numbering, the
// spread over statuses, kinds, channels, categories and levels, the times
// and the texts.
func check(t *testing.T, st *store.Store, pack *policy.Pack, n, events int) {
	t.Helper()
	ctx := context.Background()
	rep := gentest.Verify(t, st, pack)
	if rep.Cases != n || events >= 0 && rep.Events != events {
		t.Errorf("verify checked %d cases and %d events, want %d and %d", rep.Cases, rep.Events, n, events)
	}
	gentest.CheckCoverage(t, st, pack)
	if closed := gentest.Count(t, st, store.Filter{Status: []cases.Status{cases.Closed}}); closed < n/2 {
		t.Errorf("%d of %d cases are closed, want most", closed, n)
	}

	serials := map[string][]int{}
	channels := map[string]bool{}
	now := genNow
	first := now.AddDate(0, -24, 0)
	var named []string
	for _, c := range pack.Categories {
		named = append(named, c.Name.In("zh"))
	}
	categoryNamed := false
	err := st.EachCase(ctx, func(c *cases.Case, events []cases.Event) error {
		channels[c.Channel] = true
		m := serialRE.FindStringSubmatch(c.Number)
		if m == nil {
			t.Errorf("number %s has no serial", c.Number)
			return nil
		}
		k, _ := strconv.Atoi(m[1])
		series := pack.Series(c.Kind, c.RegisteredAt)
		serials[series] = append(serials[series], k)
		if c.RegisteredAt.Before(first) {
			t.Errorf("%s registered %v, not within the 24 months before %v", c.Number, c.RegisteredAt, now)
		}
		gentest.CheckCase(t, c, events, now)
		if c.Subject == "" || c.Content == "" {
			t.Errorf("%s has no subject or content", c.Number)
		}
		if slices.ContainsFunc(named, func(s string) bool { return strings.Contains(c.Subject+c.Content, s) }) {
			categoryNamed = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	gentest.CheckChannels(t, pack, channels)
	if strings.HasPrefix(pack.ID, "water") && !categoryNamed {
		t.Error("no case of the water utility names its category (fallback texts)")
	}

	// Numbers are contiguous in every series, and the counters say so.
	counters, err := st.Counters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for series, ks := range serials {
		slices.Sort(ks)
		for i, k := range ks {
			if k != i+1 {
				t.Errorf("series %s: serial %d where %d should be", series, k, i+1)
				break
			}
		}
		if counters[series] != int64(len(ks)) {
			t.Errorf("series %s: counter %d, %d cases", series, counters[series], len(ks))
		}
	}
	for series, v := range counters {
		if len(serials[series]) == 0 && v != 0 {
			t.Errorf("series %s: counter %d, no case", series, v)
		}
	}
}

// TestSameAsWorkflow replays generated cases through workflow.Service, every
// step by its actor at its time, in the order they happened: the workflow
// must allocate the same numbers and produce the same events, hash for hash.
// The hospital's levels are reviewed by department heads or the manager;
// the water utility's most common level needs no review.
func TestSameAsWorkflow(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) { sameAsWorkflow(t, b) })
	}
}

func sameAsWorkflow(t *testing.T, b storetest.Backend) {
	ctx := context.Background()
	st, _ := b.Open(t) // generated
	wf, _ := b.Open(t) // replayed through the workflow
	for _, name := range []string{"hospital-taicang", "testdata/water.yaml"} {
		pack, err := policy.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := gen.Generate(ctx, st, pack, gen.Options{Cases: 70, Seed: 5, Now: genNow}); err != nil {
			t.Fatal(err)
		}
		type step struct {
			number string
			e      cases.Event
		}
		var steps []step
		heads := map[string]string{}
		err = st.EachCase(ctx, func(c *cases.Case, events []cases.Event) error {
			if c.Pack != pack.ID {
				return nil
			}
			heads[c.Number] = c.Head
			for _, e := range events {
				steps = append(steps, step{c.Number, e})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.SortStableFunc(steps, func(x, y step) int { return x.e.At.Compare(y.e.At) })

		actors := map[string]cases.Actor{}
		for _, u := range gen.Staff(pack) {
			if old, _, err := wf.UserByName(ctx, u.Username); err == nil {
				u = *old
			} else if err := wf.CreateUser(ctx, &u, "not a hash"); err != nil { // assigning checks the handler exists
				t.Fatal(err)
			}
			actors[u.Username] = workflow.ActorOf(&u)
		}
		var clock time.Time
		svc := workflow.New(wf, pack)
		svc.Now = func() time.Time { return clock }
		numbers := map[string]string{} // generated number → workflow's
		for _, s := range steps {
			clock = s.e.At
			var ch cases.Change
			if err := json.Unmarshal(s.e.Payload, &ch); err != nil {
				t.Fatal(err)
			}
			actor, ok := actors[s.e.Actor]
			if !ok {
				t.Fatalf("%s event %d: unknown actor %s", s.number, s.e.Seq, s.e.Actor)
			}
			if s.e.Type == cases.EventRegistered {
				c, err := svc.Register(ctx, actor, *ch.Registration)
				if err != nil {
					t.Fatalf("%s: register: %v", s.number, err)
				}
				numbers[s.number] = c.Number
				continue
			}
			if _, err := svc.Act(ctx, actor, numbers[s.number], cases.Action(s.e.Type), ch.Params); err != nil {
				t.Fatalf("%s event %d %s by %s: %v", s.number, s.e.Seq, s.e.Type, s.e.Actor, err)
			}
		}
		for number, head := range heads {
			if numbers[number] != number {
				t.Errorf("the workflow numbered %s %s", number, numbers[number])
				continue
			}
			c, err := wf.GetCase(ctx, number)
			if err != nil {
				t.Fatal(err)
			}
			if c.Head != head {
				t.Errorf("%s: the workflow's events differ from the generated ones", number)
				if os.Getenv("GEN_DEBUG") != "" {
					we, _ := wf.Events(ctx, c.ID)
					for _, s := range steps {
						if s.number == number && s.e.Seq <= int64(len(we)) && string(we[s.e.Seq-1].Payload) != string(s.e.Payload) {
							t.Logf("event %d\n gen: %s\n  wf: %s", s.e.Seq, s.e.Payload, we[s.e.Seq-1].Payload)
						}
					}
				}
			}
		}
	}
}

// TestPlan: Plan is deterministic, its steps follow the registration in
// time order, and the scenarios are made to order.
func TestPlan(t *testing.T) {
	pack, err := policy.Load("hospital-taicang")
	if err != nil {
		t.Fatal(err)
	}
	var scenarios []gen.Scenario
	for range 3 {
		scenarios = append(scenarios, gen.Scenario{Status: cases.Closed, Kind: "complaint", Group: true, Urgent: true},
			gen.Scenario{Status: cases.InProgress, Kind: "report", Channel: "letter", Level: "1"})
	}
	opt := gen.Options{Cases: 80, Seed: 9, Now: genNow, Scenarios: scenarios}
	plans, err := gen.Plan(pack, opt)
	if err != nil {
		t.Fatal(err)
	}
	again, err := gen.Plan(pack, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plans, again) {
		t.Error("the same options gave other plans")
	}
	if len(plans) != opt.Cases {
		t.Fatalf("%d plans, want %d", len(plans), opt.Cases)
	}
	groups, reports := 0, 0
	for i, p := range plans {
		if i > 0 && p.RegisteredAt.Before(plans[i-1].RegisteredAt) {
			t.Errorf("plan %d is registered before the one before it", i)
		}
		prev := p.RegisteredAt
		for j, s := range p.Steps {
			if !s.At.After(prev) || s.At.After(genNow) {
				t.Errorf("plan %d step %d at %v, after %v", i, j, s.At, prev)
			}
			prev = s.At
		}
		reg := p.Registration
		if reg.Complainant.GroupSize > 1 && reg.Urgent {
			groups++
		}
		if reg.Kind == "report" && reg.Channel == "letter" && reg.Level == "1" && len(p.Steps) > 0 && p.Steps[len(p.Steps)-1].Action == cases.Take {
			reports++
		}
	}
	if groups < 3 || reports < 3 {
		t.Errorf("%d urgent group complaints and %d level-1 reports by letter in progress, want 3 each", groups, reports)
	}
}
