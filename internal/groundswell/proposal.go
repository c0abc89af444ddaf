package groundswell

import (
	"strings"
	"time"
	"unicode/utf8"
)

// ProposalStatus is where a change proposal stands in its workflow.
type ProposalStatus string

// The workflow: draft → shortlisted → accepted → published → in progress → implemented, or at
// any point before it is done, not taken forward (with a reason).
const (
	ProposalDraft           ProposalStatus = "draft"
	ProposalShortlisted     ProposalStatus = "shortlisted"
	ProposalAccepted        ProposalStatus = "accepted"
	ProposalPublished       ProposalStatus = "published"
	ProposalInProgress      ProposalStatus = "in_progress"
	ProposalImplemented     ProposalStatus = "implemented"
	ProposalNotTakenForward ProposalStatus = "not_taken_forward"
)

// ProposalStatuses lists the statuses in workflow order.
var ProposalStatuses = []ProposalStatus{ProposalDraft, ProposalShortlisted, ProposalAccepted, ProposalPublished,
	ProposalInProgress, ProposalImplemented, ProposalNotTakenForward}

// Label is the status as people read it.
func (s ProposalStatus) Label() string {
	switch s {
	case ProposalDraft:
		return "Draft"
	case ProposalShortlisted:
		return "Shortlisted"
	case ProposalAccepted:
		return "Accepted"
	case ProposalPublished:
		return "Published"
	case ProposalInProgress:
		return "In progress"
	case ProposalImplemented:
		return "Implemented"
	case ProposalNotTakenForward:
		return "Not taken forward"
	}
	return string(s)
}

// Public reports whether the change guide shows a proposal in this status.
func (s ProposalStatus) Public() bool {
	return s == ProposalPublished || s == ProposalInProgress || s == ProposalImplemented
}

// next is the one forward step from each status.
var next = map[ProposalStatus]ProposalStatus{
	ProposalDraft: ProposalShortlisted, ProposalShortlisted: ProposalAccepted, ProposalAccepted: ProposalPublished,
	ProposalPublished: ProposalInProgress, ProposalInProgress: ProposalImplemented,
}

// Next is the status a proposal may move on to, or "" when it has none.
func (s ProposalStatus) Next() ProposalStatus { return next[s] }

// CheckTransition is the workflow rule: a proposal moves one step forward at a time, or leaves
// the workflow as not taken forward, with a reason, before it is implemented. Nothing moves
// back, and finished proposals stay as they are.
func CheckTransition(from, to ProposalStatus, reason string) error {
	switch {
	case to == ProposalNotTakenForward && from != ProposalImplemented && from != ProposalNotTakenForward:
		if strings.TrimSpace(reason) == "" {
			return FieldError("reason", "Say why the proposal is not taken forward: the guide and the audit log show the reason.")
		}
		return nil
	case to != "" && next[from] == to:
		return nil
	}
	return Errorf(ECONFLICT, "A proposal that is %s cannot become %s.", strings.ToLower(from.Label()), strings.ToLower(to.Label()))
}

// Proposal is a change a panel recommends, merged from one or more of the crowd's ideas.
type Proposal struct {
	ID           int64
	PanelID      int64
	ChallengeID  int64
	Title        string
	Theme        string
	Problem      string
	Change       string
	Steps        string
	Enablers     string
	Blockers     string
	Evidence     string
	Owner        string
	Status       ProposalStatus
	StatusReason string
	CreatedAt    time.Time
	Sources      []ProposalSource
}

// ProposalSource is a contribution a proposal came from, with its support when it was merged.
type ProposalSource struct {
	Kind       TargetKind // an idea, or a comment suggesting how to make it happen
	TargetID   int64
	IdeaID     int64
	Title      string
	Up, Down   int
	Comments   int
	PanelScore *float64 // the panel's weighted score of the idea, if it was reviewed
}

// ProposalInput is what a panel writes when it creates a proposal.
type ProposalInput struct {
	Title, Theme, Problem, Change, Steps, Enablers, Blockers, Evidence, Owner string
	Ideas                                                                     []int64
}

// Proposal text limits.
const (
	ProposalTitleMax = 160
	ProposalTextMax  = 5000
)

// Validate checks a proposal before it is created.
func (in *ProposalInput) Validate() error {
	f := FieldErrors{}
	for _, p := range []*string{&in.Title, &in.Theme, &in.Problem, &in.Change, &in.Steps, &in.Enablers, &in.Blockers, &in.Evidence, &in.Owner} {
		*p = strings.TrimSpace(*p)
	}
	checkText(f, "title", in.Title, 3, ProposalTitleMax, "title")
	checkText(f, "change", in.Change, 1, ProposalTextMax, "proposed change")
	for field, text := range map[string]string{"theme": in.Theme, "problem": in.Problem, "steps": in.Steps, "enablers": in.Enablers,
		"blockers": in.Blockers, "evidence": in.Evidence, "owner": in.Owner} {
		checkText(f, field, text, 0, ProposalTextMax, "text")
	}
	if utf8.RuneCountInString(in.Theme) > 80 {
		f.Add("theme", "Keep the theme under 80 characters.")
	}
	if len(in.Ideas) == 0 {
		f.Add("ideas", "Choose at least one shortlisted idea to build the proposal from.")
	}
	return f.Err()
}
