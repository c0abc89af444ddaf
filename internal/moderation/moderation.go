// Package moderation is the service behind reports, the moderation queue, moderators' actions,
// per-challenge prevention settings and the public transparency report.
package moderation

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/store"
)

// SuspensionChoices are the lengths a moderator can pause someone's posting for.
var SuspensionChoices = []struct {
	Label    string
	Duration time.Duration
}{
	{"1 day", 24 * time.Hour},
	{"7 days", 7 * 24 * time.Hour},
	{"30 days", 30 * 24 * time.Hour},
}

// Limits on what moderators type.
const (
	ReasonMax    = 300
	HeldWordsMax = 4000
	MaxThreshold = 50
)

// Service holds the moderation use cases.
type Service struct {
	store *store.Store
	md    *markup.Renderer
}

// New returns a Service over st.
func New(st *store.Store, md *markup.Renderer) *Service { return &Service{store: st, md: md} }

// Report validates and records a participant's report of an idea or comment.
func (s *Service) Report(ctx context.Context, tokenHash, kind string, id int64, reason, details string) (gs.ReportResult, error) {
	f := gs.FieldErrors{}
	r := gs.ReportReason(reason)
	if !r.Valid() {
		f.Add("reason", "Choose why you are reporting this.")
	}
	details = strings.TrimSpace(details)
	if !gs.ValidText(details) {
		f.Add("details", "The details contain characters we cannot read.")
	} else if n := utf8.RuneCountInString(details); n > gs.ReportDetailsMax {
		f.Add("details", "The details are too long: use at most 500 characters.")
	}
	if err := f.Err(); err != nil {
		return gs.ReportResult{}, err
	}
	return s.store.Report(ctx, kind, id, tokenHash, r, details)
}

// Queue returns a page of cases.
func (s *Service) Queue(ctx context.Context, q gs.CaseQuery) ([]gs.Case, int, error) {
	return s.store.Queue(ctx, q)
}

// Case returns one case with its context.
func (s *Service) Case(ctx context.Context, id int64) (*gs.Case, error) { return s.store.Case(ctx, id) }

// Act validates a moderator's command and applies it. On a conflict the error is ECONFLICT and
// the returned case is the current one.
func (s *Service) Act(ctx context.Context, cmd gs.ModerationCommand, by gs.Actor) (*gs.Case, error) {
	cmd.Reason = strings.TrimSpace(cmd.Reason)
	f := gs.FieldErrors{}
	if !cmd.Action.Valid() {
		return nil, gs.Errorf(gs.EINVALID, "Choose an action: dismiss, hide, restore, redact, escalate or suspend.")
	}
	if !gs.ValidText(cmd.Reason) || utf8.RuneCountInString(cmd.Reason) > ReasonMax {
		f.Add("reason", "Keep the reason under 300 characters.")
	}
	switch cmd.Action {
	case gs.ActHide:
		if cmd.Reason == "" {
			f.Add("reason", "Say why you are hiding this: the author and the transparency report will see the reason.")
		}
	case gs.ActRedact:
		cmd.Text = strings.TrimSpace(cmd.Text)
		if cmd.Text == "" || !gs.ValidText(cmd.Text) || utf8.RuneCountInString(cmd.Text) > gs.IdeaBodyMax {
			f.Add("text", "Give the edited text (up to 5,000 characters).")
		}
	case gs.ActSuspend:
		ok := false
		for _, c := range SuspensionChoices {
			ok = ok || c.Duration == cmd.Duration
		}
		if !ok {
			f.Add("duration", "Choose how long to pause this person's posting.")
		}
		if cmd.Reason == "" {
			f.Add("reason", "Say why: the participant will see the reason.")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var html markup.HTML
	if cmd.Action == gs.ActRedact {
		html = s.md.Render(cmd.Text)
	}
	return s.store.Act(ctx, cmd, html, by)
}

// BulkResult is what happened to one case of a bulk action.
type BulkResult struct {
	CaseID int64
	Err    error
}

// Bulk applies the same action to several cases, each with the version the moderator saw;
// each case succeeds or conflicts on its own.
func (s *Service) Bulk(ctx context.Context, cmds []gs.ModerationCommand, by gs.Actor) []BulkResult {
	out := make([]BulkResult, len(cmds))
	for i, c := range cmds {
		_, err := s.Act(ctx, c, by)
		out[i] = BulkResult{CaseID: c.CaseID, Err: err}
	}
	return out
}

// OriginalText returns the text a redaction replaced, for admins.
func (s *Service) OriginalText(ctx context.Context, caseID int64) (string, bool, error) {
	return s.store.OriginalText(ctx, caseID)
}

// PurgeOriginal deletes the text a redaction replaced.
func (s *Service) PurgeOriginal(ctx context.Context, caseID int64, by gs.Actor) error {
	return s.store.PurgeOriginal(ctx, caseID, by)
}

// Transparency returns a challenge's public moderation summary and how many cases are open.
func (s *Service) Transparency(ctx context.Context, challengeID int64) ([]gs.TransparencyRow, int, error) {
	return s.store.Transparency(ctx, challengeID)
}

// Settings are a challenge's moderation and anti-herding settings.
type Settings struct {
	ReportThreshold      int
	Premoderate          bool
	HideCountsUntilVoted bool
	HeldWords            string
}

// UpdateSettings validates and saves a challenge's settings.
func (s *Service) UpdateSettings(ctx context.Context, challengeID int64, in Settings, by gs.Actor) error {
	f := gs.FieldErrors{}
	if in.ReportThreshold < 1 || in.ReportThreshold > MaxThreshold {
		f.Add("report_threshold", "Choose a number of reports from 1 to 50.")
	}
	in.HeldWords = strings.TrimSpace(in.HeldWords)
	if !gs.ValidText(in.HeldWords) || utf8.RuneCountInString(in.HeldWords) > HeldWordsMax {
		f.Add("held_words", "Keep the word list under 4,000 characters.")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.store.UpdateModerationSettings(ctx, challengeID, in.ReportThreshold, in.Premoderate, in.HideCountsUntilVoted, in.HeldWords, by)
}

// Audit returns a page of the audit log and the actions it holds.
func (s *Service) Audit(ctx context.Context, q gs.AuditQuery) ([]gs.AuditEntry, int, []string, error) {
	entries, total, err := s.store.AuditLog(ctx, q)
	if err != nil {
		return nil, 0, nil, err
	}
	actions, err := s.store.AuditActions(ctx)
	return entries, total, actions, err
}
