package signals

import (
	"maps"
	"slices"
	"strings"
	"unicode"
)

// fold maps a rune to the form used for matching, one rune for one rune so
// that offsets in the folded text are offsets in the original: full-width
// ASCII becomes ASCII, ASCII letters become lower case, the ideographic space
// becomes a space, "￥" becomes "¥" and curly single quotes become "'".
func fold(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r + ('a' - 'A')
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	case r == 0x3000:
		return ' '
	case r == 0xFFE5:
		return '¥'
	case r == 0x2018 || r == 0x2019:
		return '\''
	}
	return r
}

func foldRunes(rs []rune) []rune {
	for i, r := range rs {
		rs[i] = fold(r)
	}
	return rs
}

func foldString(s string) string { return string(foldRunes([]rune(s))) }

func isASCIIAlnum(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// isBoundary reports whether rs[i] ends a clause: ，。！？；,.!?; … and line
// breaks. A comma or full stop between two digits ("1,500", "1.5") does not.
func isBoundary(rs []rune, i int) bool {
	switch rs[i] {
	case '\n', '\r', '!', '?', ';', '。', '…', '\u2028', '\u2029':
		return true
	case ',', '.':
		return !(i > 0 && i+1 < len(rs) && isDigit(rs[i-1]) && isDigit(rs[i+1]))
	}
	return false
}

// units counts the words between a and b for negation windows: each Chinese
// character (any non-ASCII letter or digit) is one unit, each run of ASCII
// letters and digits is one unit, and spaces and punctuation count nothing.
func units(rs []rune, a, b int) int {
	n, inWord := 0, false
	for i := a; i < b; i++ {
		r := rs[i]
		if isASCIIAlnum(r) || r == '\'' && inWord {
			if !inWord {
				n++
				inWord = true
			}
			continue
		}
		inWord = false
		if r >= 0x80 && (unicode.IsLetter(r) || unicode.IsNumber(r)) {
			n++
		}
	}
	return n
}

// trie is a rune trie whose terminals carry a payload index.
type trie struct{ root tnode }

type tnode struct {
	next map[rune]*tnode
	out  []int32
}

func (t *trie) insert(word []rune, payload int32) {
	n := &t.root
	for _, r := range word {
		if n.next == nil {
			n.next = map[rune]*tnode{}
		}
		c := n.next[r]
		if c == nil {
			c = &tnode{}
			n.next[r] = c
		}
		n = c
	}
	n.out = append(n.out, payload)
}

// walk calls f(end, payload) for every word starting at rs[i], shortest
// first, not going past limit.
func (t *trie) walk(rs []rune, i, limit int, f func(end int, payload int32)) {
	n := &t.root
	for j := i; j < limit; j++ {
		n = n.next[rs[j]]
		if n == nil {
			return
		}
		for _, p := range n.out {
			f(j+1, p)
		}
	}
}

// edges records whether a word starts and ends with an ASCII letter or
// digit, so that "sue" does not match inside "issue" nor "12315" inside
// "123150".
type edges struct{ start, end bool }

func edgesOf(w []rune) edges {
	return edges{start: isASCIIAlnum(w[0]), end: isASCIIAlnum(w[len(w)-1])}
}

func (e edges) fits(rs []rune, i, j int) bool {
	if e.start && i > 0 && isASCIIAlnum(rs[i-1]) {
		return false
	}
	if e.end && j < len(rs) && isASCIIAlnum(rs[j]) {
		return false
	}
	return true
}

// matcher is the compiled form of a lexicon.
type matcher struct {
	kinds []Kind // sorted by code; index is the kind number
	words trie   // payload indexes wordInfo
	info  []wordInfo
	neg   trie // payload indexes negInfo
	negs  []negInfo
	verbs [][][]rune // per kind, folded verbs for NumericTimes
	num   bool       // some kind has a number detector
}

type wordInfo struct {
	kind    int32
	exclude bool
	edges   edges
}

type negInfo struct {
	roles uint8
	edges edges
}

func (l *Lexicon) compile() {
	m := &matcher{}
	codes := slices.Sorted(maps.Keys(l.kinds))
	for ki, code := range codes {
		e := l.kinds[code]
		m.kinds = append(m.kinds, e.exported())
		var verbs [][]rune
		for _, v := range e.kind.Verbs {
			verbs = append(verbs, foldRunes([]rune(v)))
		}
		m.verbs = append(m.verbs, verbs)
		if e.kind.Numeric != "" {
			m.num = true
		}
		for _, w := range e.words {
			rs := foldRunes([]rune(strings.TrimSpace(w.Text)))
			m.info = append(m.info, wordInfo{kind: int32(ki), exclude: w.Exclude, edges: edgesOf(rs)})
			m.words.insert(rs, int32(len(m.info)-1))
		}
	}
	for _, tok := range slices.Sorted(maps.Keys(l.neg)) {
		rs := []rune(tok) // already folded
		m.negs = append(m.negs, negInfo{roles: l.neg[tok], edges: edgesOf(rs)})
		m.neg.insert(rs, int32(len(m.negs)-1))
	}
	l.m = m
}
