package groundswell

import (
	"time"

	"github.com/groundswell/groundswell/internal/markup"
)

// More contribution statuses; only StatusVisible is public.
const (
	// StatusPending is hidden automatically until a moderator reviews it.
	StatusPending Status = "pending"
	// StatusHeld was never published: held by pre-moderation or the word list.
	StatusHeld Status = "held"
	// StatusHidden was hidden by a moderator, with a reason.
	StatusHidden Status = "hidden"
)

// ReportReason is why a participant reports a contribution.
type ReportReason string

// The report reasons.
const (
	ReasonSpam         ReportReason = "spam"
	ReasonOffensive    ReportReason = "offensive"
	ReasonPersonalData ReportReason = "personal_data"
	ReasonSafety       ReportReason = "safety"
	ReasonOffTopic     ReportReason = "off_topic"
)

// ReportReasons lists the reasons in the order a form offers them.
var ReportReasons = []ReportReason{ReasonOffensive, ReasonPersonalData, ReasonSafety, ReasonSpam, ReasonOffTopic}

// Valid reports whether r is a known reason.
func (r ReportReason) Valid() bool {
	for _, x := range ReportReasons {
		if r == x {
			return true
		}
	}
	return false
}

// Label is the reason as a person reads it.
func (r ReportReason) Label() string {
	switch r {
	case ReasonSpam:
		return "Spam or advertising"
	case ReasonOffensive:
		return "Offensive or abusive"
	case ReasonPersonalData:
		return "Personal information (for example about a patient)"
	case ReasonSafety:
		return "A safety or whistleblowing concern"
	case ReasonOffTopic:
		return "Off topic"
	}
	return string(r)
}

// Severity orders the queue: safety first, then personal data, then everything else.
func (r ReportReason) Severity() int {
	switch r {
	case ReasonSafety:
		return 2
	case ReasonPersonalData:
		return 1
	}
	return 0
}

// ReportResult says what a report did.
type ReportResult struct {
	Hidden    bool // the item is now hidden pending review
	Escalated bool
}

// ReportDetailsMax is the longest optional explanation a report may carry.
const ReportDetailsMax = 500

// DefaultReportThreshold is how many distinct reports hide an item pending review.
const DefaultReportThreshold = 3

// Report is one participant's report of a contribution.
type Report struct {
	ID        int64
	Reason    ReportReason
	Details   string
	CreatedAt time.Time
}

// CaseState says whether a case waits in the queue.
type CaseState string

// The case states.
const (
	CaseOpen   CaseState = "open"
	CaseClosed CaseState = "closed"
)

// Case gathers the reports about one contribution and what moderators did about it.
type Case struct {
	ID            int64
	TargetType    string // idea or comment
	TargetID      int64
	ChallengeID   int64
	ChallengeSlug string
	State         CaseState
	Severity      int
	Escalated     bool
	Held          bool
	ReportCount   int
	Outcome       string
	OutcomeReason string
	HasOriginal   bool
	Version       int
	OpenedAt      time.Time
	DecidedAt     *time.Time

	// Context for the queue.
	Status       Status // the contribution's status now
	Author       string
	Title        string // the idea's title (for a comment, the idea it is on)
	IdeaID       int64
	BodyHTML     markup.HTML
	BodyMD       string
	ParentAuthor string
	ParentBody   markup.HTML
	Reports      []Report
	PriorHidden  int // the same author's contributions hidden before, in this challenge
}

// CaseQuery filters the moderation queue.
type CaseQuery struct {
	State       CaseState // empty: open
	Reason      ReportReason
	ChallengeID int64
	Page        int
	PerPage     int
}

// ModerationAction is what a moderator can do to a case.
type ModerationAction string

// The moderation actions.
const (
	ActDismiss  ModerationAction = "dismiss"
	ActHide     ModerationAction = "hide"
	ActRestore  ModerationAction = "restore"
	ActRedact   ModerationAction = "redact"
	ActEscalate ModerationAction = "escalate"
	ActSuspend  ModerationAction = "suspend"
)

// Valid reports whether a is a known action.
func (a ModerationAction) Valid() bool {
	switch a {
	case ActDismiss, ActHide, ActRestore, ActRedact, ActEscalate, ActSuspend:
		return true
	}
	return false
}

// ModerationCommand is one action on one case, with the version the moderator saw.
type ModerationCommand struct {
	CaseID   int64
	Version  int
	Action   ModerationAction
	Reason   string
	Text     string        // the edited text, for redact
	Duration time.Duration // for suspend
}

// TransparencyRow is one reason's line in a challenge's public moderation report.
type TransparencyRow struct {
	Reason       string
	Hidden       int
	MedianToHide time.Duration
}
