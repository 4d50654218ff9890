package signals

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed lexicon/*.txt
var builtin embed.FS

// Negation says which negation cues can cancel a kind's word matches.
type Negation string

const (
	// NegateAll: any cue ("不", "没有", "不会", ...) negates a match.
	NegateAll Negation = "all"
	// NegateIntent: only cues about the writer's own wish ("不要", "不需要",
	// "不打算") negate; "商家不退款" is still a refund demand.
	NegateIntent Negation = "intent"
	// NegateNone: matches are never negated ("刹不住" is the fault itself).
	NegateNone Negation = "none"
)

// Numeric names a built-in number detector a kind runs besides its words.
type Numeric string

const (
	// NumericMoney finds amounts of money ("3万元", "¥1,500", "两千五");
	// each is a match whose Value is the amount in yuan.
	NumericMoney Numeric = "money"
	// NumericHeadcount finds numbers of people ("三十多人", "5名业主",
	// "几十户"); a count of at least GroupMinimum is a match.
	NumericHeadcount Numeric = "headcount"
	// NumericTimes finds counts of occurrences ("第三次", "打了五次电话")
	// next to one of the kind's verbs; a count of at least 2 is a match.
	NumericTimes Numeric = "times"
)

// GroupMinimum is the smallest headcount that is a match on its own:
// "我们两个人" is not a group complaint, "我们三个人" may be.
const GroupMinimum = 3

// Kind describes one kind of signal.
type Kind struct {
	// Code is the kind's identifier, lower-case snake_case ("media").
	Code string
	// Labels are display names keyed by language ("zh", "en").
	Labels map[string]string
	// Note says why the kind exists (the seed or requirement it serves).
	Note string
	// Negation is how negation cues apply to the kind's words.
	Negation Negation
	// Numeric is the kind's number detector, if any.
	Numeric Numeric
	// Verbs are the words that must be near a count for NumericTimes.
	Verbs []string
}

// Label returns the kind's label in lang ("zh-CN", "en", ...), falling back
// to Chinese, then English, then the code.
func (k Kind) Label(lang string) string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	for _, l := range []string{base, "zh", "en"} {
		if s := k.Labels[l]; s != "" {
			return s
		}
	}
	return k.Code
}

// Word is one lexicon entry of a kind.
type Word struct {
	// Text is the word as written in the lexicon.
	Text string
	// Note is the optional note after "|".
	Note string
	// Exclude marks a "!" entry: matches of the kind lying inside an
	// occurrence of this text are dropped ("!工商银行" for "工商").
	Exclude bool
	// Source is where the word was defined ("media.txt:12", "Extend").
	Source string
}

// Negation roles of a negation token (see negation.txt).
const (
	roleCue uint8 = 1 << iota
	roleIntent
	roleNeutral
	roleBreaker
	roleConditional
	rolePost
)

var roleNames = map[string]uint8{
	"cue":         roleCue,
	"intent":      roleIntent,
	"neutral":     roleNeutral,
	"breaker":     roleBreaker,
	"conditional": roleConditional,
	"post":        rolePost,
}

type kindEntry struct {
	kind  Kind
	words []Word
	seen  map[string]bool // folded word text, "!" prefixed for exclusions
}

// A Lexicon is a set of kinds, their words, and the negation cues. Build one
// with Default, ParseLexicon or LoadLexicon, and adapt it with Extend and
// Merge. Detect may be called from several goroutines at once, but not while
// the lexicon is being changed.
type Lexicon struct {
	kinds map[string]*kindEntry
	neg   map[string]uint8 // folded token → roles
	m     *matcher
}

// ParseError is a problem in a lexicon file, with its position.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

var (
	defaultOnce sync.Once
	defaultLex  *Lexicon
)

func builtinLexicon() *Lexicon {
	defaultOnce.Do(func() {
		l, err := LoadLexicon(builtin, "lexicon/*.txt")
		if err != nil {
			panic("signals: built-in lexicon: " + err.Error())
		}
		defaultLex = l
	})
	return defaultLex
}

// Default returns a copy of the built-in lexicon (the files in lexicon/),
// which the caller may extend without affecting other users.
func Default() *Lexicon { return builtinLexicon().Clone() }

// Detect runs the built-in lexicon on text; see (*Lexicon).Detect.
func Detect(text string) []Signal { return builtinLexicon().Detect(text) }

// New returns an empty lexicon.
func New() *Lexicon {
	return &Lexicon{kinds: map[string]*kindEntry{}, neg: map[string]uint8{}}
}

// Clone returns a deep copy of l.
func (l *Lexicon) Clone() *Lexicon {
	c := New()
	for code, e := range l.kinds {
		ce := &kindEntry{kind: e.kind, words: slices.Clone(e.words), seen: maps.Clone(e.seen)}
		ce.kind.Labels = maps.Clone(e.kind.Labels)
		ce.kind.Verbs = slices.Clone(e.kind.Verbs)
		c.kinds[code] = ce
	}
	maps.Copy(c.neg, l.neg)
	c.m = l.m // immutable; replaced on the next change
	return c
}

// Kinds lists the lexicon's kinds sorted by code.
func (l *Lexicon) Kinds() []Kind {
	out := make([]Kind, 0, len(l.kinds))
	for _, code := range slices.Sorted(maps.Keys(l.kinds)) {
		out = append(out, l.kinds[code].exported())
	}
	return out
}

// Kind returns the kind with the given code.
func (l *Lexicon) Kind(code string) (Kind, bool) {
	e, ok := l.kinds[code]
	if !ok {
		return Kind{}, false
	}
	return e.exported(), true
}

// Words returns the words (and "!" exclusions) of a kind, in the order they
// were defined.
func (l *Lexicon) Words(kind string) []Word {
	if e, ok := l.kinds[kind]; ok {
		return slices.Clone(e.words)
	}
	return nil
}

func (e *kindEntry) exported() Kind {
	k := e.kind
	k.Labels = maps.Clone(k.Labels)
	k.Verbs = slices.Clone(k.Verbs)
	if k.Negation == "" {
		k.Negation = NegateAll
	}
	return k
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Extend adds words to a kind, creating the kind (negation "all", no labels)
// if the lexicon does not have it. A word starting with "!" is an
// exclusion, as in a lexicon file. Words the kind already has are ignored.
// Nothing is added if any word is invalid.
func (l *Lexicon) Extend(kind string, words ...string) error {
	if !codeRE.MatchString(kind) {
		return fmt.Errorf("signals: kind %q: want lower-case snake_case", kind)
	}
	ws := make([]Word, 0, len(words))
	for _, w := range words {
		excl := strings.HasPrefix(w, "!")
		text := strings.TrimSpace(strings.TrimPrefix(w, "!"))
		if err := checkWord(text); err != nil {
			return fmt.Errorf("signals: kind %q: word %q: %v", kind, w, err)
		}
		ws = append(ws, Word{Text: text, Exclude: excl, Source: "Extend"})
	}
	if l.kinds == nil {
		l.kinds = map[string]*kindEntry{}
	}
	e := l.entry(kind)
	for _, w := range ws {
		e.add(w)
	}
	l.compile()
	return nil
}

// Merge adds the kinds, words and negation cues of others to l. A kind that
// l already has keeps its words and gains the new ones; labels, note,
// negation and numeric settings given by the other lexicon replace l's.
// This is how a policy pack brings its own words and kinds.
func (l *Lexicon) Merge(others ...*Lexicon) {
	if l.kinds == nil {
		l.kinds = map[string]*kindEntry{}
	}
	if l.neg == nil {
		l.neg = map[string]uint8{}
	}
	for _, o := range others {
		if o == nil {
			continue
		}
		for _, code := range slices.Sorted(maps.Keys(o.kinds)) {
			oe := o.kinds[code]
			e := l.entry(code)
			for lang, s := range oe.kind.Labels {
				e.kind.Labels[lang] = s
			}
			if oe.kind.Note != "" {
				e.kind.Note = oe.kind.Note
			}
			if oe.kind.Negation != "" {
				e.kind.Negation = oe.kind.Negation
			}
			if oe.kind.Numeric != "" {
				e.kind.Numeric = oe.kind.Numeric
				e.kind.Verbs = slices.Clone(oe.kind.Verbs)
			}
			for _, w := range oe.words {
				e.add(w)
			}
		}
		for tok, roles := range o.neg {
			l.neg[tok] |= roles
		}
	}
	l.compile()
}

func (l *Lexicon) entry(code string) *kindEntry {
	e, ok := l.kinds[code]
	if !ok {
		e = &kindEntry{kind: Kind{Code: code, Labels: map[string]string{}}, seen: map[string]bool{}}
		l.kinds[code] = e
	}
	return e
}

// add appends w unless the kind already has it; it reports whether it did.
func (e *kindEntry) add(w Word) bool {
	key := foldString(w.Text)
	if w.Exclude {
		key = "!" + key
	}
	if e.seen[key] {
		return false
	}
	e.seen[key] = true
	e.words = append(e.words, w)
	return true
}

// maxWordRunes bounds a lexicon word; longer entries are surely mistakes.
const maxWordRunes = 32

func checkWord(w string) error {
	if w == "" {
		return errors.New("empty word")
	}
	if !utf8.ValidString(w) {
		return errors.New("not valid UTF-8")
	}
	if n := utf8.RuneCountInString(w); n > maxWordRunes {
		return fmt.Errorf("longer than %d characters", maxWordRunes)
	}
	hasText := false
	rs := foldRunes([]rune(w))
	for i, r := range rs {
		if r == '\n' || r == '\r' || r == '\t' {
			return errors.New("contains a line break or tab")
		}
		if isBoundary(rs, i) {
			return fmt.Errorf("contains the clause boundary %q", r)
		}
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			hasText = true
		}
	}
	if !hasText {
		return errors.New("has no letter or digit")
	}
	return nil
}

// ParseLexicon reads one lexicon file; name is used in error messages.
//
// The format is line based. Blank lines and lines starting with "#" are
// ignored. Directives start with "@":
//
//	@kind CODE            start (or continue) the kind CODE
//	@label LANG TEXT      display label, e.g. "@label zh 媒体曝光"
//	@note TEXT            why the kind exists; several lines are joined
//	@negate all|intent|none
//	@numeric money|headcount|times [VERB...]
//	@negation cue|intent|neutral|breaker|conditional|post
//
// Other lines are words of the current kind (or tokens of the current
// @negation role): "word", "word | note", or "!word" for an exclusion.
// A word may appear only once per kind in one parse.
func ParseLexicon(name string, r io.Reader) (*Lexicon, error) {
	p := newParser()
	if err := p.parse(name, r); err != nil {
		return nil, err
	}
	p.lex.compile()
	return p.lex, nil
}

// LoadLexicon reads the files of fsys matching pattern (fs.Glob syntax, e.g.
// "lexicon/*.txt"), in name order, as one lexicon.
func LoadLexicon(fsys fs.FS, pattern string) (*Lexicon, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, fmt.Errorf("signals: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("signals: no lexicon file matches %q", pattern)
	}
	p := newParser()
	for _, n := range names {
		f, err := fsys.Open(n)
		if err != nil {
			return nil, fmt.Errorf("signals: %w", err)
		}
		err = p.parse(path.Base(n), f)
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	p.lex.compile()
	return p.lex, nil
}

type parser struct {
	lex   *Lexicon
	where map[string]string // kind + "\x00" + folded word → "file:line"
}

func newParser() *parser {
	return &parser{lex: New(), where: map[string]string{}}
}

func (p *parser) parse(name string, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var (
		cur     *kindEntry // current kind, or nil
		role    uint8      // current negation role, or 0
		lineNo  int
		noteSet bool
	)
	fail := func(format string, args ...any) error {
		return &ParseError{File: name, Line: lineNo, Msg: fmt.Sprintf(format, args...)}
	}
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if lineNo == 1 {
			line = strings.TrimPrefix(line, "\uFEFF")
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !utf8.ValidString(line) {
			return fail("not valid UTF-8")
		}
		if strings.HasPrefix(line, "@") {
			fields := strings.Fields(line)
			dir, args := fields[0], fields[1:]
			switch dir {
			case "@kind":
				if len(args) != 1 || !codeRE.MatchString(args[0]) {
					return fail("@kind wants one lower-case snake_case code, got %q", strings.Join(args, " "))
				}
				cur, role, noteSet = p.lex.entry(args[0]), 0, false
			case "@negation":
				if len(args) != 1 || roleNames[args[0]] == 0 {
					return fail("@negation wants one of cue, intent, neutral, breaker, conditional, post")
				}
				cur, role = nil, roleNames[args[0]]
			case "@label", "@note", "@negate", "@numeric":
				if cur == nil {
					return fail("%s outside a @kind section", dir)
				}
				switch dir {
				case "@label":
					if len(args) < 2 {
						return fail("@label wants a language and a text")
					}
					cur.kind.Labels[args[0]] = strings.Join(args[1:], " ")
				case "@note":
					text := strings.TrimSpace(strings.TrimPrefix(line, "@note"))
					if noteSet && cur.kind.Note != "" {
						cur.kind.Note += " " + text
					} else {
						cur.kind.Note = text
					}
					noteSet = true
				case "@negate":
					if len(args) != 1 {
						return fail("@negate wants all, intent or none")
					}
					switch n := Negation(args[0]); n {
					case NegateAll, NegateIntent, NegateNone:
						cur.kind.Negation = n
					default:
						return fail("@negate wants all, intent or none, got %q", args[0])
					}
				case "@numeric":
					if len(args) == 0 {
						return fail("@numeric wants money, headcount or times")
					}
					switch n := Numeric(args[0]); n {
					case NumericMoney, NumericHeadcount:
						if len(args) > 1 {
							return fail("@numeric %s takes no verbs", n)
						}
						cur.kind.Numeric, cur.kind.Verbs = n, nil
					case NumericTimes:
						if len(args) == 1 {
							return fail("@numeric times wants at least one verb")
						}
						for _, v := range args[1:] {
							if err := checkWord(v); err != nil {
								return fail("verb %q: %v", v, err)
							}
						}
						cur.kind.Numeric, cur.kind.Verbs = n, slices.Clone(args[1:])
					default:
						return fail("@numeric wants money, headcount or times, got %q", args[0])
					}
				}
			default:
				return fail("unknown directive %s", dir)
			}
			continue
		}

		text, note, _ := strings.Cut(line, "|")
		text, note = strings.TrimSpace(text), strings.TrimSpace(note)
		excl := strings.HasPrefix(text, "!")
		if excl {
			text = strings.TrimSpace(text[1:])
		}
		if err := checkWord(text); err != nil {
			return fail("word %q: %v", text, err)
		}
		src := fmt.Sprintf("%s:%d", name, lineNo)
		switch {
		case role != 0:
			if excl {
				return fail("a negation token cannot be an exclusion")
			}
			key := foldString(text)
			if p.lex.neg[key]&role != 0 {
				return fail("duplicate negation token %q", text)
			}
			p.lex.neg[key] |= role
		case cur != nil:
			key := cur.kind.Code + "\x00" + foldString(text)
			if excl {
				key += "\x00!"
			}
			if first, dup := p.where[key]; dup {
				return fail("duplicate word %q in kind %s (first at %s)", text, cur.kind.Code, first)
			}
			p.where[key] = src
			cur.add(Word{Text: text, Note: note, Exclude: excl, Source: src})
		default:
			return fail("word %q before any @kind or @negation section", text)
		}
	}
	if err := sc.Err(); err != nil {
		return &ParseError{File: name, Line: lineNo + 1, Msg: err.Error()}
	}
	return nil
}
