package store_test

import (
	"context"
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
