package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
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
func (sqliteDialect) match(q search.Query) (join, where, rank, id string, args []any) {
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
	return "JOIN case_search ON case_search.rowid = cases.id", "case_search MATCH ?", "bm25(case_search)",
		"case_search.rowid", []any{strings.Join(parts, " AND ")}
}

func (sqliteDialect) rankWindow(id, rank, from string) string {
	return "SELECT " + id + " AS cid, " + rank + " AS rnk" + from + " ORDER BY " + id + " DESC LIMIT ?"
}

// postgres: a tsvector of bigrams (weight A) and unigrams (weight B).

func (postgresDialect) index(ctx context.Context, t *Tx, id int64, doc search.Doc, _ bool) error {
	_, err := t.exec(ctx, `INSERT INTO case_search (case_id, doc) VALUES (?,
		setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'B'))
		ON CONFLICT (case_id) DO UPDATE SET doc = EXCLUDED.doc`, id, doc.Bigrams, doc.Unigrams)
	return err
}

func (postgresDialect) match(q search.Query) (join, where, rank, id string, args []any) {
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
	where, args = "case_search.doc @@ to_tsquery('simple', ?)", []any{matchQuery(q, false)}
	if phrases := matchQuery(q, true); phrases != "" {
		// The phrases are checked as a function, not as an operator the
		// planner would hand to the index: it then checks them only on
		// the rows that the index and the other conditions leave.
		where += " AND ts_match_vq(case_search.doc, to_tsquery('simple', ?))"
		args = append(args, phrases)
	}
	return "JOIN case_search ON case_search.case_id = cases.id", where,
		"-ts_rank(doc, to_tsquery('simple', " + lit + "))", "case_search.case_id", args
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
// single character, which means the character standing alone.
func matchQuery(q search.Query, phrases bool) string {
	var parts []string
	for _, t := range q {
		if phrases && len(t.Tokens) < 2 {
			continue
		}
		lex := make([]string, len(t.Tokens))
		for i, tok := range t.Tokens {
			lex[i] = "'" + tok + "'"
			if phrases && utf8.RuneCountInString(tok) == 1 && search.IsHan([]rune(tok)[0]) {
				lex[i] += ":A"
			}
			if t.Prefix && i == len(t.Tokens)-1 {
				lex[i] = "'" + tok + "':*"
			}
		}
		if phrases {
			parts = append(parts, "("+strings.Join(lex, " <-> ")+")")
		} else {
			parts = append(parts, lex...)
		}
	}
	return strings.Join(parts, " & ")
}
