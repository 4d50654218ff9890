package signals

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// detectCase is one complaint sentence and what Detect must find in it.
//
// want lists exactly the active kinds, space separated; "kind=N" also checks
// the signal's Value. negated lists kinds that must be found with every match
// negated (DetectAll reports them, Detect does not).
type detectCase struct {
	name    string
	text    string
	want    string
	negated string
}

var detectCases = []detectCase{
	// Hospital (seed 001).
	{"hospital infection and lawyer", "我父亲在你们医院做完手术后感染住院，花了五万多，我已经请了律师，准备起诉你们医院。",
		"amount=50000 injury legal", ""},
	{"nurse insulted me, regulator", "护士态度恶劣，还骂我，我要投诉到卫健委和12345。", "harassment regulator", ""},
	{"red envelope report", "医生收红包，这个事情我会向纪委举报。", "corruption regulator", ""},
	{"child allergy, conditional media threat", "孩子打针后过敏，没有人解释，如果今天不给说法我就找记者曝光。",
		"injury media vulnerable", ""},
	{"no injury, waiting time", "我没有受伤，只是想反映一下挂号排队太久的问题。", "", "injury"},
	{"no lawsuit, no media", "我不打算起诉，也不会找媒体，只希望医院道歉。", "", "legal media"},
	{"death and compensation", "医疗事故导致我母亲去世，我们全家要求赔偿精神损失费三十万元。",
		"amount=300000 compensation injury", ""},
	{"inpatient ward is a place", "住院部的护士不理人，按铃半天没人来。", "", ""},
	{"third follow-up complaint", "出院回访时我说了态度不好，这是我第三次反映了。", "repeat=3", ""},

	// Car dealer (seed 001, A级/B级).
	{"brakes, replacement or court", "新车开了三个月刹车失灵，差点出车祸，要求换车，否则起诉到法院。",
		"legal replacement safety", ""},
	{"stalling, repaired three times", "车辆行驶中突然熄火，发动机修了三次都没修好，我要求退车并赔偿。",
		"compensation refund repeat_repair=3 safety", ""},
	{"airbag, injury, police", "安全气囊没有弹出，人受了伤，4S店一直推诿，我已经报警了。",
		"injury police repeat safety", ""},
	{"written reply or blockade", "你们再不给我书面答复，我们二十多个车主就去堵门拉横幅。",
		"blockade group=20 written_reply", ""},
	{"fire, nobody hurt", "车子自燃烧得只剩架子，幸好没人受伤。", "safety", "injury"},
	{"brake fluid", "保养时发现制动液泄漏。", "safety", ""},
	{"turn signal is not steering", "转向灯坏了，换个灯泡要两百块。", "amount=200", ""},
	{"30k km is not money", "开了三万公里发动机就漏油。", "", ""},

	// Fitness club (seed 001).
	{"treadmill broke, fracture", "健身房跑步机突然断裂，我摔倒骨折，住院花了两万三。",
		"amount=23000 injury safety", ""},
	{"owner fled, group lawsuit", "私教课没上几节，老板跑路了，我们几十个会员要集体起诉，每人充值5000元。",
		"amount=5000 group=20 legal", ""},
	{"refund or 12315", "我要退卡退钱，不退就去12315投诉。", "refund regulator", ""},
	{"coach pushed and looked down", "教练推了我一下，还瞧不起人，说我穷。", "assault discrimination", ""},
	{"no refund wanted", "我不想退卡，只是希望更衣室能干净一点。", "", "refund"},
	{"called several times", "健身卡退款的事情，我打了好几次电话都没人处理。", "refund repeat=3", ""},

	// Water utility (seed 004).
	{"yellow water, elderly and child", "自来水发黄有异味，家里有老人和小孩，喝了拉肚子。", "food_safety vulnerable", ""},
	{"outage, five calls, petition", "小区停水三天了，打热线打了五次都没人管，再不解决我们全体业主就去市政府上访。",
		"group regulator repeat=5", ""},
	{"burst pipe loss", "水管爆管把楼下淹了，损失一万多块钱。", "amount=10000 safety", ""},
	{"overcharged", "抄表员多收了水费两百元。", "amount=200", ""},
	{"gas leak is not a data leak", "燃气泄漏的味道很重，请尽快派人来看。", "safety", ""},

	// Market and food (seeds 000, 003).
	{"spoiled pork poisoning", "在菜市场买的猪肉发霉变质，吃了以后全家食物中毒，都去了急诊。",
		"food_safety injury", ""},
	{"short weight, triple refund", "商户缺斤短两，我要求退一赔三，不然我就打12315。", "compensation regulator", ""},
	{"fake goods insults", "这家店卖三无产品，奸商，骗子！", "abuse food_safety", ""},
	{"refuse bins are not abuse", "垃圾分类做得不好，垃圾桶总是满的。", "", ""},
	{"already exposed", "我在网上看到你们被曝光了。", "media", ""},

	// E-commerce.
	{"phone exploded, child burned", "买的手机充电时爆炸，把孩子的手烧伤了，要求十倍赔偿，否则发到网上让大家都看看。",
		"compensation injury media safety vulnerable", ""},
	{"customer service passes the buck", "快递丢了，客服一直推来推去，我要求全额退款￥2,599。", "amount=2599 refund repeat", ""},
	{"return, no compensation", "商品和描述不符，我要退货，不需要补偿。", "refund", "compensation"},
	{"data leak and harassment", "客服泄露了我的个人信息，现在天天接到骚扰电话。", "harassment privacy", ""},
	{"pregnant woman, 15k furniture", "买了1.5万的家具，甲醛超标，孕妇住进去头晕。", "amount=15000 vulnerable", ""},
	{"English fire refund police", "Ordered a blender, it caught fire. I want a refund or I will call the police.",
		"police refund safety", ""},
	{"English no media", "I will not go to the media, I just want my money back.", "refund", "media"},
	{"refund in rmb", "我要求退款3000rmb。", "amount=3000 refund", ""},
	{"RMB prefix with separators", "RMB 12,000 was charged twice", "amount=12000", ""},
	{"not sue inside issue", "This is an issue with my order.", "", ""},

	// Collections and threats (seed 001).
	{"collector threats", "催收员半夜打电话恐吓我，还爆通讯录联系我家人，我已经向银保监会投诉。", "harassment regulator", ""},
	{"self-harm threat", "再这样逼我，我就跳楼，死给你们看。", "urgent_threat", ""},
	{"no self-harm", "我不会跳楼的，只是太气了。", "", "urgent_threat"},

	// Groups.
	{"households sign jointly", "我们十几户业主联名写信投诉物业。", "group=11", ""},
	{"parents gather", "三十多名家长在学校门口聚集。", "blockade group=30", ""},
	{"two people are not a group", "我和老公两个人去吃饭，菜里有头发。", "", ""},
	{"a few people hurt", "我们几个人都受伤了。", "group=3 injury", ""},
	{"five trainees hurt", "我们5名学员都受伤了。", "group=5 injury", ""},

	// Amounts.
	{"two amounts, the largest wins", "价格从2000块涨到3000块。", "amount=3000", ""},
	{"financial numerals", "合同写的是人民币叁万元整。", "amount=30000", ""},
	{"10w", "赔偿金额10w。", "amount=100000 compensation", ""},
	{"ten-thousand-plus", "上万块钱的东西说坏就坏。", "amount=10000", ""},
	{"a hundred and ten thousand", "十几万的车开了一个月就趴窝。", "amount=110000", ""},
	{"thirty-odd ten-thousands", "装修花了三十多万。", "amount=300000", ""},
	{"several thousand", "损失几千块。", "amount=2000", ""},
	{"colloquial 15000", "只退了我一万五。", "amount=15000", ""},
	{"fine and deduction", "罚款2000元以上，又扣了五百。", "amount=2000", ""},
	{"together is not one yuan", "一块去健身的朋友也被坑了。", "", ""},
	{"order number is not 12315", "订单号1231500，金额3万。", "amount=30000", ""},
	{"bank is not the regulator", "中国工商银行扣了我两千。", "amount=2000", ""},
	{"the regulator", "我要去工商局投诉。", "regulator", ""},

	// Negation, hedges, conditionals.
	{"double negative", "我并不是不想起诉，只是想先协商。", "legal", ""},
	{"otherwise court", "不然我就去法院。", "legal", ""},
	{"or else in court", "否则我们法庭上见。", "legal", ""},
	{"hedge keeps the threat", "我们对处理结果不满意，不排除通过法律途径解决。", "legal", ""},
	{"A-not-A question", "你们是不是要我去找记者？", "media", ""},
	{"condition without 就", "要是不退款起诉你们。", "legal refund", ""},
	{"hypothetical negated", "要是没受伤就好了。", "", "injury"},
	{"post cue", "媒体那边就算了，只要退钱。", "refund", "media"},
	{"post cue 是不会", "律师我是不会请的。", "", "legal"},
	{"double negative demand", "没有人不想要赔偿。", "compensation", ""},
	{"dissatisfied is not negation", "服务员态度不好，我不满意，投诉到消协。", "regulator", ""},
	{"only choice", "一直不处理只能找媒体。", "media", ""},
	{"inaction then regulator", "你们不处理投诉到12315。", "regulator", ""},
	{"never went to media", "我从来没找过媒体。", "", "media"},
	{"do not push me", "别逼我找媒体。", "media", ""},
	{"do not hire a lawyer", "别找律师了，我们私下解决。", "", "legal"},
	{"others said", "别人说要找媒体。", "media", ""},
	{"merchant refuses refund", "商家不给退款，也不给换货。", "refund replacement", ""},
	{"hotline sends to court", "12315热线说让我们找法院。", "legal regulator", ""},

	// Repeats.
	{"not the first time", "这不是第一次了，上周也来过。", "repeat", ""},
	{"complained three times", "客户投诉了3次。", "repeat=3", ""},
	{"medicine is not a repeat", "每天吃3次药。", "", ""},
	{"two different things", "这是两回事。", "", ""},
	{"which time", "第几次了？", "", ""},
	{"repaired and still broken", "修了三次还是修不好。", "repeat_repair=3", ""},

	// Mixed and odd input.
	{"mixed Weibo lawyer", "我要去Weibo曝光你们，还要找lawyer。", "legal media", ""},
	{"full-width digits", "我要打１２３１５投诉，退款￥５００。", "amount=500 refund regulator", ""},
	{"elderly fell", "老人家在店门口摔倒，没人扶。", "injury vulnerable", ""},
	{"abusive", "这家黑心店。", "abuse", ""},
	{"bare number after a money word", "年卡3800，用了一个月就关门了。", "amount=3800", ""},
	{"maintenance cost", "车子保养花了1200，比别家贵。", "amount=1200", ""},
	{"bare number is not money", "订单3800已经签收。", "", ""},
	{"believe it or not", "信不信我去你们总部闹事。", "blockade escalation", ""},
	{"do not make me", "不要让我在朋友圈曝光你们。", "media", ""},
	{"elderly by age", "八十岁的母亲在店里摔倒了。", "injury vulnerable", ""},
	{"news is not media", "新闻里说要涨水价了。", "", ""},
	{"platform of purchase is still a mention", "我在抖音上看到你们的团购，买了两张券。", "media", ""},
	{"calculated is not a post cue", "赔偿算了一下大概3万。", "amount=30000 compensation", ""},
	{"merchant says it won't refund", "商家说不会退款。", "refund", ""},
	{"never again", "我再也不会去法院起诉了。", "", "legal"},
	{"empty", "", "", ""},
	{"spaces", "   \n\t ", "", ""},
}

func parseWant(s string) map[string]float64 {
	want := map[string]float64{}
	for _, f := range strings.Fields(s) {
		kind, v, ok := strings.Cut(f, "=")
		want[kind] = -1
		if ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				panic(f)
			}
			want[kind] = n
		}
	}
	return want
}

func describe(sigs []Signal) string {
	var b strings.Builder
	for _, s := range sigs {
		fmt.Fprintf(&b, "\n  %s value=%v", s.Kind, s.Value)
		for _, m := range s.Matches {
			fmt.Fprintf(&b, " %q[%d:%d]", m.Text, m.Start, m.End)
			if m.Negated {
				b.WriteString("(neg)")
			}
		}
	}
	return b.String()
}

func TestDetect(t *testing.T) {
	lex := Default()
	for _, tc := range detectCases {
		t.Run(tc.name, func(t *testing.T) {
			got := lex.Detect(tc.text)
			want := parseWant(tc.want)
			var kinds []string
			for _, s := range got {
				kinds = append(kinds, s.Kind)
				if !s.Active() {
					t.Errorf("Detect returned inactive signal %s", s.Kind)
				}
			}
			wantKinds := slices.Sorted(func(yield func(string) bool) {
				for k := range want {
					if !yield(k) {
						return
					}
				}
			})
			if !slices.Equal(kinds, wantKinds) {
				t.Fatalf("%s\nkinds = %v, want %v%s", tc.text, kinds, wantKinds, describe(got))
			}
			for _, s := range got {
				if v := want[s.Kind]; v >= 0 && s.Value != v {
					t.Errorf("%s: %s value = %v, want %v%s", tc.text, s.Kind, s.Value, v, describe(got))
				}
			}
			all := lex.DetectAll(tc.text)
			for _, k := range strings.Fields(tc.negated) {
				s, ok := Lookup(all, k)
				if !ok || s.Active() {
					t.Errorf("%s: want %s found and negated%s", tc.text, k, describe(all))
				}
			}
			checkOffsets(t, tc.text, all)
		})
	}
}

// checkOffsets verifies the invariants every result must keep.
func checkOffsets(t *testing.T, text string, sigs []Signal) {
	t.Helper()
	rs := []rune(text)
	for i, s := range sigs {
		if i > 0 && sigs[i-1].Kind >= s.Kind {
			t.Fatalf("signals not sorted by kind: %s before %s", sigs[i-1].Kind, s.Kind)
		}
		if len(s.Matches) == 0 {
			t.Fatalf("signal %s has no matches", s.Kind)
		}
		for j, m := range s.Matches {
			if m.Start < 0 || m.End <= m.Start || m.End > len(rs) {
				t.Fatalf("%s: match %+v out of range (len %d)", s.Kind, m, len(rs))
			}
			if got := string(rs[m.Start:m.End]); got != m.Text {
				t.Fatalf("%s: runes[%d:%d] = %q, Text %q", s.Kind, m.Start, m.End, got, m.Text)
			}
			if j > 0 && s.Matches[j-1].Start > m.Start {
				t.Fatalf("%s: matches not in text order", s.Kind)
			}
			if m.Value < 0 || m.Value != m.Value {
				t.Fatalf("%s: bad value %v", s.Kind, m.Value)
			}
		}
		if s.Value < 0 || s.Value != s.Value {
			t.Fatalf("%s: bad value %v", s.Kind, s.Value)
		}
	}
}

func TestMatchesKeepNegatedOccurrences(t *testing.T) {
	text := "我本来不会找媒体，但是如果还不解决，就上微博曝光。"
	s, ok := Lookup(Detect(text), "media")
	if !ok {
		t.Fatalf("no media signal%s", describe(Detect(text)))
	}
	var got []string
	for _, m := range s.Matches {
		got = append(got, fmt.Sprintf("%s:%v", m.Text, m.Negated))
	}
	want := []string{"媒体:true", "微博:false", "曝光:false"}
	if !slices.Equal(got, want) {
		t.Errorf("matches = %v, want %v", got, want)
	}
}

func TestOverlapLongestWins(t *testing.T) {
	tests := []struct {
		text, kind string
		want       []string
	}{
		{"向市场监督管理局投诉", "regulator", []string{"市场监督管理"}},
		{"我要求全额退款", "refund", []string{"全额退"}},
		{"制动液泄漏", "safety", []string{"制动"}},
		{"安全气囊没弹", "safety", []string{"安全气囊"}},
		{"食物中毒", "injury", []string{"中毒"}}, // another kind's word may overlap
		{"食物中毒", "food_safety", []string{"食物中毒"}},
	}
	for _, tt := range tests {
		s, _ := Lookup(Detect(tt.text), tt.kind)
		var got []string
		for _, m := range s.Matches {
			got = append(got, m.Text)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %s matches = %v, want %v", tt.text, tt.kind, got, tt.want)
		}
	}
}

func TestAmountMatches(t *testing.T) {
	tests := []struct {
		text string
		want []string // "text=value"
	}{
		{"赔3 万元", []string{"3 万元=30000"}},
		{"¥1,500和￥200", []string{"¥1,500=1500", "￥200=200"}},
		{"1.5万", []string{"1.5万=15000"}},
		{"退2000块，再赔两千五", []string{"2000块=2000", "两千五=2500"}},
		{"三万", []string{"三万=30000"}},
		{"一万零五元", []string{"一万零五元=10005"}},
		{"一亿三千万", []string{"一亿三千万=1.3e+08"}},
		{"5k", []string{"5k=5000"}},
		{"跑了5km", nil},
		{"十块钱", []string{"十块钱=10"}},
		{"3000 yuan", []string{"3000 yuan=3000"}},
		{"2.5元", []string{"2.5元=2.5"}},
		{"1000,200", nil},
		{"两千多个", nil},
		{"元旦", nil},
		{"100日元", nil},
	}
	for _, tt := range tests {
		s, _ := Lookup(Detect(tt.text), "amount")
		var got []string
		for _, m := range s.Matches {
			got = append(got, fmt.Sprintf("%s=%v", m.Text, m.Value))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: amounts = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestParseNumeral(t *testing.T) {
	tests := map[string]float64{
		"十":      10,
		"十五":     15,
		"二十":     20,
		"三十多":    30,
		"几十":     20,
		"十几":     11,
		"二十几":    21,
		"几":      3,
		"几百":     200,
		"数十":     20,
		"上百":     100,
		"上万":     10000,
		"一百二":    120,
		"两千五":    2500,
		"三万五":    35000,
		"一万五千":   15000,
		"一万零五":   10005,
		"十来":     10,
		"2万5":    25000,
		"1万2000": 12000,
		"1.5万":   15000,
		"0.3万":   3000,
		"10w":    100000,
		"1,500":  1500,
		"三千多万":   30000000,
		"叁仟":     3000,
		"二零二四":   2024,
	}
	for in, want := range tests {
		rs := foldRunes([]rune(in))
		num, ok := parseNumeral(rs, 0)
		if !ok || num.value != want || num.end != len(rs) {
			t.Errorf("parseNumeral(%q) = %v (end %d, ok %v), want %v", in, num.value, num.end, ok, want)
		}
	}
}

func TestOffsetsWithMixedWidths(t *testing.T) {
	// Emoji, ASCII and CJK mixed: offsets count runes, not bytes.
	text := "😡😡 abc 我要找媒体！退款¥1,500"
	sigs := Detect(text)
	checkOffsets(t, text, sigs)
	s, ok := Lookup(sigs, "media")
	if !ok || s.Matches[0].Start != 10 || s.Matches[0].End != 12 {
		t.Errorf("media = %+v", s)
	}
}

func TestLookup(t *testing.T) {
	sigs := Detect("我要起诉，还要找媒体。")
	if _, ok := Lookup(sigs, "legal"); !ok {
		t.Error("legal not found")
	}
	if _, ok := Lookup(sigs, "injury"); ok {
		t.Error("injury found")
	}
	if _, ok := Lookup(nil, "legal"); ok {
		t.Error("found in nil")
	}
}

func TestNilAndEmptyLexicon(t *testing.T) {
	var l *Lexicon
	if got := l.Detect("我要起诉"); got != nil {
		t.Errorf("nil lexicon: %v", got)
	}
	if got := (&Lexicon{}).Detect("我要起诉"); got != nil {
		t.Errorf("zero lexicon: %v", got)
	}
	if got := New().Detect("我要起诉"); got != nil {
		t.Errorf("new lexicon: %v", got)
	}
}

func TestConcurrentDetect(t *testing.T) {
	lex := Default()
	want := describe(lex.Detect(benchText))
	done := make(chan string)
	for range 8 {
		go func() {
			got := ""
			for range 20 {
				got = describe(lex.Detect(benchText))
				describe(Detect(benchText))
			}
			done <- got
		}()
	}
	for range 8 {
		if got := <-done; got != want {
			t.Errorf("concurrent result differs:%s", got)
		}
	}
}

func FuzzDetect(f *testing.F) {
	for _, tc := range detectCases {
		f.Add(tc.text)
	}
	f.Add("\xff\xfe起诉\x80")
	f.Add("第第第几几几十十十万万万多多多")
	f.Add("¥¥¥,,,...1,2,3,,1.2.3万w k")
	f.Add(strings.Repeat("不", 100) + "起诉")
	lex := Default()
	f.Fuzz(func(t *testing.T, text string) {
		sigs := lex.DetectAll(text)
		checkOffsets(t, text, sigs)
		for _, s := range lex.Detect(text) {
			if !s.Active() {
				t.Fatalf("inactive signal %s from Detect", s.Kind)
			}
		}
	})
}

// benchText is a realistic complaint of about 500 characters.
var benchText = "" +
	"投诉人王女士来电反映：她于今年三月在贵店购买了一辆新车，车价十八万六千元，提车后不到两个月，" +
	"车辆在高速上行驶时突然熄火，刹车也变得很硬，差点和前车追尾，当时车上还有她八十岁的母亲和三岁的孩子，" +
	"母亲受到惊吓后住院观察了三天，花了医药费四千多块。之后她把车送回4S店，店里说是电脑程序问题，" +
	"前后修了三次，每次都说修好了，但是上周又出现同样的问题。她已经打了五次电话给客服，客服一直推来推去，" +
	"说要等厂家的技术人员来检测，到现在也没有任何书面答复。王女士表示，她不想把事情闹大，也不打算马上起诉，" +
	"但是如果这周内还不解决，她就会把视频发到抖音和微博上曝光，并且向12315和市场监管局投诉。" +
	"她要求4S店退车，赔偿误工费、医药费和精神损失费共计五万元，并出具书面说明。" +
	"她说同一批买车的车主有二十多个人都遇到了类似的问题，大家已经建了群，准备联名维权。" +
	"王女士情绪比较激动，称销售顾问当初承诺的保养套餐也没有兑现，觉得自己被骗了，说你们就是骗子，" +
	"希望公司领导能够重视，尽快给她一个满意的答复，否则她不排除找律师走法律程序。" +
	"登记人备注：投诉人要求本周五下午五点前电话回复，回复号码见登记凭证，已告知处理时限为两个工作日。"

func BenchmarkDetect(b *testing.B) {
	lex := Default()
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for b.Loop() {
		lex.Detect(benchText)
	}
}
