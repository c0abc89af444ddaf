package groundswell

import (
	"slices"
	"strings"
	"time"
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
	ReportSpam         ReportReason = "spam"
	ReportOffensive    ReportReason = "offensive"
	ReportPersonalData ReportReason = "personal_data"
	ReportSafety       ReportReason = "safety"
	ReportOffTopic     ReportReason = "off_topic"
)

// ReportReasons lists the reasons in the order a form offers them.
var ReportReasons = []ReportReason{ReportOffensive, ReportPersonalData, ReportSafety, ReportSpam, ReportOffTopic}

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
	case ReportSpam:
		return "Spam or advertising"
	case ReportOffensive:
		return "Offensive or abusive"
	case ReportPersonalData:
		return "Personal information (for example about a patient)"
	case ReportSafety:
		return "A safety or whistleblowing concern"
	case ReportOffTopic:
		return "Off topic"
	}
	return string(r)
}

// Severity orders the queue: safety first, then personal data, then everything else.
func (r ReportReason) Severity() int {
	switch r {
	case ReportSafety:
		return 2
	case ReportPersonalData:
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

// DefaultReportThreshold is how many distinct reports hide an item pending review when a
// challenge is created without a threshold; the schema holds the same default.
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

// Outcome is how a moderator closed a case.
type Outcome string

// The outcomes; "" while a case has never been decided.
const (
	OutcomeNone      Outcome = ""
	OutcomeDismissed Outcome = "dismissed"
	OutcomeHidden    Outcome = "hidden"
	OutcomeRestored  Outcome = "restored"
	OutcomeRedacted  Outcome = "redacted"
	// OutcomeDiscounted: a vote surge's unproven votes no longer count; the item stays as it is.
	OutcomeDiscounted Outcome = "discounted"
)

// Kept reports whether a moderator decided the item stays up, in full or redacted.
func (o Outcome) Kept() bool {
	return o == OutcomeDismissed || o == OutcomeRestored || o == OutcomeRedacted || o == OutcomeDiscounted
}

// Label is the outcome as a moderator reads it.
func (o Outcome) Label() string {
	switch o {
	case OutcomeDismissed:
		return "kept (reports dismissed)"
	case OutcomeHidden:
		return "hidden"
	case OutcomeRestored:
		return "restored"
	case OutcomeRedacted:
		return "kept with an edit"
	case OutcomeDiscounted:
		return "kept, surge votes discounted"
	}
	return "not decided yet"
}

// Open reports whether cases in this state wait in the queue.
func (s CaseState) Open() bool { return s == CaseOpen }

// Case gathers the reports about one contribution and what moderators did about it.
type Case struct {
	ID            int64
	TargetType    TargetKind
	TargetID      int64
	ChallengeID   int64
	ChallengeSlug string
	// ChallengeTitle and StockReasons come from the case's challenge, for the queue.
	ChallengeTitle string
	StockReasons   []string
	ParticipantID  int64 // internal: the author, for suspensions and their history; never shown
	State          CaseState
	Severity       int
	Escalated      bool
	Held           bool
	ReportCount    int
	StandingCount  int // reports from participants with standing
	Surge          int // unproven votes in the surge that opened the case, 0 for none
	Outcome        Outcome
	OutcomeReason  string
	HasOriginal    bool
	Version        int
	OpenedAt       time.Time
	DecidedAt      *time.Time

	// Context for the queue.
	Status       Status // the contribution's status now
	Author       string
	Title        string // the idea's title (for a comment, the idea it is on)
	IdeaID       int64
	BodyHTML     HTML
	BodyMD       string
	ParentAuthor string
	ParentBody   HTML
	Reports      []Report
	PriorHidden  int // the same author's contributions hidden before, in this challenge
}

// CaseQuery filters the moderation queue.
type CaseQuery struct {
	State       CaseState // empty: open
	Reason      ReportReason
	ChallengeID int64
	// After and Before ask for the page after or before a place in the list; nil for the first.
	After, Before *CaseKey
	PerPage       int
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
	// ActDiscount stops counting the votes from participants without standing that made a
	// surge on an idea; they stay in the database.
	ActDiscount ModerationAction = "discount"
)

// Valid reports whether a is a known action.
func (a ModerationAction) Valid() bool {
	switch a {
	case ActDismiss, ActHide, ActRestore, ActRedact, ActEscalate, ActSuspend, ActDiscount:
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
	Title    string        // the edited title of an idea, for redact; "" keeps it
	Duration time.Duration // for suspend
}

// TransparencyRow is one reason's line in a challenge's public moderation report.
type TransparencyRow struct {
	Reason       string
	Hidden       int
	MedianToHide time.Duration
}

// HiddenDecision is one case a moderator closed by hiding the item.
type HiddenDecision struct {
	Reason    ReportReason // the first report's reason; "" for an item held before publication
	OpenedAt  time.Time
	DecidedAt *time.Time
}

// Transparency summarises hidden decisions for the public: how many per reason, and the median
// time from the case opening to the decision, most common reason first. Items held before
// publication are counted under "held for review".
func Transparency(decisions []HiddenDecision) []TransparencyRow {
	byReason := map[string][]time.Duration{}
	for _, d := range decisions {
		reason := "held for review"
		if d.Reason != "" {
			reason = d.Reason.Label()
		}
		var wait time.Duration
		if d.DecidedAt != nil {
			wait = d.DecidedAt.Sub(d.OpenedAt)
		}
		byReason[reason] = append(byReason[reason], wait)
	}
	out := make([]TransparencyRow, 0, len(byReason))
	for reason, waits := range byReason {
		slices.Sort(waits)
		out = append(out, TransparencyRow{Reason: reason, Hidden: len(waits), MedianToHide: median(waits)})
	}
	slices.SortFunc(out, func(a, b TransparencyRow) int {
		if a.Hidden != b.Hidden {
			return b.Hidden - a.Hidden
		}
		return strings.Compare(a.Reason, b.Reason)
	})
	return out
}

// median of sorted durations: the middle one, or the mean of the two middle ones.
func median(sorted []time.Duration) time.Duration {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// CanReport refuses a report of an item the public no longer sees: it is already with a
// moderator, and a second look is on its way.
func CanReport(kind TargetKind, id int64, status, ideaStatus Status) error {
	if status.Visible() && ideaStatus.Visible() {
		return nil
	}
	// Out of view: answered as a reader would be, so that a report cannot reveal that a held
	// contribution exists.
	var e *Error
	switch {
	case status == StatusHidden || (kind == TargetComment && ideaStatus == StatusHidden):
		e = Errorf(ENOTFOUND, "This %s was removed by a moderator.", kind)
	case status == StatusPending || (kind == TargetComment && ideaStatus == StatusPending):
		e = Errorf(ENOTFOUND, "This %s has been removed while a moderator reviews reports about it.", kind)
	default:
		e = Errorf(ENOTFOUND, "There is no %s number %d.", kind, id)
	}
	return e.Because(ReasonAwaitingReview)
}

// ReportDecision is what one more report does to a case.
type ReportDecision struct {
	Hide     bool   // take the item out of view pending review
	Why      string // for the audit log, when Hide
	Reopened bool   // the case had been decided and goes back into the queue
}

// DecideReport applies one new report with reason to case c (as it was before the report) in a
// challenge whose threshold is the number of distinct reports that hide an item. It updates c's
// count, severity, escalation and state, and says whether the item is hidden:
//   - personal data hides at once, whatever happened before: it may harm someone who never
//     posted;
//   - a safety report escalates the case to the top of the queue and does not hide the item by
//     itself, so the concern stays visible; like any report it still counts towards the threshold;
//   - the threshold hides an item, unless a moderator already decided to keep it, so that a
//     pile-on cannot silence fair criticism: new reports only reopen the case.
//
// Only reports from participants with standing (see HasStanding) can hide anything: a report
// from a fresh browser goes to the queue, and a personal-data one is escalated to its top, but
// no number of fresh cookies can take an item down by themselves. Once a moderator has kept an
// item, no report hides it again automatically, whatever its reason.
func DecideReport(c *Case, reason ReportReason, threshold int, standing bool) ReportDecision {
	var d ReportDecision
	c.ReportCount++
	if standing {
		c.StandingCount++
	}
	c.Severity = max(c.Severity, reason.Severity())
	if reason == ReportSafety || (reason == ReportPersonalData && !standing) {
		c.Escalated = true
	}
	d.Reopened = c.State == CaseClosed
	c.State = CaseOpen
	switch {
	case c.Outcome.Kept() || !standing:
	case reason == ReportPersonalData:
		d.Hide, d.Why = true, "personal data reported"
	case c.StandingCount >= max(threshold, 1):
		d.Hide, d.Why = true, "reports reached the threshold"
	}
	return d
}

// SurgeWindow is how far back the surge detector looks; SurgeMin is the fewest unproven votes
// in it that can be a surge, and SurgeFactor how many times an idea's usual rate they must be.
const (
	SurgeWindow = 10 * time.Minute
	SurgeMin    = 10
	SurgeFactor = 5
)

// IsSurge is the surge rule: recent votes from participants without standing, within the last
// SurgeWindow, on an idea that has had total votes over its age, arrive much faster than usual.
func IsSurge(recent, total int, age time.Duration) bool {
	if recent < SurgeMin {
		return false
	}
	usual := float64(total) * float64(SurgeWindow) / float64(max(age, SurgeWindow))
	return float64(recent) >= SurgeFactor*usual
}

// StuffedMin is the fewest counted votes from browsers without standing that can make an idea
// look stuffed; past it, an idea whose votes are mostly theirs goes to the moderators.
const StuffedMin = 20

// IsStuffed is the slow-drip rule: most of an idea's counted votes came from browsers without
// standing, however slowly they arrived.
func IsStuffed(unproven, total int) bool {
	return unproven >= StuffedMin && 2*unproven > total
}

// DefaultStandingMinutes is how long a browser must have been known before its reports can hide
// anything, unless a challenge says otherwise.
const DefaultStandingMinutes = 10

// HasStanding is the standing rule: a participant whose browser has been known for at least
// minAge and who has voted or posted in the challenge. A script that makes fresh cookies has
// neither, and one that keeps them must wait and take part first. A challenge whose minAge is
// zero has turned the rule off (a small pilot among colleagues): every report counts.
func HasStanding(age, minAge time.Duration, active bool) bool {
	return minAge <= 0 || (active && age >= minAge)
}

// CheckVersion refuses a moderator's action on a case that changed since they loaded it.
func CheckVersion(current, seen int) error {
	if current == seen {
		return nil
	}
	return Errorf(ECONFLICT, "Another moderator acted on this item while you were looking at it. Its current state is shown; check it before acting again.").
		Because(ReasonVersionConflict)
}

// Effect is what a moderation action does, worked out before anything is written.
type Effect struct {
	Status   Status  // the item's new status, or "" to leave it
	Outcome  Outcome // closes the case with this outcome, unless OutcomeNone
	Escalate bool
	Redact   bool // replace the item's text, keeping the original in the case
	Suspend  bool // pause the author's posting for the command's duration
	Discount bool // stop counting the idea's unproven votes
}

// StatusFrom is the status the effect gives an item that is now in current, or "" to leave it.
// An author's withdrawal stands: a moderator's decision may hide a withdrawn item, but never
// brings it back into view.
func (e Effect) StatusFrom(current Status) Status {
	if current.Withdrawn() && e.Status.Visible() {
		return ""
	}
	return e.Status
}

// PlanAction is the rule for each moderator action. Every action is allowed from every state:
// a moderator can reverse a decision (restore what was hidden, hide what was kept), and each
// change is audited.
func PlanAction(a ModerationAction) (Effect, error) {
	switch a {
	case ActDismiss:
		return Effect{Status: StatusVisible, Outcome: OutcomeDismissed}, nil
	case ActHide:
		return Effect{Status: StatusHidden, Outcome: OutcomeHidden}, nil
	case ActRestore:
		return Effect{Status: StatusVisible, Outcome: OutcomeRestored}, nil
	case ActRedact:
		return Effect{Status: StatusVisible, Outcome: OutcomeRedacted, Redact: true}, nil
	case ActDiscount:
		return Effect{Outcome: OutcomeDiscounted, Discount: true}, nil
	case ActEscalate:
		return Effect{Escalate: true}, nil
	case ActSuspend:
		return Effect{Suspend: true}, nil
	}
	return Effect{}, Errorf(EMALFORMED, "Unknown moderation action %q.", a)
}

// Suspension pauses one participant's posting in one challenge.
type Suspension struct {
	Until  time.Time
	Reason string
}

// Refuse returns the error for posting at now while s is in force, or nil when it has run out
// (or s is nil). Suspended participants can still read and vote.
func (s *Suspension) Refuse(now time.Time) error {
	if s == nil || !now.Before(s.Until) {
		return nil
	}
	return Errorf(EFORBIDDEN, "A moderator has paused your posting in this challenge until %s. Reason given: %s. You can still read and vote.",
		s.Until.UTC().Format("2 January 2006 at 15:04 UTC"), s.Reason).Because(ReasonSuspended)
}
