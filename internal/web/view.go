package web

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/i18n"
	"github.com/ombud/ombud/internal/policy"
)

// base is what every page knows: the language, the user, the session's
// CSRF token and the pack. Its methods are the templates' vocabulary: every
// user-visible word goes through T or a pack label.
type base struct {
	Lang string
	User *auth.User
	CSRF string
	Pack *policy.Pack
	// Packs are every pack served here, the default first.
	Packs       []*policy.Pack
	URI         string // the request's path and query, for the language switch
	Title       string
	Nav         string // the active navigation item
	CanRegister bool
	// CanSupervise: the user has the supervision board in the navigation.
	CanSupervise bool
	// unread counts the user's unread notifications, for the badge of the
	// inbox; it is asked once, when a page shows the navigation.
	unread     func() int
	unreadN    int
	unreadDone bool
}

// Unread is the number of the user's unread notifications.
func (b *base) Unread() int {
	if !b.unreadDone && b.unread != nil {
		b.unreadN, b.unreadDone = b.unread(), true
	}
	return b.unreadN
}

// setUnread records the number of unread notifications, known already.
func (b *base) setUnread(n int) { b.unreadN, b.unreadDone = n, true }

// T translates key into the page's language.
func (b *base) T(key string, args ...any) string { return i18n.T(b.Lang, key, args...) }

// HTMLLang is the language tag of the page.
func (b *base) HTMLLang() string { return i18n.Match(b.Lang) }

// LangHref is the link that switches to the other language and comes back.
func (b *base) LangHref() string {
	to := "en"
	if i18n.Match(b.Lang) == "en" {
		to = "zh-CN"
	}
	return "/lang?to=" + url.QueryEscape(to) + "&back=" + url.QueryEscape(b.URI)
}

// PackQuery is "?pack=ID" when the page is of a pack other than the
// default one, for links and forms that must stay with it.
func (b *base) PackQuery() string {
	if len(b.Packs) == 0 || b.Pack.ID == b.Packs[0].ID {
		return ""
	}
	return "?pack=" + url.QueryEscape(b.Pack.ID)
}

// Org is the organization's name.
func (b *base) Org() string { return b.Pack.Organization.In(b.Lang) }

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// lookIn are the packs whose codes a page names: the page's own first,
// then the others served here (a list holds cases of every pack).
func (b *base) lookIn() []*policy.Pack {
	return append([]*policy.Pack{b.Pack}, b.Packs...)
}

// Kind labels a kind of contact.
func (b *base) Kind(v any) string {
	if k, ok := b.Pack.Kind(str(v)); ok {
		return k.Label.In(b.Lang)
	}
	return b.code("kind.", str(v))
}

// Channel labels an intake channel.
func (b *base) Channel(v any) string {
	for _, p := range b.lookIn() {
		if c, ok := p.Channel(str(v)); ok {
			return c.Label.In(b.Lang)
		}
	}
	return str(v)
}

// Dept labels a department; a respondent department may be free text.
func (b *base) Dept(v any) string {
	for _, p := range b.lookIn() {
		if d, ok := p.Dept(str(v)); ok {
			return d.Name.In(b.Lang)
		}
	}
	return str(v)
}

// Cat labels a category.
func (b *base) Cat(v any) string {
	for _, p := range b.lookIn() {
		if c, ok := p.Category(str(v)); ok {
			return c.Name.In(b.Lang)
		}
	}
	return str(v)
}

// Level labels a level.
func (b *base) Level(v any) string {
	for _, p := range b.lookIn() {
		if l, ok := p.Level(str(v)); ok {
			return l.Name.In(b.Lang)
		}
	}
	return str(v)
}

// LevelDesc describes a level.
func (b *base) LevelDesc(v any) string {
	if l, ok := b.Pack.Level(str(v)); ok {
		return l.Description.In(b.Lang)
	}
	return ""
}

// code translates prefix+v, or shows v itself when it has no text.
func (b *base) code(prefix, v string) string {
	if v == "" {
		return ""
	}
	if !i18n.Has(prefix + v) {
		return v
	}
	return b.T(prefix + v)
}

// Status labels a status.
func (b *base) Status(v any) string { return b.code("status.", str(v)) }

// Action labels an action.
func (b *base) Action(v any) string { return b.code("action.", str(v)) }

// Event labels an event type.
func (b *base) Event(v any) string {
	switch s := str(v); s {
	case cases.EventRegistered, cases.EventRemind, cases.EventEscalate:
		return b.T("event." + s)
	}
	return b.Action(v)
}

// Demand labels a demand.
func (b *base) Demand(v any) string { return b.code("demand.", str(v)) }

// Evidence labels an evidence type.
func (b *base) Evidence(v any) string { return b.code("evidence.", str(v)) }

// Method labels a reply method.
func (b *base) Method(v any) string { return b.code("method.", str(v)) }

// Satisfaction labels a satisfaction.
func (b *base) Satisfaction(v any) string { return b.code("satisfaction.", str(v)) }

// Role labels a role.
func (b *base) Role(v any) string { return b.code("role.", str(v)) }

// Target names a notification target of a rule (role:x, department:x,
// dept_head, involved, central_office).
func (b *base) Target(v any) string {
	t := str(v)
	switch {
	case strings.HasPrefix(t, "role:"):
		return b.Role(strings.TrimPrefix(t, "role:"))
	case strings.HasPrefix(t, "department:"):
		return b.Dept(strings.TrimPrefix(t, "department:"))
	}
	return b.T("ui.sug.target." + t)
}

// DeadlineState labels a deadline state.
func (b *base) DeadlineState(v any) string { return b.code("deadline.", str(v)) }

// ClockName labels a time limit (an SLA clock) by its name.
func (b *base) ClockName(v any) string { return b.code("deadline.", str(v)) }

// Inform says what the complainant must be told ("late", "extended").
func (b *base) Inform(v any) string { return b.code("ui.inform.", str(v)) }

// Demands labels a list of demands, joined.
func (b *base) Demands(ds []string) string {
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		out = append(out, b.Demand(d))
	}
	sep := "、"
	if i18n.Match(b.Lang) == "en" {
		sep = ", "
	}
	return strings.Join(out, sep)
}

// Who describes the complainant: the name, or anonymous / refused, and the
// size of a group.
func (b *base) Who(c cases.Complainant) string {
	var s string
	switch {
	case c.Name != "":
		s = c.Name
	case c.Sealed != "":
		s = b.T("ui.sealed_identity")
	case c.Anonymous:
		s = b.T("ui.anonymous")
	case c.Refused:
		s = b.T("ui.refused")
	}
	if c.GroupSize > 1 {
		s += b.T("ui.group", c.GroupSize)
	}
	return s
}

// Mask masks a phone number.
func (b *base) Mask(p string) string { return cases.MaskPhone(p) }

// timeLayout is how times are shown, in Shanghai time.
const timeLayout = "2006-01-02 15:04"

// Time shows a time in Shanghai time; a *time.Time may be nil.
func (b *base) Time(v any) string {
	switch t := v.(type) {
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return t.In(calendar.Shanghai).Format(timeLayout)
	case *time.Time:
		if t == nil {
			return ""
		}
		return b.Time(*t)
	}
	return ""
}

// Due shows a deadline: a time, or the due time of a clock (a nil clock
// or time shows nothing). A day-based limit ends at 24:00 of its last day,
// which is 00:00 of the next: it is shown as "2026-11-27 24:00", as the
// office calendar says, not as the next day.
func (b *base) Due(v any) string {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case *time.Time:
		if x == nil {
			return ""
		}
		t = *x
	case *cases.Clock:
		if x == nil {
			return ""
		}
		t = x.Due
	case cases.Clock:
		t = x.Due
	}
	if t.IsZero() {
		return ""
	}
	local := t.In(calendar.Shanghai)
	if local.Hour() == 0 && local.Minute() == 0 && local.Second() == 0 {
		return local.Add(-time.Minute).Format("2006-01-02") + " 24:00"
	}
	return local.Format(timeLayout)
}

// Date shows the date of a time in Shanghai.
func (b *base) Date(v any) string {
	s := b.Time(v)
	if len(s) >= 10 {
		return s[:10]
	}
	return s
}

// funcs are the template functions that do not need the page.
var funcs = template.FuncMap{
	"eq2": func(a, b any) bool { return str(a) == str(b) },
	// dict builds a map from key, value pairs, to pass several values to a
	// template.
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[str(kv[i])] = kv[i+1]
		}
		return m
	},
}
