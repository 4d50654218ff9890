package signals

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestBuiltinKinds(t *testing.T) {
	kinds := Default().Kinds()
	want := []string{
		"abuse", "amount", "assault", "blockade", "compensation", "corruption", "discrimination",
		"escalation", "food_safety", "group", "harassment", "injury", "legal", "media", "police",
		"privacy", "refund", "regulator", "repeat", "repeat_repair", "replacement", "safety",
		"urgent_threat", "vulnerable", "written_reply",
	}
	var got []string
	for _, k := range kinds {
		got = append(got, k.Code)
		if k.Labels["zh"] == "" || k.Labels["en"] == "" {
			t.Errorf("%s: missing zh or en label: %v", k.Code, k.Labels)
		}
		if !strings.Contains(k.Note, "eed") && !strings.Contains(k.Note, "R") {
			t.Errorf("%s: note does not cite a seed or requirement: %q", k.Code, k.Note)
		}
		if k.Numeric == "" && len(Default().Words(k.Code)) == 0 {
			t.Errorf("%s: no words and no number detector", k.Code)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("kinds = %v\nwant    %v", got, want)
	}
	k, ok := Default().Kind("media")
	if !ok || k.Label("zh-CN") != "媒体/网络曝光" || k.Label("en-GB") != "Media or online exposure" ||
		k.Label("fr") != "媒体/网络曝光" || k.Negation != NegateAll {
		t.Errorf("media kind = %+v", k)
	}
	if k, _ := Default().Kind("refund"); k.Negation != NegateIntent {
		t.Errorf("refund negation = %q", k.Negation)
	}
	if k, _ := Default().Kind("repeat"); k.Numeric != NumericTimes || !slices.Contains(k.Verbs, "投诉") {
		t.Errorf("repeat = %+v", k)
	}
	if _, ok := Default().Kind("nope"); ok {
		t.Error("unknown kind found")
	}
	if (Kind{Code: "x"}).Label("en") != "x" {
		t.Error("label falls back to the code")
	}
}

func TestEveryBuiltinWordMatchesItself(t *testing.T) {
	lex := Default()
	for _, k := range lex.Kinds() {
		for _, w := range lex.Words(k.Code) {
			if w.Exclude {
				continue
			}
			s, ok := Lookup(lex.DetectAll(w.Text), k.Code)
			if !ok || len(s.Matches) == 0 {
				t.Errorf("%s (%s): word %q does not match itself", k.Code, w.Source, w.Text)
			}
		}
	}
}

func TestParseLexicon(t *testing.T) {
	src := `# a pack's own words
@kind parking
@label zh 停车
@label en Parking
@note Pack rule 7.
@negate intent
停车费 | charged at the gate
车位
!车位号

@kind media
曝光台

@negation neutral
不停车
`
	l, err := ParseLexicon("pack.txt", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	k, ok := l.Kind("parking")
	if !ok || k.Label("zh") != "停车" || k.Note != "Pack rule 7." || k.Negation != NegateIntent {
		t.Errorf("parking = %+v", k)
	}
	words := l.Words("parking")
	if len(words) != 3 || words[0].Note != "charged at the gate" || words[0].Source != "pack.txt:7" ||
		!words[2].Exclude || words[2].Text != "车位号" {
		t.Errorf("words = %+v", words)
	}
	if got := l.Detect("停车费太贵，车位号写错了"); len(got) != 1 || len(got[0].Matches) != 1 {
		t.Errorf("detect = %s", describe(got))
	}
}

func TestParseLexiconErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"词", "x.txt:1: word \"词\" before any @kind"},
		{"@kind media\n@bogus", "x.txt:2: unknown directive @bogus"},
		{"@kind Media", "x.txt:1: @kind wants one lower-case snake_case code"},
		{"@label zh 媒体", "x.txt:1: @label outside a @kind section"},
		{"@kind a\n@negate maybe", "x.txt:2: @negate wants all, intent or none"},
		{"@kind a\n@numeric money 投诉", "x.txt:2: @numeric money takes no verbs"},
		{"@kind a\n@numeric times", "x.txt:2: @numeric times wants at least one verb"},
		{"@kind a\n@numeric dice", "x.txt:2: @numeric wants money, headcount or times"},
		{"@kind a\n# c\n起诉\n\n起诉", "x.txt:5: duplicate word \"起诉\" in kind a (first at x.txt:3)"},
		{"@kind a\n起诉，法院", "x.txt:2: word \"起诉，法院\": contains the clause boundary ','"},
		{"@kind a\n!", "x.txt:2: word \"\": empty word"},
		{"@kind a\n---", "x.txt:2: word \"---\": has no letter or digit"},
		{"@negation cue\n!不", "x.txt:2: a negation token cannot be an exclusion"},
		{"@negation maybe", "x.txt:1: @negation wants one of"},
		{"@negation cue\n不\n不", "x.txt:3: duplicate negation token"},
		{"@kind a\n" + strings.Repeat("长", 33), "longer than 32 characters"},
	}
	for _, tt := range tests {
		_, err := ParseLexicon("x.txt", strings.NewReader(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.src, err, tt.want)
		}
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Errorf("%q: %T is not a *ParseError", tt.src, err)
		}
	}
}

func TestLoadLexicon(t *testing.T) {
	fsys := fstest.MapFS{
		"lex/a.txt":      {Data: []byte("@kind a\n甲\n")},
		"lex/b.txt":      {Data: []byte("@kind a\n乙\n@kind b\n丙\n")},
		"lex/notes.md":   {Data: []byte("not a lexicon")},
		"bad/dup.txt":    {Data: []byte("@kind a\n甲\n")},
		"bad/dup2.txt":   {Data: []byte("@kind a\n\n甲\n")},
		"empty/none.xyz": {Data: nil},
	}
	l, err := LoadLexicon(fsys, "lex/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Kinds()) != 2 || len(l.Words("a")) != 2 {
		t.Errorf("kinds = %v, words(a) = %v", l.Kinds(), l.Words("a"))
	}
	_, err = LoadLexicon(fsys, "bad/*.txt")
	if err == nil || err.Error() != `dup2.txt:3: duplicate word "甲" in kind a (first at dup.txt:2)` {
		t.Errorf("err = %v", err)
	}
	if _, err := LoadLexicon(fsys, "empty/*.txt"); err == nil {
		t.Error("no files: want an error")
	}
	if _, err := LoadLexicon(fsys, "[x"); err == nil {
		t.Error("bad pattern: want an error")
	}
}

func TestExtend(t *testing.T) {
	lex := Default()
	if err := lex.Extend("media", "发抖音", "曝光"); err != nil {
		t.Fatal(err)
	}
	if n := len(lex.Words("media")); n != len(Default().Words("media"))+1 {
		t.Errorf("media has %d words; an existing word must not be added twice", n)
	}
	// A new kind from a pack, and its words.
	if err := lex.Extend("parking", "停车费", "乱收费"); err != nil {
		t.Fatal(err)
	}
	got := lex.Detect("停车场乱收费，我不会找媒体")
	if s, ok := Lookup(got, "parking"); !ok || s.Matches[0].Text != "乱收费" {
		t.Errorf("parking: %s", describe(got))
	}
	if _, ok := Lookup(got, "media"); ok {
		t.Errorf("negated media reported: %s", describe(got))
	}
	k, _ := lex.Kind("parking")
	if k.Negation != NegateAll || k.Label("zh") != "parking" {
		t.Errorf("new kind = %+v", k)
	}
	// "!word" switches a built-in word off for a pack (a law firm's clients
	// mention 律师 all the time).
	if err := lex.Extend("legal", "!律师"); err != nil {
		t.Fatal(err)
	}
	if _, ok := Lookup(lex.Detect("律师态度很差"), "legal"); ok {
		t.Error("excluded word still matches")
	}
	if _, ok := Lookup(lex.Detect("我要起诉"), "legal"); !ok {
		t.Error("other legal words stopped matching")
	}
	// The built-in lexicon is untouched.
	if _, ok := Lookup(Detect("律师态度很差"), "legal"); !ok {
		t.Error("Extend on a Default copy changed the built-in lexicon")
	}

	for _, bad := range [][]string{{"Parking", "x"}, {"parking", ""}, {"parking", "a\nb"}, {"parking", "。"}} {
		if err := lex.Extend(bad[0], bad[1:]...); err == nil {
			t.Errorf("Extend(%q): want an error", bad)
		}
	}
	var zero Lexicon
	if err := zero.Extend("x", "词"); err != nil || len(zero.Detect("一个词")) != 1 {
		t.Errorf("Extend on a zero Lexicon: %v", err)
	}
}

func TestMerge(t *testing.T) {
	pack, err := ParseLexicon("pack.txt", strings.NewReader(`
@kind media
@label zh 媒体曝光(本院)
@negate intent
院报
@kind ticket_resale
@label zh 黄牛
@label en Ticket touts
@note Murder-mystery chain rule 3.
黄牛
@negation neutral
不找媒体
`))
	if err != nil {
		t.Fatal(err)
	}
	lex := Default()
	lex.Merge(pack, nil)
	k, _ := lex.Kind("media")
	if k.Label("zh") != "媒体曝光(本院)" || k.Label("en") != "Media or online exposure" || k.Negation != NegateIntent {
		t.Errorf("merged media = %+v", k)
	}
	if !strings.Contains(k.Note, "Seed 000") {
		t.Errorf("merged media lost its note: %q", k.Note)
	}
	got := lex.Detect("门口有黄牛，我要投给院报")
	for _, kind := range []string{"media", "ticket_resale"} {
		if _, ok := Lookup(got, kind); !ok {
			t.Errorf("%s missing: %s", kind, describe(got))
		}
	}
	// The pack's neutral token now reads "不找媒体" as plain text.
	if _, ok := Lookup(lex.Detect("不找媒体"), "media"); !ok {
		t.Error("merged negation token not used")
	}
	if _, ok := Lookup(Detect("黄牛"), "ticket_resale"); ok {
		t.Error("Merge changed the built-in lexicon")
	}

	var zero Lexicon
	zero.Merge(pack)
	if len(zero.Kinds()) != 2 {
		t.Errorf("Merge into zero Lexicon: %v", zero.Kinds())
	}
}

func TestCloneIsDeep(t *testing.T) {
	a := Default()
	b := a.Clone()
	if err := b.Extend("media", "新词汇"); err != nil {
		t.Fatal(err)
	}
	if _, ok := Lookup(a.Detect("新词汇"), "media"); ok {
		t.Error("Clone shares words")
	}
	k, _ := b.Kind("media")
	k.Labels["zh"] = "changed"
	if k2, _ := b.Kind("media"); k2.Labels["zh"] == "changed" {
		t.Error("Kind shares its labels map")
	}
}
