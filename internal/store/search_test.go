package store_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
	"github.com/ombud/ombud/internal/workflow"
)

// fixture: subject, content, phone. The expected answers below are written
// by hand from this text.
var fixture = []struct{ subject, content, phone string }{
	{"护士态度差", "输液时护士态度生硬，不耐烦。", "13812345678"},                                               // 1
	{"申请退款未到账", "门诊退费两周仍未到账，要求尽快退款。", "13900001111"},                                         // 2
	{"3号店服务差", "3号店店员服务态度差，还多收费。", "15000002222"},                                            // 3
	{"停车收费过高", "医院停车场收费标准不透明。", "18600003333"},                                               // 4
	{"表扬护士", "感谢心内科护士的细心照顾。", "13812345678"},                                                 // 5
	{"投诉 REFUND 订单 A1002", "Online order A1002 refund delayed. 运单号 SF20261125000012345", ""}, // 6
	{"服务", "服务态度恶化，程度恶劣。", "13700007777"},                                                    // 7
}

// searchSetup returns a workflow on st with the generic pack, and a clerk.
func searchSetup(st *store.Store) (*workflow.Service, cases.Actor, context.Context) {
	pack, _ := policy.Load("generic")
	return workflow.New(st, pack), cases.Actor{Username: "clerk", Role: auth.Registrar}, context.Background()
}

func TestSearch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc, clerk, ctx := searchSetup(st)
		num := map[string]int{}
		for i, f := range fixture {
			c, err := svc.Register(ctx, clerk, cases.Registration{Channel: "phone", Subject: f.subject, Content: f.content,
				Complainant: cases.Complainant{Phone: f.phone, Anonymous: f.phone == ""}})
			if err != nil {
				t.Fatal(err)
			}
			num[c.Number] = i + 1
		}
		tests := []struct {
			q    string
			want []int
		}{
			{"态度", []int{1, 3, 7}}, // two characters: the common case
			{"护士", []int{1, 5}},
			{"退", []int{2}}, // one character
			{"店", []int{3}},
			{"服务差", []int{3}}, // three characters: adjacent bigrams
			{"态度差", []int{1, 3}},
			{"度生", []int{1}},    // 态度生硬: bigrams inside a word
			{"士态度", []int{1}},   // 护士态度差 but not 护士的
			{"收费 停车", []int{4}}, // several terms: AND
			{"收费", []int{3, 4}},
			{`"门诊退费"`, []int{2}},         // a quoted phrase
			{"13812345678", []int{1, 5}}, // a phone finds the person's cases
			{"1381234", []int{1, 5}},     // and a partial one
			{"refund", []int{6}},         // Latin words, case-insensitive
			{"a1002", []int{6}},
			{"sf2026", []int{6}},              // the start of a long number
			{"sf2026112500001234", []int{6}},  // longer than the prefixes indexed
			{"sf20261125000012345", []int{6}}, // the whole of it
			{"13", []int{1, 2, 5, 7}},         // shorter than the prefixes indexed
			{"1381234567", []int{1, 5}},
			{`"order a10"`, []int{6}}, // a phrase ending in the start of a word
			{`"refund a10"`, []int{}}, // refund … A1002, not adjacent
			{"医保", []int{}},
			{"度恶劣", []int{7}},
			{"态度恶劣", []int{}}, // 态度恶 and 度恶劣 are there, apart
		}
		for _, tt := range tests {
			list, total, err := st.ListCases(ctx, store.Filter{Q: tt.q})
			if err != nil {
				t.Fatalf("%q: %v", tt.q, err)
			}
			got := []int{}
			for _, c := range list {
				got = append(got, num[c.Number])
			}
			sort.Ints(got)
			if total != len(tt.want) || !slices.Equal(got, tt.want) {
				t.Errorf("search %q: got %v (total %d), want %v", tt.q, got, total, tt.want)
			}
		}
		// The index follows the case: a reply becomes searchable.
		c, _ := svc.Register(ctx, clerk, cases.Registration{Channel: "phone", Subject: "咨询", Content: "挂号问题", Complainant: cases.Complainant{Anonymous: true}})
		svc.Act(ctx, clerk, c.Number, cases.Accept, cases.Params{})
		if _, err := svc.Act(ctx, clerk, c.Number, cases.Reply, cases.Params{Reply: "可通过微信公众号预约挂号", Method: "phone"}); err != nil {
			t.Fatal(err)
		}
		if list, _, _ := st.ListCases(ctx, store.Filter{Q: "公众号"}); len(list) != 1 || list[0].Number != c.Number {
			t.Errorf("the reply is not searchable: %v", list)
		}
		// Search combines with filters.
		if _, total, _ := st.ListCases(ctx, store.Filter{Q: "护士", Status: []cases.Status{cases.Accepted}}); total != 0 {
			t.Errorf("search with a status filter: %d", total)
		}
	})
}

// TestSearchWindow checks the search of many matches with a window of 10
// (store.SetSearchWindow): the pages together hold exactly the newest 10
// matches, the total counts all of them, and asking for them by buckets
// of ids (PostgreSQL's way; buckets of 8 ids here) gives the same pages, in
// the same order, as reading the newest matches from the index (SQLite's
// way) — for common and rare words, words found only in old cases or in a
// band across the first buckets, phrases
// whose bigrams also occur apart, phone prefixes, several terms, and a
// search combined with a status filter.
func TestSearchWindow(t *testing.T) {
	const window, bits, n = 10, 3, 160
	// Case i (1…n) contains a word when has(word, i).
	has := map[string]func(i int) bool{
		"常见":   func(i int) bool { return i%2 == 0 },            // every other case
		"旧事":   func(i int) bool { return i <= 30 },             // old cases only
		"稀有":   func(i int) bool { return i%12 == 0 },           // rare, everywhere
		"边界":   func(i int) bool { return i >= 60 && i <= 100 }, // a band
		"不耐烦":  func(i int) bool { return i%5 == 0 },
		"耐烦不耐": func(i int) bool { return i%7 == 0 }, // 不耐 and 耐烦, apart
		"139":  func(i int) bool { return i%3 == 0 },
	}
	text := func(i int) (content, phone string) {
		for _, w := range []string{"常见", "旧事", "稀有", "边界", "不耐烦", "耐烦不耐"} {
			if has[w](i) {
				content += "，" + w + "问题"
			}
		}
		if i%6 == 0 {
			content += "，常见情况" // ranks higher for 常见
		}
		if has["139"](i) {
			phone = fmt.Sprintf("139%08d", i)
		} else {
			phone = fmt.Sprintf("186%08d", i)
		}
		return "其他" + content, phone
	}
	accepted := func(i int) bool { return i%4 == 0 }
	queries := []struct {
		q      string
		status []cases.Status
		match  func(i int) bool
	}{
		{"常见", nil, has["常见"]},
		{"旧事", nil, has["旧事"]},
		{"稀有", nil, has["稀有"]},
		{"边界", nil, has["边界"]},
		{"不耐烦", nil, has["不耐烦"]},
		{"139", nil, has["139"]},
		{"常见 边界", nil, func(i int) bool { return has["常见"](i) && has["边界"](i) }},
		{"常见", []cases.Status{cases.Accepted}, func(i int) bool { return has["常见"](i) && accepted(i) }},
		{"旧事", []cases.Status{cases.Accepted}, func(i int) bool { return has["旧事"](i) && accepted(i) }},
		{"不耐烦", []cases.Status{cases.Accepted}, func(i int) bool { return has["不耐烦"](i) && accepted(i) }},
		{"耐烦 不耐", nil, func(i int) bool { return has["不耐烦"](i) || has["耐烦不耐"](i) }},
	}
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		svc, clerk, ctx := searchSetup(st)
		num := map[string]int{}
		restore := store.SetSearchWindow(window, bits, false) // documents are indexed in buckets of 8
		defer restore()
		for i := 1; i <= n; i++ {
			content, phone := text(i)
			c, err := svc.Register(ctx, clerk, cases.Registration{Channel: "phone", Subject: "来电", Content: content,
				Complainant: cases.Complainant{Phone: phone}})
			if err != nil {
				t.Fatal(err)
			}
			num[c.Number] = i
			if accepted(i) {
				if _, err := svc.Act(ctx, clerk, c.Number, cases.Accept, cases.Params{}); err != nil {
					t.Fatal(err)
				}
			}
		}
		pages := func(q string, status []cases.Status, buckets bool) (ids []int, totals []int) {
			store.SetSearchWindow(window, bits, buckets)
			for off := 0; off <= window+5; off += 5 {
				list, total, err := st.ListCases(ctx, store.Filter{Q: q, Status: status, Limit: 5, Offset: off})
				if err != nil {
					t.Fatalf("%q: %v", q, err)
				}
				for _, c := range list {
					ids = append(ids, num[c.Number])
				}
				totals = append(totals, total)
			}
			return ids, totals
		}
		for _, tt := range queries {
			var want []int // the newest matches, up to the window
			count := 0
			for i := n; i >= 1; i-- {
				if tt.match(i) {
					count++
					if len(want) < window {
						want = append(want, i)
					}
				}
			}
			got, totals := pages(tt.q, tt.status, true)
			all, allTotals := pages(tt.q, tt.status, false)
			if !slices.Equal(got, all) || !slices.Equal(totals, allTotals) {
				t.Errorf("%q %v: by buckets %v (totals %v), newest from the index %v (totals %v)", tt.q, tt.status, got, totals, all, allTotals)
			}
			sorted := slices.Clone(got)
			slices.Sort(sorted)
			slices.Reverse(sorted)
			if !slices.Equal(sorted, want) {
				t.Errorf("%q %v: pages hold %v, want the newest %v", tt.q, tt.status, got, want)
			}
			// A search counts up to the window: beyond, "more than".
			for _, total := range totals {
				if want := min(count, window+1); total != want {
					t.Errorf("%q %v: total %d, want %d (of %d)", tt.q, tt.status, total, want, count)
					break
				}
			}
		}
	})
}

// TestSearchBucketMigration: migration 00010 gives the search documents
// written before it the terms of their bucket, of their words' prefixes
// and their trigrams, exactly as the store writes them now (PostgreSQL);
// on SQLite it has nothing to do. Searches find the cases either way.
func TestSearchBucketMigration(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		svc, clerk, ctx := searchSetup(st)
		for _, content := range []string{"护士态度不好", "收费不合理，订单 AB123456789012345678", "护士服务态度差 x1 yz"} {
			if _, err := svc.Register(ctx, clerk, cases.Registration{Channel: "phone", Subject: "来电", Content: content,
				Complainant: cases.Complainant{Phone: "13800000000"}}); err != nil {
				t.Fatal(err)
			}
		}
		docs := func() []string {
			rows, err := st.DB().QueryContext(ctx, `SELECT doc::text || ' | ' || tri::text FROM case_search ORDER BY case_id`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var d string
				if err := rows.Scan(&d); err != nil {
					t.Fatal(err)
				}
				out = append(out, d)
			}
			return out
		}
		postgres := strings.HasPrefix(dsn, "postgres")
		var written []string
		if postgres {
			written = docs()
			if len(written) != 3 || !strings.Contains(written[1], "'>ab1234567890123'") || !strings.Contains(written[0], "'~0'") ||
				!strings.Contains(written[2], "'服务态'") {
				t.Fatalf("documents without the bucket, prefix and trigram terms: %v", written)
			}
			// Documents as versions before 00010 wrote them.
			if _, err := st.DB().ExecContext(ctx, `UPDATE case_search SET doc = ts_delete(doc,
				ARRAY(SELECT lexeme FROM unnest(doc) WHERE lexeme LIKE '~%' OR lexeme LIKE '>%'))`); err != nil {
				t.Fatal(err)
			}
			if old := docs(); strings.Contains(strings.Join(old, " "), "'~") {
				t.Fatalf("the terms were not removed: %v", old)
			}
		}
		if err := st.Remigrate(ctx, 9); err != nil {
			t.Fatal(err)
		}
		if postgres {
			if migrated := docs(); !slices.Equal(migrated, written) {
				t.Errorf("after the migration:\n%v\nwritten by the store:\n%v", migrated, written)
			}
		}
		for q, want := range map[string]int{"态度": 2, "1380": 3, "ab12345": 1, "服务态度": 1, "护士态": 1, "合理": 1} {
			if _, total, err := st.ListCases(ctx, store.Filter{Q: q}); err != nil || total != want {
				t.Errorf("%s after the migration: %d cases, %v; want %d", q, total, err, want)
			}
		}
	})
}
