package signals

import (
	"math"
	"strconv"
)

// A numeral found in the text, Arabic ("1,500", "1.5万", "10w") or Chinese
// ("三十多", "一万五", "几十", "叁仟").
type numeral struct {
	start, end int // runes of the numeral itself
	value      float64
	mult       bool // written with 百/千/万/亿/w/k
	bare       bool // exactly "一" (as in "一块去")
	arabic     bool // starts with an Arabic digit
	ji         bool // a bare "几" ("几次": which time?)
}

// cnDigit returns the value of a Chinese digit, including the financial
// forms (壹贰叁) and 两.
func cnDigit(r rune) (float64, bool) {
	switch r {
	case '零', '〇':
		return 0, true
	case '一', '壹':
		return 1, true
	case '二', '两', '贰', '貳':
		return 2, true
	case '三', '叁':
		return 3, true
	case '四', '肆':
		return 4, true
	case '五', '伍':
		return 5, true
	case '六', '陆':
		return 6, true
	case '七', '柒':
		return 7, true
	case '八', '捌':
		return 8, true
	case '九', '玖':
		return 9, true
	}
	return 0, false
}

// cnUnit returns the value of 十百千 (small) or 万亿 (big).
func cnUnit(r rune) (v float64, big bool) {
	switch r {
	case '十', '拾':
		return 10, false
	case '百', '佰':
		return 100, false
	case '千', '仟':
		return 1000, false
	case '万', '萬':
		return 1e4, true
	case '亿', '億':
		return 1e8, true
	}
	return 0, false
}

func isCNNumeral(r rune) bool {
	if _, ok := cnDigit(r); ok {
		return true
	}
	v, _ := cnUnit(r)
	return v > 0 || r == '几'
}

// canStartNumeral reports whether a numeral may begin at rs[i]: a digit,
// a Chinese digit other than zero, 十, 几, or 数/上 before a unit
// ("数十", "上万"); and not in the middle of another numeral.
func canStartNumeral(rs []rune, i int) bool {
	r := rs[i]
	if i > 0 {
		p := rs[i-1]
		if isASCIIAlnum(p) || isCNNumeral(p) {
			return false
		}
		if p == '.' && i > 1 && isDigit(rs[i-2]) {
			return false
		}
	}
	switch {
	case isDigit(r), r == '十', r == '拾', r == '几':
		return true
	case r == '数' || r == '上':
		if i+1 < len(rs) {
			v, _ := cnUnit(rs[i+1])
			return v > 0
		}
		return false
	}
	d, ok := cnDigit(r)
	return ok && d != 0
}

// arabic reads "1500", "1,500", "1.5" at rs[i]; it returns the value, the
// end, and whether it is a single-digit integer.
func arabic(rs []rune, i int) (float64, int, bool) {
	j := i
	for j < len(rs) && isDigit(rs[j]) {
		j++
	}
	digits := append([]rune(nil), rs[i:j]...)
	// Thousands separators: only after a first group of at most 3 digits,
	// and only groups of exactly 3 digits.
	if j-i <= 3 {
		for j+3 < len(rs) && rs[j] == ',' && isDigit(rs[j+1]) && isDigit(rs[j+2]) && isDigit(rs[j+3]) &&
			(j+4 >= len(rs) || !isDigit(rs[j+4])) {
			digits = append(digits, rs[j+1:j+4]...)
			j += 4
		}
	}
	single := len(digits) == 1
	if j+1 < len(rs) && rs[j] == '.' && isDigit(rs[j+1]) {
		digits = append(digits, '.')
		j++
		for j < len(rs) && isDigit(rs[j]) {
			digits = append(digits, rs[j])
			j++
		}
		single = false
	}
	v, err := strconv.ParseFloat(string(digits), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, j, false
	}
	return v, j, single
}

func skipSpaces(rs []rune, i int) int {
	for i < len(rs) && (rs[i] == ' ' || rs[i] == '\t') {
		i++
	}
	return i
}

// unitAt returns the multiplier written at rs[i]: 十百千万亿 (and their
// financial forms), or w (万) and k (千) right after an Arabic numeral and
// not followed by another ASCII letter ("10w", "5k", but not "5km").
func unitAt(rs []rune, i int, afterArabic bool) (u float64, big bool) {
	r := rs[i]
	if v, big := cnUnit(r); v > 0 {
		return v, big
	}
	if afterArabic && (r == 'w' || r == 'k') && (i+1 >= len(rs) || !isASCIIAlnum(rs[i+1])) {
		if r == 'w' {
			return 1e4, true
		}
		return 1e3, true
	}
	return 0, false
}

// parseNumeral reads a numeral starting at rs[i] (canStartNumeral is true).
//
// Approximate forms give a floor: 几 before a unit is 2 ("几十" 20, "几千"
// 2000), after a unit 1 ("十几" 11), alone 3 ("几个人"); 数 is like 几
// ("数十" 20); 上 is 1 ("上万" 10000); 多/余/来 add nothing ("三十多" 30).
// A last digit after a unit is the next unit down ("一万五" 15000, "两千五"
// 2500, "2万5" 25000) unless 零 came before ("一万零五" 10005).
func parseNumeral(rs []rune, i int) (numeral, bool) {
	const (
		pNone = iota
		pDigit
		pLiteral
		pJi        // 几 or 数 not after a unit
		pTrailJi   // 几 after a unit
		pShang     // 上
		pDigitsSeq // Chinese digits without units ("二零二四")
	)
	n := len(rs)
	var (
		total, section float64
		pending        = -1.0
		kind           = pNone
		lastUnit       float64
		zero, approx   bool
		mult, arab     bool
		p              = i
	)
	if r := rs[p]; r == '数' || r == '上' {
		if r == '数' {
			pending, kind = 2, pJi
		} else {
			pending, kind = 1, pShang
		}
		p++
	}
loop:
	for p < n {
		r := rs[p]
		switch {
		case isDigit(r):
			if approx || pending >= 0 {
				break loop
			}
			v, q, single := arabic(rs, p)
			if q == p {
				break loop
			}
			pending, kind, arab = v, pLiteral, true
			if single {
				kind = pDigit
			}
			p = q
			// "3 万元": spaces between an Arabic numeral and its unit.
			if s := skipSpaces(rs, p); s > p && s < n {
				if u, _ := unitAt(rs, s, true); u > 0 {
					p = s
				}
			}
			continue
		case r == '几':
			if approx || pending >= 0 {
				break loop
			}
			if section > 0 || total > 0 {
				pending, kind = 1, pTrailJi
			} else {
				pending, kind = 2, pJi
			}
			p++
			continue
		}
		if d, ok := cnDigit(r); ok {
			if approx {
				break loop
			}
			switch {
			case pending >= 0 && lastUnit == 0 && (kind == pDigit || kind == pDigitsSeq) && !arab:
				pending, kind = pending*10+d, pDigitsSeq
			case pending >= 0:
				break loop
			case d == 0:
				zero = true
			default:
				pending, kind = d, pDigit
			}
			p++
			continue
		}
		if u, big := unitAt(rs, p, kind == pLiteral || kind == pDigit && arab); u > 0 {
			if big {
				if pending >= 0 {
					section += pending
					pending, kind = -1, pNone
				}
				if section == 0 {
					break loop
				}
				if u >= 1e8 {
					total = (total + section) * u
				} else {
					total += section * u
				}
				section = 0
			} else {
				if pending < 0 {
					if u != 10 || section != 0 || approx {
						break loop
					}
					pending = 1 // "十", "十五"
				}
				if u >= 100 && lastUnit != 0 && u >= lastUnit && total == 0 {
					break loop // "十百": not a numeral
				}
				section += pending * u
				pending, kind = -1, pNone
			}
			lastUnit = u
			if u >= 100 {
				mult = true
			}
			p++
			continue
		}
		if (r == '多' || r == '余' || r == '来') && !approx {
			if r == '来' && !(lastUnit >= 10 && lastUnit < 1e4 && pending < 0) {
				break loop
			}
			if lastUnit == 0 && kind != pLiteral && kind != pDigit {
				break loop
			}
			if pending >= 0 && !arab {
				break loop // "三多"
			}
			approx = true
			p++
			continue
		}
		break
	}
	if pending >= 0 {
		switch {
		case kind == pTrailJi:
			if lastUnit >= 100 {
				section += lastUnit / 10
			} else {
				section++
			}
		case kind == pJi && lastUnit == 0:
			section += 3
		case kind == pShang && lastUnit == 0:
			return numeral{}, false // "上" alone
		case kind == pDigit && lastUnit >= 10 && !zero:
			section += pending * lastUnit / 10
		default:
			section += pending
		}
	}
	if p == i {
		return numeral{}, false
	}
	v := math.Round((total+section)*100) / 100
	if v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return numeral{}, false
	}
	num := numeral{start: i, end: p, value: v, mult: mult}
	num.arabic = isDigit(rs[i])
	num.bare = p == i+1 && rs[i] == '一'
	num.ji = p == i+1 && rs[i] == '几'
	return num, true
}

// hasAt returns the end of word w (folded) if rs has it at i, else -1. An
// ASCII word must not continue an ASCII word before it (checkStart) or go
// on into one after it (checkEnd).
func hasAt(rs []rune, i int, w []rune, checkStart, checkEnd bool) int {
	if i >= len(rs) || rs[i] != w[0] {
		return -1
	}
	j := i
	for _, r := range w {
		if j >= len(rs) || rs[j] != r {
			return -1
		}
		j++
	}
	if isASCIIAlnum(rs[i]) {
		if checkStart && i > 0 && isASCIIAlnum(rs[i-1]) || checkEnd && j < len(rs) && isASCIIAlnum(rs[j]) {
			return -1
		}
	}
	return j
}

// Currency words, longest first.
var (
	moneySuffixes = runeWords("块钱", "元钱", "元整", "人民币", "rmb", "cny", "yuan", "块", "元", "圆")
	moneyPrefixes = runeWords("人民币", "rmb", "cny", "¥")
)

// measures are units after a number that make it not money: "三万公里",
// "两千多个", "五百米", "三千次".
var measures = map[rune]bool{}

func init() {
	for _, r := range "个人名位户家次回遍趟里米步斤克吨件份台辆条张瓶盒包袋箱天日月年周号岁倍分秒时小平方升度字页本票单楼层栋间套双对顿杯碗支只根片粒颗座所场期节课公毫厘亩笔股款首条届批集%" {
		measures[r] = true
	}
}

// persons are nouns for people after a count: "五名业主", "几十个家长".
var persons = runeWords(
	"业主", "家长", "会员", "患者", "病人", "病友", "学员", "学生", "顾客", "客户", "消费者", "用户",
	"村民", "居民", "住户", "商户", "员工", "工人", "职工", "家属", "同事", "朋友", "老人", "孩子",
	"游客", "乘客", "租户", "车主", "玩家", "群众", "人",
)

func runeWords(ws ...string) [][]rune {
	out := make([][]rune, len(ws))
	for i, w := range ws {
		out[i] = []rune(w)
	}
	return out
}

type numMatch struct {
	start, end int
	value      float64
}

// numbers finds the money amounts, headcounts and occurrence counts in rs.
func numbers(rs []rune) (money, heads, times []numMatch) {
	for i := 0; i < len(rs); {
		// "¥1,500", "RMB 3000", "人民币叁万元整"
		if m, ok := prefixedMoney(rs, i); ok {
			money = append(money, m)
			i = m.end
			continue
		}
		if !canStartNumeral(rs, i) {
			i++
			continue
		}
		num, ok := parseNumeral(rs, i)
		if !ok {
			i++
			continue
		}
		if end, ok := moneyAfter(rs, num); ok {
			money = append(money, numMatch{num.start, end, num.value})
		} else if end, ok := headcountAfter(rs, num); ok {
			heads = append(heads, numMatch{num.start, end, num.value})
		} else if m, ok := timesAround(rs, num); ok {
			times = append(times, m)
		}
		i = num.end
	}
	return money, heads, times
}

func prefixedMoney(rs []rune, i int) (numMatch, bool) {
	switch rs[i] {
	case '¥', '人', 'r', 'c':
	default:
		return numMatch{}, false
	}
	for _, pre := range moneyPrefixes {
		j := hasAt(rs, i, pre, true, false) // "RMB3000" is fine
		if j < 0 {
			continue
		}
		k := skipSpaces(rs, j)
		if k >= len(rs) || !isDigit(rs[k]) && !canStartNumeral(rs, k) {
			continue
		}
		num, ok := parseNumeral(rs, k)
		if !ok {
			continue
		}
		end := num.end
		if e, ok := suffixAt(rs, num); ok {
			end = e
		}
		return numMatch{i, end, num.value}, true
	}
	return numMatch{}, false
}

// suffixAt finds a currency word after the numeral ("元", "块钱", "RMB").
func suffixAt(rs []rune, num numeral) (int, bool) {
	q := skipSpaces(rs, num.end)
	for _, suf := range moneySuffixes {
		e := hasAt(rs, q, suf, false, true) // "3000rmb" is fine
		if e < 0 {
			continue
		}
		if string(suf) == "块" && num.bare {
			return 0, false // "一块去": together
		}
		if suf[0] == '元' && e < len(rs) && rs[e] == '旦' {
			return 0, false
		}
		return e, true
	}
	return 0, false
}

// moneyContext are words after which a bare number is money: "花了3800",
// "年卡3800", "金额：1200".
var moneyContext = runeWords(
	"花了", "花", "付了", "付", "支付", "交了", "充值", "充了", "收了", "收取", "收费", "扣了", "扣款",
	"转了", "转账", "赔", "罚款", "价格", "价钱", "售价", "报价", "总价", "金额", "费用", "押金",
	"定金", "订金", "首付", "尾款", "余额", "年卡", "月卡", "共计", "合计", "退了",
)

func afterMoneyWord(rs []rune, i int) bool {
	for i > 0 && (rs[i-1] == ' ' || rs[i-1] == ':') {
		i--
	}
	for _, w := range moneyContext {
		if s := i - len(w); s >= 0 && hasAt(rs, s, w, false, false) == i {
			return true
		}
	}
	return false
}

// moneyAfter decides whether a numeral is an amount of money: it has a
// currency word after it, or it is large and written with a unit ("三万",
// "1.5万"), or it follows a money word ("花了3800"); and no measure word
// follows it ("三万公里").
func moneyAfter(rs []rune, num numeral) (int, bool) {
	if e, ok := suffixAt(rs, num); ok {
		return e, true
	}
	big := num.mult && num.value >= 100
	if !big && !(num.arabic && afterMoneyWord(rs, num.start)) {
		return 0, false
	}
	if num.end < len(rs) {
		r := rs[num.end]
		if measures[r] || isASCIIAlnum(r) {
			return 0, false
		}
	}
	return num.end, true
}

func headcountAfter(rs []rune, num numeral) (int, bool) {
	if num.start > 0 && rs[num.start-1] == '第' {
		return 0, false
	}
	if num.value < GroupMinimum || num.value != math.Trunc(num.value) {
		return 0, false
	}
	q := skipSpaces(rs, num.end)
	if q >= len(rs) {
		return 0, false
	}
	end := -1
	switch rs[q] {
	case '名', '位', '户':
		end = q + 1
	case '人':
		if q+1 < len(rs) && (rs[q+1] == '次' || rs[q+1] == '间' || rs[q+1] == '民') {
			return 0, false
		}
		return q + 1, true
	case '个':
		for _, p := range persons {
			if e := hasAt(rs, q+1, p, false, false); e > 0 {
				return e, true
			}
		}
		return 0, false
	default:
		return 0, false
	}
	for _, p := range persons {
		if e := hasAt(rs, end, p, false, false); e > 0 {
			return e, true
		}
	}
	return end, true
}

// timesAround finds "N次" / "第N次" (also 趟, 回, 遍) with N at least 2.
// Whether a verb of the kind is near is checked per kind, later.
func timesAround(rs []rune, num numeral) (numMatch, bool) {
	if num.value < 2 || num.value != math.Trunc(num.value) {
		return numMatch{}, false
	}
	start := num.start
	ordinal := start > 0 && rs[start-1] == '第'
	if ordinal {
		if num.ji {
			return numMatch{}, false // "第几次": a question
		}
		start--
	}
	q := num.end
	if q >= len(rs) {
		return numMatch{}, false
	}
	switch rs[q] {
	case '次', '趟', '遍':
	case '回':
		if q+1 < len(rs) && (rs[q+1] == '事' || rs[q+1] == '复' || rs[q+1] == '应') {
			return numMatch{}, false
		}
	default:
		return numMatch{}, false
	}
	if q+1 < len(rs) && (rs[q+1] == '方' || rs[q+1] == '数') {
		return numMatch{}, false
	}
	return numMatch{start, q + 1, num.value}, true
}
