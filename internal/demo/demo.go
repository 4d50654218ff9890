// Package demo fills a data directory with a demo organization: users for
// every role and realistic sample cases in every state.
//
// The sample cases are planned by the load generator's planner (gen.Plan,
// with the demo's seed, period, accounts and scenarios) and driven through
// the real workflow (workflow.Service), with a fake clock, so their event
// logs are exactly what users would have produced: hash-chained, gap-free
// numbered, and verifiable with ombud verify.
package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/gen"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/server"
	"github.com/ombud/ombud/internal/store"
)

// Pack is the policy pack of the demo organization.
const Pack = "hospital-taicang"

// Password is every demo user's password.
const Password = "demo1234"

// DefaultCases is the number of sample cases Seed generates when n <= 0.
const DefaultCases = 200

// Seed creates the demo users and n cases in cfg's data directory, unless
// it holds cases already.
func Seed(ctx context.Context, cfg server.Config, n int, out io.Writer) (err error) {
	if n <= 0 {
		n = DefaultCases
	}
	st, pack, err := server.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(); err == nil {
			err = cerr
		}
	}()
	if pack.ID != Pack {
		return fmt.Errorf("demo: the sample cases are written for pack %s, not %s", Pack, pack.ID)
	}
	_, total, err := st.ListCases(ctx, store.Filter{Limit: 1})
	if err != nil {
		return err
	}
	if total > 0 {
		fmt.Fprintf(out, "数据目录已有 %d 个案件，沿用现有演示数据（不再生成）。\n", total)
		if users, err := st.Users(ctx); err == nil {
			printUsers(out, pack, users)
		}
		return nil
	}

	if _, err := server.EnsureAdmin(ctx, st, Password); err != nil {
		return fmt.Errorf("demo: create admin: %w", err)
	}
	if _, err := gen.CreateUsers(ctx, st, demoUsers(pack), Password); err != nil {
		return err
	}
	all, err := st.Users(ctx)
	if err != nil {
		return err
	}
	printUsers(out, pack, all)

	key, err := server.IdentityKey(ctx, cfg, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	start := time.Now()
	counts, err := generate(ctx, st, pack, key, n, start)
	if err != nil {
		return err
	}
	var parts []string
	for _, s := range cases.Statuses {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", statusLabel[s], counts[s]))
		}
	}
	fmt.Fprintf(out, "已生成 %d 个示例案件（%s），用时 %.1f 秒。\n", n, strings.Join(parts, "，"),
		time.Since(start).Seconds())
	return seedPortal(ctx, st, pack, key, out)
}

// people are the display names of each department's handler and head.
var people = map[string][2]string{
	"yhb":     {"沈丽华", "陆建平"},
	"yiwu":    {"陈浩", "徐建国"},
	"huli":    {"朱晓燕", "王秀英"},
	"caiwu":   {"吴佳怡", "钱志明"},
	"jiancha": {"张磊", "顾国强"},
	"yibao":   {"周婷", "李卫东"},
	"zongwu":  {"孙伟", "黄志刚"},
	"menzhen": {"杨帆", "刘美华"},
}

// spareNames name the people of departments missing from people.
var spareNames = []string{"蒋文斌", "邱雅琴", "施永康", "浦红梅", "金振华", "毛丽萍", "严俊", "归晓东"}

// Usernames of the fixed demo accounts.
const (
	clerkUser   = "clerk"
	managerUser = "vp"
	auditorUser = "auditor"
)

func handlerName(dept string) string { return "handler-" + dept }
func headName(dept string) string    { return "head-" + dept }

// demoUsers lists the demo accounts of every role (admin apart).
func demoUsers(pack *policy.Pack) []auth.User {
	mk := func(name, display string, role auth.Role, dept string) auth.User {
		return auth.User{Username: name, DisplayName: display, Role: role, Department: dept, Active: true}
	}
	us := []auth.User{mk(clerkUser, "周静", auth.Registrar, "yhb")}
	spare := 0
	for _, d := range pack.Departments {
		names, ok := people[d.Code]
		if !ok {
			names = [2]string{spareNames[spare%len(spareNames)], spareNames[(spare+1)%len(spareNames)]}
			spare += 2
		}
		us = append(us, mk(handlerName(d.Code), names[0], auth.Handler, d.Code),
			mk(headName(d.Code), names[1], auth.DeptHead, d.Code))
	}
	return append(us, mk(managerUser, "顾文华", auth.Manager, ""), mk(auditorUser, "钱敏", auth.Auditor, ""))
}

var roleLabel = map[auth.Role]string{
	auth.Admin:     "系统管理员",
	auth.Registrar: "登记受理员",
	auth.Handler:   "科室经办人",
	auth.DeptHead:  "科室负责人",
	auth.Manager:   "分管院领导",
	auth.Auditor:   "审计监督",
}

// printUsers writes the table of accounts a visitor can log in with.
func printUsers(out io.Writer, pack *policy.Pack, users []*auth.User) {
	rows := [][]string{{"用户名", "角色", "科室", "姓名"}}
	for _, u := range users {
		dept := "-"
		if u.Department != "" {
			dept = u.Department
			if d, ok := pack.Dept(u.Department); ok {
				dept = d.Name.In("zh") + " " + u.Department
			}
		}
		role := string(u.Role)
		if l := roleLabel[u.Role]; l != "" {
			role = l + " " + role
		}
		rows = append(rows, []string{u.Username, role, dept, u.DisplayName})
	}
	fmt.Fprintf(out, "演示账号（%s，共 %d 个），初始密码均为 %s：\n", pack.Organization.In("zh"), len(users), Password)
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		fmt.Fprintln(out, b.String())
	}
}

// displayWidth is the width of s in a terminal: CJK characters take two
// columns.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
			r >= 0xFFE0 && r <= 0xFFE6:
			w += 2
		default:
			w++
		}
	}
	return w
}
