// Package supervise runs supervision (督办, R18) in the background: on an
// interval it sends the reminders that fell due and escalates missed time
// limits. Several Ombud processes may run it against one database: a lease
// row lets one of them work at a time, and each case's event sequence
// guard makes every reminder happen exactly once even if two overlap.
package supervise

import (
	"context"
	"log/slog"
	"time"

	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

// LeaseName is the lease the scheduler holds while it works.
const LeaseName = "supervise"

// Scheduler sends reminders and escalations.
type Scheduler struct {
	Store *store.Store
	// Services are the workflow services by pack id.
	Services map[string]*workflow.Service
	// Holder names this process in the lease (host and pid, say); Lease
	// is the lease's name (LeaseName).
	Holder, Lease string
	// Interval is how often it looks; LeaseTTL how long a lease lasts
	// without renewal (longer than Interval).
	Interval, LeaseTTL time.Duration
	// Batch is how many cases one pass reads at a time.
	Batch int
	Log   *slog.Logger
	Now   func() time.Time
}

// New returns a scheduler with defaults: every 30 s, a 2-minute lease.
func New(st *store.Store, services map[string]*workflow.Service, holder string, log *slog.Logger) *Scheduler {
	return &Scheduler{Store: st, Services: services, Holder: holder, Lease: LeaseName, Interval: 30 * time.Second,
		LeaseTTL: 2 * time.Minute, Batch: 200, Log: log, Now: time.Now}
}

// Run works every Interval until ctx ends, then gives up its lease.
func (s *Scheduler) Run(ctx context.Context) {
	t := time.NewTicker(s.Interval)
	defer t.Stop()
	for {
		if _, err := s.Pass(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("supervision pass failed", "err", err)
		}
		select {
		case <-ctx.Done():
			rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			s.Store.ReleaseLease(rctx, s.Lease, s.Holder)
			cancel()
			return
		case <-t.C:
		}
	}
}

// Pass does one round if this process holds (or takes) the lease: every
// case whose alarm time has come is supervised. It returns how many
// events it wrote.
func (s *Scheduler) Pass(ctx context.Context) (int, error) {
	ok, err := s.Store.AcquireLease(ctx, s.Lease, s.Holder, s.Now(), s.LeaseTTL)
	if err != nil || !ok {
		return 0, err
	}
	wrote := 0
	skip := map[string]bool{}
	for {
		refs, err := s.Store.Alarms(ctx, s.Now(), s.Batch+len(skip))
		if err != nil {
			return wrote, err
		}
		progress := false
		for _, ref := range refs {
			if skip[ref.Number] {
				continue
			}
			svc := s.Services[ref.Pack]
			if svc == nil {
				s.Log.Warn("supervision: case of a pack this process does not run", "case", ref.Number, "pack", ref.Pack)
				skip[ref.Number] = true
				continue
			}
			did, err := svc.Supervise(ctx, ref.Number)
			if err != nil {
				return wrote, err
			}
			if did {
				wrote++
				progress = true
			} else {
				// Its alarm time is stale (nothing due after all): leave it.
				skip[ref.Number] = true
			}
		}
		if !progress || len(refs) < s.Batch {
			return wrote, nil
		}
		// Renew the lease between batches of a long pass.
		if ok, err := s.Store.AcquireLease(ctx, s.Lease, s.Holder, s.Now(), s.LeaseTTL); err != nil || !ok {
			return wrote, err
		}
	}
}
