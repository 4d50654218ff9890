package gen

import (
	"slices"
	"strings"

	"github.com/ombud/ombud/internal/policy"
)

// Topic is one kind of matter people contact an organization about, with
// what the complaint, the demands and the department's reply say about it.
//
// Texts hold placeholders in braces, filled per case:
//
//	{when}     when it happened: 3月5日上午9点左右
//	{day}      the day it happened: 3月5日
//	{date}     the day it was reported
//	{site}     the ward, clinic, store or place: 心内科二病区, 人民路店收银台
//	{dept}     who is complained about, as the complainant names them: 心内科, 人民路店
//	{staff}    the staff member as the complainant describes them: 护士王丽 / 一名护士
//	{staffref} the staff member as the department's reply names them: 当事护士王丽 / 当班护士
//	{who}      the person concerned, a relative of the complainant: 其父亲
//	{amount}   a sum of money in yuan
//	{wait}     a waiting time: 两个多小时
//	{order}    an order, bill or account number
//	{product}  a product (general domain)
//	{store}    a store or branch (general domain; in Sites)
//	{org}      the organization's name
//	{catname}  the case's category as the pack names it
//	{name}     尊敬的 and the complainant's name, to open a reply
//	{subject}  the subject of the case
//	{handling} the department that handles the case
type Topic struct {
	Kind    string   // pack kind code
	Ward    bool     // it happens to an inpatient (so it can come up at the discharge follow-up)
	Cat     string   // pack category code ("" in fallback topics: any category)
	Subject string   // 事由
	Sites   []string // "被投诉部门/地点"
	Staff   string   // the role of the staff member concerned, "" if none
	Stories []string // what happened, one or two sentences
	Demands []string // cases.Demands codes
	Notes   []string // demand notes (诉求说明)
	Evid    []string // the evidence types complainants bring
	Reply   []string // the finding and measures of the department's reply
	Amount  [2]int   // range of {amount}
	// Subjects are other ways to put the subject; the generator picks among
	// Subject and these.
	Subjects []string
}

// Domain is the texts of one line of business (hospitals, shops and
// services): its topics and the phrases cases are built from.
type Domain struct {
	Name   string
	Topics []Topic
	// Categories lists the category codes the domain's topics are written
	// for, with how common each is; a pack category the domain does not
	// know gets weight 10.
	Categories map[string]int
	// EvidenceNote describes each evidence type.
	EvidenceNote map[string]string
	// ChannelLead opens a complaint's content with how it came in, by
	// channel code ("" for channels not listed: {channel} is the pack's
	// name of the channel).
	ChannelLead map[string][]string
	// ChannelTag opens the content of consultations, suggestions and
	// reports, whose stories introduce the person themselves.
	ChannelTag map[string]string
	// KindClose ends the replies to contacts that are not complaints.
	KindClose map[string]string
	// Closing ends the content with the complainant's main demand.
	Closing  map[string][]string
	Emotions []string
	// Relatives are the person concerned, as {who}.
	Relatives []string
	Waits     []string
	Addresses []string
	// ProposalOpen and ProposalClose frame the department's draft reply.
	ProposalOpen  []string
	ProposalClose []string
	// ReplyContact ends every reply sent to the complainant.
	ReplyContact string
	// RejectReasons by kind code.
	RejectReasons map[string][]string
	// ForwardTo: where a case is forwarded and why, by "kind/category",
	// kind, category or "" (anything).
	ForwardTo map[string][][2]string
	// VoidReasons by how far the case got: registered, accepted, in_progress.
	VoidReasons             map[string][]string
	SendBackReasons         []string
	SendBackApprovedReasons []string
	// Dissatisfied: what a dissatisfied complainant says at the return
	// visit and what the department does then, by their main demand.
	Dissatisfied   map[string][2]string
	SecondProposal []string
	ReopenProposal string
	SatisfiedNotes map[string][]string
	// Unreachable: the visit note when the complainant cannot be called
	// back, by whether they were anonymous.
	Unreachable   map[bool]string
	ReopenReasons []string
	ApproveNotes  []string
	// UrgentNote marks a matter handled first and registered afterwards.
	UrgentNote string
	// LevelSanction is the consequence attached to a confirmed attitude
	// complaint, by level code.
	LevelSanction map[string]string

	// The generator's further fragments.

	// Risks are what complainants threaten or have done already (要找媒体曝光,
	// 已向12345投诉): raise the risk of a case.
	Risks []string
	// Details are further sentences a complainant adds.
	Details []string
	// Stores and Products fill {store} and {product}.
	Stores   []string
	Products []string
	// Hotline is the central office's number, as the receiver's contact.
	Hotline string
	// Dear addresses a complainant whose name is not known (尊敬的顾客).
	Dear string
	// People are who complain together in a group complaint (患者及家属).
	People string
	// MemberLevels fill {member} and the complainant's member level.
	MemberLevels []string
}

// DomainFor returns the text domain that fits pack: hospitals for a pack
// whose categories are a hospital's, shops and services otherwise.
func DomainFor(pack *policy.Pack) *Domain {
	if strings.HasPrefix(pack.ID, "hospital") {
		return Hospital
	}
	for _, c := range pack.Categories {
		if slices.Contains([]string{"medical", "nursing", "insurance"}, c.Code) {
			return Hospital
		}
	}
	return General
}
