package groundswell_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// wantErr fails t unless err has code and reason; an empty code means err must be nil.
func wantErr(t *testing.T, err error, code gs.Code, reason gs.Reason) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("got no error, want code %q", code)
	}
	if got := gs.ErrorCode(err); got != code {
		t.Errorf("code: got %q, want %q (%v)", got, code, err)
	}
	if got := gs.ErrorReason(err); got != reason {
		t.Errorf("reason: got %q, want %q (%v)", got, reason, err)
	}
}

// wantFields fails t unless err carries exactly the fields with the given messages.
func wantFields(t *testing.T, err error, want map[string]string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("got error %v (fields %v), want none", err, gs.ErrorFields(err))
		}
		return
	}
	if got := gs.ErrorCode(err); got != gs.EINVALID {
		t.Fatalf("code: got %q, want %q (%v)", got, gs.EINVALID, err)
	}
	got := gs.ErrorFields(err)
	if len(got) != len(want) {
		t.Errorf("fields: got %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("field %q: got %q, want %q", k, got[k], w)
		}
	}
}

// --- phases ---

func TestPhaseAllow(t *testing.T) {
	const still = "You can still comment and vote."
	tests := []struct {
		phase gs.Phase
		act   gs.Activity
		allow bool
		says  string // a fragment of the refusal
	}{
		{gs.PhaseDraft, gs.PostingIdeas, false, "not open yet, so it does not take ideas yet."},
		{gs.PhaseDraft, gs.Commenting, false, "not open yet, so comments are closed."},
		{gs.PhaseDraft, gs.Voting, false, "not open yet, so voting is closed."},
		{gs.PhaseOpen, gs.PostingIdeas, true, ""},
		{gs.PhaseOpen, gs.Commenting, true, ""},
		{gs.PhaseOpen, gs.Voting, true, ""},
		{gs.PhaseVoting, gs.PostingIdeas, false, "in its voting phase, so it no longer takes new ideas. " + still},
		{gs.PhaseVoting, gs.Commenting, true, ""},
		{gs.PhaseVoting, gs.Voting, true, ""},
		{gs.PhaseReview, gs.PostingIdeas, false, "with the expert panel, so it no longer takes new ideas."},
		{gs.PhaseReview, gs.Commenting, false, "with the expert panel, so comments are closed."},
		{gs.PhaseReview, gs.Voting, false, "with the expert panel, so voting is closed."},
		{gs.PhasePublished, gs.PostingIdeas, false, "published, so it no longer takes new ideas."},
		{gs.PhasePublished, gs.Commenting, false, "published, so comments are closed."},
		{gs.PhasePublished, gs.Voting, false, "published, so voting is closed."},
		{gs.PhaseClosed, gs.PostingIdeas, false, "closed, so it no longer takes new ideas."},
		{gs.PhaseClosed, gs.Commenting, false, "closed, so comments are closed."},
		{gs.PhaseClosed, gs.Voting, false, "closed, so voting is closed."},
		{gs.Phase("archived"), gs.Voting, false, "not open yet, so voting is closed."},
	}
	names := map[gs.Activity]string{gs.PostingIdeas: "ideas", gs.Commenting: "comments", gs.Voting: "votes"}
	for _, tt := range tests {
		verb := "refuses"
		if tt.allow {
			verb = "allows"
		}
		t.Run(fmt.Sprintf("%s %s %s", tt.phase, verb, names[tt.act]), func(t *testing.T) {
			err := tt.phase.Allow(tt.act)
			if tt.allow {
				wantErr(t, err, "", "")
				return
			}
			wantErr(t, err, gs.ECONFLICT, gs.ReasonPhaseClosed)
			msg := gs.ErrorMessage(err)
			if !strings.HasPrefix(msg, "This challenge is ") || !strings.HasSuffix(msg, tt.says) {
				t.Errorf("message: got %q, want it to end with %q", msg, tt.says)
			}
			if tt.phase != gs.PhaseVoting && strings.Contains(msg, still) {
				t.Errorf("message: got %q, want no %q outside the voting phase", msg, still)
			}
		})
	}
}

func TestPhaseAcceptsFollowsAllow(t *testing.T) {
	tests := []struct {
		phase                  gs.Phase
		ideas, comments, votes bool
	}{
		{gs.PhaseDraft, false, false, false},
		{gs.PhaseOpen, true, true, true},
		{gs.PhaseVoting, false, true, true},
		{gs.PhaseReview, false, false, false},
		{gs.PhasePublished, false, false, false},
		{gs.PhaseClosed, false, false, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.phase), func(t *testing.T) {
			if got := tt.phase.AcceptsIdeas(); got != tt.ideas {
				t.Errorf("AcceptsIdeas: got %v, want %v", got, tt.ideas)
			}
			if got := tt.phase.AcceptsComments(); got != tt.comments {
				t.Errorf("AcceptsComments: got %v, want %v", got, tt.comments)
			}
			if got := tt.phase.AcceptsVotes(); got != tt.votes {
				t.Errorf("AcceptsVotes: got %v, want %v", got, tt.votes)
			}
		})
	}
}

func TestPhaseValidAndPublic(t *testing.T) {
	tests := []struct {
		phase         gs.Phase
		valid, public bool
	}{
		{gs.PhaseDraft, true, false},
		{gs.PhaseOpen, true, true},
		{gs.PhaseVoting, true, true},
		{gs.PhaseReview, true, true},
		{gs.PhasePublished, true, true},
		{gs.PhaseClosed, true, true},
		{"", false, false},
		{"Open", false, false},
		{"archived", false, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("phase %q", tt.phase), func(t *testing.T) {
			if got := tt.phase.Valid(); got != tt.valid {
				t.Errorf("Valid: got %v, want %v", got, tt.valid)
			}
			if got := tt.phase.Public(); got != tt.public {
				t.Errorf("Public: got %v, want %v", got, tt.public)
			}
		})
	}
}

// --- reports and moderation ---

func TestDecideReport(t *testing.T) {
	tests := []struct {
		name      string
		before    gs.Case
		reason    gs.ReportReason
		threshold int
		fresh     bool // the reporter has no standing; the others' earlier reports all had it
		want      gs.ReportDecision
		after     gs.Case // ReportCount, Severity, Escalated, State
	}{
		{
			name:   "first report under the threshold stays up",
			before: gs.Case{State: gs.CaseOpen}, reason: gs.ReportOffensive, threshold: 3,
			want:  gs.ReportDecision{},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 1},
		},
		{
			name:   "one short of the threshold stays up",
			before: gs.Case{State: gs.CaseOpen, ReportCount: 1}, reason: gs.ReportSpam, threshold: 3,
			want:  gs.ReportDecision{},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 2},
		},
		{
			name:   "reaching the threshold hides",
			before: gs.Case{State: gs.CaseOpen, ReportCount: 2}, reason: gs.ReportSpam, threshold: 3,
			want:  gs.ReportDecision{Hide: true, Why: "reports reached the threshold"},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 3},
		},
		{
			name:   "personal data hides at once",
			before: gs.Case{State: gs.CaseOpen}, reason: gs.ReportPersonalData, threshold: 3,
			want:  gs.ReportDecision{Hide: true, Why: "personal data reported"},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 1, Severity: 1},
		},
		{
			name:   "a kept item is not hidden again even for personal data: the case reopens",
			before: gs.Case{State: gs.CaseClosed, Outcome: gs.OutcomeDismissed, ReportCount: 5}, reason: gs.ReportPersonalData, threshold: 3,
			want:  gs.ReportDecision{Reopened: true},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 6, Severity: 1},
		},
		{
			name:   "a fresh browser's report never reaches the threshold",
			before: gs.Case{State: gs.CaseOpen, ReportCount: 2}, reason: gs.ReportSpam, threshold: 3, fresh: true,
			want:  gs.ReportDecision{},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 3},
		},
		{
			name:   "a fresh browser's personal-data report goes to the top of the queue without hiding",
			before: gs.Case{State: gs.CaseOpen}, reason: gs.ReportPersonalData, threshold: 3, fresh: true,
			want:  gs.ReportDecision{},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 1, Severity: 1, Escalated: true},
		},
		{
			name:   "ten fresh reports do not hide with a threshold of three",
			before: gs.Case{State: gs.CaseOpen, ReportCount: 9}, reason: gs.ReportOffensive, threshold: 3, fresh: true,
			want:  gs.ReportDecision{},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 10},
		},
		{
			name:   "safety escalates without hiding",
			before: gs.Case{State: gs.CaseOpen}, reason: gs.ReportSafety, threshold: 3,
			want:  gs.ReportDecision{},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 1, Severity: 2, Escalated: true},
		},
		{
			name:   "dismissed before stops threshold hiding and reopens",
			before: gs.Case{State: gs.CaseClosed, Outcome: gs.OutcomeDismissed, ReportCount: 3}, reason: gs.ReportOffensive, threshold: 3,
			want:  gs.ReportDecision{Reopened: true},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 4},
		},
		{
			name:   "restored before stops threshold hiding",
			before: gs.Case{State: gs.CaseClosed, Outcome: gs.OutcomeRestored, ReportCount: 9}, reason: gs.ReportSpam, threshold: 1,
			want:  gs.ReportDecision{Reopened: true},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 10},
		},
		{
			name:   "redacted before stops threshold hiding",
			before: gs.Case{State: gs.CaseClosed, Outcome: gs.OutcomeRedacted, ReportCount: 2}, reason: gs.ReportOffTopic, threshold: 3,
			want:  gs.ReportDecision{Reopened: true},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 3},
		},
		{
			name:   "hidden before does not stop threshold hiding",
			before: gs.Case{State: gs.CaseClosed, Outcome: gs.OutcomeHidden, ReportCount: 2}, reason: gs.ReportSpam, threshold: 3,
			want:  gs.ReportDecision{Hide: true, Why: "reports reached the threshold", Reopened: true},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 3},
		},
		{
			name:   "kept outcome on an open case does not reopen",
			before: gs.Case{State: gs.CaseOpen, Outcome: gs.OutcomeDismissed, ReportCount: 4}, reason: gs.ReportSpam, threshold: 3,
			want:  gs.ReportDecision{},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 5},
		},
		{
			name:   "severity keeps the higher earlier value",
			before: gs.Case{State: gs.CaseOpen, Severity: 2, Escalated: true}, reason: gs.ReportPersonalData, threshold: 3,
			want:  gs.ReportDecision{Hide: true, Why: "personal data reported"},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 1, Severity: 2, Escalated: true},
		},
		{
			name:   "severity rises to the new report's",
			before: gs.Case{State: gs.CaseOpen, Severity: 1, ReportCount: 1}, reason: gs.ReportSafety, threshold: 5,
			want:  gs.ReportDecision{},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 2, Severity: 2, Escalated: true},
		},
		{
			name:   "low severity report does not lower it",
			before: gs.Case{State: gs.CaseOpen, Severity: 1, ReportCount: 1}, reason: gs.ReportSpam, threshold: 5,
			want:  gs.ReportDecision{},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 2, Severity: 1},
		},
		{
			name:   "threshold 0 is treated as 1",
			before: gs.Case{State: gs.CaseOpen}, reason: gs.ReportSpam, threshold: 0,
			want:  gs.ReportDecision{Hide: true, Why: "reports reached the threshold"},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 1},
		},
		{
			name:   "negative threshold is treated as 1",
			before: gs.Case{State: gs.CaseOpen}, reason: gs.ReportOffTopic, threshold: -2,
			want:  gs.ReportDecision{Hide: true, Why: "reports reached the threshold"},
			after: gs.Case{State: gs.CaseOpen, ReportCount: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.before
			c.StandingCount = c.ReportCount // the earlier reports all had standing
			if tt.fresh {
				c.StandingCount = 0
			}
			got := gs.DecideReport(&c, tt.reason, tt.threshold, !tt.fresh)
			if got != tt.want {
				t.Errorf("decision: got %+v, want %+v", got, tt.want)
			}
			if c.ReportCount != tt.after.ReportCount {
				t.Errorf("ReportCount: got %d, want %d", c.ReportCount, tt.after.ReportCount)
			}
			if c.Severity != tt.after.Severity {
				t.Errorf("Severity: got %d, want %d", c.Severity, tt.after.Severity)
			}
			if c.Escalated != tt.after.Escalated {
				t.Errorf("Escalated: got %v, want %v", c.Escalated, tt.after.Escalated)
			}
			if c.State != tt.after.State {
				t.Errorf("State: got %q, want %q", c.State, tt.after.State)
			}
			if c.Outcome != tt.before.Outcome {
				t.Errorf("Outcome: got %q, want it left at %q", c.Outcome, tt.before.Outcome)
			}
		})
	}
}

func TestHasStanding(t *testing.T) {
	const rule = 10 * time.Minute
	for _, tc := range []struct {
		name   string
		age    time.Duration
		active bool
		min    time.Duration
		want   bool
	}{
		{"fresh and idle", 0, false, rule, false},
		{"old but idle", time.Hour, false, rule, false},
		{"active but fresh", 9 * time.Minute, true, rule, false},
		{"active and old enough", rule, true, rule, true},
		{"rule off", 0, false, 0, true},
	} {
		if got := gs.HasStanding(tc.age, tc.min, tc.active); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCanReport(t *testing.T) {
	tests := []struct {
		name               string
		kind               gs.TargetKind
		status, ideaStatus gs.Status
		says               string // "" when the report may go ahead
	}{
		{"visible idea", gs.TargetIdea, gs.StatusVisible, gs.StatusVisible, ""},
		{"visible comment", gs.TargetComment, gs.StatusVisible, gs.StatusVisible, ""},
		{"pending idea", gs.TargetIdea, gs.StatusPending, gs.StatusPending, "This idea has been removed while a moderator reviews reports about it."},
		{"held comment: as if it did not exist", gs.TargetComment, gs.StatusHeld, gs.StatusVisible, "There is no comment number 7."},
		{"held idea: as if it did not exist", gs.TargetIdea, gs.StatusHeld, gs.StatusHeld, "There is no idea number 7."},
		{"hidden comment", gs.TargetComment, gs.StatusHidden, gs.StatusVisible, "This comment was removed by a moderator."},
		{"a visible comment on a hidden idea", gs.TargetComment, gs.StatusVisible, gs.StatusHidden, "This comment was removed by a moderator."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := gs.CanReport(tt.kind, 7, tt.status, tt.ideaStatus)
			if tt.says == "" {
				wantErr(t, err, "", "")
				return
			}
			wantErr(t, err, gs.ENOTFOUND, gs.ReasonAwaitingReview)
			if got := gs.ErrorMessage(err); got != tt.says {
				t.Errorf("message: got %q, want %q", got, tt.says)
			}
		})
	}
}

func TestCheckVersion(t *testing.T) {
	tests := []struct {
		name          string
		current, seen int
		ok            bool
	}{
		{"same version", 4, 4, true},
		{"both zero", 0, 0, true},
		{"someone acted since", 5, 4, false},
		{"seen is ahead", 4, 5, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := gs.CheckVersion(tt.current, tt.seen)
			if tt.ok {
				wantErr(t, err, "", "")
			} else {
				wantErr(t, err, gs.ECONFLICT, gs.ReasonVersionConflict)
			}
		})
	}
}

func TestPlanAction(t *testing.T) {
	tests := []struct {
		action gs.ModerationAction
		want   gs.Effect
	}{
		{gs.ActDismiss, gs.Effect{Status: gs.StatusVisible, Outcome: gs.OutcomeDismissed}},
		{gs.ActHide, gs.Effect{Status: gs.StatusHidden, Outcome: gs.OutcomeHidden}},
		{gs.ActRestore, gs.Effect{Status: gs.StatusVisible, Outcome: gs.OutcomeRestored}},
		{gs.ActRedact, gs.Effect{Status: gs.StatusVisible, Outcome: gs.OutcomeRedacted, Redact: true}},
		{gs.ActEscalate, gs.Effect{Escalate: true}},
		{gs.ActSuspend, gs.Effect{Suspend: true}},
	}
	for _, tt := range tests {
		t.Run(string(tt.action), func(t *testing.T) {
			got, err := gs.PlanAction(tt.action)
			wantErr(t, err, "", "")
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	t.Run("unknown action is malformed", func(t *testing.T) {
		got, err := gs.PlanAction("delete")
		wantErr(t, err, gs.EMALFORMED, "")
		if got != (gs.Effect{}) {
			t.Errorf("effect: got %+v, want none", got)
		}
		if msg := gs.ErrorMessage(err); msg != `Unknown moderation action "delete".` {
			t.Errorf("message: got %q, want %q", msg, `Unknown moderation action "delete".`)
		}
	})
}

func TestOutcomeKept(t *testing.T) {
	tests := []struct {
		outcome gs.Outcome
		kept    bool
	}{
		{gs.OutcomeNone, false},
		{gs.OutcomeDismissed, true},
		{gs.OutcomeHidden, false},
		{gs.OutcomeRestored, true},
		{gs.OutcomeRedacted, true},
		{"deleted", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("outcome %q", tt.outcome), func(t *testing.T) {
			if got := tt.outcome.Kept(); got != tt.kept {
				t.Errorf("got %v, want %v", got, tt.kept)
			}
		})
	}
}

func TestSuspensionRefuse(t *testing.T) {
	until := time.Date(2025, time.March, 14, 9, 30, 0, 0, time.UTC)
	plus2 := time.FixedZone("UTC+2", 2*60*60)
	tests := []struct {
		name   string
		s      *gs.Suspension
		now    time.Time
		refuse bool
		date   string
	}{
		{"no suspension", nil, until, false, ""},
		{"expired", &gs.Suspension{Until: until, Reason: "spam"}, until.Add(time.Hour), false, ""},
		{"exactly at Until has run out", &gs.Suspension{Until: until, Reason: "spam"}, until, false, ""},
		{"one nanosecond before Until is in force", &gs.Suspension{Until: until, Reason: "spam"}, until.Add(-time.Nanosecond), true, "14 March 2025 at 09:30 UTC"},
		{"in force", &gs.Suspension{Until: until, Reason: "repeated insults"}, until.Add(-48 * time.Hour), true, "14 March 2025 at 09:30 UTC"},
		{"date shown in UTC whatever the zone", &gs.Suspension{Until: until.In(plus2), Reason: "spam"}, until.Add(-time.Hour), true, "14 March 2025 at 09:30 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Refuse(tt.now)
			if !tt.refuse {
				wantErr(t, err, "", "")
				return
			}
			wantErr(t, err, gs.EFORBIDDEN, gs.ReasonSuspended)
			msg := gs.ErrorMessage(err)
			if !strings.Contains(msg, "until "+tt.date+".") {
				t.Errorf("message: got %q, want it to mention %q", msg, tt.date)
			}
			if !strings.Contains(msg, "Reason given: "+tt.s.Reason+".") {
				t.Errorf("message: got %q, want it to give the reason %q", msg, tt.s.Reason)
			}
		})
	}
}

// --- contributions ---

func TestCounterDelta(t *testing.T) {
	tests := []struct {
		name           string
		kind           gs.TargetKind
		ck             gs.CommentKind
		from, to       gs.Status
		comments, impl int
	}{
		{"idea hidden changes no counter", gs.TargetIdea, "", gs.StatusVisible, gs.StatusHidden, 0, 0},
		{"comment visible to hidden", gs.TargetComment, gs.KindComment, gs.StatusVisible, gs.StatusHidden, -1, 0},
		{"comment visible to pending", gs.TargetComment, gs.KindComment, gs.StatusVisible, gs.StatusPending, -1, 0},
		{"comment hidden to visible", gs.TargetComment, gs.KindComment, gs.StatusHidden, gs.StatusVisible, 1, 0},
		{"implementation hidden to visible", gs.TargetComment, gs.KindImplementation, gs.StatusHidden, gs.StatusVisible, 1, 1},
		{"implementation visible to hidden", gs.TargetComment, gs.KindImplementation, gs.StatusVisible, gs.StatusHidden, -1, -1},
		{"visible to visible", gs.TargetComment, gs.KindImplementation, gs.StatusVisible, gs.StatusVisible, 0, 0},
		{"held to hidden", gs.TargetComment, gs.KindComment, gs.StatusHeld, gs.StatusHidden, 0, 0},
		{"new comment to visible", gs.TargetComment, gs.KindComment, "", gs.StatusVisible, 1, 0},
		{"new implementation to visible", gs.TargetComment, gs.KindImplementation, "", gs.StatusVisible, 1, 1},
		{"new comment held", gs.TargetComment, gs.KindComment, "", gs.StatusHeld, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, i := gs.CounterDelta(tt.kind, tt.ck, tt.from, tt.to)
			if c != tt.comments || i != tt.impl {
				t.Errorf("got (%d, %d), want (%d, %d)", c, i, tt.comments, tt.impl)
			}
		})
	}
}

func TestCheckReply(t *testing.T) {
	tests := []struct {
		name   string
		parent *gs.Comment
		code   gs.Code
		reason gs.Reason
		depth  int
	}{
		{"no parent", nil, gs.EINVALID, gs.ReasonParentMissing, 0},
		{"parent on another idea", &gs.Comment{IdeaID: 8, Depth: 1, Status: gs.StatusVisible}, gs.EINVALID, gs.ReasonParentMissing, 0},
		{"hidden parent", &gs.Comment{IdeaID: 7, Depth: 1, Status: gs.StatusHidden}, gs.ECONFLICT, gs.ReasonParentHidden, 0},
		{"pending parent", &gs.Comment{IdeaID: 7, Depth: 2, Status: gs.StatusPending}, gs.ECONFLICT, gs.ReasonParentHidden, 0},
		{"held parent", &gs.Comment{IdeaID: 7, Depth: 1, Status: gs.StatusHeld}, gs.ECONFLICT, gs.ReasonParentHidden, 0},
		{"visible top-level parent", &gs.Comment{IdeaID: 7, Depth: 1, Status: gs.StatusVisible}, "", "", 2},
		{"visible deep parent", &gs.Comment{IdeaID: 7, Depth: 5, Status: gs.StatusVisible}, "", "", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			depth, err := gs.CheckReply(tt.parent, 7)
			wantErr(t, err, tt.code, tt.reason)
			if depth != tt.depth {
				t.Errorf("depth: got %d, want %d", depth, tt.depth)
			}
		})
	}
}

func TestTally(t *testing.T) {
	// From 10 up and 5 down, move one participant's vote from old to v.
	tests := []struct {
		old, v   gs.VoteValue
		up, down int
	}{
		{-1, -1, 10, 5},
		{-1, 0, 10, 4},
		{-1, 1, 11, 4},
		{0, -1, 10, 6},
		{0, 0, 10, 5},
		{0, 1, 11, 5},
		{1, -1, 9, 6},
		{1, 0, 9, 5},
		{1, 1, 10, 5},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s to %s", tt.old, tt.v), func(t *testing.T) {
			up, down := gs.Tally(10, 5, tt.old, tt.v)
			if up != tt.up || down != tt.down {
				t.Errorf("got (%d, %d), want (%d, %d)", up, down, tt.up, tt.down)
			}
		})
	}
}

func TestParseVote(t *testing.T) {
	tests := []struct {
		in   string
		want gs.VoteValue
		ok   bool
	}{
		{"up", 1, true},
		{"down", -1, true},
		{"clear", 0, true},
		{"", 0, false},
		{"UP", 0, false},
		{"1", 0, false},
		{"-1", 0, false},
		{" up", 0, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			got, err := gs.ParseVote(tt.in)
			if tt.ok {
				wantErr(t, err, "", "")
			} else {
				wantErr(t, err, gs.EINVALID, "")
			}
			if got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestIdeaInput(t *testing.T) {
	c := &gs.Challenge{
		Questions: []gs.Question{{ID: 1, Title: "What helps?"}, {ID: 2, Title: "What blocks?"}},
		Themes:    []gs.Theme{{ID: 10, Slug: "rotas", Name: "Rotas"}},
	}
	const (
		tooShort = "The title is too short: use at least 3 characters."
		noTitle  = "Please write a title."
		bidiMsg  = "The title contains invisible characters that change the direction of text. Please remove them."
	)
	tests := []struct {
		name   string
		in     gs.IdeaInput
		title  string // after Normalize
		fields map[string]string
	}{
		{"plain idea", gs.IdeaInput{QuestionID: 1, Title: "Shorter rotas", Body: "Because."}, "Shorter rotas", nil},
		{"spaces collapsed and trimmed", gs.IdeaInput{QuestionID: 2, Title: "  Fix \t the\n  lifts ", Theme: " rotas "}, "Fix the lifts", nil},
		{"three two-byte runes are enough", gs.IdeaInput{QuestionID: 1, Title: "ééé"}, "ééé", nil},
		{"two two-byte runes are too short", gs.IdeaInput{QuestionID: 1, Title: "éé"}, "éé", map[string]string{"title": tooShort}},
		{"140 three-byte runes fit", gs.IdeaInput{QuestionID: 1, Title: strings.Repeat("日", 140)}, strings.Repeat("日", 140), nil},
		{"141 three-byte runes are too long", gs.IdeaInput{QuestionID: 1, Title: strings.Repeat("日", 141)}, strings.Repeat("日", 141),
			map[string]string{"title": "The title is too long: 141 characters, and the limit is 140."}},
		{"empty title", gs.IdeaInput{QuestionID: 1, Title: "   "}, "", map[string]string{"title": noTitle}},
		{"control character in the title", gs.IdeaInput{QuestionID: 1, Title: "Bell\a ringing"}, "Bell\a ringing",
			map[string]string{"title": "The title contains invisible control characters. Please remove them."}},
		{"a right-to-left override that would reverse a queue line", gs.IdeaInput{QuestionID: 1, Title: "Nice idea \u202e2026 ,1 naJ"},
			"Nice idea \u202e2026 ,1 naJ", map[string]string{"title": bidiMsg}},
		{"a left-to-right isolate", gs.IdeaInput{QuestionID: 1, Title: "A\u2066 title\u2069"}, "A\u2066 title\u2069", map[string]string{"title": bidiMsg}},
		{"four zero-width spaces", gs.IdeaInput{QuestionID: 1, Title: "\u200b\u200b\u200b\u200b"}, "\u200b\u200b\u200b\u200b",
			map[string]string{"title": "The title has no visible characters. Please write it in words."}},
		{"soft hyphens only", gs.IdeaInput{QuestionID: 1, Title: "\u00ad\u00ad\u00ad"}, "\u00ad\u00ad\u00ad",
			map[string]string{"title": "The title has no visible characters. Please write it in words."}},
		{"a title in Hebrew is fine", gs.IdeaInput{QuestionID: 1, Title: "משמרות קצרות"}, "משמרות קצרות", nil},
		{"NUL in the body", gs.IdeaInput{QuestionID: 1, Title: "Fine title", Body: "a\x00b"}, "Fine title",
			map[string]string{"body": "The description contains invisible control characters. Please remove them."}},
		{"tabs and line breaks in the body are fine", gs.IdeaInput{QuestionID: 1, Title: "Fine title", Body: "one\r\n\ttwo"}, "Fine title", nil},
		{"invalid UTF-8 in the title", gs.IdeaInput{QuestionID: 1, Title: "Caf\xe9 rota"}, "Caf\xe9 rota",
			map[string]string{"title": "The title contains characters we cannot read. Please retype it."}},
		{"unknown question", gs.IdeaInput{QuestionID: 3, Title: "Fine title"}, "Fine title",
			map[string]string{"question": "Choose which question your idea answers."}},
		{"unknown theme", gs.IdeaInput{QuestionID: 1, Title: "Fine title", Theme: "tools"}, "Fine title",
			map[string]string{"theme": "Choose one of the listed themes, or none."}},
		{"5000 two-byte runes of body fit", gs.IdeaInput{QuestionID: 1, Title: "Fine title", Body: strings.Repeat("é", 5000)}, "Fine title", nil},
		{"body too long", gs.IdeaInput{QuestionID: 1, Title: "Fine title", Body: strings.Repeat("é", 5001)}, "Fine title",
			map[string]string{"body": "The description is too long: 5001 characters, and the limit is 5000."}},
		{"every field wrong at once", gs.IdeaInput{QuestionID: 0, Title: "x", Body: "\x1b", Theme: "nope"}, "x",
			map[string]string{
				"question": "Choose which question your idea answers.",
				"title":    tooShort,
				"body":     "The description contains invisible control characters. Please remove them.",
				"theme":    "Choose one of the listed themes, or none.",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Normalize()
			if in.Title != tt.title {
				t.Errorf("normalized title: got %q, want %q", in.Title, tt.title)
			}
			wantFields(t, in.Validate(c), tt.fields)
		})
	}
}

func TestCommentInput(t *testing.T) {
	tests := []struct {
		name   string
		in     gs.CommentInput
		kind   gs.CommentKind // after Normalize
		fields map[string]string
	}{
		{"kind defaults to comment", gs.CommentInput{Body: "Agreed."}, gs.KindComment, nil},
		{"implementation", gs.CommentInput{Kind: gs.KindImplementation, Body: "Use the rota app."}, gs.KindImplementation, nil},
		{"unknown kind", gs.CommentInput{Kind: "question", Body: "Why?"}, "question",
			map[string]string{"kind": "Choose whether this is a comment or a way to make the idea happen."}},
		{"empty body", gs.CommentInput{Body: " \n\t "}, gs.KindComment, map[string]string{"body": "Please write a comment."}},
		{"one rune is enough", gs.CommentInput{Body: "👍"}, gs.KindComment, nil},
		{"3000 four-byte runes fit", gs.CommentInput{Body: strings.Repeat("👍", 3000)}, gs.KindComment, nil},
		{"too long", gs.CommentInput{Body: strings.Repeat("👍", 3001)}, gs.KindComment,
			map[string]string{"body": "The comment is too long: 3001 characters, and the limit is 3000."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Normalize()
			if in.Kind != tt.kind {
				t.Errorf("kind: got %q, want %q", in.Kind, tt.kind)
			}
			wantFields(t, in.Validate(), tt.fields)
		})
	}
}

func TestValidText(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want bool
	}{
		{"empty", "", true},
		{"plain", "hello", true},
		{"tab and line breaks", "a\tb\r\nc", true},
		{"multi-byte", "Grüße, 日本 👍", true},
		{"zero-width space is not a control", "a\u200bb", true},
		{"NUL", "a\x00b", false},
		{"escape", "a\x1bb", false},
		{"DEL", "a\x7fb", false},
		{"C1 control NEL", "a\u0085b", false},
		{"invalid UTF-8", "a\xffb", false},
		{"truncated rune", "\xe6\x97", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := gs.ValidText(tt.s); got != tt.want {
				t.Errorf("ValidText(%q): got %v, want %v", tt.s, got, tt.want)
			}
		})
	}
}

// --- staff ---

func TestNormalizeEmail(t *testing.T) {
	const fits = 248 // 248 + len("@e.org") == 254
	tests := []struct {
		name string
		in   string
		want string // "" for a refusal
	}{
		{"lower case kept", "alice@example.org", "alice@example.org"},
		{"case folded", "Alice@Example.ORG", "alice@example.org"},
		{"spaces trimmed", "  bob@example.org \n", "bob@example.org"},
		{"254 characters fit", strings.Repeat("x", fits) + "@e.org", strings.Repeat("x", fits) + "@e.org"},
		{"255 characters are too long", strings.Repeat("x", fits+1) + "@e.org", ""},
		{"empty", "", ""},
		{"no at sign", "alice", ""},
		{"no domain", "alice@", ""},
		{"no local part", "@example.org", ""},
		{"two at signs", "a@b@example.org", ""},
		{"space inside", "a b@example.org", ""},
		{"display name form", "Alice <alice@example.org>", ""},
		{"comment form", "alice@example.org (work)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := gs.NormalizeEmail(tt.in)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if tt.want != "" {
				wantErr(t, err, "", "")
				return
			}
			wantFields(t, err, map[string]string{"email": "Enter an email address like name@example.org."})
		})
	}
}

func TestParseRole(t *testing.T) {
	tests := []struct {
		in   string
		want gs.Role
	}{
		{"admin", gs.RoleAdmin},
		{"moderator", gs.RoleModerator},
		{"expert", gs.RoleExpert},
		{" Moderator ", gs.RoleModerator},
		{"EXPERT", gs.RoleExpert},
		{"", ""},
		{"root", ""},
		{"admins", ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			got, err := gs.ParseRole(tt.in)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if tt.want != "" {
				wantErr(t, err, "", "")
				return
			}
			wantErr(t, err, gs.EINVALID, "")
			if msg := gs.ErrorMessage(err); !strings.Contains(msg, fmt.Sprintf("%q", tt.in)) {
				t.Errorf("message: got %q, want it to quote %q", msg, tt.in)
			}
		})
	}
}

func TestRolePermissions(t *testing.T) {
	tests := []struct {
		role                              gs.Role
		canAdmin, canModerator, canExpert bool
		moderate, review, administer      bool
	}{
		{gs.RoleAdmin, true, true, true, true, true, true},
		{gs.RoleModerator, false, true, false, true, false, false},
		{gs.RoleExpert, false, false, true, false, true, false},
		{"", false, false, false, false, false, false},
		{"Admin", false, false, false, false, false, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("role %q", tt.role), func(t *testing.T) {
			for _, c := range []struct {
				what      string
				got, want bool
			}{
				{"Can(admin)", tt.role.Can(gs.RoleAdmin), tt.canAdmin},
				{"Can(moderator)", tt.role.Can(gs.RoleModerator), tt.canModerator},
				{"Can(expert)", tt.role.Can(gs.RoleExpert), tt.canExpert},
				{"CanModerate", tt.role.CanModerate(), tt.moderate},
				{"CanReview", tt.role.CanReview(), tt.review},
				{"CanAdminister", tt.role.CanAdminister(), tt.administer},
			} {
				if c.got != c.want {
					t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
				}
			}
		})
	}
}

func TestCheckDisable(t *testing.T) {
	admin1 := gs.StaffUser{ID: 1, Role: gs.RoleAdmin}
	admin2 := gs.StaffUser{ID: 2, Role: gs.RoleAdmin}
	disabledAdmin2 := gs.StaffUser{ID: 2, Role: gs.RoleAdmin, Disabled: true}
	mod5 := gs.StaffUser{ID: 5, Role: gs.RoleModerator}
	by1 := gs.Actor{UserID: 1, Name: "one@example.org"}
	cli := gs.Actor{Name: "command line"}
	tests := []struct {
		name    string
		target  gs.StaffUser
		disable bool
		active  []int64
		by      gs.Actor
		change  bool
		code    gs.Code
		reason  gs.Reason
	}{
		{"an admin disables another admin", admin2, true, []int64{1, 2}, by1, true, "", ""},
		{"an admin disables a moderator", mod5, true, []int64{1}, by1, true, "", ""},
		{"self-disable refused", admin1, true, []int64{1, 2}, by1, false, gs.ECONFLICT, gs.ReasonSelfDisable},
		{"disabling a disabled account changes nothing", disabledAdmin2, true, []int64{1}, by1, false, "", ""},
		{"enabling an enabled account changes nothing", mod5, false, []int64{1}, by1, false, "", ""},
		{"last admin stays", admin1, true, []int64{1}, cli, false, gs.ECONFLICT, gs.ReasonLastAdmin},
		{"the command line disables one of two admins", admin1, true, []int64{1, 2}, cli, true, "", ""},
		{"a disabled actor is forbidden", mod5, true, []int64{1}, gs.Actor{UserID: 3}, false, gs.EFORBIDDEN, ""},
		{"re-enable", disabledAdmin2, false, []int64{1}, by1, true, "", ""},
		{"a disabled admin cannot re-enable themselves", disabledAdmin2, false, []int64{1}, gs.Actor{UserID: 2}, false, gs.EFORBIDDEN, ""},
		{"the command line re-enables with no active admin", disabledAdmin2, false, nil, cli, true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			change, err := gs.CheckDisable(tt.target, tt.disable, tt.active, tt.by)
			wantErr(t, err, tt.code, tt.reason)
			if change != tt.change {
				t.Errorf("change: got %v, want %v", change, tt.change)
			}
		})
	}
}

func TestCheckFirstAdmin(t *testing.T) {
	tests := []struct {
		active int
		ok     bool
	}{{0, true}, {1, false}, {3, false}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d active admins", tt.active), func(t *testing.T) {
			err := gs.CheckFirstAdmin(tt.active)
			if tt.ok {
				wantErr(t, err, "", "")
			} else {
				wantErr(t, err, gs.ECONFLICT, gs.ReasonAdminExists)
			}
		})
	}
}

func TestSnapshot(t *testing.T) {
	tests := []struct {
		name string
		v    map[string]any
		want string
	}{
		{"nil", nil, ""},
		{"empty", map[string]any{}, "{}"},
		{"keys sorted", map[string]any{"status": gs.StatusHidden, "case": 3, "escalated": false}, `{"case":3,"escalated":false,"status":"hidden"}`},
		{"unencodable value", map[string]any{"f": func() {}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := gs.Snapshot(tt.v); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// --- prevention ---

func TestHoldReason(t *testing.T) {
	const (
		premod = "pre-moderation is on for this challenge"
		listed = "it contains a word on the challenge's review list"
	)
	tests := []struct {
		name  string
		c     gs.Challenge
		texts []string
		want  string
	}{
		{"nothing set", gs.Challenge{}, []string{"anything at all"}, ""},
		{"premoderate holds everything", gs.Challenge{Premoderate: true}, []string{"Nice idea"}, premod},
		{"premoderate wins over the list", gs.Challenge{Premoderate: true, HeldWords: "idea"}, []string{"Nice idea"}, premod},
		{"held word", gs.Challenge{HeldWords: "spam"}, []string{"buy spam now"}, listed},
		{"held word in another case", gs.Challenge{HeldWords: "Spam"}, []string{"Buy SPAM now"}, listed},
		{"held word beside punctuation", gs.Challenge{HeldWords: "spam"}, []string{"(spam!)"}, listed},
		{"non-ASCII case folded", gs.Challenge{HeldWords: "Čert"}, []string{"ČERT here"}, listed},
		{"no match inside a longer word", gs.Challenge{HeldWords: "ass"}, []string{"a class act", "passing grade"}, ""},
		{"apostrophe stays inside a word", gs.Challenge{HeldWords: "don"}, []string{"don't stop"}, ""},
		{"comma separated list", gs.Challenge{HeldWords: "foo, bar ,baz"}, []string{"raise the bar"}, listed},
		{"newline separated list", gs.Challenge{HeldWords: "foo\r\nbar\n"}, []string{"BAR"}, listed},
		{"match in a later text", gs.Challenge{HeldWords: "bar"}, []string{"Title", "body with bar"}, listed},
		{"empty list", gs.Challenge{HeldWords: ""}, []string{"spam"}, ""},
		{"list of blanks", gs.Challenge{HeldWords: " \n , \r\n"}, []string{"spam", ""}, ""},
		{"no texts", gs.Challenge{HeldWords: "spam"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.HoldReason(tt.texts...); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// --- errors ---

func TestErrorAccessors(t *testing.T) {
	const generic = "Something went wrong on our side. Please try again in a moment."
	cause := errors.New("disk on fire at /var/lib/db")
	notFound := gs.Errorf(gs.ENOTFOUND, "There is no idea number %d.", 7)
	phase := gs.Errorf(gs.ECONFLICT, "Closed.").Because(gs.ReasonPhaseClosed)
	field := gs.FieldError("email", "Enter an email.")
	internal := gs.Internal("load idea", cause)
	tests := []struct {
		name    string
		err     error
		code    gs.Code
		reason  gs.Reason
		message string
		fields  map[string]string
	}{
		{"nil", nil, "", "", generic, nil},
		{"app error", notFound, gs.ENOTFOUND, "", "There is no idea number 7.", nil},
		{"wrapped app error", fmt.Errorf("x: %w", notFound), gs.ENOTFOUND, "", "There is no idea number 7.", nil},
		{"reason", phase, gs.ECONFLICT, gs.ReasonPhaseClosed, "Closed.", nil},
		{"wrapped reason", fmt.Errorf("x: %w", phase), gs.ECONFLICT, gs.ReasonPhaseClosed, "Closed.", nil},
		{"field error", field, gs.EINVALID, "", "Enter an email.", map[string]string{"email": "Enter an email."}},
		{"wrapped field error", fmt.Errorf("x: %w", field), gs.EINVALID, "", "Enter an email.", map[string]string{"email": "Enter an email."}},
		{"plain error", cause, gs.EINTERNAL, "", generic, nil},
		{"internal error hides its message", internal, gs.EINTERNAL, "", generic, nil},
		{"wrapped internal error", fmt.Errorf("x: %w", internal), gs.EINTERNAL, "", generic, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := gs.ErrorCode(tt.err); got != tt.code {
				t.Errorf("code: got %q, want %q", got, tt.code)
			}
			if got := gs.ErrorReason(tt.err); got != tt.reason {
				t.Errorf("reason: got %q, want %q", got, tt.reason)
			}
			msg := gs.ErrorMessage(tt.err)
			if msg != tt.message {
				t.Errorf("message: got %q, want %q", msg, tt.message)
			}
			if strings.Contains(msg, "disk") || strings.Contains(msg, "load idea") {
				t.Errorf("message: got %q, which leaks the cause", msg)
			}
			got := gs.ErrorFields(tt.err)
			if len(got) != len(tt.fields) {
				t.Errorf("fields: got %v, want %v", got, tt.fields)
			}
			for k, w := range tt.fields {
				if got[k] != w {
					t.Errorf("field %q: got %q, want %q", k, got[k], w)
				}
			}
		})
	}
}

func TestInternalKeepsCause(t *testing.T) {
	cause := errors.New("connection reset")
	err := gs.Internal("save vote", cause)
	for _, tt := range []struct {
		name string
		err  error
	}{
		{"direct", err},
		{"wrapped", fmt.Errorf("vote: %w", err)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, cause) {
				t.Errorf("errors.Is(%v, cause): got false, want true", tt.err)
			}
			var e *gs.Error
			if !errors.As(tt.err, &e) || e.Err != cause {
				t.Errorf("errors.As: got %v, want the *Error holding the cause", e)
			}
		})
	}
	t.Run("Error() names code, message and cause for the log", func(t *testing.T) {
		if got, want := err.Error(), "internal: save vote: connection reset"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		if got, want := gs.Errorf(gs.ENOTFOUND, "gone").Error(), "not_found: gone"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestFieldErrors(t *testing.T) {
	t.Run("nothing added is no error", func(t *testing.T) {
		if err := (gs.FieldErrors{}).Err(); err != nil {
			t.Errorf("got %v, want nil", err)
		}
	})
	t.Run("first message per field wins", func(t *testing.T) {
		f := gs.FieldErrors{}
		f.Add("title", "first")
		f.Add("title", "second")
		f.Add("body", "third")
		err := f.Err()
		wantFields(t, err, map[string]string{"title": "first", "body": "third"})
		if got, want := gs.ErrorMessage(err), "Some fields need attention."; got != want {
			t.Errorf("message: got %q, want %q", got, want)
		}
	})
	t.Run("FieldError uses the same words twice", func(t *testing.T) {
		err := gs.FieldError("role", "Pick a role.")
		wantFields(t, err, map[string]string{"role": "Pick a role."})
		if got := gs.ErrorMessage(err); got != "Pick a role." {
			t.Errorf("message: got %q, want %q", got, "Pick a role.")
		}
	})
}

func TestCheckRoleChange(t *testing.T) {
	admin1 := gs.StaffUser{ID: 1, Role: gs.RoleAdmin}
	admin2 := gs.StaffUser{ID: 2, Role: gs.RoleAdmin}
	disabledAdmin2 := gs.StaffUser{ID: 2, Role: gs.RoleAdmin, Disabled: true}
	mod5 := gs.StaffUser{ID: 5, Role: gs.RoleModerator}
	by1 := gs.Actor{UserID: 1, Name: "one@example.org"}
	tests := []struct {
		name   string
		target gs.StaffUser
		to     gs.Role
		active []int64
		by     gs.Actor
		change bool
		code   gs.Code
		reason gs.Reason
	}{
		{"a moderator becomes an expert", mod5, gs.RoleExpert, []int64{1}, by1, true, "", ""},
		{"a moderator becomes an admin", mod5, gs.RoleAdmin, []int64{1}, by1, true, "", ""},
		{"the same role changes nothing", mod5, gs.RoleModerator, []int64{1}, by1, false, "", ""},
		{"one of two admins steps down", admin2, gs.RoleModerator, []int64{1, 2}, by1, true, "", ""},
		{"an admin steps down while another remains", admin1, gs.RoleExpert, []int64{1, 2}, by1, true, "", ""},
		{"the last active admin stays", admin1, gs.RoleModerator, []int64{1}, by1, false, gs.ECONFLICT, gs.ReasonLastAdmin},
		{"a disabled admin may change with one active admin", disabledAdmin2, gs.RoleExpert, []int64{1}, by1, true, "", ""},
		{"a no-longer-active admin is forbidden", mod5, gs.RoleExpert, []int64{1}, gs.Actor{UserID: 3}, false, gs.EFORBIDDEN, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			change, err := gs.CheckRoleChange(tt.target, tt.to, tt.active, tt.by)
			wantErr(t, err, tt.code, tt.reason)
			if change != tt.change {
				t.Errorf("change: got %v, want %v", change, tt.change)
			}
		})
	}
}

func TestIsSurge(t *testing.T) {
	day := 24 * time.Hour
	for _, tc := range []struct {
		name          string
		recent, total int
		age           time.Duration
		want          bool
	}{
		{"too few to judge", gs.SurgeMin - 1, 0, day, false},
		{"ten fresh votes on a quiet idea", gs.SurgeMin, 4, 2 * day, true},
		{"ten fresh votes on a busy idea", gs.SurgeMin, 2000, day, false},
		{"a brand-new idea's first rush is its usual rate", 12, 12, 5 * time.Minute, false},
		{"twenty in ten minutes on an idea that gets ten an hour", 20, 240, day, true},
		{"forty in ten minutes on an idea that gets sixty an hour", 40, 1440, day, false},
	} {
		if got := gs.IsSurge(tc.recent, tc.total, tc.age); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestIsStuffed(t *testing.T) {
	for _, tc := range []struct {
		unproven, total int
		want            bool
	}{{gs.StuffedMin - 1, gs.StuffedMin - 1, false}, {gs.StuffedMin, gs.StuffedMin + 1, true}, {gs.StuffedMin, 2 * gs.StuffedMin, false}, {100, 150, true}} {
		if got := gs.IsStuffed(tc.unproven, tc.total); got != tc.want {
			t.Errorf("IsStuffed(%d, %d) = %v, want %v", tc.unproven, tc.total, got, tc.want)
		}
	}
}

// --- the author's own changes ---

func TestCheckEdit(t *testing.T) {
	posted := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC) // stored to the minute
	tests := []struct {
		name   string
		status gs.Status
		after  time.Duration
		want   gs.Code
	}{
		{"visible, at once", gs.StatusVisible, 0, ""},
		{"visible, after nine minutes", gs.StatusVisible, 9 * time.Minute, ""},
		{"visible, ten full minutes after a post stored to its minute", gs.StatusVisible, 10*time.Minute + 59*time.Second, ""},
		{"visible, after eleven minutes", gs.StatusVisible, 11*time.Minute + time.Second, gs.ECONFLICT},
		{"visible, a day later", gs.StatusVisible, 24 * time.Hour, gs.ECONFLICT},
		{"held for a moderator, in time", gs.StatusHeld, time.Minute, ""},
		{"under review", gs.StatusPending, time.Minute, gs.ECONFLICT},
		{"hidden by a moderator", gs.StatusHidden, time.Minute, gs.ECONFLICT},
		{"withdrawn", gs.StatusWithdrawn, time.Minute, gs.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := gs.CheckEdit(tt.status, posted, posted.Add(tt.after))
			wantErr(t, err, tt.want, "")
			if got := gs.Editable(tt.status, posted, posted.Add(tt.after)); got != (tt.want == "") {
				t.Errorf("Editable: got %v, want %v", got, tt.want == "")
			}
		})
	}
}

func TestCheckWithdraw(t *testing.T) {
	tests := []struct {
		status gs.Status
		want   gs.Code
	}{
		{gs.StatusVisible, ""},
		{gs.StatusHeld, ""},
		{gs.StatusPending, gs.ECONFLICT},
		{gs.StatusHidden, gs.ECONFLICT},
		{gs.StatusWithdrawn, gs.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			wantErr(t, gs.CheckWithdraw(tt.status), tt.want, "")
		})
	}
}

// A moderator's decision never brings a withdrawn contribution back into view, but may hide it.
func TestEffectStatusFrom(t *testing.T) {
	tests := []struct {
		action  gs.ModerationAction
		current gs.Status
		want    gs.Status
	}{
		{gs.ActDismiss, gs.StatusPending, gs.StatusVisible},
		{gs.ActDismiss, gs.StatusWithdrawn, ""},
		{gs.ActRestore, gs.StatusHidden, gs.StatusVisible},
		{gs.ActRestore, gs.StatusWithdrawn, ""},
		{gs.ActRedact, gs.StatusWithdrawn, ""},
		{gs.ActHide, gs.StatusWithdrawn, gs.StatusHidden},
		{gs.ActHide, gs.StatusVisible, gs.StatusHidden},
		{gs.ActEscalate, gs.StatusWithdrawn, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s from %s", tt.action, tt.current), func(t *testing.T) {
			eff, err := gs.PlanAction(tt.action)
			if err != nil {
				t.Fatal(err)
			}
			if got := eff.StatusFrom(tt.current); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
