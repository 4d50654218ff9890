package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/store"
)

// SearchQueries is the fixed list of searches, by class. They are words a
// complaint office types; the generator's vocabulary contains them.
var SearchQueries = []struct {
	Class   string
	Queries []string
}{
	{"1 char", []string{"退", "护", "费", "药"}},
	{"2 chars", []string{"退款", "态度", "护士", "收费", "医保", "排队"}},
	{"3 chars", []string{"不耐烦", "停车场", "服务差", "检查费"}},
	{"4 chars", []string{"态度恶劣", "多收费用", "排队时间", "媒体曝光"}},
	{"multi-term", []string{"退款 护士", "态度 收费", "医保 结算", "护士 态度 差"}},
	{"phone prefix", []string{"138", "1391"}},
}

// SearchResult is the latency of one class of searches.
type SearchResult struct {
	Class   string
	Latency Latencies
	// Hits is the mean number of matching cases.
	Hits int
}

// Search runs every query of SearchQueries rounds times (first page of 50,
// with the total count, as the case list does) and returns latencies by
// class, plus all of them together.
func Search(ctx context.Context, st *store.Store, rounds int) ([]SearchResult, error) {
	var out []SearchResult
	var all []time.Duration
	for _, class := range SearchQueries {
		var lat []time.Duration
		hits := 0
		for r := 0; r < rounds; r++ {
			for _, q := range class.Queries {
				start := time.Now()
				_, total, err := st.ListCases(ctx, store.Filter{Q: q, Limit: 50, Now: time.Now()})
				if err != nil {
					return nil, fmt.Errorf("search %q: %w", q, err)
				}
				lat = append(lat, time.Since(start))
				hits += total
			}
		}
		all = append(all, lat...)
		out = append(out, SearchResult{Class: class.Class, Latency: Summarize(lat), Hits: hits / len(lat)})
	}
	out = append(out, SearchResult{Class: "all", Latency: Summarize(all)})
	return out, nil
}

// Timed runs fn n times and returns its latencies.
func Timed(n int, fn func() error) (Latencies, error) {
	var lat []time.Duration
	for i := 0; i < n; i++ {
		start := time.Now()
		if err := fn(); err != nil {
			return Latencies{}, err
		}
		lat = append(lat, time.Since(start))
	}
	return Summarize(lat), nil
}

// Sweep times the overdue sweep: counting the overdue cases and reading the
// first page of them, as supervision does.
func Sweep(ctx context.Context, st *store.Store, n int) (Latencies, int, error) {
	var count int
	l, err := Timed(n, func() error {
		var err error
		if count, err = st.CountOverdue(ctx, time.Now()); err != nil {
			return err
		}
		_, _, err = st.ListCases(ctx, store.Filter{Overdue: true, Now: time.Now(), Limit: 100})
		return err
	})
	return l, count, err
}

// Paging times reading the case list deep down: page p of 50 of all
// cases, and of the closed cases.
func Paging(ctx context.Context, st *store.Store, page, n int) (all, closed Latencies, err error) {
	off := (page - 1) * 50
	if all, err = Timed(n, func() error {
		_, _, err := st.ListCases(ctx, store.Filter{Limit: 50, Offset: off, Now: time.Now()})
		return err
	}); err != nil {
		return
	}
	closed, err = Timed(n, func() error {
		_, _, err := st.ListCases(ctx, store.Filter{Status: []cases.Status{cases.Closed}, Limit: 50, Offset: off, Now: time.Now()})
		return err
	})
	return
}

// ColdStart starts `ombud serve` (the running executable, or exe) on args
// and a free loopback port, and returns how long it took until /healthz
// answered 200. It then logs in, runs every search of SearchQueries and
// lists cases through the API, and returns the server's peak resident
// memory. The server is stopped afterwards.
func ColdStart(exe string, args []string, username string) (time.Duration, int64, error) {
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return 0, 0, err
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(exe, append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	cmd.Env = append(os.Environ(), "OMBUD_ADMIN_PASSWORD="+adminPassword)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	client := &http.Client{Timeout: time.Second}
	var startup time.Duration
	for time.Since(start) < 30*time.Second && startup == 0 {
		resp, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				startup = time.Since(start)
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	if startup == 0 {
		return 0, 0, fmt.Errorf("ombud serve did not answer /healthz within 30 s (%s)", strings.Join(cmd.Args, " "))
	}
	s := &Server{Base: "http://" + addr, client: &http.Client{Timeout: 60 * time.Second}}
	var login struct{ Token string }
	if err := s.call("POST", "/api/v1/login", map[string]string{"username": username, "password": adminPassword}, &login); err != nil {
		return startup, 0, err
	}
	s.Token = login.Token
	for _, class := range SearchQueries {
		for _, q := range class.Queries {
			if err := s.call("GET", "/api/v1/cases?q="+url.QueryEscape(q), nil, nil); err != nil {
				return startup, 0, err
			}
		}
	}
	for _, page := range []string{"1", "100", "2000"} {
		if err := s.call("GET", "/api/v1/cases?page="+page, nil, nil); err != nil {
			return startup, 0, err
		}
	}
	return startup, peakRSS(cmd.Process.Pid), nil
}

// peakRSS returns the peak resident memory of process pid in bytes (Linux).
func peakRSS(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		var kb int64
		if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &kb); err == nil {
			return kb * 1024
		}
	}
	return 0
}
