// Package bench measures Ombud on this machine: registration throughput and
// latency through the HTTP API, search latency, the overdue sweep, deep
// paging, memory and cold start. Every load goes to a server on loopback,
// is bounded in time and count, and stops by itself.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ombud/ombud/internal/server"
)

// Latencies summarizes a set of timings.
type Latencies struct {
	N             int
	P50, P95, P99 time.Duration
	Max           time.Duration
}

// Summarize sorts ds and returns its percentiles.
func Summarize(ds []time.Duration) Latencies {
	if len(ds) == 0 {
		return Latencies{}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	at := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
	return Latencies{N: len(ds), P50: at(.50), P95: at(.95), P99: at(.99), Max: ds[len(ds)-1]}
}

func (l Latencies) String() string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
	return fmt.Sprintf("n=%d p50=%s p95=%s p99=%s max=%s", l.N, ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max))
}

// Server is an Ombud server started for a benchmark.
type Server struct {
	Base   string
	Token  string
	client *http.Client
	stop   func() error
}

const adminPassword = "bench-admin-password"

// Start runs Ombud on a loopback port with cfg (Addr and AdminPassword are
// set here) and logs in as admin.
func Start(ctx context.Context, cfg server.Config, conns int) (*Server, error) {
	cfg.Addr, cfg.AdminPassword = "127.0.0.1:0", adminPassword
	ctx, cancel := context.WithCancel(ctx)
	ready, done := make(chan string, 1), make(chan error, 1)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	go func() { done <- server.Run(ctx, cfg, io.Discard, quiet, ready) }()
	s := &Server{client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns}}}
	select {
	case addr := <-ready:
		s.Base = "http://" + addr
	case err := <-done:
		cancel()
		return nil, err
	}
	s.stop = func() error { cancel(); return <-done }
	var out struct{ Token string }
	if err := s.call("POST", "/api/v1/login", map[string]string{"username": "admin", "password": adminPassword}, &out); err != nil {
		s.Stop()
		return nil, err
	}
	s.Token = out.Token
	return s, nil
}

// Stop shuts the server down.
func (s *Server) Stop() error { return s.stop() }

func (s *Server) call(method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.Base+path, r)
	req.Header.Set("Content-Type", "application/json")
	if s.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, strings.TrimSpace(string(data)))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

var subjects = []string{"护士态度生硬", "门诊收费多收检查费", "停车场收费过高", "预约挂号系统无法登录",
	"病房卫生间漏水", "医保结算失败", "取药排队时间过长", "医生未解释检查结果"}

func registration(i int) map[string]any {
	return map[string]any{
		"kind": "complaint", "channel": "phone",
		"complainant": map[string]any{"name": "测试用户", "phone": fmt.Sprintf("138%08d", i%100000000)},
		"subject":     subjects[i%len(subjects)],
		"content":     fmt.Sprintf("第%d号压测案件：%s，要求尽快处理并答复。", i, subjects[i%len(subjects)]),
		"demands":     []string{"explanation"},
	}
}

// RegisterResult is the outcome of a registration load.
type RegisterResult struct {
	Clients  int
	Rate     float64 // offered rate, 0 for closed loop
	Duration time.Duration
	OK       int
	Errors   int
	PerSec   float64
	Latency  Latencies
}

func (r RegisterResult) String() string {
	mode := fmt.Sprintf("%d clients, closed loop", r.Clients)
	if r.Rate > 0 {
		mode = fmt.Sprintf("open loop at %.0f/s", r.Rate)
	}
	return fmt.Sprintf("register (%s, %s): %d ok, %d errors, %.0f cases/s, %s",
		mode, r.Duration.Round(time.Millisecond), r.OK, r.Errors, r.PerSec, r.Latency)
}

// Register posts registrations for d: with rate 0, clients each send one
// after another as fast as the server acknowledges (throughput); with a
// rate, requests start at that rate whatever the responses (latency under
// a given load). At most maxN requests are sent.
func Register(s *Server, clients int, rate float64, d time.Duration, maxN int) RegisterResult {
	var mu sync.Mutex
	var lat []time.Duration
	var ok, failed, seq atomic.Int64
	one := func() {
		i := int(seq.Add(1))
		start := time.Now()
		err := s.call("POST", "/api/v1/cases", registration(i), nil)
		el := time.Since(start)
		if err != nil {
			failed.Add(1)
			return
		}
		ok.Add(1)
		mu.Lock()
		lat = append(lat, el)
		mu.Unlock()
	}
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	if rate > 0 {
		interval := time.Duration(float64(time.Second) / rate)
		for n := 0; n < maxN && time.Now().Before(deadline); n++ {
			wg.Add(1)
			go func() { defer wg.Done(); one() }()
			time.Sleep(time.Until(start.Add(time.Duration(n+1) * interval)))
		}
	} else {
		for c := 0; c < clients; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().Before(deadline) && seq.Load() < int64(maxN) {
					one()
				}
			}()
		}
	}
	wg.Wait()
	el := time.Since(start)
	return RegisterResult{Clients: clients, Rate: rate, Duration: el, OK: int(ok.Load()), Errors: int(failed.Load()),
		PerSec: float64(ok.Load()) / el.Seconds(), Latency: Summarize(lat)}
}

// RSS returns the peak resident memory of this process in bytes (Linux).
func RSS() (peak, now int64) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		var kb int64
		if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &kb); err == nil {
			peak = kb * 1024
		}
		if _, err := fmt.Sscanf(line, "VmRSS: %d kB", &kb); err == nil {
			now = kb * 1024
		}
	}
	return peak, now
}
