package i18n

import (
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
)

// TestCatalogsAgree: every key exists in every language, with a non-empty
// text and the same formatting verbs.
func TestCatalogsAgree(t *testing.T) {
	base := Keys(Langs[0])
	sort.Strings(base)
	if len(base) < 10 {
		t.Fatalf("the Chinese catalog has only %d keys", len(base))
	}
	for _, lang := range Langs {
		for _, k := range base {
			s, ok := catalogs[lang][k]
			if !ok || strings.TrimSpace(s) == "" {
				t.Errorf("%s: key %s missing or empty", lang, k)
				continue
			}
			if a, b := strings.Count(catalogs[Langs[0]][k], "%"), strings.Count(s, "%"); a != b {
				t.Errorf("%s: key %s has %d format verbs, zh-CN has %d", lang, k, b, a)
			}
		}
		if n := len(catalogs[lang]); n != len(base) {
			t.Errorf("%s has %d keys, zh-CN %d", lang, n, len(base))
		}
	}
}

func TestLookup(t *testing.T) {
	if got := T("en-GB", "error.not_found"); got != "Not found" {
		t.Errorf("English: %q", got)
	}
	if got := T("fr", "error.not_found"); got != "未找到该记录" {
		t.Errorf("fallback to Chinese: %q", got)
	}
	if got := T("en", "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
}

func TestFromRequest(t *testing.T) {
	tests := []struct{ cookie, accept, want string }{
		{"", "", "zh-CN"},
		{"", "en-US,en;q=0.9", "en"},
		{"", "zh-TW,en;q=0.5", "zh-CN"},
		{"en", "zh-CN", "en"},
		{"zh-CN", "en", "zh-CN"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		if tt.accept != "" {
			r.Header.Set("Accept-Language", tt.accept)
		}
		if tt.cookie != "" {
			r.Header.Set("Cookie", "lang="+tt.cookie)
		}
		if got := FromRequest(r); got != tt.want {
			t.Errorf("cookie %q accept %q: %s, want %s", tt.cookie, tt.accept, got, tt.want)
		}
	}
}
