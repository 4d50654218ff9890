package cases

import "testing"

func TestSummary(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"  门诊收费处多收检查费。CT检查被收了两次费用。", "门诊收费处多收检查费"},
		{"护士态度恶劣！还骂人", "护士态度恶劣"},
		{"第一行没有句号\n第二行", "第一行没有句号"},
		{"今天上午在门诊一楼挂号窗口排队时工作人员不耐烦大声呵斥并且拒绝解释原因", "今天上午在门诊一楼挂号窗口排队时工作人员不耐烦大声呵斥并且…"},
		{"Is this free?", "Is this free"},
	} {
		if got := Summary(tc.in); got != tc.want {
			t.Errorf("Summary(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
