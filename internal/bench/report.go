package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/server"
)

// Options say what `ombud bench` measures and on which data.
type Options struct {
	// Config names the data to read (search, sweep, paging, memory, cold
	// start): typically one loaded with `ombud gen`.
	Config server.Config
	// Only limits the run to these parts: register, search, sweep, paging,
	// coldstart (all when empty).
	Only     []string
	Duration time.Duration // of each registration load
	Rounds   int           // of each search query
}

func (o Options) want(part string) bool { return len(o.Only) == 0 || slices.Contains(o.Only, part) }

// Run measures and writes a report in Markdown to out.
func Run(ctx context.Context, o Options, out io.Writer) error {
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	if o.Rounds <= 0 {
		o.Rounds = 20
	}
	host, _ := os.Hostname()
	fmt.Fprintf(out, "# ombud bench — %s, %s/%s, %d CPUs, %s\n\n", time.Now().Format(time.RFC3339), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), host)

	if o.want("register") {
		// Registration runs on a fresh store of the same kind: an empty
		// temporary SQLite directory, or the PostgreSQL database given.
		cfg := o.Config
		if cfg.DB == "" {
			dir, err := os.MkdirTemp("", "ombud-bench-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			cfg.DataDir = dir
		}
		s, err := Start(ctx, cfg, 64)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "## Registration through the HTTP API (durable: acknowledged after commit)\n\n")
		for _, c := range []int{1, 16, 64} {
			fmt.Fprintf(out, "- %s\n", Register(s, c, 0, o.Duration, 1_000_000))
		}
		fmt.Fprintf(out, "- %s\n\n", Register(s, 0, 200, o.Duration, 1_000_000))
		s.Stop()
	}

	st, pack, err := server.Open(ctx, o.Config)
	if err != nil {
		return err
	}
	defer st.Close()
	counts, err := st.CountByStatus(ctx)
	if err != nil {
		return err
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	fmt.Fprintf(out, "## On %d cases (%s, pack %s)\n\n", total, st.Dialect(), pack.ID)

	if o.want("search") {
		res, err := Search(ctx, st, o.Rounds)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Search (first page of 50 with the total count), %d rounds:\n\n| class | p50 | p95 | p99 | mean hits |\n|---|---|---|---|---|\n", o.Rounds)
		for _, r := range res {
			fmt.Fprintf(out, "| %s | %s | %s | %s | %d |\n", r.Class, ms(r.Latency.P50), ms(r.Latency.P95), ms(r.Latency.P99), r.Hits)
		}
		fmt.Fprintln(out)
	}
	if o.want("sweep") {
		l, n, err := Sweep(ctx, st, o.Rounds)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "- Overdue sweep (count + first 100): %s; %d overdue\n", l, n)
	}
	if o.want("paging") {
		for _, page := range []int{1, 100, 2000} {
			all, closed, err := Paging(ctx, st, page, o.Rounds)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "- Case list page %d of 50: all cases %s; closed cases %s\n", page, all, closed)
		}
	}
	if o.want("coldstart") {
		args := []string{"--pack", o.Config.Pack}
		if o.Config.DB != "" {
			args = append(args, "--db", o.Config.DB)
		} else {
			args = append(args, "--data", o.Config.DataDir)
		}
		// Searches through the API as an auditor account of its own (the
		// data's admin password is not known here).
		username := "bench-" + strconv.FormatInt(time.Now().UnixNano(), 36)
		hash, err := auth.HashPassword(adminPassword)
		if err != nil {
			return err
		}
		if err := st.CreateUser(ctx, &auth.User{Username: username, DisplayName: "ombud bench", Role: auth.Auditor, Active: true}, hash); err != nil {
			return err
		}
		st.Close()
		d, rss, err := ColdStart("", args, username)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "- Cold start (exec of `ombud serve` to the first 200 from /healthz): %s\n", ms(d))
		fmt.Fprintf(out, "- Peak resident memory of that server after every search and deep page through the API: %d MB\n", rss>>20)
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
