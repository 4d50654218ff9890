// Package metrics exposes Ombud's operational figures at /metrics in the
// Prometheus text format: HTTP requests and latencies per route, cases per
// status, the number of overdue cases and the outbox's waiting and failed
// messages (read from the database at each scrape, so every instance
// reports the same totals).
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ombud/ombud/internal/store"
)

// Metrics holds the registry and the request instruments.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// New registers the process, Go runtime, HTTP and case metrics of st.
func New(st *store.Store, log *slog.Logger) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ombud_http_requests_total", Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ombud_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.latency, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), &caseCollector{st: st, log: log},
		&outboxCollector{st: st, log: log})
	return m
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(c int) { w.code = c; w.ResponseWriter.WriteHeader(c) }

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Instrument counts and times requests. It must wrap the ServeMux, whose
// matched pattern (r.Pattern) labels the route, so that case numbers never
// become label values.
func (m *Metrics) Instrument(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.code)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

var (
	casesDesc   = prometheus.NewDesc("ombud_cases", "Cases by status.", []string{"status"}, nil)
	overdueDesc = prometheus.NewDesc("ombud_cases_overdue", "Cases with a running time limit past its due time.", nil, nil)
	lagDesc     = prometheus.NewDesc("ombud_supervision_lag_seconds", "How long the oldest due reminder or escalation has waited for the supervisor (0 when none waits).", nil, nil)
	scrapeDesc  = prometheus.NewDesc("ombud_cases_scrape_error", "1 if reading case counts from the database failed.", nil, nil)
)

type caseCollector struct {
	st  *store.Store
	log *slog.Logger
}

func (c *caseCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- casesDesc
	ch <- overdueDesc
	ch <- lagDesc
	ch <- scrapeDesc
}

func (c *caseCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	failed := 0.0
	counts, err := c.st.CountByStatus(ctx)
	if err == nil {
		for status, n := range counts {
			ch <- prometheus.MustNewConstMetric(casesDesc, prometheus.GaugeValue, float64(n), string(status))
		}
		var overdue int
		now := time.Now()
		overdue, err = c.st.CountOverdue(ctx, now)
		if err == nil {
			ch <- prometheus.MustNewConstMetric(overdueDesc, prometheus.GaugeValue, float64(overdue))
			var oldest *time.Time
			if oldest, err = c.st.OldestAlarm(ctx, now); err == nil {
				lag := 0.0
				if oldest != nil {
					lag = now.Sub(*oldest).Seconds()
				}
				ch <- prometheus.MustNewConstMetric(lagDesc, prometheus.GaugeValue, lag)
			}
		}
	}
	if err != nil {
		c.log.Error("metrics: case counts", "err", err)
		failed = 1
	}
	ch <- prometheus.MustNewConstMetric(scrapeDesc, prometheus.GaugeValue, failed)
}

var (
	outboxPendingDesc = prometheus.NewDesc("ombud_outbox_pending", "Outbound messages (email, SMS) waiting for delivery, being sent included.", nil, nil)
	outboxFailedDesc  = prometheus.NewDesc("ombud_outbox_failed", "Outbound messages given up on (see GET /api/v1/outbox for their errors).", nil, nil)
)

// outboxCollector reports the outbox; on a database error it reports
// nothing (the case counts' scrape error shows the database's trouble).
type outboxCollector struct {
	st  *store.Store
	log *slog.Logger
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxPendingDesc
	ch <- outboxFailedDesc
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	waiting, failed, err := c.st.OutboxCounts(ctx)
	if err != nil {
		c.log.Error("metrics: outbox counts", "err", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxPendingDesc, prometheus.GaugeValue, float64(waiting))
	ch <- prometheus.MustNewConstMetric(outboxFailedDesc, prometheus.GaugeValue, float64(failed))
}
