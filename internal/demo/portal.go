package demo

import (
	"context"
	"fmt"
	"io"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/seal"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

// portalSample is a case a member of the public submits through the
// portal, with the messages that follow it.
type portalSample struct {
	form workflow.PublicForm
	// from and to are the complainant's messages and the office's
	// answers, in turn.
	from, to []string
}

// portalSamples show the public's side in the demo: a complaint with a
// message thread, and a named report whose reporter is sealed.
var portalSamples = []portalSample{
	{
		form: workflow.PublicForm{Kind: "complaint", Category: "attitude", Subject: "住院部夜班护士态度生硬",
			Content: "11月23日晚上母亲输液结束按铃，护士过了二十分钟才来，还说“催什么催”。希望医院加强夜班管理。",
			Name:    "钱女士", Phone: "13952001234", Consent: true,
			Respondent: cases.Respondent{Department: "住院部 5 楼", Staff: "夜班护士", Site: "5 楼护士站"}},
		from: []string{"补充：当晚是 23:40 左右，病床号 5-12。"},
		to:   []string{"已收到，护理部正在调查当晚排班情况，请保持电话畅通。"},
	},
	{
		form: workflow.PublicForm{Kind: "report", Subject: "药房人员收受医药代表回扣",
			Content: "药房某药师多次在下班后与医药代表见面并收取现金，时间多在每周五傍晚，地点在医院北门停车场。",
			Name:    "实名举报人", Phone: "13700009999", Consent: true,
			Respondent: cases.Respondent{Department: "药剂科", Staff: "某药师", Site: "北门停车场"}},
		from: []string{"我保留了停车场的照片，可以提供。"},
		to:   []string{"感谢您的举报，请在此页说明照片的拍摄日期；您的身份已加密保存。"},
	},
}

// seedPortal registers the portal samples as the public would, now, and
// prints their numbers and access codes so that the demo's user can
// track them at /portal/track.
func seedPortal(ctx context.Context, st *store.Store, pack *policy.Pack, key *seal.Key, out io.Writer) error {
	svc := workflow.New(st, pack)
	svc.SetIdentityKey(key)
	office := cases.Actor{Username: clerkUser, Role: auth.Registrar, Department: pack.CentralOffice}
	fmt.Fprintln(out, "网上提交的示例（可在 /portal/track 用编号和查询码查询）：")
	for _, s := range portalSamples {
		c, code, err := svc.RegisterPublic(ctx, s.form)
		if err != nil {
			return fmt.Errorf("demo: portal sample %q: %w", s.form.Subject, err)
		}
		for i, text := range s.from {
			if _, err := svc.MessagePublic(ctx, c.Number, code, text); err != nil {
				return fmt.Errorf("demo: portal sample %s: message: %w", c.Number, err)
			}
			if i < len(s.to) {
				if _, err := svc.Act(ctx, office, c.Number, cases.Message, cases.Params{Note: s.to[i]}); err != nil {
					return fmt.Errorf("demo: portal sample %s: answer: %w", c.Number, err)
				}
			}
		}
		fmt.Fprintf(out, "  %s  查询码 %s  %s\n", c.Number, code, s.form.Subject)
	}
	return nil
}
