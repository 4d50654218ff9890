package demo

import "github.com/ombud/ombud/internal/gen"

// The phrases the sample cases are built from live in package gen (the
// hospital domain), which the load generator shares; placeholders in braces
// are filled per case (see fill in plan.go and gen.Topic).

type topic = gen.Topic

var (
	h                       = gen.Hospital
	topics                  = h.Topics
	channelLead             = h.ChannelLead
	channelTag              = h.ChannelTag
	kindClose               = h.KindClose
	closing                 = h.Closing
	emotions                = h.Emotions
	evidenceNote            = h.EvidenceNote
	relatives               = h.Relatives
	waits                   = h.Waits
	surnames                = gen.Surnames
	givenNames              = gen.GivenNames
	phonePrefixes           = gen.PhonePrefixes
	addresses               = h.Addresses
	proposalOpen            = h.ProposalOpen
	proposalClose           = h.ProposalClose
	replyContact            = h.ReplyContact
	rejectReasons           = h.RejectReasons
	forwardTo               = h.ForwardTo
	voidReasons             = h.VoidReasons
	sendBackReasons         = h.SendBackReasons
	sendBackApprovedReasons = h.SendBackApprovedReasons
	dissatisfied            = h.Dissatisfied
	secondProposal          = h.SecondProposal
	reopenProposal          = h.ReopenProposal
	satisfiedNotes          = h.SatisfiedNotes
	unreachable             = h.Unreachable
	reopenReasons           = h.ReopenReasons
	approveNotes            = h.ApproveNotes
	urgentNotes             = h.UrgentNote
	levelSanction           = h.LevelSanction
)
