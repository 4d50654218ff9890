package api

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter rate-limits requests per client address (a token bucket each).
// It is per process: behind a load balancer each instance limits on its own,
// which bounds a client to instances × rate.
type Limiter struct {
	mu      sync.Mutex
	r       rate.Limit
	burst   int
	clients map[string]*client
	last    time.Time
}

type client struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewLimiter allows perSecond requests a second per client, in bursts of burst.
func NewLimiter(perSecond float64, burst int) *Limiter {
	return &Limiter{r: rate.Limit(perSecond), burst: burst, clients: map[string]*client{}}
}

// Allow reports whether a request from key may go ahead now.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Sub(l.last) > time.Minute {
		// A client is forgotten once its bucket would be full again, not
		// sooner: forgetting it earlier would give back a slow limit's
		// tokens (10 an hour) before their time.
		idle := 10 * time.Minute
		if l.r > 0 {
			idle = max(idle, time.Duration(float64(l.burst)/float64(l.r)*float64(time.Second)))
		}
		for k, c := range l.clients {
			if now.Sub(c.seen) > idle {
				delete(l.clients, k)
			}
		}
		l.last = now
	}
	c, ok := l.clients[key]
	if !ok {
		c = &client{lim: rate.NewLimiter(l.r, l.burst)}
		l.clients[key] = c
	}
	c.seen = now
	return c.lim.Allow()
}

// trustedProxies are the reverse proxies whose X-Forwarded-For header is
// believed; set once at start (SetTrustedProxies).
var trustedProxies []netip.Prefix

// SetTrustedProxies sets the reverse proxies (load balancers) in front of
// Ombud, e.g. "10.0.0.0/8,127.0.0.1/32": a request from one of them comes
// from the address it forwarded for. Without them every client behind a
// proxy would share the proxy's rate limit.
func SetTrustedProxies(list string) error {
	var out []netip.Prefix
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return fmt.Errorf("trusted proxy %q: %w", s, err)
			}
			s += "/" + strconv.Itoa(a.BitLen())
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return fmt.Errorf("trusted proxy %q: %w", s, err)
		}
		out = append(out, p.Masked())
	}
	trustedProxies = out
	return nil
}

func trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range trustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientIP is the address a request came from: its peer, or, when the
// peer is a trusted proxy, the nearest address in X-Forwarded-For that is
// not one (the header's left part is whatever the client wrote).
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if h == "" {
			continue
		}
		if !trusted(h) {
			return h
		}
	}
	return host
}
