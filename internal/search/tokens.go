// Package search turns Chinese and mixed text into index terms that serve
// the queries a complaint office types: mostly two characters (退款, 态度),
// sometimes one (退), a phrase, or a phone or order number.
//
// Han text is indexed as overlapping character bigrams (the CJK-analyzer
// approach; trigram indexes cannot serve two-character queries) in one
// stream, and as single characters in a second stream for one-character
// queries. Latin words and digit runs go whole and lower-cased into the
// bigram stream, where a query matches them by prefix. Both stores index the
// same streams — FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL — so
// their results agree.
package search

import (
	"strings"
	"unicode"
)

// IsHan reports whether r is a CJK ideograph, kana or hangul syllable: a
// character the index splits into bigrams and unigrams.
func IsHan(r rune) bool { return isHan(r) }

func isHan(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

func isWord(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isHan(r)
}

// scan calls han for each maximal run of Han runes and word for each Latin
// word or number, in order.
func scan(text string, han func([]rune), word func(string)) {
	runes := []rune(text)
	for i := 0; i < len(runes); {
		j := i + 1
		switch r := runes[i]; {
		case isHan(r):
			for j < len(runes) && isHan(runes[j]) {
				j++
			}
			han(runes[i:j])
		case isWord(r):
			for j < len(runes) && isWord(runes[j]) {
				j++
			}
			word(strings.ToLower(string(runes[i:j])))
		}
		i = j
	}
}

// Doc is the index terms of a text, each stream space-separated.
type Doc struct {
	// Bigrams: each pair of adjacent Han characters (a lone Han character
	// itself), and each Latin word or number, in text order.
	Bigrams string
	// Unigrams: each distinct Han character.
	Unigrams string
}

// Index returns the index terms of text.
func Index(text string) Doc {
	var bi, uni []string
	seen := map[rune]bool{}
	scan(text, func(run []rune) {
		if len(run) == 1 {
			bi = append(bi, string(run))
		}
		for k := 0; k+1 < len(run); k++ {
			bi = append(bi, string(run[k:k+2]))
		}
		for _, r := range run {
			if !seen[r] {
				seen[r] = true
				uni = append(uni, string(r))
			}
		}
	}, func(w string) { bi = append(bi, w) })
	return Doc{Bigrams: strings.Join(bi, " "), Unigrams: strings.Join(uni, " ")}
}

// Term is one thing searched for.
type Term struct {
	// Tokens must appear in this order, adjacent, in the bigram stream
	// (a phrase); or, when Unigram is set, Tokens is one character looked
	// up in the unigram stream.
	Tokens  []string
	Unigram bool
	// Prefix: the last token also matches longer terms it begins (partial
	// phone or order numbers).
	Prefix bool
}

// Query is a parsed search: every term must match.
type Query []Term

// Parse reads a query: space-separated terms must all match; a "quoted
// phrase" must match as a whole. A Han run of n > 1 characters becomes its
// n-1 overlapping bigrams in a row.
func Parse(q string) Query {
	var out Query
	for _, part := range splitQuery(q) {
		var t Term
		scan(part, func(run []rune) {
			if len(run) == 1 {
				t.Tokens = append(t.Tokens, string(run))
			}
			for k := 0; k+1 < len(run); k++ {
				t.Tokens = append(t.Tokens, string(run[k:k+2]))
			}
			t.Prefix = false
		}, func(w string) {
			t.Tokens = append(t.Tokens, w)
			t.Prefix = true
		})
		if len(t.Tokens) == 0 {
			continue
		}
		if len(t.Tokens) == 1 && len([]rune(t.Tokens[0])) == 1 && isHan([]rune(t.Tokens[0])[0]) {
			t.Unigram = true
		}
		out = append(out, t)
	}
	return out
}

// splitQuery splits on spaces, keeping "quoted phrases" together.
func splitQuery(q string) []string {
	var parts []string
	var cur strings.Builder
	quoted := false
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			parts = append(parts, s)
		}
		cur.Reset()
	}
	for _, r := range q {
		switch {
		case r == '"' || r == '“' || r == '”':
			flush()
			quoted = !quoted
		case unicode.IsSpace(r) && !quoted:
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return parts
}
