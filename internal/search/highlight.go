package search

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Text returns what the term matches in a text: its bigrams joined back
// into the original run ("服务","务差" → "服务差"), words separated by a
// space.
func (t Term) Text() string {
	var b strings.Builder
	prevHan := false
	for i, tok := range t.Tokens {
		r := []rune(tok)
		han := isHan(r[0])
		switch {
		case i == 0:
			b.WriteString(tok)
		case han && prevHan && len(r) == 2:
			b.WriteRune(r[1])
		default:
			b.WriteByte(' ')
			b.WriteString(tok)
		}
		prevHan = han
	}
	return b.String()
}

// Segment is a piece of a highlighted text.
type Segment struct {
	Text  string
	Match bool
}

// Highlight splits text into segments, marking where the query's terms
// occur (case-insensitively). Words of a multi-word term are marked one by
// one.
func Highlight(text string, q Query) []Segment {
	spans := matches(text, q)
	if len(spans) == 0 {
		return []Segment{{Text: text}}
	}
	var out []Segment
	at := 0
	for _, s := range spans {
		if s[0] > at {
			out = append(out, Segment{Text: text[at:s[0]]})
		}
		out = append(out, Segment{Text: text[s[0]:s[1]], Match: true})
		at = s[1]
	}
	if at < len(text) {
		out = append(out, Segment{Text: text[at:]})
	}
	return out
}

// Snippet returns about width runes of text around its first match (the
// start of the text when nothing matches), with … where it is cut.
func Snippet(text string, q Query, width int) []Segment {
	text = strings.Join(strings.Fields(text), " ")
	start := 0
	if spans := matches(text, q); len(spans) > 0 {
		start = spans[0][0]
	}
	// Back up a third of the width so the match has context on its left.
	runesBefore := utf8.RuneCountInString(text[:start])
	from := max(0, runesBefore-width/3)
	r := []rune(text)
	to := min(len(r), from+width)
	out := string(r[from:to])
	segs := Highlight(out, q)
	if from > 0 {
		segs = append([]Segment{{Text: "…"}}, segs...)
	}
	if to < len(r) {
		segs = append(segs, Segment{Text: "…"})
	}
	return segs
}

// matches returns the sorted, merged byte spans where q's terms occur.
func matches(text string, q Query) [][2]int {
	lower := strings.ToLower(text)
	if len(lower) != len(text) {
		lower = text // lower-casing changed byte lengths: match as written
	}
	var spans [][2]int
	for _, t := range q {
		for _, word := range strings.Split(t.Text(), " ") {
			if word == "" {
				continue
			}
			for i := 0; ; {
				j := strings.Index(lower[i:], word)
				if j < 0 {
					break
				}
				spans = append(spans, [2]int{i + j, i + j + len(word)})
				i += j + len(word)
			}
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	var merged [][2]int
	for _, s := range spans {
		if n := len(merged); n > 0 && s[0] <= merged[n-1][1] {
			merged[n-1][1] = max(merged[n-1][1], s[1])
			continue
		}
		merged = append(merged, s)
	}
	return merged
}
