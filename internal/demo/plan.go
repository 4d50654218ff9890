package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/auth"
	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/gen"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/seal"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/workflow"
)

// The fixed seed of the generator: the same n gives the same cases (their
// times are relative to the moment Seed runs).
const seed1, seed2 = 0x0b0d2026, 0x7a1ca11

var statusLabel = map[cases.Status]string{
	cases.Registered:  "已登记",
	cases.Accepted:    "已受理",
	cases.NotAccepted: "不予受理",
	cases.Forwarded:   "已转送",
	cases.Assigned:    "已交办",
	cases.InProgress:  "办理中",
	cases.Reviewing:   "审核中",
	cases.Approved:    "已审定",
	cases.Replied:     "已答复",
	cases.Closed:      "已办结",
	cases.Voided:      "作废",
}

// statusWeights is how often each final status occurs: most cases are
// closed, and the open ones are recent, as in a working office.
var statusWeights = []struct {
	s cases.Status
	w int
}{
	{cases.Closed, 100}, {cases.Replied, 10}, {cases.Approved, 6}, {cases.Reviewing, 8},
	{cases.InProgress, 12}, {cases.Assigned, 8}, {cases.Accepted, 6}, {cases.Registered, 8},
	{cases.NotAccepted, 12}, {cases.Forwarded, 10}, {cases.Voided, 6},
}

var kindWeights = []weighted{{"complaint", 82}, {"consultation", 7}, {"suggestion", 5}, {"report", 6}}

var channelWeights = []weighted{{"phone", 30}, {"walk_in", 24}, {"followup", 12}, {"web", 10}, {"letter", 4},
	{"email", 4}, {"leadership", 6}, {"regulator", 4}, {"media", 1}, {"internal", 5}}

type weighted struct {
	v string
	w int
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func pickWeighted(r *rand.Rand, ws []weighted) string {
	total := 0
	for _, w := range ws {
		total += w.w
	}
	n := r.IntN(total)
	for _, w := range ws {
		if n < w.w {
			return w.v
		}
		n -= w.w
	}
	return ws[len(ws)-1].v
}

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

func between(r *rand.Rand, lo, hi time.Duration) time.Duration { return gen.Between(r, lo, hi) }

// Variants of a case's path through the workflow.
const (
	plain      = ""
	sentBack   = "send_back"          // the reviewer sends the proposal back once
	sentBackOK = "send_back_approved" // the clerk sends an approved reply back
	unhappy    = "dissatisfied"       // dissatisfied at the visit, handled again
	reopened   = "reopen"             // closed, reopened, closed again
	reassigned = "reassign"           // assigned to the wrong department first
	direct     = "direct"             // the clerk answers without a department
	overdue    = "overdue"            // old and still in progress
)

// attrs are the choices that shape one case.
type attrs struct {
	target  cases.Status
	variant string
	kind    string
	topic   *topic
	channel string
	level   string
	// mark makes sure a few kinds of complaint occur: group, refused,
	// anonymous, urgent (on closed complaints).
	mark string
}

var marks = []string{"group", "refused", "anonymous", "urgent"}

// chooseAttrs decides every case's final status, kind, topic, channel and
// level, making sure that every status, kind, category, channel and level
// of the pack occurs when n allows it.
func chooseAttrs(pack *policy.Pack, n int, r *rand.Rand) []attrs {
	total := 0
	for _, sw := range statusWeights {
		total += sw.w
	}
	var targets []cases.Status
	if n < len(statusWeights) {
		ws := make([]weighted, len(statusWeights))
		for i, sw := range statusWeights {
			ws[i] = weighted{string(sw.s), sw.w}
		}
		for range n {
			targets = append(targets, cases.Status(pickWeighted(r, ws)))
		}
	} else {
		for _, sw := range statusWeights[1:] {
			for range max(1, (n*sw.w+total/2)/total) {
				targets = append(targets, sw.s)
			}
		}
		for len(targets) < n {
			targets = append(targets, cases.Closed)
		}
		r.Shuffle(len(targets), func(i, j int) { targets[i], targets[j] = targets[j], targets[i] })
	}

	// Complaint categories: attitude and nursing are the commonest in a
	// service-attitude office.
	catWeights := []weighted{{"attitude", 26}, {"nursing", 14}, {"medical", 12}, {"charges", 14},
		{"insurance", 8}, {"logistics", 10}, {"process", 12}, {"other", 4}}
	var otherKinds []string
	for _, k := range pack.Kinds {
		if k.Code != "complaint" {
			otherKinds = append(otherKinds, k.Code)
		}
	}

	out := make([]attrs, n)
	closedSeen, progressSeen, marked := 0, 0, 0
	for i := range out {
		a := &out[i]
		a.target = targets[i]

		// Every channel once, from the end; every category once, then
		// every kind but complaint once, from the start.
		forcedChannel := n-1-i < len(pack.Channels)
		if forcedChannel {
			a.channel = pack.Channels[n-1-i].Code
		} else {
			a.channel = pickWeighted(r, channelWeights)
		}
		a.kind = pickWeighted(r, kindWeights)
		var cat string
		switch {
		case i < len(pack.Categories):
			a.kind, cat = "complaint", pack.Categories[i].Code
		case i < len(pack.Categories)+len(otherKinds):
			a.kind = otherKinds[i-len(pack.Categories)]
		}
		for !fits(a.kind, a.channel) {
			if forcedChannel {
				a.kind = "complaint"
			} else {
				a.channel = pickWeighted(r, channelWeights)
			}
		}
		if cat != "" && a.channel == "followup" && !forcedChannel {
			a.channel = "phone" // keep the category: not every one has ward topics
		}
		if a.kind == "complaint" && cat == "" {
			cat = pickWeighted(r, catWeights)
		}
		a.topic = pickTopic(r, a.kind, cat, a.channel == "followup")
		a.kind = a.topic.Kind
		a.level = levelFor(r, a.channel, a.kind)

		switch a.target {
		case cases.Closed:
			forced := []string{sentBack, unhappy, reopened, reassigned, sentBackOK}
			switch {
			case closedSeen < len(forced):
				a.variant = forced[closedSeen]
			case a.kind == "consultation" && chance(r, 0.7):
				a.variant = direct
			default:
				a.variant = pickWeighted(r, []weighted{{plain, 76}, {sentBack, 8}, {unhappy, 7},
					{reopened, 2}, {reassigned, 4}, {sentBackOK, 3}})
			}
			if closedSeen >= len(forced) && a.kind == "complaint" && marked < len(marks) {
				a.mark = marks[marked]
				marked++
			}
			closedSeen++
		case cases.Replied:
			if a.kind == "consultation" && chance(r, 0.7) {
				a.variant = direct
			}
		case cases.InProgress:
			switch {
			case progressSeen%3 == 0:
				a.variant = overdue
			case chance(r, 0.2):
				a.variant = unhappy
			}
			progressSeen++
		case cases.Reviewing:
			if chance(r, 0.25) {
				a.variant = sentBack
			}
		}
	}
	// A level-1 case whose reply the responsible leader approved.
	if !slices.ContainsFunc(out, func(a attrs) bool {
		return a.level == "1" && (a.target == cases.Closed || a.target == cases.Replied)
	}) {
		for i := range out[:max(0, n-len(pack.Channels))] {
			if out[i].target == cases.Closed && out[i].variant == plain && out[i].kind == "complaint" {
				out[i].level, out[i].channel = "1", "regulator"
				break
			}
		}
	}
	return out
}

// fits reports whether a kind of contact comes by a channel: consultations
// are asked by phone, online or at the desk; the authorities and the media
// pass on complaints and reports, not suggestions.
func fits(kind, channel string) bool {
	switch kind {
	case "consultation":
		return slices.Contains([]string{"phone", "web", "walk_in", "email"}, channel)
	case "suggestion":
		return channel != "media" && channel != "regulator"
	case "report":
		return channel != "followup" && channel != "internal" && channel != "media"
	}
	return true
}

// pickTopic picks a topic of kind and category (any category if cat is "");
// a matter raised at the discharge follow-up happened on a ward.
func pickTopic(r *rand.Rand, kind, cat string, ward bool) *topic {
	for _, relax := range []int{0, 1, 2} {
		var cands []*topic
		for i := range topics {
			t := &topics[i]
			if (relax >= 2 || t.Kind == kind) && (relax >= 1 || cat == "" || t.Cat == cat) && (!ward || t.Ward) {
				cands = append(cands, t)
			}
		}
		if len(cands) > 0 {
			return pick(r, cands)
		}
	}
	return &topics[0]
}

// levelFor grades a case by where it came from (第十七条): the media and the
// authorities make level 1, hospital leadership level 2, follow-up calls 3.
func levelFor(r *rand.Rand, channel, kind string) string {
	if kind == "consultation" || kind == "suggestion" {
		return "3"
	}
	switch channel {
	case "media":
		return "1"
	case "regulator":
		if chance(r, 0.5) {
			return "1"
		}
		return "2"
	case "leadership":
		if chance(r, 0.8) {
			return "2"
		}
	case "followup":
		return "3"
	default:
		if kind == "report" || chance(r, 0.15) {
			return "2"
		}
	}
	return "3"
}

// gap is the time between a step and the one before it.
type gap struct {
	min, max time.Duration
	// work moves the step into office hours (working days 8:00–17:30).
	work bool
}

var (
	gapQuick   = gap{5 * time.Minute, time.Hour, true}
	gapAccept  = gap{10 * time.Minute, 3 * time.Hour, true}
	gapDecide  = gap{30 * time.Minute, 26 * time.Hour, true}
	gapTake    = gap{10 * time.Minute, 3 * time.Hour, true}
	gapPropose = gap{2 * time.Hour, 20 * time.Hour, true}
	gapReview  = gap{20 * time.Minute, 4 * time.Hour, true}
	gapRedo    = gap{time.Hour, 12 * time.Hour, true}
	gapReply   = gap{20 * time.Minute, 3 * time.Hour, true}
	gapVisit   = gap{20 * time.Hour, 48 * time.Hour, true}
	gapReopen  = gap{2 * 24 * time.Hour, 10 * 24 * time.Hour, true}
	gapAgain   = gap{24 * time.Hour, 48 * time.Hour, true}
)

// step is one thing done to a case.
type step struct {
	gap   gap
	at    time.Time
	actor cases.Actor
	act   cases.Action // "" registers the case
	p     cases.Params
}

// plan is one sample case: its registration and the steps it goes through.
type plan struct {
	i      int
	a      attrs
	reg    cases.Registration
	steps  []step
	number string
	vars   map[string]string
	level  string // the level after acceptance
}

var clerk = cases.Actor{Username: clerkUser, Role: auth.Registrar, Department: "yhb"}
var manager = cases.Actor{Username: managerUser, Role: auth.Manager}

func handlerOf(dept string) cases.Actor {
	return cases.Actor{Username: handlerName(dept), Role: auth.Handler, Department: dept}
}
func headOf(dept string) cases.Actor {
	return cases.Actor{Username: headName(dept), Role: auth.DeptHead, Department: dept}
}

// builder builds one plan.
type builder struct {
	pack  *policy.Pack
	r     *rand.Rand
	p     *plan
	level string // the level after acceptance
	dept  string // the department the case is assigned to
	props int    // proposals made so far
	last  string // the last proposal
	named bool   // the complainant can be called back
}

func (b *builder) add(g gap, actor cases.Actor, act cases.Action, p cases.Params) {
	b.p.steps = append(b.p.steps, step{gap: g, actor: actor, act: act, p: p})
}

// newPlan builds case i with attributes a.
func newPlan(pack *policy.Pack, i int, a attrs) *plan {
	r := rand.New(rand.NewPCG(seed1, seed2+uint64(i)))
	p := &plan{i: i, a: a, vars: map[string]string{}}
	b := &builder{pack: pack, r: r, p: p, level: a.level}
	b.registration()
	b.path()
	p.level = b.level
	return p
}

func (b *builder) deptName(code string) string {
	if d, ok := b.pack.Dept(code); ok {
		return d.Name.In("zh")
	}
	return code
}

func personName(r *rand.Rand) string { return pick(r, surnames) + pick(r, givenNames) }

func phone(r *rand.Rand) string {
	return pick(r, phonePrefixes) + fmt.Sprintf("%08d", r.IntN(100000000))
}

// registration fills the registration record, texts still with placeholders.
func (b *builder) registration() {
	r, p, t := b.r, b.p, b.p.a.topic
	reg := &p.reg
	reg.Kind, reg.Channel = p.a.kind, p.a.channel
	reg.Subject = t.Subject

	site := pick(r, t.Sites)
	dept, where, _ := strings.Cut(site, "/")
	v := p.vars
	v["site"], v["dept"] = where, dept
	v["who"] = pick(r, relatives)
	v["wait"] = pick(r, waits)
	v["subject"] = t.Subject
	if t.Amount[1] > 0 {
		amt := t.Amount[0] + r.IntN(t.Amount[1]-t.Amount[0]+1)
		if amt > 1000 {
			amt = amt / 10 * 10
		}
		v["amount"] = strconv.Itoa(amt)
	}
	reg.Respondent = cases.Respondent{Department: dept, Site: where}
	if t.Staff != "" {
		if chance(r, 0.6) {
			name := personName(r)
			v["staff"], v["staffref"] = t.Staff+name, "当事"+t.Staff+name
			reg.Respondent.Staff = name + "（" + t.Staff + "）"
		} else {
			v["staff"], v["staffref"] = "一名"+t.Staff, "当班"+t.Staff
		}
	}

	// The complainant.
	c := &reg.Complainant
	switch x := r.Float64(); {
	case p.a.mark == "anonymous" || p.a.mark != "refused" && (x < 0.08 || p.a.kind == "report" && x < 0.5):
		c.Anonymous = true
		if chance(r, 0.5) {
			c.Phone = phone(r)
		}
	case p.a.mark == "refused" || x < 0.15 && p.a.channel != "followup":
		c.Refused = true
		if chance(r, 0.5) {
			c.OtherContact = "微信号 wx" + strconv.Itoa(100000+r.IntN(900000))
		}
	default:
		c.Name = personName(r)
		if chance(r, 0.95) {
			c.Phone = phone(r)
		}
		if chance(r, 0.15) {
			c.OtherContact = pick(r, addresses) + strconv.Itoa(1+r.IntN(300)) + "号"
		}
	}
	b.named = c.Phone != ""
	v["name"] = "尊敬的患者"
	if c.Name != "" {
		v["name"] = "尊敬的" + c.Name
	}
	c.Emotion = pick(r, emotions)
	if p.a.kind == "consultation" || p.a.kind == "suggestion" {
		c.Emotion = "平稳"
		reg.Respondent = cases.Respondent{}
	}
	if p.a.mark == "group" || p.a.kind == "complaint" && slices.Contains([]string{"logistics", "process", "nursing", "charges"}, t.Cat) && chance(r, 0.12) {
		c.GroupSize = 3 + r.IntN(10)
		if c.Name == "" {
			c.Anonymous, c.Refused, c.Name = false, false, personName(r)
		}
		c.Emotion = "情绪激动"
	}

	// The content: how it came in, what happened, what they want.
	story := pick(r, t.Stories)
	content := channelTag[p.a.channel] + story
	if p.a.kind == "complaint" {
		lead := pick(r, channelLead[p.a.channel])
		if strings.Contains(lead, "投诉人") {
			story = strings.TrimPrefix(story, "投诉人") // 投诉人来电反映：投诉人… reads twice
		}
		content = lead + story
	}
	if c.GroupSize > 1 {
		content += fmt.Sprintf("共有%d名患者及家属联名反映此事，由%s牵头。", c.GroupSize, c.Name)
	}
	demands := slices.Clone(t.Demands)
	switch {
	case len(demands) == 0 && p.a.kind == "consultation":
		demands = []string{"explanation"}
	case p.a.kind == "complaint" && !slices.Contains(demands, "improvement") && chance(r, 0.25):
		demands = append(demands, "improvement")
	}
	reg.Demands = demands
	if p.a.kind == "complaint" || p.a.kind == "report" {
		if len(demands) > 0 {
			content += pick(r, closing[demands[0]])
		}
		if len(t.Notes) > 0 && chance(r, 0.7) {
			reg.DemandNote = pick(r, t.Notes)
		}
	}
	if p.a.mark == "urgent" || p.a.kind == "complaint" && ((c.Emotion == "情绪激动" || p.a.level != "3") && chance(r, 0.2) ||
		p.a.channel == "walk_in" && chance(r, 0.03)) {
		reg.Urgent = true
		content += urgentNotes
	}
	reg.Content = content
	for _, typ := range t.Evid {
		if !chance(r, 0.55) {
			continue
		}
		n := 1
		switch typ {
		case "receipt", "document":
			n = 1 + r.IntN(4)
		case "photo":
			n = 1 + r.IntN(9)
		case "chat":
			n = 1 + r.IntN(6)
		case "video":
			n = 1 + r.IntN(2)
		}
		reg.Evidence = append(reg.Evidence, cases.Evidence{Type: typ, Count: n, Note: evidenceNote[typ]})
	}

	// Classification: mostly at registration, otherwise at acceptance.
	if chance(r, 0.7) {
		reg.Category = t.Cat
	}
	if p.a.level != b.pack.DefaultLevel || chance(r, 0.7) {
		reg.Level = p.a.level
	}

	// The first-responsible person: the clerk, or who took it at the door.
	switch {
	case p.a.channel == "internal":
		d, _ := b.pack.Category(t.Cat)
		reg.Receiver, reg.ReceiverDept = handlerName(d.Department), b.deptName(d.Department)
		reg.ReceiverTel = "分机" + strconv.Itoa(6100+r.IntN(800))
	case p.a.channel == "walk_in" && chance(r, 0.2):
		reg.Receiver, reg.ReceiverDept, reg.ReceiverTel = handlerName("menzhen"), "门诊部导医台", "分机6102"
	default:
		reg.ReceiverDept, reg.ReceiverTel = b.deptName("yhb"), "53658506"
	}
}

// path adds the steps that take the case to its target status.
func (b *builder) path() {
	a := b.p.a
	regGap := gap{3 * time.Minute, 30 * time.Minute, false}
	if b.p.reg.Urgent {
		regGap = gap{time.Hour, 5 * time.Hour, false}
	}
	b.add(regGap, clerk, "", cases.Params{})
	switch a.target {
	case cases.Registered:
		return
	case cases.NotAccepted:
		b.add(gapDecide, clerk, cases.Reject, cases.Params{Reason: pick(b.r, rejectReasons[a.kind])})
		return
	case cases.Forwarded:
		var opts [][2]string
		for _, k := range []string{a.kind + "/" + a.topic.Cat, a.kind, a.topic.Cat, ""} {
			if o, ok := forwardTo[k]; ok && (k != a.topic.Cat || a.kind == "complaint") {
				opts = o
				break
			}
		}
		o := pick(b.r, opts)
		b.add(gapDecide, clerk, cases.Forward, cases.Params{To: o[0], Reason: o[1]})
		return
	case cases.Voided:
		switch x := b.r.Float64(); {
		case x < 0.4:
			b.add(gapDecide, clerk, cases.Void, cases.Params{Reason: pick(b.r, voidReasons["registered"])})
		case x < 0.7:
			b.accept()
			b.add(gapDecide, clerk, cases.Void, cases.Params{Reason: pick(b.r, voidReasons["accepted"])})
		default:
			b.accept()
			b.assign()
			b.add(gapDecide, clerk, cases.Void, cases.Params{Reason: pick(b.r, voidReasons["in_progress"])})
		}
		return
	}
	b.accept()
	if a.target == cases.Accepted {
		return
	}
	if a.variant == direct {
		b.reply(b.text(pick(b.r, a.topic.Reply)))
		if a.target == cases.Closed {
			b.visit(false)
		}
		return
	}
	b.assignOnly(a.variant == reassigned)
	if a.target == cases.Assigned {
		return
	}
	b.add(gapTake, handlerOf(b.dept), cases.Take, cases.Params{})
	if a.target == cases.InProgress && a.variant != unhappy {
		return
	}
	b.propose()
	if a.target == cases.Reviewing && a.variant != sentBack {
		return
	}
	if a.variant == sentBack {
		b.sendBack()
		b.propose()
		if a.target == cases.Reviewing {
			return
		}
	}
	b.approve()
	if a.target == cases.Approved {
		return
	}
	if a.variant == sentBackOK {
		b.add(gapReview, clerk, cases.SendBack, cases.Params{Reason: pick(b.r, sendBackApprovedReasons)})
		b.propose()
		b.approve()
	}
	b.reply("")
	if a.target == cases.Replied {
		return
	}
	if a.variant == unhappy {
		b.visit(true)
		if a.target == cases.InProgress {
			return
		}
		b.proposeAgain(gapAgain, pick(b.r, secondProposal))
		b.approve()
		b.reply("")
	}
	b.visit(false)
	if a.variant == reopened {
		b.add(gapReopen, clerk, cases.Reopen, cases.Params{Reason: pick(b.r, reopenReasons)})
		b.proposeAgain(gapRedo, reopenProposal)
		b.approve()
		b.reply("")
		b.visit(false)
	}
}

func (b *builder) accept() {
	var p cases.Params
	cat := b.p.a.topic.Cat
	if b.p.reg.Category == "" {
		p.Category = cat
	}
	if b.level == "3" && b.p.a.kind == "complaint" && chance(b.r, 0.06) {
		b.level, p.Level = "2", "2" // upgraded on acceptance
	}
	b.add(gapAccept, clerk, cases.Accept, p)
	c, _ := b.pack.Category(cat)
	b.dept = c.Department
}

func (b *builder) assign() {
	b.assignOnly(false)
	b.add(gapTake, handlerOf(b.dept), cases.Take, cases.Params{})
}

// assignOnly issues the handling slip (交办单) to the category's department;
// wrong first sends it to another department, whose handler takes it and
// finds it is not theirs.
func (b *builder) assignOnly(wrong bool) {
	if wrong {
		var others []string
		for _, d := range b.pack.Departments {
			if d.Code != b.dept && d.Code != b.pack.CentralOffice {
				others = append(others, d.Code)
			}
		}
		w := pick(b.r, others)
		b.add(gapQuick, clerk, cases.Assign, cases.Params{Department: w, Handler: handlerName(w)})
		b.add(gapTake, handlerOf(w), cases.Take, cases.Params{})
		b.add(gapTake, clerk, cases.Assign, cases.Params{Department: b.dept, Handler: handlerName(b.dept),
			Note: b.deptName(w) + "反馈该事项不属本科室职责，改交" + b.deptName(b.dept) + "办理。"})
		return
	}
	b.add(gapQuick, clerk, cases.Assign, cases.Params{Department: b.dept, Handler: handlerName(b.dept)})
}

// text builds the department's draft reply around a finding.
func (b *builder) text(finding string) string {
	r := b.r
	var s string
	switch b.p.a.kind {
	case "consultation":
		s = "{name}：您好！关于您的咨询（{subject}），经与{handling}核实，" + finding
	case "suggestion":
		s = "{name}：您好！关于您提出的“{subject}”，" + finding
	default:
		s = pick(r, proposalOpen) + finding
	}
	if b.p.a.topic.Cat == "attitude" && b.p.a.kind == "complaint" && b.p.a.topic.Staff != "" && chance(r, 0.6) {
		s += levelSanction[b.level]
	}
	if end, ok := kindClose[b.p.a.kind]; ok {
		return s + end
	}
	return s + pick(r, proposalClose)
}

func (b *builder) propose() {
	g := gapPropose
	if b.props > 0 {
		g = gapRedo
	}
	b.props++
	b.last = b.text(pick(b.r, b.p.a.topic.Reply))
	b.add(g, handlerOf(b.dept), cases.Propose, cases.Params{Reply: b.last})
}

// proposeAgain proposes a further reply after the complainant came back.
func (b *builder) proposeAgain(g gap, open string) {
	b.props++
	b.last = open + b.again()[1] + pick(b.r, proposalClose)
	b.add(g, handlerOf(b.dept), cases.Propose, cases.Params{Reply: b.last})
}

// again is what a complainant who is not satisfied says, and what is done
// then, by their main demand.
func (b *builder) again() [2]string {
	for _, d := range b.p.reg.Demands {
		if x, ok := dissatisfied[d]; ok {
			return x
		}
	}
	return dissatisfied[""]
}

// reviewer is who approves the case's proposals under its level.
func (b *builder) reviewer() (cases.Actor, bool) {
	review := policy.ReviewDeptHead
	if l, ok := b.pack.Level(b.level); ok {
		review = l.Review
	}
	switch review {
	case policy.ReviewNone:
		return cases.Actor{}, false
	case policy.ReviewManager:
		return manager, true
	}
	return headOf(b.dept), true
}

func (b *builder) approve() {
	if who, ok := b.reviewer(); ok {
		b.add(gapReview, who, cases.Approve, cases.Params{Note: pick(b.r, approveNotes)})
	}
}

func (b *builder) sendBack() {
	who, ok := b.reviewer()
	if !ok {
		return
	}
	b.add(gapReview, who, cases.SendBack, cases.Params{Reason: pick(b.r, sendBackReasons)})
}

// reply answers the complainant; text "" answers with the approved proposal.
func (b *builder) reply(text string) {
	if text == "" {
		text = b.last
	}
	method := "phone"
	switch b.p.a.channel {
	case "letter", "regulator", "media", "leadership":
		method = "letter"
	case "email":
		method = "email"
	case "web":
		method = pick(b.r, []string{"web", "phone", "sms"})
	case "walk_in":
		method = pick(b.r, []string{"phone", "phone", "in_person"})
	}
	c := b.p.reg.Complainant
	if c.Phone == "" && (method == "phone" || method == "sms") {
		switch {
		case strings.HasPrefix(c.OtherContact, "微信"):
			method = "wechat"
		case c.OtherContact != "":
			method = "letter"
		case b.p.a.channel == "walk_in":
			method = "in_person"
		default:
			method = "other"
		}
	}
	b.add(gapReply, clerk, cases.Reply, cases.Params{Reply: text, Method: method})
}

func (b *builder) visit(dissatisfied bool) {
	var p cases.Params
	switch {
	case dissatisfied:
		p.Satisfaction, p.Note = cases.Dissatisfied, b.again()[0]
	case !b.named && b.p.reg.Complainant.OtherContact == "" && b.p.reg.Complainant.Name == "":
		p.Satisfaction, p.Note = cases.Unreachable, unreachable[b.p.reg.Complainant.Anonymous]
	case chance(b.r, 0.68):
		p.Satisfaction = cases.Satisfied
		p.Note = pick(b.r, satisfiedNotes[string(p.Satisfaction)])
	default:
		p.Satisfaction = cases.BasicallySatisfied
		p.Note = pick(b.r, satisfiedNotes[string(p.Satisfaction)])
	}
	b.add(gapVisit, clerk, cases.Visit, p)
}

// age is how long before now a case with this target was received.
func (p *plan) age(r *rand.Rand) time.Duration {
	const day = 24 * time.Hour
	switch p.a.target {
	case cases.Registered:
		return between(r, 10*time.Minute, 8*time.Hour)
	case cases.Accepted:
		return between(r, time.Hour, 36*time.Hour)
	case cases.Assigned:
		return between(r, 2*time.Hour, 2*day)
	case cases.InProgress:
		switch p.a.variant {
		case overdue:
			return between(r, 5*day, 20*day)
		case unhappy:
			return between(r, 4*day, 12*day)
		}
		return between(r, 4*time.Hour, 2*day)
	case cases.Reviewing, cases.Approved:
		return between(r, day, 3*day)
	case cases.Replied:
		return between(r, day, 4*day)
	}
	return between(r, 2*day, 75*day)
}

// schedule gives every step a time: received some time before now,
// registered minutes later, each step after the one before, in office hours
// where people work, and all before now. Open cases are within their time
// limit unless the plan makes them overdue.
func (p *plan) schedule(pack *policy.Pack, now time.Time) {
	r := rand.New(rand.NewPCG(seed2, seed1+uint64(p.i)))
	limit := now.Add(-time.Minute)
	var within calendar.Duration
	if l, ok := pack.Level(p.level); ok {
		within = l.ReplyWithin
	}
	mustBeInTime := !within.IsZero() && p.a.variant != overdue && p.a.variant != unhappy &&
		slices.Contains([]cases.Status{cases.Registered, cases.Accepted, cases.Assigned, cases.InProgress,
			cases.Reviewing, cases.Approved}, p.a.target)
	age := p.age(r)
	var recv time.Time
	placed := false
	for attempt := 0; attempt < 40 && !placed; attempt++ {
		recv = receivedAt(r, now.Add(-age), p.a.channel).Truncate(time.Minute)
		t := recv
		for i := range p.steps {
			s := &p.steps[i]
			t = t.Add(between(r, s.gap.min, s.gap.max))
			if s.gap.work {
				t = officeHours(r, t)
			}
			s.at = t
		}
		switch {
		case t.After(limit):
			age += t.Sub(limit) + between(r, 0, 6*time.Hour)
		case mustBeInTime && !calendar.Default.Due(recv, within).After(now):
			age = age * 2 / 3
		default:
			placed = true
		}
	}
	if !placed {
		// Office hours do not fit (a long weekend just before now): spread
		// the steps evenly over the last hours instead.
		recv = now.Add(-between(r, 3*time.Hour, 5*time.Hour)).Truncate(time.Minute)
		span := limit.Sub(recv) / time.Duration(len(p.steps)+1)
		for i := range p.steps {
			p.steps[i].at = recv.Add(span * time.Duration(i+1))
		}
	}
	p.reg.ReceivedAt = recv

	// The matter happened shortly before it was reported, mostly in the
	// daytime.
	rl := recv.In(calendar.Shanghai)
	when := recv.Add(-2 * time.Hour)
	for range 10 {
		d := rl.AddDate(0, 0, -pick(r, []int{0, 0, 0, 0, 0, 1, 1, 1, 2, 3}))
		h := pick(r, []int{8, 8, 9, 9, 9, 10, 10, 10, 11, 11, 14, 14, 15, 15, 16, 16, 17})
		t := time.Date(d.Year(), d.Month(), d.Day(), h, r.IntN(60), 0, 0, calendar.Shanghai)
		if t.Before(recv.Add(-20 * time.Minute)) {
			when = t
			break
		}
	}
	when = when.In(calendar.Shanghai)
	p.vars["when"] = fmt.Sprintf("%d月%d日%s", when.Month(), when.Day(), partOfDay(when))
	p.vars["day"] = fmt.Sprintf("%d月%d日", when.Month(), when.Day())
	p.vars["date"] = fmt.Sprintf("%d月%d日", rl.Month(), rl.Day())
}

func partOfDay(t time.Time) string {
	h := t.Hour()
	switch {
	case h < 6:
		return fmt.Sprintf("凌晨%d点左右", h)
	case h < 12:
		return fmt.Sprintf("上午%d点左右", h)
	case h < 13:
		return "中午"
	case h < 18:
		return fmt.Sprintf("下午%d点左右", h-12)
	}
	return fmt.Sprintf("晚上%d点左右", h-12)
}

// receivedAt moves a received time to when the channel brings complaints:
// letters, transfers and follow-up calls in office hours, visits and calls
// in the daytime, the website and email at any hour.
func receivedAt(r *rand.Rand, t time.Time, channel string) time.Time {
	switch channel {
	case "web", "email":
		return t
	case "phone", "walk_in":
		l := t.In(calendar.Shanghai)
		if h := l.Hour(); h < 7 || h >= 20 {
			d := time.Date(l.Year(), l.Month(), l.Day(), 7, 30, 0, 0, calendar.Shanghai)
			return d.Add(between(r, 0, 11*time.Hour))
		}
		return t
	}
	return officeHours(r, t)
}

// officeHours moves t to the next moment the office is open (gen's rule),
// in Shanghai time.
func officeHours(r *rand.Rand, t time.Time) time.Time {
	return gen.OfficeHours(r, t).In(calendar.Shanghai)
}

// fill replaces a plan's placeholders.
func (p *plan) fill(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	for k, v := range p.vars {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

func (p *plan) fillAll(pack *policy.Pack) {
	if p.vars["handling"] == "" {
		cat, _ := pack.Category(p.a.topic.Cat)
		if d, ok := pack.Dept(cat.Department); ok {
			p.vars["handling"] = d.Name.In("zh")
		}
	}
	reg := &p.reg
	for _, s := range []*string{&reg.Subject, &reg.Content, &reg.DemandNote} {
		*s = p.fill(*s)
	}
	for i := range p.steps {
		q := &p.steps[i].p
		q.Reply, q.Reason, q.Note = p.fill(q.Reply), p.fill(q.Reason), p.fill(q.Note)
		if q.Reply != "" && p.steps[i].act == cases.Reply {
			q.Reply += replyContact
		}
	}
}

// generate builds n cases and drives them through the workflow in the
// order their steps happened. It returns how many cases ended in each status.
func generate(ctx context.Context, st *store.Store, pack *policy.Pack, key *seal.Key, n int, now time.Time) (map[cases.Status]int, error) {
	r := rand.New(rand.NewPCG(seed1, seed2))
	all := chooseAttrs(pack, n, r)
	plans := make([]*plan, n)
	type ref struct{ plan, step int }
	var order []ref
	for i, a := range all {
		p := newPlan(pack, i, a)
		p.schedule(pack, now)
		p.fillAll(pack)
		plans[i] = p
		for j := range p.steps {
			order = append(order, ref{i, j})
		}
	}
	slices.SortStableFunc(order, func(x, y ref) int {
		return plans[x.plan].steps[x.step].at.Compare(plans[y.plan].steps[y.step].at)
	})

	var clock time.Time
	svc := workflow.New(st, pack)
	svc.Now = func() time.Time { return clock }
	svc.SetIdentityKey(key)
	counts := map[cases.Status]int{}
	for _, o := range order {
		p := plans[o.plan]
		s := p.steps[o.step]
		clock = s.at
		var c *cases.Case
		var err error
		if s.act == "" {
			c, err = svc.Register(ctx, s.actor, p.reg)
			if err == nil {
				p.number = c.Number
			}
		} else {
			c, err = svc.Act(ctx, s.actor, p.number, s.act, s.p)
		}
		if err != nil {
			act := s.act
			if act == "" {
				act = "register"
			}
			return nil, fmt.Errorf("demo: case %d (%s, target %s %s) step %d %s by %s: %w",
				p.i, p.number, p.a.target, p.a.variant, o.step, act, s.actor.Username, err)
		}
		if o.step == len(p.steps)-1 {
			if c.Status != p.a.target {
				return nil, fmt.Errorf("demo: case %s ended %s, planned %s", c.Number, c.Status, p.a.target)
			}
			counts[c.Status]++
		}
	}
	return counts, nil
}
