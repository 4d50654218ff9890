// Command ombud is the complaint and whistleblowing case-management server.
// It only parses flags; the work is done in internal/.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // Asia/Shanghai on machines without a zoneinfo database

	"github.com/ombud/ombud/internal/audit"
	"github.com/ombud/ombud/internal/bench"
	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/demo"
	"github.com/ombud/ombud/internal/gen"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/server"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `ombud — complaint and whistleblowing case management (投诉举报管理)

Usage:
  ombud serve  [--addr 127.0.0.1:8080] [--data DIR | --db postgres://...] [--pack NAME|FILE]
               [--smtp smtp://...] [--sms-url https://...] [--log-messages]
  ombud demo   [--addr 127.0.0.1:8080] [--data DIR] [--cases 200]
  ombud verify [--data DIR | --db postgres://...] [--pack NAME|FILE]
  ombud gen    --cases N [--data DIR | --db postgres://...] [--pack NAME|FILE] [--seed 1] [--months 24]
  ombud bench  [--data DIR | --db postgres://...] [--pack NAME|FILE] [--only register,search,sweep,paging,coldstart]
               [--duration 10s] [--rounds 20]
  ombud calendar due [--pack P] [--urgent] FROM DURATION
                                        (FROM: RFC 3339 or "2006-01-02 15:04" in Asia/Shanghai;
                                         DURATION: 2wd, 5d, 24h, 30m, 4bh — business hours need --pack)
  ombud calendar show [--data DIR] YEAR
  ombud packs list | check FILE | test [ID|FILE]
                                        (test runs the pack's scenarios; exit 1 on any failure)
  ombud version

Environment: OMBUD_DB (PostgreSQL URL), OMBUD_DATA, OMBUD_PACK, OMBUD_ADMIN_PASSWORD,
OMBUD_IDENTITY_KEY (base64 key sealing reporters' identities; default DATA/identity.key).
  OMBUD_SMTP, OMBUD_SMS_URL, OMBUD_SMS_TOKEN (outbound email and SMS, see docs/operations.md).
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stdout, log)
	case "demo":
		err = runDemo(ctx, args[1:], stdout, log)
	case "verify":
		return verify(ctx, args[1:], stdout, stderr)
	case "gen":
		err = generate(ctx, args[1:], stdout, stderr)
	case "bench":
		err = runBench(ctx, args[1:], stdout)
	case "calendar":
		return calendarCmd(args[1:], stdout, stderr)
	case "packs":
		return packsCmd(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "ombud", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "ombud:", err)
		return 1
	}
	return 0
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func storeFlags(fs *flag.FlagSet) *server.Config {
	cfg := &server.Config{}
	fs.StringVar(&cfg.DataDir, "data", env("OMBUD_DATA", "./ombud-data"), "data directory (SQLite database)")
	fs.StringVar(&cfg.DB, "db", env("OMBUD_DB", ""), "PostgreSQL URL; overrides --data")
	fs.StringVar(&cfg.Pack, "pack", env("OMBUD_PACK", "generic"), "policy pack: a built-in name or a YAML file")
	// A secret: read from the environment only, never from a flag that
	// ps would show.
	cfg.IdentityKey = os.Getenv("OMBUD_IDENTITY_KEY")
	return cfg
}

func serve(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg := storeFlags(fs)
	fs.StringVar(&cfg.Addr, "addr", env("OMBUD_ADDR", "127.0.0.1:8080"), "listen address")
	fs.BoolVar(&cfg.NoSupervisor, "no-supervisor", env("OMBUD_NO_SUPERVISOR", "") != "",
		"do not run the supervision scheduler (reminders, escalations) in this instance")
	packs := fs.String("packs", env("OMBUD_PACKS", ""), "further policy packs served beside --pack (comma-separated), e.g. whistleblowing")
	fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", env("OMBUD_TRUSTED_PROXIES", ""),
		"reverse proxies in front of Ombud (addresses or CIDRs, comma-separated) whose X-Forwarded-For is believed")
	fs.StringVar(&cfg.SMTP, "smtp", env("OMBUD_SMTP", ""),
		"mail server for email to the public: smtp://user:pass@host:587?from=noreply@example.org&tls=starttls (prefer OMBUD_SMTP: it holds a password)")
	fs.StringVar(&cfg.SMSURL, "sms-url", env("OMBUD_SMS_URL", ""),
		"SMS gateway: each SMS is POSTed there as JSON {id, to, text, kind, params}; bearer token in OMBUD_SMS_TOKEN")
	fs.BoolVar(&cfg.LogMessages, "log-messages", env("OMBUD_LOG_MESSAGES", "") != "",
		"offer email and SMS even when not configured, and deliver those to the log (trials; never in production)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.AdminPassword = os.Getenv("OMBUD_ADMIN_PASSWORD")
	cfg.SMSToken = os.Getenv("OMBUD_SMS_TOKEN")
	if *packs != "" {
		cfg.Packs = strings.Split(*packs, ",")
	}
	return server.Run(ctx, *cfg, stdout, log, nil)
}

func runDemo(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	addr := fs.String("addr", env("OMBUD_ADDR", "127.0.0.1:8080"), "listen address")
	data := fs.String("data", env("OMBUD_DATA", filepath.Join(os.TempDir(), "ombud-demo")), "data directory; reused if it holds a demo already")
	n := fs.Int("cases", 200, "number of sample cases")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Email and SMS to the public go to the log: the demo works offline.
	cfg := server.Config{Addr: *addr, DataDir: *data, Pack: demo.Pack, AdminPassword: demo.Password, LogMessages: true,
		IdentityKey: os.Getenv("OMBUD_IDENTITY_KEY")}
	if err := demo.Seed(ctx, cfg, *n, stdout); err != nil {
		return err
	}
	return server.Run(ctx, cfg, stdout, log, nil)
}

// generate loads generated cases (ombud gen); progress goes to stderr.
func generate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	cfg := storeFlags(fs)
	var opt gen.Options
	fs.IntVar(&opt.Cases, "cases", 0, "number of cases to generate (required)")
	fs.Uint64Var(&opt.Seed, "seed", 1, "random seed: the same seed gives the same cases")
	fs.IntVar(&opt.Months, "months", 24, "spread the cases over this many months up to now")
	fs.IntVar(&opt.Batch, "batch", 5000, "cases per transaction")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if opt.Cases <= 0 {
		return fmt.Errorf("gen: --cases N is required")
	}
	cfg.AdminPassword = os.Getenv("OMBUD_ADMIN_PASSWORD")
	opt.Progress = stderr
	return gen.Run(ctx, *cfg, opt, stdout)
}

// runBench measures this machine (ombud bench); see docs/performance.md.
func runBench(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	cfg := storeFlags(fs)
	var o bench.Options
	only := fs.String("only", "", "comma-separated parts: register, search, sweep, paging, coldstart (default all)")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "length of each registration load")
	fs.IntVar(&o.Rounds, "rounds", 20, "repetitions of each search and list query")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *only != "" {
		o.Only = strings.Split(*only, ",")
	}
	o.Config = *cfg
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	return bench.Run(ctx, o, stdout)
}

// calendarCmd answers from the holiday calendar — the official one, with
// the years an administrator added under DATA/calendar and, with --pack,
// the organization's business hours and local days: when a limit ends,
// and which days of a year are holidays or make-up workdays.
func calendarCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "due" && args[0] != "show" {
		fmt.Fprint(stderr, usage)
		return 2
	}
	fs := flag.NewFlagSet("calendar "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", env("OMBUD_DATA", "./ombud-data"), "data directory whose calendar/YEAR.txt files add or replace years")
	packName := fs.String("pack", "", "policy pack whose business hours and local days apply")
	urgent := fs.Bool("urgent", false, "an urgent case: business hours count on the natural clock")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	cal, err := calendar.LoadDir(filepath.Join(*data, "calendar"))
	if err != nil {
		fmt.Fprintln(stderr, "ombud calendar:", err)
		return 2
	}
	if *packName != "" {
		pack, err := policy.Load(*packName)
		if err != nil {
			fmt.Fprintln(stderr, "ombud calendar:", err)
			return 2
		}
		cal = pack.CalendarOn(cal)
	}
	rest := fs.Args()
	switch {
	case args[0] == "due" && len(rest) == 2:
		from, err := time.Parse(time.RFC3339, rest[0])
		if err != nil {
			from, err = time.ParseInLocation("2006-01-02 15:04", rest[0], calendar.Shanghai)
		}
		if err != nil {
			fmt.Fprintf(stderr, "ombud calendar due: FROM %q: want RFC 3339 or \"2006-01-02 15:04\"\n", rest[0])
			return 2
		}
		d, err := calendar.ParseDuration(rest[1])
		if err != nil {
			fmt.Fprintln(stderr, "ombud calendar due:", err)
			return 2
		}
		due, err := cal.Deadline(from, d, *urgent)
		if err != nil && !errors.Is(err, calendar.ErrYearMissing) {
			fmt.Fprintln(stderr, "ombud calendar due:", err)
			if errors.Is(err, calendar.ErrNoHours) {
				fmt.Fprintln(stderr, "(business hours come from a pack: --pack ID, whose calendar.hours is set)")
			}
			return 2
		}
		fmt.Fprintln(stdout, due.In(calendar.Shanghai).Format(time.RFC3339))
		if err != nil {
			fmt.Fprintln(stderr, "warning:", err, "(Monday to Friday assumed for it)")
			return 1
		}
		return 0
	case args[0] == "show" && len(rest) == 1:
		year, err := strconv.Atoi(rest[0])
		if err != nil {
			fmt.Fprintf(stderr, "ombud calendar show: %q is not a year\n", rest[0])
			return 2
		}
		if !cal.Covers(year) {
			fmt.Fprintf(stderr, "ombud calendar show: no official calendar for %d (known: %v)\n", year, cal.Years())
			return 1
		}
		for _, d := range cal.Year(year) {
			kind := "holiday"
			if d.Working {
				kind = "workday"
			}
			fmt.Fprintf(stdout, "%s %s %s\n", d.Date, kind, d.Name)
		}
		return 0
	}
	fmt.Fprint(stderr, usage)
	return 2
}

func verify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	cfg := storeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if cfg.DB == "" {
		if _, err := os.Stat(filepath.Join(cfg.DataDir, "ombud.db")); err != nil {
			fmt.Fprintf(stderr, "ombud verify: no database in %s\n", cfg.DataDir)
			return 2
		}
	}
	st, pack, err := server.Open(ctx, *cfg)
	if err != nil {
		fmt.Fprintln(stderr, "ombud verify:", err)
		return 2
	}
	defer st.Close()
	rep, err := audit.Verify(ctx, st, func(id string) *policy.Pack {
		if id == pack.ID {
			return pack
		}
		if p, err := policy.Load(id); err == nil {
			return p
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(stderr, "ombud verify:", err)
		return 2
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, "BROKEN:", p)
	}
	fmt.Fprintf(stdout, "checked %d cases, %d events: %d problems\n", rep.Cases, rep.Events, len(rep.Problems))
	if len(rep.Problems) > 0 {
		return 1
	}
	return 0
}
