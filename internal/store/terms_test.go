package store

import (
	"slices"
	"testing"

	"github.com/ombud/ombud/internal/search"
)

// TestExtraTerms: the prefix and trigram terms PostgreSQL documents carry,
// and the trigrams a search term is looked up by.
func TestExtraTerms(t *testing.T) {
	doc := search.Index("护士态度差 好好，好人 电话13812345678 Ab bc")
	if got, want := trigramTerms(doc.Bigrams), []string{"'护士态':1", "'士态度':2", "'态度差':3", "'好好人':5", "'abc':9"}; !slices.Equal(got, want) {
		t.Errorf("trigramTerms = %v, want %v", got, want)
	}
	prefixes := prefixTerms(doc.Bigrams)
	for _, want := range []string{"'>138'", "'>1381234567'", "'>13812345678'"} {
		if !slices.Contains(prefixes, want) {
			t.Errorf("prefixTerms lacks %s: %v", want, prefixes)
		}
	}
	if len(prefixes) != 9 {
		t.Errorf("prefixTerms = %v, want the 9 prefixes of 3 to 11 digits", prefixes)
	}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"态度", nil},
		{"态", nil},
		{"不耐烦", []string{"不耐烦"}},
		{"态度恶劣", []string{"态度恶", "度恶劣"}},
		{`"订单 a10"`, nil},
		{"1381", nil},
	} {
		if got := trigrams(search.Parse(tt.q)[0]); !slices.Equal(got, tt.want) {
			t.Errorf("trigrams(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
	for tok, want := range map[string]bool{"13": false, "138": true, "1234567890123456": true, "12345678901234567": false} {
		if exactPrefix(tok) != want {
			t.Errorf("exactPrefix(%q) = %v", tok, !want)
		}
	}
}
