package api

import (
	"net/http/httptest"
	"testing"
)

func TestClientIP(t *testing.T) {
	if err := SetTrustedProxies("10.0.0.0/8, 127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	defer SetTrustedProxies("")
	tests := []struct {
		remote, xff, want string
	}{
		{"203.0.113.7:5000", "", "203.0.113.7"},
		{"203.0.113.7:5000", "198.51.100.1", "203.0.113.7"}, // not a proxy: its header is ignored
		{"10.1.2.3:5000", "198.51.100.1", "198.51.100.1"},
		{"10.1.2.3:5000", "1.1.1.1, 198.51.100.1, 10.9.9.9", "198.51.100.1"}, // the client cannot choose
		{"127.0.0.1:5000", "", "127.0.0.1"},
		{"[::ffff:10.1.2.3]:5000", "198.51.100.2", "198.51.100.2"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := ClientIP(r); got != tt.want {
			t.Errorf("%s via %q: %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
	if err := SetTrustedProxies("not-an-address"); err == nil {
		t.Error("a bad address was accepted")
	}
}
