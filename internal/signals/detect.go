package signals

import (
	"slices"
	"sort"
)

// Signal is the evidence for one kind found in a text.
type Signal struct {
	// Kind is the kind's code ("media", "amount", ...).
	Kind string
	// Matches are the words and numbers found, in text order. They include
	// negated matches (Negated true), reported for context only.
	Matches []Match
	// Value is the largest non-negated numeric match: the amount in yuan
	// for "amount", the headcount for "group", the number of times for
	// "repeat"; 0 when the kind has no numbers or none was written.
	Value float64
}

// Match is one occurrence of a lexicon word or a number in the text.
type Match struct {
	// Text is the matched text as written: []rune(text)[Start:End].
	Text string
	// Start and End are offsets in runes (not bytes) into the text.
	Start, End int
	// Negated is true when a negation cue cancels the match ("没有受伤").
	Negated bool
	// Value is the number a numeric match stands for (yuan, people,
	// times), 0 for a word.
	Value float64
}

// Active reports whether the signal has at least one non-negated match.
func (s Signal) Active() bool {
	for _, m := range s.Matches {
		if !m.Negated {
			return true
		}
	}
	return false
}

// Lookup returns the signal of the given kind from a result of Detect.
func Lookup(signals []Signal, kind string) (Signal, bool) {
	i := sort.Search(len(signals), func(i int) bool { return signals[i].Kind >= kind })
	if i < len(signals) && signals[i].Kind == kind {
		return signals[i], true
	}
	return Signal{}, false
}

// Detect finds the signals in text, sorted by kind. Only signals with at
// least one non-negated match are returned; their Matches also list any
// negated occurrences of the same kind. A nil or empty lexicon finds
// nothing.
func (l *Lexicon) Detect(text string) []Signal { return l.detect(text, false) }

// DetectAll is Detect but also returns the signals whose matches are all
// negated ("我不会找媒体" gives an inactive media signal), for display and
// debugging. Use Signal.Active to tell them apart.
func (l *Lexicon) DetectAll(text string) []Signal { return l.detect(text, true) }

// Negation window sizes, in units (see units).
const (
	// NegationWindow is how far before a match a cue may stand.
	NegationWindow = 5
	// postWindow is how far after a match a post cue ("算了") may stand.
	postWindow = 3
	// lookback bounds, in runes, the text examined before a match.
	lookback = 40
	// verbWindow is how far (runes) a verb may stand from a count.
	verbWindow = 6
)

type hit struct {
	kind       int32
	start, end int32
	exclude    bool
}

func (l *Lexicon) detect(text string, all bool) []Signal {
	if l == nil || l.m == nil || text == "" {
		return nil
	}
	m := l.m
	orig := []rune(text)
	rs := foldRunes(slices.Clone(orig))

	// All word occurrences, by start then length.
	hits := make([]hit, 0, 32)
	for i := range rs {
		m.words.walk(rs, i, len(rs), func(end int, p int32) {
			w := m.info[p]
			if w.edges.fits(rs, i, end) {
				hits = append(hits, hit{kind: w.kind, start: int32(i), end: int32(end), exclude: w.exclude})
			}
		})
	}
	var money, heads, times []numMatch
	if m.num {
		money, heads, times = numbers(rs)
	}

	// Word hits per kind, in text order.
	byKind := make([][]hit, len(m.kinds))
	for _, h := range hits {
		byKind[h.kind] = append(byKind[h.kind], h)
	}

	var out []Signal
	for ki, k := range m.kinds {
		var nums []numMatch
		switch k.Numeric {
		case NumericMoney:
			nums = money
		case NumericHeadcount:
			nums = heads
		case NumericTimes:
			for _, t := range times {
				if nearVerb(rs, t, m.verbs[ki]) {
					nums = append(nums, t)
				}
			}
		}
		if len(byKind[ki]) == 0 && len(nums) == 0 {
			continue
		}
		matches := l.kindMatches(rs, k, byKind[ki], nums)
		if len(matches) == 0 {
			continue
		}
		s := Signal{Kind: k.Code}
		active := false
		for _, mt := range matches {
			mt.Text = string(orig[mt.Start:mt.End])
			if !mt.Negated {
				active = true
				s.Value = max(s.Value, mt.Value)
			}
			s.Matches = append(s.Matches, mt)
		}
		if active || all {
			out = append(out, s)
		}
	}
	return out // m.kinds is sorted by code
}

// kindMatches picks the matches of one kind from its word hits and
// numbers: exclusions removed, the longest of overlapping words kept,
// numbers added, negation applied.
func (l *Lexicon) kindMatches(rs []rune, k Kind, hits []hit, nums []numMatch) []Match {
	var excl []hit // in text order, like hits and nums
	for _, h := range hits {
		if h.exclude {
			excl = append(excl, h)
		}
	}
	var out []Match
	for _, n := range nums {
		out = append(out, Match{Start: n.start, End: n.end, Value: n.value})
	}
	var (
		lastEnd = int32(-1)
		ex, nx  int         // next exclusion, next number
		exclEnd = int32(-1) // furthest end of the exclusions started so far
	)
	for i := 0; i < len(hits); i++ {
		h := hits[i]
		if h.exclude || h.start < lastEnd {
			continue
		}
		// Longest word starting here.
		for j := i + 1; j < len(hits) && hits[j].start == h.start; j++ {
			if !hits[j].exclude && hits[j].end > h.end {
				h = hits[j]
			}
		}
		for ex < len(excl) && excl[ex].start <= h.start {
			exclEnd = max(exclEnd, excl[ex].end)
			ex++
		}
		if exclEnd >= h.end {
			continue // inside an exclusion ("垃圾" in "垃圾桶")
		}
		for nx < len(nums) && int32(nums[nx].end) <= h.start {
			nx++
		}
		if nx < len(nums) && int32(nums[nx].start) < h.end {
			continue // part of a number ("多人" in "三十多人")
		}
		lastEnd = h.end
		mt := Match{Start: int(h.start), End: int(h.end)}
		if k.Negation != NegateNone {
			mt.Negated = l.m.negated(rs, mt.Start, mt.End, k.Negation == NegateIntent)
		}
		out = append(out, mt)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Start < out[b].Start })
	return out
}

// clauseStart returns the first rune of the clause holding rs[i], looking
// back at most limit runes.
func clauseStart(rs []rune, i, limit int) int {
	lo := max(0, i-limit)
	for j := i - 1; j >= lo; j-- {
		if isBoundary(rs, j) {
			return j + 1
		}
	}
	return lo
}

// clauseEnd returns the end of the clause holding rs[i-1], looking ahead
// at most limit runes.
func clauseEnd(rs []rune, i, limit int) int {
	hi := min(len(rs), i+limit)
	for j := i; j < hi; j++ {
		if isBoundary(rs, j) {
			return j
		}
	}
	return hi
}

// nearVerb reports whether one of verbs stands within verbWindow runes
// before or after the count t, in the same clause.
func nearVerb(rs []rune, t numMatch, verbs [][]rune) bool {
	lo := clauseStart(rs, t.start, verbWindow)
	hi := clauseEnd(rs, t.end, verbWindow)
	for _, v := range verbs {
		for i := lo; i+len(v) <= hi; i++ {
			if i+len(v) > t.start && i < t.end {
				continue // inside the count itself
			}
			if slices.Equal(rs[i:i+len(v)], v) {
				return true
			}
		}
	}
	return false
}

type negTok struct {
	start, end int
	roles      uint8
}

// tokens splits rs[from:to] into negation tokens having one of the roles
// in mask, longest first, left to right; other text is skipped.
func (m *matcher) tokens(rs []rune, from, to int, mask uint8) []negTok {
	var toks []negTok
	for i := from; i < to; {
		best := negTok{start: -1}
		m.neg.walk(rs, i, to, func(end int, p int32) {
			n := m.negs[p]
			if n.roles&mask != 0 && n.edges.fits(rs, i, end) && end > best.end {
				best = negTok{start: i, end: end, roles: n.roles}
			}
		})
		if best.start < 0 {
			i++
			continue
		}
		toks = append(toks, best)
		i = best.end
	}
	return toks
}

// negated applies the negation rule (see the package documentation) to
// the match rs[s:e].
func (m *matcher) negated(rs []rune, s, e int, intentOnly bool) bool {
	from := clauseStart(rs, s, lookback)
	toks := m.tokens(rs, from, s, ^rolePost)

	// Scope: after the last breaker.
	for i := len(toks) - 1; i >= 0; i-- {
		if toks[i].roles&roleBreaker != 0 {
			toks = toks[i+1:]
			break
		}
	}
	var cues []negTok
	cond := -1 // start of the first conditional marker in scope
	for _, t := range toks {
		switch {
		case t.roles&roleNeutral != 0:
		case t.roles&(roleCue|roleIntent) != 0:
			if units(rs, t.end, s) <= NegationWindow {
				cues = append(cues, t)
			}
		case t.roles&roleConditional != 0:
			if cond < 0 {
				cond = t.start
			}
		}
	}
	pre := false
	if len(cues) > 0 {
		near := cues[len(cues)-1]
		switch {
		case intentOnly && near.roles&roleIntent == 0:
			// "商家不退款": not the writer's wish.
		case cond >= 0 && cond < cues[0].start && units(rs, near.end, s) > 1:
			// "要是不退款起诉你们": the cue is inside the condition.
		default:
			pre = len(cues)%2 == 1 // "不是不想起诉" is a double negative
		}
	}
	if pre {
		return true
	}
	// Post cues: "媒体就算了", "律师我是不会找的".
	to := clauseEnd(rs, e, lookback)
	for _, t := range m.tokens(rs, e, to, rolePost) {
		if units(rs, e, t.start) > postWindow {
			break
		}
		if t.roles&rolePost != 0 {
			return true
		}
	}
	return false
}
