package gen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ombud/ombud/internal/calendar"
	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/policy"
	"github.com/ombud/ombud/internal/seal"
	"github.com/ombud/ombud/internal/sla"
)

type weighted struct {
	v string
	w int
}

// choice picks among weighted values.
type choice struct {
	vs    []weighted
	total int
}

func newChoice(vs []weighted) choice {
	c := choice{vs: vs}
	for _, v := range vs {
		c.total += v.w
	}
	return c
}

func (c choice) pick(r *rand.Rand) string {
	if len(c.vs) == 0 {
		return ""
	}
	if c.total <= 0 {
		return c.vs[r.IntN(len(c.vs))].v
	}
	n := r.IntN(c.total)
	for _, v := range c.vs {
		if n < v.w {
			return v.v
		}
		n -= v.w
	}
	return c.vs[len(c.vs)-1].v
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// How common each kind of contact, channel and final status is; codes a
// pack has and these lists lack get a small weight.
var (
	kindWeights = map[string]int{"complaint": 80, "consultation": 8, "suggestion": 5, "report": 7}

	channelWeights = map[string]int{"phone": 30, "walk_in": 20, "web": 10, "wechat": 10, "hotline_12345": 8,
		"followup": 8, "platform": 6, "letter": 3, "email": 3, "social_media": 3, "leadership": 4,
		"regulator": 3, "media": 1, "internal": 4, "sms": 2, "fax": 1, "other": 2}

	// A case's planned end: most close; stuck ones stay open for good.
	targetWeights = newChoice([]weighted{{string(cases.Closed), 86}, {string(cases.NotAccepted), 5},
		{string(cases.Forwarded), 4}, {string(cases.Voided), 3}, {"stuck", 2}})
	stuckWeights = newChoice([]weighted{{string(cases.InProgress), 50}, {string(cases.Assigned), 20},
		{string(cases.Reviewing), 15}, {string(cases.Approved), 5}, {string(cases.Replied), 10}})
	closedVariants = newChoice([]weighted{{string(PathPlain), 76}, {string(PathSendBack), 8},
		{string(PathDissatisfied), 7}, {string(PathReopen), 2}, {string(PathReassign), 4},
		{string(PathSendBackApproved), 3}})

	// openTargets are forced on recent cases, the most recent first, so
	// that every status occurs however few cases there are.
	openTargets = []cases.Status{cases.Registered, cases.Accepted, cases.Assigned, cases.InProgress,
		cases.Reviewing, cases.Approved, cases.Replied}
	// earlyTargets are forced on the first cases.
	earlyTargets = []cases.Status{cases.Closed, cases.NotAccepted, cases.Forwarded, cases.Voided}
)

// A Path is the way a case takes through the workflow to its final status.
type Path string

// The paths. A path goes as far as the case's final status: a case that
// ends in review with PathSendBack was sent back once and proposed again;
// one that ends in progress with PathDissatisfied was replied to, found
// dissatisfied at the return visit and is being handled again.
const (
	PathPlain            Path = ""
	PathSendBack         Path = "send_back"          // the reviewer sends the proposal back once
	PathSendBackApproved Path = "send_back_approved" // the clerk sends an approved reply back
	PathDissatisfied     Path = "dissatisfied"       // dissatisfied at the visit, handled again
	PathReopen           Path = "reopen"             // closed, reopened, closed again
	PathReassign         Path = "reassign"           // assigned to the wrong department first
	PathDirect           Path = "direct"             // the clerk answers without a department
)

// A Scenario is a case made to order: its final status, its path and some
// of its traits. Empty fields are left to chance. Generate and Plan give
// the scenarios, in order, to the cases right after those that make sure
// every category, kind, channel and level occurs (so early in the period);
// scenarios beyond the number of cases are left out.
type Scenario struct {
	Status  cases.Status // the final status ("": by chance)
	Path    Path         // the way to Status (with Status only)
	Kind    string       // a kind code of the pack
	Channel string       // a channel code; it must suit the kind
	Level   string       // a level code
	// The complainant stays anonymous, refuses to give their personal
	// data, or leads a group; the matter is urgent (handled first,
	// registered afterwards). Group and Urgent apply to complaints.
	Anonymous, Refused, Group, Urgent bool
}

// fits reports whether a kind of contact comes by a channel: consultations
// are asked directly; the authorities and the media pass on complaints and
// reports, not suggestions.
func fits(kind, channel string) bool {
	switch kind {
	case "consultation":
		return slices.Contains([]string{"phone", "web", "walk_in", "email", "wechat", "sms", "hotline_12345", "platform"}, channel)
	case "suggestion":
		return channel != "media" && channel != "regulator"
	case "report":
		return channel != "followup" && channel != "internal" && channel != "media"
	}
	return true
}

// planner holds what every case of one generation shares.
type planner struct {
	pack  *policy.Pack
	rules sla.Rules
	// identity seals the identity of confidential cases' reporters.
	identity *seal.Key
	dom      *Domain
	staff    *staff
	n        int
	// stride is how many cases apart the forced open cases are (about a
	// day's worth).
	stride int

	kinds     choice
	channels  map[string]choice // by kind
	cats      map[string]choice // by kind
	topics    map[string][]*Topic
	fallback  map[string]*Topic
	levels    []string
	complaint string   // the pack's complaint kind (its first kind if it has none)
	otherKind []string // kinds other than complaint
	// Forced coverage: case i < len(pack.Categories) is a complaint of
	// category i; then one case of each other kind; then one complaint by
	// each channel; then one complaint of each level.
	kindFrom, chanFrom, levelFrom, forcedEnd int
	org                                      string
	// scenarios are the cases from forcedEnd on.
	scenarios []Scenario
}

// newPlanner plans opt.Cases cases over a period of days days.
func newPlanner(pack *policy.Pack, opt Options, days int) *planner {
	users := opt.Staff
	if users == nil {
		users = Staff(pack)
	}
	n := opt.Cases
	p := &planner{pack: pack, rules: sla.Rules{Pack: pack, Cal: pack.CalendarOn(calendar.Default)},
		identity: opt.IdentityKey, scenarios: opt.Scenarios, dom: DomainFor(pack), staff: newStaff(users), n: n,
		stride: max(1, n/max(1, days)), channels: map[string]choice{}, cats: map[string]choice{},
		topics: map[string][]*Topic{}, fallback: map[string]*Topic{}, org: pack.Organization.In("zh")}
	p.complaint = pack.Kinds[0].Code
	if _, ok := pack.Kind("complaint"); ok {
		p.complaint = "complaint"
	}
	var ks []weighted
	for _, k := range pack.Kinds {
		w, ok := kindWeights[k.Code]
		if !ok {
			w = 3
		}
		ks = append(ks, weighted{k.Code, w})
		if k.Code != p.complaint {
			p.otherKind = append(p.otherKind, k.Code)
		}
	}
	p.kinds = newChoice(ks)
	for i := range p.dom.Topics {
		t := &p.dom.Topics[i]
		p.topics[t.Kind+"/"+t.Cat] = append(p.topics[t.Kind+"/"+t.Cat], t)
	}
	for i := range fallbackTopics {
		p.fallback[fallbackTopics[i].Kind] = &fallbackTopics[i]
	}
	for _, k := range pack.Kinds {
		var chs []weighted
		for _, c := range pack.Channels {
			if fits(textKind(k.Code), c.Code) {
				w, ok := channelWeights[c.Code]
				if !ok {
					w = 3
				}
				chs = append(chs, weighted{c.Code, w})
			}
		}
		if len(chs) == 0 {
			for _, c := range pack.Channels {
				chs = append(chs, weighted{c.Code, 1})
			}
		}
		p.channels[k.Code] = newChoice(chs)

		// Complaints come in every category; other kinds in the
		// categories the domain has their topics for, if any.
		var cs, all []weighted
		for _, c := range pack.Categories {
			w, ok := p.dom.Categories[c.Code]
			if !ok {
				w = 10
			}
			all = append(all, weighted{c.Code, w})
			if len(p.topics[textKind(k.Code)+"/"+c.Code]) > 0 {
				cs = append(cs, weighted{c.Code, w})
			}
		}
		if textKind(k.Code) == "complaint" || len(cs) == 0 {
			cs = all
		}
		p.cats[k.Code] = newChoice(cs)
	}
	for _, l := range pack.Levels {
		p.levels = append(p.levels, l.Code)
	}
	p.kindFrom = len(pack.Categories)
	p.chanFrom = p.kindFrom + len(p.otherKind)
	p.levelFrom = p.chanFrom + len(pack.Channels)
	p.forcedEnd = p.levelFrom + len(p.levels)
	return p
}

// scenario returns the scenario of case i (the zero Scenario if none).
func (p *planner) scenario(i int) Scenario {
	if k := i - p.forcedEnd; k >= 0 && k < len(p.scenarios) {
		return p.scenarios[k]
	}
	return Scenario{}
}

// kindOf decides the kind of case i (the numbering needs it first).
func (p *planner) kindOf(i int, r *rand.Rand) string {
	switch {
	case p.scenario(i).Kind != "":
		return p.scenario(i).Kind
	case i >= p.kindFrom && i < p.chanFrom:
		return p.otherKind[i-p.kindFrom]
	case i < p.forcedEnd:
		return p.complaint
	}
	return p.kinds.pick(r)
}

// slot is where a case stands in the generation: its index in time order,
// registration time, kind and number.
type slot struct {
	i      int
	reg    time.Time
	kind   string
	number string
}

// textKind is the kind whose texts a case of kind code gets: a kind the
// texts are not written for reads as a complaint.
func textKind(code string) string {
	if _, ok := kindWeights[code]; ok {
		return code
	}
	return "complaint"
}

// step is one thing done to a case.
type step struct {
	gap   gap
	at    time.Time
	actor cases.Actor
	act   cases.Action
	p     cases.Params
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
	gapPropose = gap{2 * time.Hour, 30 * time.Hour, true}
	gapReview  = gap{20 * time.Minute, 4 * time.Hour, true}
	gapRedo    = gap{time.Hour, 12 * time.Hour, true}
	gapReply   = gap{20 * time.Minute, 3 * time.Hour, true}
	gapVisit   = gap{20 * time.Hour, 48 * time.Hour, true}
	gapReopen  = gap{2 * 24 * time.Hour, 10 * 24 * time.Hour, true}
	gapAgain   = gap{24 * time.Hour, 48 * time.Hour, true}
)

// builder builds one case.
type builder struct {
	p       *planner
	r       *rand.Rand
	s       slot
	sc      Scenario // what is made to order
	target  cases.Status
	variant Path
	forced  bool // the target must be reached (compress the steps if need be)

	tk                  string // the kind of texts (textKind)
	cat, channel, level string
	topic               *Topic
	reg                 cases.Registration
	v                   vars
	steps               []step

	clerk   cases.Actor
	status  cases.Status // after the steps planned so far
	lvl     string       // the level after acceptance
	dept    string       // the department the case is assigned to
	handler cases.Actor
	last    string // the last proposal
	named   bool   // the complainant can be called back
}

func (b *builder) review() policy.Review {
	if l, ok := b.p.pack.Level(b.lvl); ok {
		return l.Review
	}
	return policy.ReviewDeptHead
}

// add plans a step, following the state machine.
func (b *builder) add(g gap, actor cases.Actor, act cases.Action, p cases.Params) {
	next, err := cases.Next(b.status, act, p, b.review())
	if err != nil {
		panic(fmt.Sprintf("gen: planned %s on a %s case: %v", act, b.status, err))
	}
	b.status = next
	b.steps = append(b.steps, step{gap: g, actor: actor, act: act, p: p})
}

// plan decides everything about case s.
func (p *planner) plan(r *rand.Rand, s slot) *builder {
	b := &builder{p: p, r: r, s: s, sc: p.scenario(s.i), status: cases.Registered, tk: textKind(s.kind)}
	b.chooseTarget()
	b.choose()
	b.registration()
	b.path()
	return b
}

func (b *builder) chooseTarget() {
	i, n, r := b.s.i, b.p.n, b.r
	back := n - 1 - i
	switch {
	case i < len(earlyTargets):
		b.target, b.forced = earlyTargets[i], true
	case back%b.p.stride == 0 && back/b.p.stride < len(openTargets):
		b.target, b.forced = openTargets[back/b.p.stride], true
	default:
		t := targetWeights.pick(r)
		if t == "stuck" {
			t = stuckWeights.pick(r)
		}
		b.target = cases.Status(t)
	}
	switch b.target {
	case cases.Closed:
		b.variant = Path(closedVariants.pick(r))
		if i < len(earlyTargets) {
			b.variant = PathPlain
		}
	case cases.InProgress:
		if chance(r, 0.2) {
			b.variant = PathDissatisfied
		}
	case cases.Reviewing:
		if chance(r, 0.25) {
			b.variant = PathSendBack
		}
	}
	if b.tk == "consultation" && (b.target == cases.Closed || b.target == cases.Replied) && chance(r, 0.7) {
		b.variant = PathDirect
	}
	if b.sc.Status != "" {
		b.target, b.variant, b.forced = b.sc.Status, b.sc.Path, true
	}
}

// choose picks the category, channel, level and topic.
func (b *builder) choose() {
	p, r, i, kind := b.p, b.r, b.s.i, b.tk
	switch {
	case i < p.kindFrom:
		b.cat = p.pack.Categories[i].Code
	default:
		b.cat = p.cats[b.s.kind].pick(r)
	}
	if i >= p.chanFrom && i < p.levelFrom {
		b.channel = p.pack.Channels[i-p.chanFrom].Code
	} else {
		b.channel = p.channels[b.s.kind].pick(r)
	}
	if b.sc.Channel != "" {
		b.channel = b.sc.Channel
	}

	// The topic: one written for the kind and category, else the
	// fallback of the kind. A matter raised at a hospital's discharge
	// follow-up happened on a ward.
	cands := p.topics[kind+"/"+b.cat]
	if b.channel == "followup" && p.dom == Hospital {
		var ward []*Topic
		for _, t := range cands {
			if t.Ward {
				ward = append(ward, t)
			}
		}
		if len(ward) > 0 {
			cands = ward
		} else if i < p.chanFrom || i >= p.levelFrom {
			b.channel = "phone"
			if _, ok := p.pack.Channel("phone"); !ok || !fits(kind, "phone") {
				b.channel = p.channels[b.s.kind].vs[0].v
			}
		}
	}
	if len(cands) > 0 {
		b.topic = pick(r, cands)
	} else if t, ok := p.fallback[kind]; ok {
		b.topic = t
	} else {
		b.topic = p.fallback["complaint"]
	}

	b.level = b.levelFor()
	if i >= p.levelFrom && i < p.forcedEnd {
		b.level = p.levels[i-p.levelFrom]
	}
	if b.sc.Level != "" {
		b.level = b.sc.Level
	}
	b.lvl = b.level
}

// levelFor grades a case by where it came from: the media and the
// authorities make the most serious level, leadership the next one.
// Levels are taken to be listed from the most serious.
func (b *builder) levelFor() string {
	p, r := b.p, b.r
	def := p.pack.DefaultLevel
	if len(p.levels) == 0 {
		return def
	}
	top := p.levels[0]
	up := top
	if k := slices.Index(p.levels, def); k > 0 {
		up = p.levels[k-1]
	}
	if b.tk == "consultation" || b.tk == "suggestion" {
		return def
	}
	switch b.channel {
	case "media":
		return top
	case "regulator":
		if chance(r, 0.5) {
			return top
		}
		return up
	case "hotline_12345", "leadership":
		if chance(r, 0.6) {
			return up
		}
	case "social_media", "platform":
		if chance(r, 0.2) {
			return up
		}
	case "followup":
		return def
	default:
		switch x := r.Float64(); {
		case b.tk == "report" && x < 0.5, x < 0.1:
			return up
		case x < 0.11:
			return top
		}
	}
	return def
}

func (p *planner) deptName(code string) string {
	if d, ok := p.pack.Dept(code); ok {
		return d.Name.In("zh")
	}
	return code
}

func (b *builder) personName() string {
	return pick(b.r, Surnames) + pick(b.r, GivenNames)
}

func (b *builder) phone() string {
	return pick(b.r, PhonePrefixes) + fmt.Sprintf("%08d", b.r.IntN(100000000))
}

// registration fills the registration record and the texts.
func (b *builder) registration() {
	p, r, t, d := b.p, b.r, b.topic, b.p.dom
	reg := &b.reg
	reg.Kind, reg.Channel = b.s.kind, b.channel
	b.clerk = pick(r, p.staff.clerks)

	// Times: received some minutes before registration (urgent matters
	// hours before); the matter happened shortly before it was reported,
	// mostly in the daytime.
	regGap := Between(r, 3*time.Minute, 30*time.Minute)
	switch b.channel {
	case "letter", "regulator", "leadership", "fax":
		regGap = Between(r, 30*time.Minute, 4*time.Hour)
	case "web", "email", "wechat", "platform", "social_media":
		regGap = Between(r, 10*time.Minute, 10*time.Hour)
	}
	urgent := b.tk == "complaint" && (b.sc.Urgent || b.level != p.pack.DefaultLevel && chance(r, 0.12) || chance(r, 0.01))
	if urgent {
		regGap = Between(r, time.Hour, 5*time.Hour)
	}
	reg.ReceivedAt = b.s.reg.Add(-regGap).UTC().Truncate(time.Minute)
	rl := reg.ReceivedAt.In(calendar.Shanghai)
	when := reg.ReceivedAt.Add(-2 * time.Hour)
	for range 10 {
		dd := rl.AddDate(0, 0, -pick(r, []int{0, 0, 0, 0, 0, 1, 1, 1, 2, 3, 5, 7}))
		h := pick(r, []int{8, 8, 9, 9, 9, 10, 10, 10, 11, 11, 14, 14, 15, 15, 16, 16, 17, 19, 20})
		tm := time.Date(dd.Year(), dd.Month(), dd.Day(), h, r.IntN(60), 0, 0, calendar.Shanghai)
		if tm.Before(reg.ReceivedAt.Add(-20 * time.Minute)) {
			when = tm
			break
		}
	}
	when = when.In(calendar.Shanghai)
	v := &b.v
	v[vWhen] = fmt.Sprintf("%d月%d日%s", when.Month(), when.Day(), partOfDay(when))
	v[vDay] = fmt.Sprintf("%d月%d日", when.Month(), when.Day())
	v[vDate] = fmt.Sprintf("%d月%d日", rl.Month(), rl.Day())
	v[vOrg] = p.org
	if c, ok := p.pack.Category(b.cat); ok {
		v[vCatName] = c.Name.In("zh")
		v[vHandling] = p.deptName(c.Department)
	} else {
		v[vCatName] = b.cat
		v[vHandling] = p.deptName(p.pack.CentralOffice)
	}
	if ch, ok := p.pack.Channel(b.channel); ok {
		v[vChannel] = ch.Label.In("zh")
	}
	if len(d.Stores) > 0 {
		v[vStore] = pick(r, d.Stores)
	}
	if len(d.Products) > 0 {
		v[vProduct] = pick(r, d.Products)
	}
	v[vWho] = pick(r, d.Relatives)
	v[vWait] = pick(r, d.Waits)
	v[vOrder] = when.Format("20060102") + strconv.Itoa(100000+r.IntN(900000))
	if len(d.MemberLevels) > 0 {
		v[vMember] = pick(r, d.MemberLevels)
	}
	site := v.fill(pick(r, t.Sites))
	dept, where, _ := strings.Cut(site, "/")
	v[vSite], v[vDept] = where, dept
	if t.Amount[1] > 0 {
		amt := t.Amount[0] + r.IntN(t.Amount[1]-t.Amount[0]+1)
		if amt > 1000 {
			amt = amt / 10 * 10
		}
		v[vAmount] = strconv.Itoa(amt)
	}
	reg.Respondent = cases.Respondent{Department: dept, Site: where}
	if t.Staff != "" {
		if chance(r, 0.6) {
			name := b.personName()
			v[vStaff], v[vStaffRef] = t.Staff+name, "当事"+t.Staff+name
			reg.Respondent.Staff = name + "（" + t.Staff + "）"
		} else {
			v[vStaff], v[vStaffRef] = "一名"+t.Staff, "当班"+t.Staff
		}
	}
	subject := t.Subject
	if len(t.Subjects) > 0 && chance(r, 0.6) {
		subject = pick(r, t.Subjects)
	}
	subject = v.fill(subject)
	if b.tk == "complaint" && dept != "" && !strings.Contains(subject, dept) && chance(r, 0.25) {
		subject = dept + "：" + subject
	}
	reg.Subject, v[vSubject] = subject, subject

	// The complainant.
	c := &reg.Complainant
	// A complainant who must be called back has a name.
	callBack := b.sc.Path == PathDissatisfied && !b.sc.Anonymous && !b.sc.Refused
	switch x := r.Float64(); {
	case b.sc.Anonymous || !b.sc.Refused && !callBack && (x < 0.07 || b.tk == "report" && x < 0.5):
		c.Anonymous = true
		if chance(r, 0.5) {
			c.Phone = b.phone()
		}
	case b.sc.Refused || !callBack && x < 0.14 && b.channel != "followup":
		c.Refused = true
		if chance(r, 0.5) {
			c.OtherContact = "微信号 wx" + strconv.Itoa(100000+r.IntN(900000))
		}
	default:
		if chance(r, 0.12) {
			c.Name = pick(r, Surnames) + pick(r, []string{"女士", "先生"})
		} else {
			c.Name = b.personName()
		}
		if chance(r, 0.95) {
			c.Phone = b.phone()
		}
		if chance(r, 0.12) {
			c.OtherContact = pick(r, d.Addresses) + strconv.Itoa(1+r.IntN(300)) + "号"
		}
		if v[vMember] != "" && chance(r, 0.3) {
			c.MemberLevel = v[vMember]
		}
	}
	b.named = c.Phone != ""
	v[vName] = d.Dear
	if c.Name != "" {
		v[vName] = "尊敬的" + c.Name
	}
	v[vPhone] = c.Phone
	if v[vPhone] == "" {
		v[vPhone] = b.phone()
	}
	c.Emotion = pick(r, d.Emotions)
	kind := b.tk
	if kind == "consultation" || kind == "suggestion" {
		c.Emotion = "平稳"
		reg.Respondent = cases.Respondent{}
	}
	if kind == "complaint" && (b.sc.Group || !b.sc.Anonymous && !b.sc.Refused && chance(r, 0.04)) {
		c.GroupSize = 3 + r.IntN(12)
		if c.Name == "" {
			c.Anonymous, c.Refused, c.Name = false, false, b.personName()
		}
		c.Emotion = "情绪激动"
	}

	// The content: how it came in, what happened, details, risks, what
	// they want.
	story := v.fill(pick(r, t.Stories))
	var content strings.Builder
	if kind == "complaint" {
		leads := d.ChannelLead[b.channel]
		if len(leads) == 0 {
			leads = d.ChannelLead[""]
		}
		if len(leads) == 0 {
			leads = General.ChannelLead[""]
		}
		lead := v.fill(pick(r, leads))
		if strings.Contains(lead, "投诉人") { // 投诉人来电反映：投诉人… reads twice
			if rest, ok := strings.CutPrefix(story, "投诉人的"); ok {
				story = "其" + rest
			} else {
				story = strings.TrimPrefix(story, "投诉人")
			}
		}
		content.WriteString(lead)
	} else {
		tag, ok := d.ChannelTag[b.channel]
		if !ok {
			if tag, ok = d.ChannelTag[""]; !ok {
				tag = General.ChannelTag[""]
			}
		}
		content.WriteString(v.fill(tag))
	}
	content.WriteString(story)
	if c.GroupSize > 1 {
		fmt.Fprintf(&content, "共有%d名%s联名反映此事，由%s牵头。", c.GroupSize, d.People, c.Name)
	}
	if kind == "complaint" && len(d.Details) > 0 {
		first := -1
		for range 2 {
			if k := r.IntN(len(d.Details)); k != first && chance(r, 0.3) {
				content.WriteString(v.fill(d.Details[k]))
				first = k
			}
		}
	}
	risk := 0.06
	if b.level != p.pack.DefaultLevel {
		risk = 0.6
	}
	if kind == "complaint" && len(d.Risks) > 0 && chance(r, risk) {
		content.WriteString(pick(r, d.Risks))
		c.Emotion = pick(r, []string{"情绪激动", "情绪激动，声称要向媒体反映", "较为不满"})
	}
	demands := slices.Clone(t.Demands)
	switch {
	case len(demands) == 0 && kind == "consultation":
		demands = []string{"explanation"}
	case kind == "complaint" && !slices.Contains(demands, "improvement") && chance(r, 0.25):
		demands = append(demands, "improvement")
	}
	reg.Demands = demands
	if kind == "complaint" || kind == "report" {
		if len(demands) > 0 {
			if cl := d.Closing[demands[0]]; len(cl) > 0 {
				content.WriteString(pick(r, cl))
			}
		}
		if len(t.Notes) > 0 && chance(r, 0.7) {
			reg.DemandNote = v.fill(pick(r, t.Notes))
		}
	}
	if urgent {
		reg.Urgent = true
		content.WriteString(d.UrgentNote)
	}
	reg.Content = content.String()
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
		reg.Evidence = append(reg.Evidence, cases.Evidence{Type: typ, Count: n, Note: d.EvidenceNote[typ]})
	}

	// Classification: mostly at registration, otherwise at acceptance.
	if b.s.i < p.forcedEnd || chance(r, 0.7) {
		reg.Category = b.cat
	}
	if b.level != p.pack.DefaultLevel || chance(r, 0.7) {
		reg.Level = b.level
	}

	// The first-responsible person: the clerk, or who took it elsewhere.
	cat, _ := p.pack.Category(b.cat)
	switch {
	case b.channel == "internal" && len(p.staff.handlers[cat.Department]) > 0:
		reg.Receiver = p.staff.handlers[cat.Department][0].Username
		reg.ReceiverDept = p.deptName(cat.Department)
		reg.ReceiverTel = "分机" + strconv.Itoa(6100+r.IntN(800))
	default:
		reg.ReceiverDept, reg.ReceiverTel = p.deptName(p.pack.CentralOffice), d.Hotline
	}
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

// path plans the steps that take the case to its target status.
func (b *builder) path() {
	d, r := b.p.dom, b.r
	kind := b.tk
	switch b.target {
	case cases.Registered:
		return
	case cases.NotAccepted:
		reasons := d.RejectReasons[kind]
		if len(reasons) == 0 {
			reasons = d.RejectReasons["complaint"]
		}
		b.add(gapDecide, b.clerk, cases.Reject, cases.Params{Reason: pick(r, reasons)})
		return
	case cases.Forwarded:
		var opts [][2]string
		for _, k := range []string{kind + "/" + b.cat, kind, b.cat, ""} {
			if o, ok := d.ForwardTo[k]; ok && (k != b.cat || kind == "complaint") {
				opts = o
				break
			}
		}
		o := pick(r, opts)
		b.add(gapDecide, b.clerk, cases.Forward, cases.Params{To: o[0], Reason: o[1]})
		return
	case cases.Voided:
		switch x := r.Float64(); {
		case x < 0.4:
			b.add(gapDecide, b.clerk, cases.Void, cases.Params{Reason: pick(r, d.VoidReasons["registered"])})
		case x < 0.7:
			b.accept()
			b.add(gapDecide, b.clerk, cases.Void, cases.Params{Reason: pick(r, d.VoidReasons["accepted"])})
		default:
			b.accept()
			b.assign(false)
			b.add(gapTake, b.handler, cases.Take, cases.Params{})
			b.add(gapDecide, b.clerk, cases.Void, cases.Params{Reason: pick(r, d.VoidReasons["in_progress"])})
		}
		return
	}
	b.accept()
	if b.target == cases.Accepted {
		return
	}
	if b.variant == PathDirect {
		b.reply(b.proposal(pick(r, b.topic.Reply)))
		if b.target == cases.Closed {
			b.visit(false)
		}
		return
	}
	b.assign(b.variant == PathReassign)
	if b.target == cases.Assigned {
		return
	}
	b.add(gapTake, b.handler, cases.Take, cases.Params{})
	if b.target == cases.InProgress && (b.variant != PathDissatisfied || !b.reachable()) {
		return
	}
	b.propose(gapPropose)
	if b.target == cases.Reviewing && b.variant != PathSendBack {
		return
	}
	if b.variant == PathSendBack {
		if who, ok := b.reviewer(); ok {
			b.add(gapReview, who, cases.SendBack, cases.Params{Reason: pick(r, d.SendBackReasons)})
			b.propose(gapRedo)
			if b.target == cases.Reviewing {
				return
			}
		} else {
			b.variant = PathSendBackApproved // no review: the clerk sends it back
		}
	}
	b.approve()
	if b.target == cases.Approved {
		return
	}
	if b.variant == PathSendBackApproved {
		b.add(gapReview, b.clerk, cases.SendBack, cases.Params{Reason: pick(r, d.SendBackApprovedReasons)})
		b.propose(gapRedo)
		b.approve()
	}
	b.reply("")
	if b.target == cases.Replied {
		return
	}
	if b.variant == PathDissatisfied && b.reachable() {
		b.visit(true)
		if b.target == cases.InProgress {
			return
		}
		b.proposeAgain(gapAgain, pick(r, d.SecondProposal))
		b.approve()
		b.reply("")
	}
	b.visit(false)
	if b.variant == PathReopen {
		b.add(gapReopen, b.clerk, cases.Reopen, cases.Params{Reason: pick(r, d.ReopenReasons)})
		b.proposeAgain(gapRedo, d.ReopenProposal)
		b.approve()
		b.reply("")
		b.visit(false)
	}
}

func (b *builder) accept() {
	var p cases.Params
	if b.reg.Category == "" {
		p.Category = b.cat
	}
	def := b.p.pack.DefaultLevel
	if k := slices.Index(b.p.levels, def); b.lvl == def && k > 0 && b.tk == "complaint" && chance(b.r, 0.06) {
		b.lvl = b.p.levels[k-1] // upgraded on acceptance
		p.Level = b.lvl
	}
	// A case meant to wait for review needs a level that has one.
	if (b.target == cases.Reviewing || b.variant == PathSendBack) && b.review() == policy.ReviewNone {
		for _, l := range b.p.pack.Levels {
			if l.Review != policy.ReviewNone {
				b.lvl, p.Level = l.Code, l.Code
				break
			}
		}
	}
	b.add(gapAccept, b.clerk, cases.Accept, p)
	if c, ok := b.p.pack.Category(b.cat); ok {
		b.dept = c.Department
	} else {
		b.dept = b.p.pack.CentralOffice
	}
	if _, ok := b.p.pack.Dept(b.dept); !ok && len(b.p.pack.Departments) > 0 {
		b.dept = b.p.pack.Departments[0].Code
	}
}

// assign issues the handling slip (交办单) to the category's department;
// wrong first sends it to another department, whose handler takes it and
// finds it is not theirs.
func (b *builder) assign(wrong bool) {
	p, r := b.p, b.r
	if wrong {
		var others []string
		for _, d := range p.pack.Departments {
			if d.Code != b.dept && d.Code != p.pack.CentralOffice {
				others = append(others, d.Code)
			}
		}
		if len(others) > 0 {
			w := pick(r, others)
			h := pick(r, p.staff.handlers[w])
			b.add(gapQuick, b.clerk, cases.Assign, cases.Params{Department: w, Handler: h.Username})
			b.add(gapTake, h, cases.Take, cases.Params{})
			b.handler = pick(r, p.staff.handlers[b.dept])
			b.add(gapTake, b.clerk, cases.Assign, cases.Params{Department: b.dept, Handler: b.handler.Username,
				Note: p.deptName(w) + "反馈该事项不属本部门职责，改交" + p.deptName(b.dept) + "办理。"})
			return
		}
	}
	b.handler = pick(r, p.staff.handlers[b.dept])
	b.add(gapQuick, b.clerk, cases.Assign, cases.Params{Department: b.dept, Handler: b.handler.Username})
}

// proposal builds the department's draft reply around a finding.
func (b *builder) proposal(finding string) string {
	r, d, kind := b.r, b.p.dom, b.tk
	var s string
	switch kind {
	case "consultation":
		s = "{name}：您好！关于您的咨询（{subject}），经与{handling}核实，" + finding
	case "suggestion":
		s = "{name}：您好！关于您提出的“{subject}”，" + finding
	default:
		s = pick(r, d.ProposalOpen) + finding
	}
	if b.cat == "attitude" && kind == "complaint" && b.topic.Staff != "" && chance(r, 0.6) {
		s += d.LevelSanction[b.lvl]
	}
	if end, ok := d.KindClose[kind]; ok {
		return b.v.fill(s + end)
	}
	return b.v.fill(s + pick(r, d.ProposalClose))
}

func (b *builder) propose(g gap) {
	b.last = b.proposal(pick(b.r, b.topic.Reply))
	b.add(g, b.handler, cases.Propose, cases.Params{Reply: b.last})
}

// proposeAgain proposes a further reply after the complainant came back.
func (b *builder) proposeAgain(g gap, open string) {
	b.last = b.v.fill(open + b.again()[1] + pick(b.r, b.p.dom.ProposalClose))
	b.add(g, b.handler, cases.Propose, cases.Params{Reply: b.last})
}

// again is what a complainant who is not satisfied says, and what is done
// then, by their main demand.
func (b *builder) again() [2]string {
	for _, d := range b.reg.Demands {
		if x, ok := b.p.dom.Dissatisfied[d]; ok {
			return x
		}
	}
	return b.p.dom.Dissatisfied[""]
}

// reviewer is who approves the case's proposals under its level.
func (b *builder) reviewer() (cases.Actor, bool) {
	switch b.review() {
	case policy.ReviewNone:
		return cases.Actor{}, false
	case policy.ReviewManager:
		return b.p.staff.manager, true
	}
	return b.p.staff.heads[b.dept], true
}

func (b *builder) approve() {
	if who, ok := b.reviewer(); ok && b.status == cases.Reviewing {
		b.add(gapReview, who, cases.Approve, cases.Params{Note: pick(b.r, b.p.dom.ApproveNotes)})
	}
}

func (b *builder) reachable() bool {
	c := b.reg.Complainant
	return b.named || c.OtherContact != "" || c.Name != "" && !c.Anonymous
}

// reply answers the complainant; text "" answers with the approved proposal.
func (b *builder) reply(text string) {
	if text == "" {
		text = b.last
	}
	text += b.p.dom.ReplyContact
	method := "phone"
	switch b.channel {
	case "letter", "regulator", "media", "leadership", "fax":
		method = "letter"
	case "email":
		method = "email"
	case "web", "platform", "social_media":
		method = pick(b.r, []string{"web", "phone", "sms"})
	case "wechat":
		method = "wechat"
	case "walk_in":
		method = pick(b.r, []string{"phone", "phone", "in_person"})
	}
	c := b.reg.Complainant
	if c.Phone == "" && (method == "phone" || method == "sms") {
		switch {
		case strings.HasPrefix(c.OtherContact, "微信"):
			method = "wechat"
		case c.OtherContact != "":
			method = "letter"
		case b.channel == "walk_in":
			method = "in_person"
		default:
			method = "other"
		}
	}
	b.add(gapReply, b.clerk, cases.Reply, cases.Params{Reply: text, Method: method})
}

func (b *builder) visit(dissatisfied bool) {
	var p cases.Params
	d := b.p.dom
	switch {
	case dissatisfied:
		p.Satisfaction, p.Note = cases.Dissatisfied, b.again()[0]
	case !b.reachable():
		p.Satisfaction, p.Note = cases.Unreachable, d.Unreachable[b.reg.Complainant.Anonymous]
	case chance(b.r, 0.68):
		p.Satisfaction = cases.Satisfied
		p.Note = pick(b.r, d.SatisfiedNotes[string(p.Satisfaction)])
	default:
		p.Satisfaction = cases.BasicallySatisfied
		p.Note = pick(b.r, d.SatisfiedNotes[string(p.Satisfaction)])
	}
	b.add(gapVisit, b.clerk, cases.Visit, p)
}

// schedule gives every step a time after registration, in office hours
// where people work. Steps after limit are dropped — the case is where it
// would be now — unless the target is forced: then the steps are squeezed
// in before limit.
func (b *builder) schedule(limit time.Time) {
	r := b.r
	t := b.s.reg
	for i := range b.steps {
		s := &b.steps[i]
		t = t.Add(Between(r, s.gap.min, s.gap.max))
		if s.gap.work {
			t = OfficeHours(r, t)
		}
		s.at = t.Truncate(cases.Precision)
	}
	if len(b.steps) == 0 || !b.steps[len(b.steps)-1].at.After(limit) {
		return
	}
	if !b.forced {
		k := 0
		for k < len(b.steps) && !b.steps[k].at.After(limit) {
			k++
		}
		b.steps = b.steps[:k]
		return
	}
	span := limit.Sub(b.s.reg)
	if span <= 0 {
		b.steps = nil
		return
	}
	last := b.steps[len(b.steps)-1].at.Sub(b.s.reg)
	prev := b.s.reg
	for i := range b.steps {
		s := &b.steps[i]
		off := time.Duration(float64(s.at.Sub(b.s.reg)) / float64(last) * float64(span))
		s.at = b.s.reg.Add(off).Truncate(cases.Precision)
		if !s.at.After(prev) {
			s.at = prev.Add(cases.Precision)
		}
		prev = s.at
	}
}
