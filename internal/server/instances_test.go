package server_test

import (
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
)

// TestTwoInstances runs two Ombud servers on one database, each with its
// own connection pool, logs in on one and registers through both at once:
// a session works on both, and the numbers are contiguous with no
// duplicates.
func TestTwoInstances(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		a := &client{t: t, base: start(t, st, dsn)}
		b := &client{t: t, base: startAgain(t, dsn)}
		r := a.must(200, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": "admin-pass-1"})
		a.token = r.Body["token"].(string)
		b.token = a.token // the session lives in the database
		b.must(200, "GET", "/api/v1/me", nil)

		const perInstance = 30
		var mu sync.Mutex
		var numbers []string
		var wg sync.WaitGroup
		for i := 0; i < 2*perInstance; i++ {
			c := a
			if i%2 == 1 {
				c = b
			}
			wg.Add(1)
			go func(c *client, i int) {
				defer wg.Done()
				body := registration()
				body["subject"] = fmt.Sprintf("两个实例同时登记 %d", i)
				resp := c.do("POST", "/api/v1/cases", body)
				if resp.Status != 201 {
					t.Errorf("registration %d: %d %s", i, resp.Status, resp.Raw)
					return
				}
				mu.Lock()
				numbers = append(numbers, resp.Body["number"].(string))
				mu.Unlock()
			}(c, i)
		}
		wg.Wait()
		sort.Strings(numbers)
		if len(numbers) != 2*perInstance {
			t.Fatalf("%d registrations succeeded", len(numbers))
		}
		prefix := numbers[0][:len(numbers[0])-4]
		for i, n := range numbers {
			if want := fmt.Sprintf("%s%04d", prefix, i+1); n != want {
				t.Fatalf("number %d = %s, want %s", i, n, want)
			}
		}
	})
}
