package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/search"
)

// searchText is what a case is found by: its number, the complainant's name
// and phone, the respondent, subject, content, demands, proposal and reply.
func searchText(c *cases.Case) string {
	return strings.Join([]string{c.Number, c.Complainant.Name, c.Complainant.Phone, c.Complainant.OtherContact,
		c.Respondent.Department, c.Respondent.Staff, c.Respondent.Site, c.Subject, c.Content, c.DemandNote,
		c.ForwardedTo, c.Proposal, c.Reply}, "\n")
}

// reindexedBy lists the event types that change what a case is found by.
var reindexedBy = map[string]bool{cases.EventRegistered: true, string(cases.Propose): true,
	string(cases.Reply): true, string(cases.Forward): true, string(cases.Reopen): true}

func (t *Tx) index(ctx context.Context, c *cases.Case, isNew bool) error {
	if err := t.d.index(ctx, t, c.ID, search.Index(searchText(c)), isNew); err != nil {
		return fmt.Errorf("index case %s: %w", c.Number, err)
	}
	return nil
}

// pendingDoc is a search document written when the transaction commits.
type pendingDoc struct {
	doc   search.Doc
	isNew bool
}

// sqlite: FTS5 over two columns; the query is an FTS5 expression.
//
// FTS5 keeps new terms in memory and flushes them to its b-tree whenever a
// statement opens a savepoint — and an upsert, or an insert with RETURNING,
// does. Written in the middle of a group commit, every case's terms would
// be flushed by the next case's numbering: so the documents wait in the
// transaction and are written together just before it commits.

func (sqliteDialect) index(ctx context.Context, t *Tx, id int64, doc search.Doc, isNew bool) error {
	if t.search == nil {
		t.search = map[int64]pendingDoc{}
	}
	if old, ok := t.search[id]; ok {
		isNew = old.isNew
	}
	t.search[id] = pendingDoc{doc: doc, isNew: isNew}
	return nil
}

// flushSearch writes the documents the transaction's bodies indexed:
// deletions first, then insertions, so that no statement in between makes
// FTS5 flush.
func (t *Tx) flushSearch(ctx context.Context) error {
	if len(t.search) == 0 {
		return nil
	}
	ids := slices.Sorted(maps.Keys(t.search))
	for _, id := range ids {
		if !t.search[id].isNew {
			if _, err := t.exec(ctx, `DELETE FROM case_search WHERE rowid = ?`, id); err != nil {
				return err
			}
		}
	}
	for _, id := range ids {
		d := t.search[id].doc
		if _, err := t.exec(ctx, `INSERT INTO case_search (rowid, bigrams, unigrams) VALUES (?, ?, ?)`, id, d.Bigrams, d.Unigrams); err != nil {
			return err
		}
	}
	clear(t.search)
	return nil
}

// matchSQL is how a search selects and ranks the cases that match it.
type matchSQL struct {
	// join joins the index to cases; where selects the matches, with args.
	join, where string
	args        []any
	// check, if set, is a further condition (with checkArgs) that each row
	// where selects must meet — a phrase, on a document read from TOAST —
	// best checked on as few rows as possible: on the newest first, until
	// enough match. It names the columns doc and tri, unqualified.
	check     string
	checkArgs []any
	// rank orders matches (lower ranks first); id is the index's case id
	// column (which, on SQLite, lists matches newest first straight from
	// the index when ordered descending).
	rank, id string
}

func (sqliteDialect) match(q search.Query) matchSQL {
	var parts []string
	for _, t := range q {
		col := "bigrams"
		if t.Unigram {
			col = "unigrams"
		}
		p := col + ` : "` + strings.Join(t.Tokens, " ") + `"`
		if t.Prefix {
			p += " *"
		}
		parts = append(parts, p)
	}
	return matchSQL{join: "JOIN case_search ON case_search.rowid = cases.id", where: "case_search MATCH ?",
		args: []any{strings.Join(parts, " AND ")}, rank: "bm25(case_search)", id: "case_search.rowid"}
}

// inBuckets: FTS5 reads a rowid range straight from its index.
func (sqliteDialect) inBuckets(id string, lo, hi int64) (string, []any) {
	return id + " BETWEEN ? AND ?", []any{lo << searchBucketBits, (hi+1)<<searchBucketBits - 1}
}

func (sqliteDialect) rankWindow(id, rank, from string) string {
	return "SELECT " + id + " AS cid, " + rank + " AS rnk" + from + " ORDER BY " + id + " DESC LIMIT ?"
}

// postgres: doc, a tsvector of bigrams (weight A) and unigrams (weight B)
// and, without positions or weight, the term of the document's bucket of
// case ids (bucketTerm) and the prefixes of its Latin words and numbers
// (prefixTerms); and tri, a tsvector of its trigrams (trigramTerms). One
// GIN index covers both columns.

func (postgresDialect) index(ctx context.Context, t *Tx, id int64, doc search.Doc, _ bool) error {
	extra := append([]string{bucketTerm(id >> searchBucketBits)}, prefixTerms(doc.Bigrams)...)
	_, err := t.exec(ctx, `INSERT INTO case_search (case_id, doc, tri) VALUES (?,
		setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'B') || ?::tsvector, ?::tsvector)
		ON CONFLICT (case_id) DO UPDATE SET doc = EXCLUDED.doc, tri = EXCLUDED.tri`,
		id, doc.Bigrams, doc.Unigrams, strings.Join(extra, " "), strings.Join(trigramTerms(doc.Bigrams), " "))
	return err
}

// Trigrams: each two adjacent terms of the bigram stream that overlap
// (AB, BC) also give a trigram (ABC), kept in a second tsvector column
// (tri) under the same GIN index, at the position of its first bigram. A
// three-character search is then one term, answered by the index alone,
// and a longer one the AND of its trigrams, whose candidates nearly all
// hold the phrase, checked on the trigrams' positions in the row. As
// bigrams, a phrase was the AND of its bigrams checked against the
// positions of each candidate's document — read from TOAST, 8–25 µs a
// candidate — and most candidates of 排队时间 have 排队, 队时 and 时间
// apart. The trigrams are derived from the stream's terms in order, as
// PostgreSQL numbers their positions, so that migration 00010 derives the
// same ones from the documents before it; like the bigram phrases, they
// may join two runs of text whose ends overlap.
func trigramTerms(bigrams string) []string {
	toks := strings.Fields(bigrams)
	pos := map[string][]string{}
	var order []string
	for i := 0; i+1 < len(toks); i++ {
		tri := overlap(toks[i], toks[i+1])
		if tri == "" {
			continue
		}
		if pos[tri] == nil {
			order = append(order, tri)
		}
		// At its first bigram's position, as PostgreSQL numbers them (up
		// to 16,383, at most 256 positions a term).
		if len(pos[tri]) < 256 {
			pos[tri] = append(pos[tri], strconv.Itoa(min(i+1, 16383)))
		}
	}
	out := make([]string, len(order))
	for i, tri := range order {
		out[i] = "'" + tri + "':" + strings.Join(pos[tri], ",")
	}
	return out
}

// overlap returns ABC for the terms AB and BC, or "".
func overlap(a, b string) string {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != 2 || len(rb) != 2 || ra[1] != rb[0] {
		return ""
	}
	return a + string(rb[1])
}

// trigrams returns the trigrams a search term is found by: those of a
// phrase of overlapping bigrams (a Han run of three characters or more),
// else none.
func trigrams(t search.Term) []string {
	if t.Unigram || t.Prefix || len(t.Tokens) < 2 {
		return nil
	}
	var out []string
	for i := 0; i+1 < len(t.Tokens); i++ {
		tri := overlap(t.Tokens[i], t.Tokens[i+1])
		if tri == "" {
			return nil
		}
		out = append(out, tri)
	}
	return out
}

// Prefix terms: a Latin word or number of minPrefix characters or more is
// also indexed by its prefixes of minPrefix up to maxPrefix characters
// (itself included, if no longer), each marked with '>' (the terms of text
// are letters and digits only), so that a search for the start of a phone
// or order number (138, 1391) looks up one term. A prefix query (138:*)
// would instead scan every distinct number that begins so — tens of
// thousands of phone numbers — and PostgreSQL rechecks each row it
// yields against its document, read from TOAST: 130–350 ms at a million
// cases. The mark keeps the terms, which have no position, out of the
// phrase checks: a prefix match in a phrase fails on a term without one.
// Han terms are one or two characters and have none. Migration 00010 gave
// the documents before it their prefix terms.
const minPrefix, maxPrefix = 3, 16

// prefixTerms returns the prefix terms of a document's bigram stream, as
// quoted tsvector lexemes.
func prefixTerms(bigrams string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.Fields(bigrams) {
		r := []rune(w)
		for k := minPrefix; k <= len(r) && k <= maxPrefix; k++ {
			if p := string(r[:k]); !seen[p] {
				seen[p] = true
				out = append(out, prefixTerm(p))
			}
		}
	}
	return out
}

func prefixTerm(p string) string { return "'>" + p + "'" }

// exactPrefix reports that a query word looked up by prefix is one term,
// because documents carry the prefixes of their words (prefixTerms).
func exactPrefix(tok string) bool {
	n := utf8.RuneCountInString(tok)
	return n >= minPrefix && n <= maxPrefix
}

// bucketTerm is the term every document of a bucket of case ids carries
// ('~' and a number). A search asks the GIN index for its words AND some
// buckets' terms, and the index intersects their posting lists itself,
// skipping through a common word's list to the newest buckets' documents —
// where an id range on the primary key would be ANDed with the word's
// whole match set, built anew by every statement (50 ms for a character in
// 39% of a million cases). Migration 00010 gave the documents before it
// their bucket's term.
func bucketTerm(bucket int64) string { return "'~" + strconv.FormatInt(bucket, 10) + "'" }

// inBuckets: the OR of the buckets' terms, which the GIN index intersects
// with the words' (see bucketTerm).
func (postgresDialect) inBuckets(_ string, lo, hi int64) (string, []any) {
	terms := make([]string, 0, hi-lo+1)
	for b := lo; b <= hi; b++ {
		terms = append(terms, bucketTerm(b))
	}
	return "case_search.doc @@ ?::tsquery", []any{strings.Join(terms, " | ")}
}

func (postgresDialect) match(q search.Query) matchSQL {
	// The condition leaves out the weights wherever they select nothing
	// (see matchQuery); the rank keeps them, so that a bigram counts more
	// than a character, as before.
	var ranked []string
	for _, t := range q {
		if t.Unigram {
			ranked = append(ranked, "'"+t.Tokens[0]+"':B")
			continue
		}
		lex := make([]string, len(t.Tokens))
		for i, tok := range t.Tokens {
			lex[i] = "'" + tok + "':A"
			if t.Prefix && i == len(t.Tokens)-1 {
				lex[i] = "'" + tok + "':*A"
			}
		}
		ranked = append(ranked, "("+strings.Join(lex, " <-> ")+")")
	}
	// The rank repeats the query as a literal so that the arguments are
	// only the condition's.
	lit := "'" + strings.ReplaceAll(strings.Join(ranked, " & "), "'", "''") + "'"
	// The prefix terms are written as they are stored: to_tsquery would
	// take the mark for punctuation.
	m := matchSQL{join: "JOIN case_search ON case_search.case_id = cases.id",
		rank: "-ts_rank(doc, to_tsquery('simple', " + lit + "))", id: "case_search.case_id"}
	var conds []string
	if words := matchQuery(q, false); words != "" {
		conds, m.args = append(conds, "to_tsquery('simple', ?)"), append(m.args, words)
	}
	var prefixes, tris []string
	for _, t := range q {
		if last := t.Tokens[len(t.Tokens)-1]; t.Prefix && exactPrefix(last) {
			prefixes = append(prefixes, prefixTerm(last))
		}
		for _, tri := range trigrams(t) {
			tris = append(tris, "'"+tri+"'")
		}
	}
	if len(prefixes) > 0 {
		conds, m.args = append(conds, "?::tsquery"), append(m.args, strings.Join(prefixes, " & "))
	}
	var where []string
	if len(conds) > 0 {
		where = append(where, "case_search.doc @@ ("+strings.Join(conds, " && ")+")")
	}
	if len(tris) > 0 {
		where, m.args = append(where, "case_search.tri @@ ?::tsquery"), append(m.args, strings.Join(tris, " & "))
	}
	m.where = strings.Join(where, " AND ")
	if phrases := matchQuery(q, true); phrases != "" {
		// The phrases are checked as a function, not as an operator the
		// planner would hand to the index: it then checks them only on
		// the rows that the index and the other conditions leave.
		m.check, m.checkArgs = "ts_match_vq(doc, to_tsquery('simple', ?))", []any{phrases}
	}
	// A phrase of four characters or more is checked on its trigrams'
	// positions: tri is stored in the row, where doc is read from TOAST.
	var triPhrases []string
	for _, t := range q {
		if tri := trigrams(t); len(tri) > 1 {
			for i := range tri {
				tri[i] = "'" + tri[i] + "'"
			}
			triPhrases = append(triPhrases, "("+strings.Join(tri, " <-> ")+")")
		}
	}
	if len(triPhrases) > 0 {
		if m.check != "" {
			m.check += " AND "
		}
		m.check += "ts_match_vq(tri, ?::tsquery)"
		m.checkArgs = append(m.checkArgs, strings.Join(triPhrases, " & "))
	}
	return m
}

// rankWindow ranks only the rows that the limit keeps: PostgreSQL computes
// a cheap-looking select list before sorting, and ts_rank reads each
// document from TOAST. The inner query passes on the document unread.
func (postgresDialect) rankWindow(id, rank, from string) string {
	return "SELECT cid, " + rank + " AS rnk FROM (SELECT " + id + " AS cid, case_search.doc" + from +
		" ORDER BY " + id + " DESC LIMIT ?) w"
}

// matchQuery is q as a tsquery: with phrases unset, the condition the GIN
// index answers alone; with phrases set, the phrases (terms of several
// tokens) that rows it yields must also match ("" if there are none).
//
// A weight restriction or a phrase makes PostgreSQL recheck every
// candidate row against its stored document (read from TOAST: most
// documents are several kilobytes), while a lexeme or an AND of lexemes is
// answered by the index alone. So the index condition is the AND of all
// tokens without weights, which select nothing for them anyway: a
// character of the unigram stream (B) is found anywhere — the bigram
// stream holds a character only where it stands alone, and then the
// unigram stream holds it too — and two-character bigrams, Latin words and
// numbers exist only in the bigram stream (A). The phrases keep the A of a
// single character, which means the character standing alone. The
// condition leaves out a word looked up by prefix where documents have its
// prefix term (prefixTerms; match adds it), and else matches it by prefix.
func matchQuery(q search.Query, phrases bool) string {
	var parts []string
	for _, t := range q {
		if phrases && len(t.Tokens) < 2 {
			continue
		}
		if len(trigrams(t)) > 0 {
			// Found, and checked, by its trigrams (see match).
			continue
		}
		lex := make([]string, len(t.Tokens))
		for i, tok := range t.Tokens {
			lex[i] = "'" + tok + "'"
			if phrases && utf8.RuneCountInString(tok) == 1 && search.IsHan([]rune(tok)[0]) {
				lex[i] += ":A"
			}
			if t.Prefix && i == len(t.Tokens)-1 {
				switch {
				case phrases:
					lex[i] = "'" + tok + "':*"
				case exactPrefix(tok):
					lex[i] = "" // a prefix term (see match)
				default:
					lex[i] = "'" + tok + "':*"
				}
			}
		}
		lex = slices.DeleteFunc(lex, func(l string) bool { return l == "" })
		if phrases {
			parts = append(parts, "("+strings.Join(lex, " <-> ")+")")
		} else {
			parts = append(parts, lex...)
		}
	}
	return strings.Join(parts, " & ")
}
