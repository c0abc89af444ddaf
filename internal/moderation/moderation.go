// Package moderation is the service behind reports, the moderation queue, moderators' actions,
// per-challenge prevention settings and the public transparency report.
package moderation

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/ranking"
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

// Report validates and records a participant's report of an idea or comment. Inside one write
// the item and then its case are locked (the lock order every write here keeps), and the
// domain's report rule decides whether the item is hidden.
//
// age is how long the reporter's browser has been known (its cookie says when it was issued),
// for the standing rule.
func (s *Service) Report(ctx context.Context, h gs.TokenHash, age time.Duration, kind gs.TargetKind, id int64, reason, details string) (gs.ReportResult, error) {
	r, details, err := checkReport(reason, details)
	if err != nil {
		return gs.ReportResult{}, err
	}
	var res gs.ReportResult
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		it, err := tx.LockItem(kind, id, store.LockItemOnly)
		if err != nil {
			return err
		}
		if err := gs.CanReport(kind, id, it.Status, it.IdeaStatus); err != nil {
			return err
		}
		pid, err := tx.Voice(h, it.ChallengeID, it.Access)
		if err != nil {
			return err
		}
		c, err := tx.OpenCase(it, false)
		if err != nil {
			return err
		}
		added, err := tx.InsertReport(c.ID, pid, r, details)
		if err != nil {
			return err
		}
		if !added {
			return gs.Errorf(gs.ECONFLICT, "You have already reported this %s. A moderator will look at it.", kind).Because(gs.ReasonAlreadyReported)
		}
		active, err := tx.ActiveIn(pid, it.ChallengeID)
		if err != nil {
			return err
		}
		standing := gs.HasStanding(age, time.Duration(it.StandingMinutes)*time.Minute, active)
		d := gs.DecideReport(c, r, it.ReportThreshold, standing)
		c.Version++
		if err := tx.SaveCase(c); err != nil {
			return err
		}
		if d.Reopened {
			if err := tx.Audit(gs.AuditEntry{Actor: gs.SystemActor, Action: "case.reopen", TargetType: string(kind), TargetID: id,
				ChallengeID: it.ChallengeID, Reason: "new report: " + string(r)}); err != nil {
				return err
			}
		}
		if d.Hide {
			if err := changeStatus(tx, it, gs.StatusPending, ""); err != nil {
				return err
			}
			if err := tx.Audit(gs.AuditEntry{Actor: gs.SystemActor, Action: "auto_hide", TargetType: string(kind), TargetID: id,
				ChallengeID: it.ChallengeID, Reason: d.Why,
				Before: gs.Snapshot(map[string]any{"status": gs.StatusVisible}), After: gs.Snapshot(map[string]any{"status": gs.StatusPending})}); err != nil {
				return err
			}
		}
		res = gs.ReportResult{Hidden: d.Hide, Escalated: c.Escalated}
		return nil
	})
	return res, err
}

// checkReport validates a report's reason and details.
func checkReport(reason, details string) (gs.ReportReason, string, error) {
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
	return r, details, f.Err()
}

// changeStatus moves an item to a new status with its counts (see store.Tx.ChangeStatus).
func changeStatus(tx *store.Tx, it *store.Item, to gs.Status, reason string) error {
	return tx.ChangeStatus(it, to, reason)
}

// Queue returns a page of cases, and whether there is another page in the direction asked for.
func (s *Service) Queue(ctx context.Context, q gs.CaseQuery) ([]gs.Case, bool, error) {
	return s.store.Queue(ctx, q)
}

// Waiting counts the open cases for the staff menu, up to gs.WaitingShown+1 ("99+"): a bounded
// read of the queue's index on every staff page, never a count of the whole queue.
func (s *Service) Waiting(ctx context.Context) (int, error) {
	return s.store.CountCases(ctx, gs.CaseQuery{State: gs.CaseOpen}, gs.WaitingShown+1)
}

// QueueView is a page of the moderation queue with what its filters offer.
type QueueView struct {
	Query gs.CaseQuery
	Cases []gs.Case
	// More says whether there is another page in the direction asked for.
	More bool
	// Count is how many cases the filters match, counted up to gs.WaitingShown+1.
	Count      int
	Challenges []gs.Challenge
}

// QueuePage returns the page of the queue that q asks for, narrowed to the challenge with
// challengeSlug when it is not empty, with the challenges the filter can offer.
func (s *Service) QueuePage(ctx context.Context, q gs.CaseQuery, challengeSlug string) (*QueueView, error) {
	if q.State == "" {
		q.State = gs.CaseOpen
	}
	challenges, err := s.store.Challenges(ctx, gs.Phases...)
	if err != nil {
		return nil, err
	}
	if challengeSlug != "" {
		for _, c := range challenges {
			if c.Slug == challengeSlug {
				q.ChallengeID = c.ID
			}
		}
		if q.ChallengeID == 0 {
			return nil, gs.Errorf(gs.EMALFORMED, "There is no challenge %q.", challengeSlug)
		}
	}
	cases, more, err := s.store.Queue(ctx, q)
	if err != nil {
		return nil, err
	}
	n, err := s.store.CountCases(ctx, q, gs.WaitingShown+1)
	if err != nil {
		return nil, err
	}
	return &QueueView{Query: q, Cases: cases, More: more, Count: n, Challenges: challenges}, nil
}

// Case returns one case with its context.
func (s *Service) Case(ctx context.Context, id int64) (*gs.Case, error) { return s.store.Case(ctx, id) }

// ActThenNext applies cmd like Act and finds the case to look at next: the first open case
// after this one's place in the queue as the moderator saw it, else any other open case; 0 when
// the queue is clear.
func (s *Service) ActThenNext(ctx context.Context, cmd gs.ModerationCommand, by gs.Actor) (*gs.Case, int64, error) {
	before, err := s.store.Case(ctx, cmd.CaseID)
	if err != nil {
		return nil, 0, err
	}
	c, err := s.Act(ctx, cmd, by)
	if err != nil {
		return c, 0, err
	}
	next, err := s.store.NextCase(ctx, gs.KeyOf(*before))
	return c, next, err
}

// Act validates a moderator's command and applies it. The case's version must match what the
// moderator saw; otherwise another moderator acted first, and the error is ECONFLICT with the
// case as it is now returned beside it.
func (s *Service) Act(ctx context.Context, cmd gs.ModerationCommand, by gs.Actor) (*gs.Case, error) {
	cmd, err := checkCommand(cmd)
	if err != nil {
		return nil, err
	}
	eff, err := gs.PlanAction(cmd.Action)
	if err != nil {
		return nil, err
	}
	var html gs.HTML
	if eff.Redact {
		html = s.md.Render(cmd.Text)
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		kind, targetID, err := tx.CaseTarget(cmd.CaseID)
		if err != nil {
			return err
		}
		it, err := tx.LockItem(kind, targetID, store.LockItemOnly)
		if err != nil {
			return err
		}
		c, original, err := tx.LockCase(cmd.CaseID)
		if err != nil {
			return err
		}
		if err := gs.CheckVersion(c.Version, cmd.Version); err != nil {
			return err
		}
		before := map[string]any{"status": it.Status, "state": c.State, "escalated": c.Escalated}
		after := map[string]any{}
		now := tx.Now()
		if eff.Redact {
			if original == nil {
				if err := tx.SetOriginal(c.ID, &it.BodyMD); err != nil {
					return err
				}
			}
			if err := tx.SetText(kind, it.ID, cmd.Text, html); err != nil {
				return err
			}
			if kind == gs.TargetIdea && cmd.Title != "" && cmd.Title != it.Title {
				kept, err := tx.OriginalTitle(c.ID)
				if err != nil {
					return err
				}
				if kept == nil {
					if err := tx.SetOriginalTitle(c.ID, &it.Title); err != nil {
						return err
					}
				}
				if err := tx.SetTitle(it.ID, cmd.Title); err != nil {
					return err
				}
			}
			after["redacted"] = true // the original text stays only in the case, never in the log
		}
		if eff.Discount {
			if kind != gs.TargetIdea {
				return gs.Errorf(gs.ECONFLICT, "Only votes on ideas can be discounted.")
			}
			n, up, down, err := tx.DiscountUnproven(it.ID)
			if err != nil {
				return err
			}
			if err := tx.SetScores(kind, it.ID, store.Scores{Up: up, Down: down, Score: ranking.Wilson(up, down),
				Hot: ranking.Hot(up, down, it.CreatedAt), Controversy: ranking.Controversy(up, down),
				Fair:      ranking.Fair(up, down, it.Impressions, it.FairMean, ranking.FairPrior),
				Gathering: ranking.Gathering(up, down, it.Impressions, it.GatherMin)}); err != nil {
				return err
			}
			before["up"], before["down"] = it.Up, it.Down
			after["up"], after["down"], after["discounted_votes"] = up, down, n
		}
		if to := eff.StatusFrom(it.Status); to != "" {
			reason := ""
			if to == gs.StatusHidden {
				reason = cmd.Reason
			}
			if err := changeStatus(tx, it, to, reason); err != nil {
				return err
			}
		}
		if eff.Outcome != gs.OutcomeNone {
			c.State, c.Outcome, c.OutcomeReason, c.DecidedAt = gs.CaseClosed, eff.Outcome, cmd.Reason, &now
		}
		if eff.Escalate {
			c.Escalated = true
		}
		if eff.Suspend {
			until := now.Add(cmd.Duration)
			if err := tx.InsertSuspension(c.ParticipantID, c.ChallengeID, until, cmd.Reason); err != nil {
				return err
			}
			after["suspended_until"] = until.UTC().Format(time.RFC3339)
		}
		c.Version++
		if err := tx.SaveCase(c); err != nil {
			return err
		}
		after["status"], after["state"], after["escalated"] = it.Status, c.State, c.Escalated
		return tx.Audit(gs.AuditEntry{Actor: by, Action: "moderation." + string(cmd.Action), TargetType: string(kind),
			TargetID: targetID, ChallengeID: c.ChallengeID, Reason: cmd.Reason,
			Before: gs.Snapshot(before), After: gs.Snapshot(after)})
	})
	if err != nil && gs.ErrorReason(err) != gs.ReasonVersionConflict {
		return nil, err
	}
	c, cerr := s.store.Case(ctx, cmd.CaseID)
	if cerr != nil {
		return nil, cerr
	}
	return c, err
}

// checkCommand validates what a moderator typed for an action.
func checkCommand(cmd gs.ModerationCommand) (gs.ModerationCommand, error) {
	cmd.Reason = strings.TrimSpace(cmd.Reason)
	f := gs.FieldErrors{}
	if !cmd.Action.Valid() {
		return cmd, gs.Errorf(gs.EINVALID, "Choose an action: dismiss, hide, restore, redact, escalate or suspend.")
	}
	if !gs.ValidText(cmd.Reason) || utf8.RuneCountInString(cmd.Reason) > ReasonMax {
		f.Add("reason", "Keep the reason to 300 characters or fewer.")
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
		cmd.Title = strings.Join(strings.Fields(cmd.Title), " ")
		if cmd.Title != "" {
			if err := gs.CheckTitle(cmd.Title); err != nil {
				f.Add("title", gs.ErrorFields(err)["title"])
			}
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
	return cmd, f.Err()
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

// PurgeOriginal deletes the text a redaction replaced; only the fact of the purge is logged.
// Afterwards the database files are scrubbed, so that the words are gone from them too.
func (s *Service) PurgeOriginal(ctx context.Context, caseID int64, by gs.Actor) error {
	if err := s.purgeOriginal(ctx, caseID, by); err != nil {
		return err
	}
	return s.store.Scrub(ctx, "moderation_cases", "ideas", "comments")
}

func (s *Service) purgeOriginal(ctx context.Context, caseID int64, by gs.Actor) error {
	return s.store.Write(ctx, func(tx *store.Tx) error {
		c, original, err := tx.LockCase(caseID)
		if err != nil {
			return err
		}
		title, err := tx.OriginalTitle(caseID)
		if err != nil {
			return err
		}
		if original == nil && title == nil {
			return gs.Errorf(gs.ECONFLICT, "There is no kept original to purge for this case.").Because(gs.ReasonNothingToPurge)
		}
		if err := tx.SetOriginal(caseID, nil); err != nil {
			return err
		}
		if err := tx.SetOriginalTitle(caseID, nil); err != nil {
			return err
		}
		c.Version++
		if err := tx.SaveCase(c); err != nil {
			return err
		}
		return tx.Audit(gs.AuditEntry{Actor: by, Action: "moderation.purge_original", TargetType: string(c.TargetType),
			TargetID: c.TargetID, ChallengeID: c.ChallengeID})
	})
}

// Transparency returns a challenge's public moderation summary and how many cases are open.
func (s *Service) Transparency(ctx context.Context, challengeID int64) ([]gs.TransparencyRow, int, error) {
	decisions, open, err := s.store.HiddenDecisions(ctx, challengeID)
	if err != nil {
		return nil, 0, err
	}
	return gs.Transparency(decisions), open, nil
}

// Settings are a challenge's moderation and anti-herding settings.
type Settings = store.ModerationSettings

// UpdateSettings validates and saves a challenge's settings, auditing before and after.
func (s *Service) UpdateSettings(ctx context.Context, challengeID int64, in Settings, by gs.Actor) error {
	f := gs.FieldErrors{}
	if in.ReportThreshold < 1 || in.ReportThreshold > MaxThreshold {
		f.Add("report_threshold", "Choose a number of reports from 1 to 50.")
	}
	in.HeldWords = strings.TrimSpace(in.HeldWords)
	if !gs.ValidText(in.HeldWords) || utf8.RuneCountInString(in.HeldWords) > HeldWordsMax {
		f.Add("held_words", "Keep the word list under 4,000 characters.")
	}
	if in.StandingMinutes < 0 || in.StandingMinutes > 7*24*60 {
		f.Add("standing_minutes", "Choose a number of minutes from 0 to 10080 (a week).")
	}
	in.StockReasons = strings.TrimSpace(in.StockReasons)
	if err := gs.CheckStockReasons(in.StockReasons); err != nil {
		f.Add("stock_reasons", gs.ErrorFields(err)["stock_reasons"])
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := tx.LockChallengeForUpdate(challengeID)
		if err != nil {
			return err
		}
		if err := tx.SetModerationSettings(challengeID, in); err != nil {
			return err
		}
		return tx.Audit(gs.AuditEntry{Actor: by, Action: "challenge.settings", TargetType: "challenge", TargetID: challengeID,
			ChallengeID: challengeID,
			Before: gs.Snapshot(map[string]any{"report_threshold": c.ReportThreshold, "premoderate": c.Premoderate,
				"hide_counts_until_voted": c.HideCountsUntilVoted, "held_words": c.HeldWords, "standing_minutes": c.StandingMinutes, "stock_reasons": c.StockReasons}),
			After: gs.Snapshot(map[string]any{"report_threshold": in.ReportThreshold, "premoderate": in.Premoderate,
				"hide_counts_until_voted": in.HideCountsUntilVoted, "held_words": in.HeldWords, "standing_minutes": in.StandingMinutes, "stock_reasons": in.StockReasons})})
	})
}

// AuditView is a page of the audit log with what its filters offer.
type AuditView struct {
	Entries []gs.AuditEntry
	More    bool           // there are further entries in the direction asked for
	Actions []string       // the actions the log holds
	Staff   []gs.StaffUser // who can be chosen as the actor
}

// Audit returns a page of the audit log with the actions and staff its filters offer.
func (s *Service) Audit(ctx context.Context, q gs.AuditQuery) (*AuditView, error) {
	entries, more, err := s.store.AuditLog(ctx, q)
	if err != nil {
		return nil, err
	}
	actions, err := s.store.AuditActions(ctx)
	if err != nil {
		return nil, err
	}
	staff, err := s.store.StaffUsers(ctx)
	if err != nil {
		return nil, err
	}
	return &AuditView{Entries: entries, More: more, Actions: actions, Staff: staff}, nil
}

// Original is the text a redaction replaced, with its case, for an admin to read or purge.
type Original struct {
	Case   *gs.Case
	Text   string
	Title  string // the idea title the redaction replaced, if it changed one
	Exists bool   // false once purged, or when nothing was redacted
}

// OriginalOf returns the case and the original text it keeps, if any.
func (s *Service) OriginalOf(ctx context.Context, caseID int64) (*Original, error) {
	c, err := s.store.Case(ctx, caseID)
	if err != nil {
		return nil, err
	}
	text, title, ok, err := s.store.OriginalText(ctx, caseID)
	if err != nil {
		return nil, err
	}
	return &Original{Case: c, Text: text, Title: title, Exists: ok}, nil
}

// Export streams one of a challenge's CSV exports for its admins (see store.Exports): what
// participants wrote without who wrote it, votes as counts, reports, and panel scores.
func (s *Service) Export(ctx context.Context, slug, name string, row func([]string) error) error {
	e := store.Export(name)
	if !slices.Contains(store.Exports, e) {
		return gs.Errorf(gs.ENOTFOUND, "There is no export called %q.", name)
	}
	c, err := s.store.ChallengeBySlug(ctx, slug)
	if err != nil {
		return err
	}
	return s.store.ExportRows(ctx, e, c.ID, row)
}
