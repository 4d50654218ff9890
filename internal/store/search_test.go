package store_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
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
	{"护士态度差", "输液时护士态度生硬，不耐烦。", "13812345678"},                       // 1
	{"申请退款未到账", "门诊退费两周仍未到账，要求尽快退款。", "13900001111"},                 // 2
	{"3号店服务差", "3号店店员服务态度差，还多收费。", "15000002222"},                    // 3
	{"停车收费过高", "医院停车场收费标准不透明。", "18600003333"},                       // 4
	{"表扬护士", "感谢心内科护士的细心照顾。", "13812345678"},                         // 5
	{"投诉 REFUND 订单 A1002", "Online order A1002 refund delayed.", ""}, // 6
}

func TestSearch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		pack, _ := policy.Load("generic")
		svc := workflow.New(st, pack)
		clerk := cases.Actor{Username: "clerk", Role: auth.Registrar}
		ctx := context.Background()
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
			{"态度", []int{1, 3}}, // two characters: the common case
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
			{"医保", []int{}},
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
// matches, the total counts all of them, and finding the window by id
// ranges (PostgreSQL's way) gives the same pages, in the same order, as
// reading every match (SQLite's way) — for common and rare words, words
// found only in old cases or in a band across the first range, phrases
// whose bigrams also occur apart, phone prefixes, several terms, and a
// search combined with a status filter.
func TestSearchWindow(t *testing.T) {
	const window, n = 10, 160
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
	}
	storetest.Run(t, func(t *testing.T, st *store.Store, _ string) {
		pack, _ := policy.Load("generic")
		svc := workflow.New(st, pack)
		clerk := cases.Actor{Username: "clerk", Role: auth.Registrar}
		ctx := context.Background()
		num := map[string]int{}
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
		pages := func(q string, status []cases.Status, floor bool) (ids []int, totals []int) {
			defer store.SetSearchWindow(window, floor)()
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
				t.Errorf("%q %v: by id ranges %v (totals %v), reading all matches %v (totals %v)", tt.q, tt.status, got, totals, all, allTotals)
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
