// Package signals finds risk signals in Chinese complaint text: threats to
// go to the media, a court, the police or a regulator; personal injury;
// safety-critical faults; group complaints and their size; amounts of money;
// demands for compensation, refund or replacement; abusive language;
// repeated contact; threats of self-harm or violence; and a few more (see
// docs/signals.md for the list and the seed behind each kind).
//
// A signal is evidence, not a verdict: policy packs turn signals into a
// risk grade (R9–R12) with their own rules. Each Signal carries the matched
// text and its position in runes, so the UI can highlight it and a handler
// can check it.
//
// # Lexicon
//
// Detection is driven by a Lexicon, a set of kinds with their words, read
// from line-based data files (the built-in ones are embedded from
// lexicon/*.txt; the format is described at ParseLexicon). A policy pack
// adds its own words with Extend, or its own kinds and negation cues with
// Merge. Matching is on runes after folding full-width forms and ASCII
// case; ASCII words match whole words only. Within a kind the longest of
// overlapping words wins ("市场监督管理" over "市场"), and a "!" exclusion
// drops matches inside a longer phrase ("!工商银行" for the regulator word
// "工商").
//
// Three kinds also read numbers (see Numeric): amounts of money
// ("3万元", "¥1,500", "两千五" → 2500 yuan), headcounts ("三十多人" → 30,
// "几十个业主" → 20) and counts of times ("第三次投诉" → 3). Approximate
// numerals give a floor. A signal's Value is the largest such number.
//
// # Negation
//
// A word match is negated when, in the same clause (clauses end at
// ，。！？；,.!?; … and line breaks), a negation cue (不, 没, 没有, 未, 无,
// 不会, 不想, 不打算, 并非, 别, not, never, ...) stands at most
// NegationWindow units before it (a unit is one Chinese character or one
// ASCII word), with these refinements:
//
//   - Double negation: an even number of cues in the window cancels out
//     ("我不是不想起诉" is legal action).
//   - Neutral phrases look like cues but are not: hedges that keep the
//     threat ("不排除起诉", "不得不报警", "不怕打官司"), A-not-A questions
//     ("是不是"), and complaint words that start with a cue character
//     ("不满意", "不处理", "没人管", "特别").
//   - Breakers end a cue's scope: "如果不解决我就找媒体" is a media threat
//     because 就 stands between 不 and 媒体; likewise 否则, 不然, 只能, 但是,
//     我要, 导致, ... A conditional threat therefore counts.
//   - Conditionals: after 如果/要是/万一, a cue negates the match only if
//     at most one unit separates them ("要是没受伤" is negated, "要是不退款
//     起诉你们" is not).
//   - Post cues right after the match negate it: "媒体就算了", "律师我是不会
//     找的".
//
// Each kind chooses how negation applies (Kind.Negation): NegateAll for
// threats and harm; NegateIntent for demands, where only the writer's own
// wish counts ("我不需要赔偿" is negated, "商家不赔偿" is a compensation
// demand); NegateNone for safety faults ("刹不住车") and vulnerable persons.
// Numbers are never negated.
//
// Detect returns only signals with at least one non-negated match; the
// negated occurrences of such a kind are kept in Matches with Negated set.
// DetectAll also returns kinds whose matches are all negated.
//
// # Limits
//
// This is a lexicon with a small set of rules, not a language model. It
// does not know who does what to whom ("服务员骂我是骗子" and "你们是骗子"
// are both abuse), misses paraphrases that are not listed, reads
// hypotheticals ("万一起火怎么办") as mentions, and handles only simplified
// Chinese and a little English.
//
// Offsets are rune offsets into []rune(text); for valid UTF-8 text,
// string([]rune(text)[m.Start:m.End]) == m.Text.
package signals
