// Package gen loads many realistic cases fast, for load tests and search
// benchmarks (ombud gen).
//
// Cases are spread over the last months up to now, busier on working days
// and in office hours, and cover every kind, channel, category and level of
// the pack and every status, most of them closed. Each case's texts are
// built from fragments that fit its category (the pack's domain: hospitals,
// or shops and services; a category no text is written for gets texts that
// name it), and its event log is what the workflow would have produced had
// the staff taken each step at its time: the events are built in memory
// with cases.NewEvent and cases.Apply, checked against the state machine,
// the actors' rights and the parameters as workflow.Service checks them,
// numbered gap-free per numbering series after the series' current
// counter, and written in large transactions through the store's bulk
// loader (store.Bulk), which moves the counters in the same transaction.
// ombud verify finds nothing wrong with the result.
//
// The same seed, count, period, pack and clock give the same cases; the
// clock is the only thing that differs between two runs at different times.
package gen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/seal"
	"github.com/ombud/ombud/internal/server"
	"github.com/ombud/ombud/internal/store"
)

// Options say what to generate.
type Options struct {
	Cases int
	// Months is the period the cases are registered in, up to now (24 if 0).
	Months int
	// Seed makes the cases; the same seed gives the same cases.
	Seed uint64
	// Now is the end of the period (time.Now() if zero).
	Now time.Time
	// IdentityKey seals the identities of confidential cases' reporters
	// (see workflow.SealIdentity); without one, reports are anonymous.
	IdentityKey *seal.Key
	// Staff are the accounts that handle the cases (Staff(pack) if nil):
	// registrars, handlers and heads of departments, a manager.
	Staff []auth.User
	// Scenarios are cases made to order (see Scenario).
	Scenarios []Scenario
	// Batch is how many cases one transaction writes (5000 if 0).
	Batch int
	// Workers build cases in parallel (GOMAXPROCS if 0).
	Workers int
	// Writers write transactions at once (what the database is worth if
	// 0: one on SQLite, two on PostgreSQL).
	Writers int
	// Progress receives a progress bar, when it is a terminal, and a final
	// line with the time taken; nil for neither.
	Progress io.Writer
}

// Result says what was generated.
type Result struct {
	Cases, Events int
	Statuses      map[cases.Status]int
	Elapsed       time.Duration
}

// chunk is a run of consecutive cases, the unit of work of the builders.
type chunk struct {
	k      int
	slots  []slot
	ranges []store.SerialRange
	// built:
	cases    []store.BulkCase
	events   int
	statuses map[cases.Status]int
	err      error
}

const chunkSize = 250

// Generate adds opt.Cases cases of pack to st. The staff accounts the
// cases are handled by (Staff) should exist; Run creates them.
func Generate(ctx context.Context, st *store.Store, pack *policy.Pack, opt Options) (_ *Result, err error) {
	p, days, skel, limit, err := opt.period(pack)
	if err != nil {
		return nil, err
	}
	if opt.Batch <= 0 {
		opt.Batch = 5000
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}

	bulk, err := st.BeginBulk(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := bulk.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	// Numbers continue after the counters (read once the bulk load holds
	// SQLite's writer; on PostgreSQL, Commit checks nobody moved them).
	counters, err := st.Counters(ctx)
	if err != nil {
		return nil, err
	}

	writers := opt.Writers
	if writers <= 0 {
		writers = bulk.Writers()
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan *chunk, 2*opt.Workers)
	// Builders run a batch ahead, so that they build the next one while the
	// writers write.
	results := make(chan *chunk, writers*opt.Batch/chunkSize+2*opt.Workers)

	// Slots: registration times in order, kinds and numbers.
	go func() {
		defer close(jobs)
		cur := &chunk{}
		index := map[string]int{}
		send := func() bool {
			select {
			case jobs <- cur:
			case <-ctx.Done():
				return false
			}
			cur, index = &chunk{k: cur.k + 1}, map[string]int{}
			return true
		}
		for s, serial := range p.slots(opt.Seed, days, skel, counters) {
			if k, ok := index[serial.Series]; ok {
				cur.ranges[k].To = serial.To
			} else {
				index[serial.Series] = len(cur.ranges)
				cur.ranges = append(cur.ranges, serial)
			}
			cur.slots = append(cur.slots, s)
			if len(cur.slots) == chunkSize && !send() {
				return
			}
		}
		if len(cur.slots) > 0 {
			send()
		}
	}()

	// Builders.
	var wg sync.WaitGroup
	for range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var src rand.PCG
			r := rand.New(&src)
			for ch := range jobs {
				ch.statuses = map[cases.Status]int{}
				ch.cases = make([]store.BulkCase, 0, len(ch.slots))
				for _, s := range ch.slots {
					src.Seed(opt.Seed, uint64(s.i))
					c, events, err := p.build(r, s, limit)
					if err == nil {
						var bc store.BulkCase
						if bc, err = store.PrepareBulk(c, events); err == nil {
							ch.cases = append(ch.cases, bc)
							ch.events += len(events)
							ch.statuses[c.Status]++
						}
					}
					if err != nil {
						ch.err = err
						break
					}
				}
				ch.slots = nil
				select {
				case results <- ch:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	// The writers: opt.Batch cases to a transaction. With several writers
	// (PostgreSQL) the transactions insert at once but commit in order, so
	// that the counters always cover exactly the committed cases.
	res := &Result{Statuses: map[cases.Status]int{}}
	prog := newProgress(opt.Progress, opt.Cases)
	type job struct {
		batch  []store.BulkCase
		ranges []store.SerialRange
		events int
		prev   *job
		done   chan struct{} // closed when the job is committed or failed
		ok     bool
	}
	var mu sync.Mutex
	var werr error
	failed := func(err error) bool {
		mu.Lock()
		if werr == nil {
			werr = err
		}
		mu.Unlock()
		cancel()
		return false
	}
	write := func(j *job) bool {
		tx, err := bulk.Begin(ctx)
		if err != nil {
			return failed(err)
		}
		if err := tx.Insert(ctx, j.batch); err != nil {
			tx.Rollback()
			return failed(err)
		}
		if prev := j.prev; prev != nil {
			j.prev = nil // or every job would keep the ones before it
			select {
			case <-prev.done:
			case <-ctx.Done():
			}
			if ctx.Err() != nil || !prev.ok {
				tx.Rollback()
				return false
			}
		}
		if err := tx.Commit(ctx, j.ranges); err != nil {
			return failed(err)
		}
		mu.Lock()
		res.Cases += len(j.batch)
		res.Events += j.events
		prog.set(res.Cases)
		mu.Unlock()
		return true
	}
	batches := make(chan *job)
	var wwg sync.WaitGroup
	for range writers {
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			for j := range batches {
				j.ok = write(j)
				j.batch = nil
				close(j.done)
			}
		}()
	}

	// Chunks in order into batches.
	pending := map[int]*chunk{}
	next := 0
	cur := &job{}
	index := map[string]int{}
	var last *job
	dispatch := func() bool {
		if len(cur.batch) == 0 {
			return true
		}
		cur.prev, cur.done, last = last, make(chan struct{}), cur
		select {
		case batches <- cur:
		case <-ctx.Done():
			return false
		}
		cur, index = &job{batch: make([]store.BulkCase, 0, opt.Batch+chunkSize)}, map[string]int{}
		return true
	}
	err = func() error {
		defer func() {
			close(batches)
			wwg.Wait()
		}()
		for ch := range results {
			if ch.err != nil {
				return ch.err
			}
			pending[ch.k] = ch
			for {
				ch, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				next++
				cur.batch = append(cur.batch, ch.cases...)
				cur.events += ch.events
				for s, n := range ch.statuses {
					res.Statuses[s] += n
				}
				for _, r := range ch.ranges {
					if k, ok := index[r.Series]; ok {
						cur.ranges[k].To = r.To
					} else {
						index[r.Series] = len(cur.ranges)
						cur.ranges = append(cur.ranges, r)
					}
				}
				if len(cur.batch) >= opt.Batch && !dispatch() {
					return ctx.Err()
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		dispatch()
		return nil
	}()
	if err == nil {
		err = werr
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		cancel()
		for range results {
		}
		prog.finish(res.Cases, res.Events)
		if werr != nil {
			err = werr
		}
		return nil, err
	}
	res.Elapsed = prog.finish(res.Cases, res.Events)
	if res.Cases != opt.Cases {
		return res, fmt.Errorf("gen: generated %d cases of %d", res.Cases, opt.Cases)
	}
	return res, nil
}

// period sets out what a generation's cases share: their planner, the days
// of the period with their random source of registration times, and the
// limit the steps must happen before.
func (opt *Options) period(pack *policy.Pack) (p *planner, days []day, skel *rand.Rand, limit time.Time, err error) {
	if opt.Cases <= 0 {
		return nil, nil, nil, limit, errors.New("gen: the number of cases must be positive")
	}
	if len(pack.Kinds) == 0 || len(pack.Channels) == 0 || len(pack.Departments) == 0 {
		return nil, nil, nil, limit, fmt.Errorf("gen: pack %s has no kinds, channels or departments", pack.ID)
	}
	months := opt.Months
	if months <= 0 {
		months = 24
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC().Truncate(cases.Precision)
	// Registrations end two minutes ago; later steps may follow until a
	// minute ago.
	start, end := now.AddDate(0, -months, 0), now.Add(-2*time.Minute)
	limit = now.Add(-time.Minute)
	skel = rand.New(rand.NewPCG(opt.Seed, 0x5ce1e70))
	days = planDays(start, end, opt.Cases, skel)
	return newPlanner(pack, *opt, len(days)), days, skel, limit, nil
}

// slots yields the slots of the cases registered on days, in time order,
// numbered after counters (which it moves), each with the serial range of
// its number.
func (p *planner) slots(seed uint64, days []day, skel *rand.Rand, counters map[string]int64) iter.Seq2[slot, store.SerialRange] {
	return func(yield func(slot, store.SerialRange) bool) {
		var ks rand.PCG
		kr := rand.New(&ks)
		i := 0
		for _, d := range days {
			for _, t := range d.times(skel) {
				ks.Seed(seed^0x6b696e64, uint64(i))
				kind := p.kindOf(i, kr)
				series := p.pack.Series(kind, t)
				serial := counters[series] + 1
				counters[series] = serial
				s := slot{i: i, reg: t, kind: kind, number: p.pack.FormatNumber(kind, t, serial)}
				if !yield(s, store.SerialRange{Series: series, From: serial - 1, To: serial}) {
					return
				}
				i++
			}
		}
	}
}

// Run opens the store and pack of cfg, makes sure the administrator and
// the staff accounts exist (with cfg.AdminPassword, or a generated password
// it prints), and generates cases, printing a summary to out.
func Run(ctx context.Context, cfg server.Config, opt Options, out io.Writer) (err error) {
	st, pack, err := server.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(); err == nil {
			err = cerr
		}
	}()
	generated, err := server.EnsureAdmin(ctx, st, cfg.AdminPassword)
	if err != nil {
		return err
	}
	password, shown := cfg.AdminPassword, "$OMBUD_ADMIN_PASSWORD"
	if password == "" {
		password = generated
		if password == "" {
			password = auth.RandomPassword()
		}
		shown = password
	}
	if generated != "" {
		fmt.Fprintf(out, "created user admin, password %s\n", generated)
	}
	n, err := CreateStaff(ctx, st, pack, password)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(out, "created %d staff accounts (clerk, clerk2, clerk3, handler-<dept>, handler2-<dept>, head-<dept>, vp, auditor), password %s\n", n, shown)
	}
	if opt.IdentityKey == nil {
		w := opt.Progress
		if w == nil {
			w = io.Discard
		}
		if opt.IdentityKey, err = server.IdentityKey(ctx, cfg, st, slog.New(slog.NewTextHandler(w, nil))); err != nil {
			return err
		}
	}
	res, err := Generate(ctx, st, pack, opt)
	if err != nil {
		return err
	}
	var parts []string
	for _, s := range cases.Statuses {
		if res.Statuses[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", s, thousands(res.Statuses[s])))
		}
	}
	fmt.Fprintf(out, "%s cases of pack %s (%s): %s\n", thousands(res.Cases), pack.ID, DomainFor(pack).Name, strings.Join(parts, ", "))
	return nil
}
