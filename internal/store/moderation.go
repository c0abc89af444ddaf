package store

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
)

type caseRow struct {
	ID            int64 `gorm:"primaryKey"`
	TargetType    string
	TargetID      int64
	ChallengeID   int64
	ParticipantID int64
	State         string
	Severity      int
	Escalated     bool
	Held          bool
	ReportCount   int
	Outcome       string
	OutcomeReason string
	OriginalText  *string
	Version       int
	OpenedAt      time.Time
	DecidedAt     *time.Time
}

func (caseRow) TableName() string { return "moderation_cases" }

func (r caseRow) domain() gs.Case {
	return gs.Case{
		ID: r.ID, TargetType: r.TargetType, TargetID: r.TargetID, ChallengeID: r.ChallengeID,
		State: gs.CaseState(r.State), Severity: r.Severity, Escalated: r.Escalated, Held: r.Held,
		ReportCount: r.ReportCount, Outcome: r.Outcome, OutcomeReason: r.OutcomeReason,
		HasOriginal: r.OriginalText != nil, Version: r.Version, OpenedAt: r.OpenedAt, DecidedAt: r.DecidedAt,
	}
}

// target is a reportable contribution as moderation needs it.
type target struct {
	ID            int64
	ChallengeID   int64
	IdeaID        int64
	ParticipantID int64
	Kind          string
	Status        string
	BodyMD        string
	Threshold     int
}

// targetTable names the table behind a target type.
func targetTable(kind string) (string, error) {
	switch kind {
	case "idea":
		return "ideas", nil
	case "comment":
		return "comments", nil
	}
	return "", gs.Errorf(gs.EMALFORMED, "Only ideas and comments can be reported.")
}

func (s *Store) loadTarget(tx *gorm.DB, kind string, id int64) (*target, error) {
	var t target
	var q string
	switch kind {
	case "idea":
		q = "SELECT i.id, i.challenge_id, i.id AS idea_id, i.participant_id, '' AS kind, i.status, i.body_md, c.report_threshold AS threshold " +
			"FROM ideas i JOIN challenges c ON c.id = i.challenge_id WHERE i.id = ?" + s.lockRows("i")
	case "comment":
		q = "SELECT cm.id, i.challenge_id, cm.idea_id, cm.participant_id, cm.kind, cm.status, cm.body_md, c.report_threshold AS threshold " +
			"FROM comments cm JOIN ideas i ON i.id = cm.idea_id JOIN challenges c ON c.id = i.challenge_id WHERE cm.id = ?" + s.lockRows("cm")
	default:
		_, err := targetTable(kind)
		return nil, err
	}
	if err := tx.Raw(q, id).Scan(&t).Error; err != nil {
		return nil, wrap(err, "Contribution")
	}
	if t.ID == 0 {
		return nil, gs.Errorf(gs.ENOTFOUND, "There is no %s number %d.", kind, id)
	}
	return &t, nil
}

// setStatus changes a contribution's status and keeps the idea's comment counters in step:
// only visible comments are counted.
func setStatus(tx *gorm.DB, kind string, t *target, status gs.Status, reason string) error {
	table, err := targetTable(kind)
	if err != nil {
		return err
	}
	if err := tx.Exec("UPDATE "+table+" SET status = ?, status_reason = ? WHERE id = ?", string(status), reason, t.ID).Error; err != nil {
		return wrap(err, "Contribution")
	}
	was, now := t.Status == string(gs.StatusVisible), status == gs.StatusVisible
	if kind == "comment" && was != now {
		delta := 1
		if was {
			delta = -1
		}
		impl := 0
		if t.Kind == string(gs.KindImplementation) {
			impl = delta
		}
		if err := tx.Exec("UPDATE ideas SET comments = comments + ?, implementations = implementations + ? WHERE id = ?",
			delta, impl, t.IdeaID).Error; err != nil {
			return wrap(err, "Idea")
		}
	}
	t.Status = string(status)
	return nil
}

// openCase returns the case for a target, creating it if needed, locked for update.
func (s *Store) openCase(tx *gorm.DB, kind string, t *target, held bool) (*caseRow, error) {
	now := s.now().Truncate(time.Minute)
	if err := tx.Exec("INSERT INTO moderation_cases (target_type, target_id, challenge_id, participant_id, held, opened_at) "+
		"VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (target_type, target_id) DO NOTHING",
		kind, t.ID, t.ChallengeID, t.ParticipantID, held, now).Error; err != nil {
		return nil, wrap(err, "Moderation case")
	}
	var c caseRow
	if err := tx.Raw("SELECT * FROM moderation_cases WHERE target_type = ? AND target_id = ?"+s.lockRows("moderation_cases"),
		kind, t.ID).Scan(&c).Error; err != nil {
		return nil, wrap(err, "Moderation case")
	}
	return &c, nil
}

// Report records one participant's report. Distinct reports reaching the challenge's threshold
// hide the item pending review, a personal-data report hides it at once, and a safety report
// escalates without hiding. Once a moderator has decided to keep an item, further reports
// reopen the case but do not hide it again on their own, so a pile-on cannot silence fair
// criticism (personal data still hides at once).
func (s *Store) Report(ctx context.Context, kind string, id int64, tokenHash string, reason gs.ReportReason, details string) (gs.ReportResult, error) {
	var res gs.ReportResult
	err := s.write(ctx, func(tx *gorm.DB) error {
		t, err := s.loadTarget(tx, kind, id)
		if err != nil {
			return err
		}
		if t.Status != string(gs.StatusVisible) {
			return gs.Errorf(gs.ECONFLICT, "This %s is already waiting for a moderator. Thank you.", kind)
		}
		pid, err := participantID(tx, tokenHash)
		if err != nil {
			return err
		}
		c, err := s.openCase(tx, kind, t, false)
		if err != nil {
			return err
		}
		ins := tx.Exec("INSERT INTO reports (case_id, participant_id, reason, details, created_at) VALUES (?, ?, ?, ?, ?) "+
			"ON CONFLICT (case_id, participant_id) DO NOTHING", c.ID, pid, string(reason), details, s.now().Truncate(time.Minute))
		if ins.Error != nil {
			return wrap(ins.Error, "Report")
		}
		if ins.RowsAffected == 0 {
			return gs.Errorf(gs.ECONFLICT, "You have already reported this %s. A moderator will look at it.", kind)
		}
		keptBefore := c.Outcome == "dismissed" || c.Outcome == "restored" || c.Outcome == "redacted"
		c.ReportCount++
		c.Severity = max(c.Severity, reason.Severity())
		if reason == gs.ReasonSafety {
			c.Escalated = true
		}
		reopened := c.State == string(gs.CaseClosed)
		c.State = string(gs.CaseOpen)
		hide := reason == gs.ReasonPersonalData || (!keptBefore && c.ReportCount >= max(t.Threshold, 1))
		if err := tx.Exec("UPDATE moderation_cases SET report_count = ?, severity = ?, escalated = ?, state = ?, version = version + 1 WHERE id = ?",
			c.ReportCount, c.Severity, c.Escalated, c.State, c.ID).Error; err != nil {
			return wrap(err, "Moderation case")
		}
		if reopened {
			if err := s.audit(tx, gs.AuditEntry{Actor: gs.SystemActor, Action: "case.reopen", TargetType: kind, TargetID: id,
				ChallengeID: t.ChallengeID, Reason: "new report: " + string(reason)}); err != nil {
				return err
			}
		}
		if hide {
			if err := setStatus(tx, kind, t, gs.StatusPending, ""); err != nil {
				return err
			}
			why := "reports reached the threshold"
			if reason == gs.ReasonPersonalData {
				why = "personal data reported"
			}
			if err := s.audit(tx, gs.AuditEntry{Actor: gs.SystemActor, Action: "auto_hide", TargetType: kind, TargetID: id,
				ChallengeID: t.ChallengeID, Reason: why,
				Before: jsonText(map[string]any{"status": gs.StatusVisible}), After: jsonText(map[string]any{"status": gs.StatusPending})}); err != nil {
				return err
			}
		}
		res = gs.ReportResult{Hidden: hide, Escalated: c.Escalated}
		return nil
	})
	return res, err
}

// holdForReview opens a case for a contribution held before publication.
func (s *Store) holdForReview(tx *gorm.DB, kind string, t *target, why string) error {
	c, err := s.openCase(tx, kind, t, true)
	if err != nil {
		return err
	}
	return s.audit(tx, gs.AuditEntry{Actor: gs.SystemActor, Action: "hold", TargetType: kind, TargetID: t.ID,
		ChallengeID: t.ChallengeID, Reason: why, After: jsonText(map[string]any{"status": gs.StatusHeld, "case": c.ID})})
}

// checkSuspension refuses posting by a participant suspended in a challenge.
func (s *Store) checkSuspension(tx *gorm.DB, participantID, challengeID int64) error {
	var row struct {
		Until  time.Time
		Reason string
	}
	if err := tx.Raw("SELECT until, reason FROM suspensions WHERE participant_id = ? AND challenge_id = ? AND until > ? ORDER BY until DESC LIMIT 1",
		participantID, challengeID, s.now()).Scan(&row).Error; err != nil {
		return wrap(err, "Suspension")
	}
	if row.Until.IsZero() {
		return nil
	}
	return gs.Errorf(gs.EFORBIDDEN, "A moderator has paused your posting in this challenge until %s. Reason given: %s. You can still read and vote.",
		row.Until.UTC().Format("2 January 2006 at 15:04 UTC"), row.Reason)
}

// Queue returns a page of moderation cases in priority order with their context.
func (s *Store) Queue(ctx context.Context, q gs.CaseQuery) ([]gs.Case, int, error) {
	state := q.State
	if state == "" {
		state = gs.CaseOpen
	}
	db := s.read(ctx).Table("moderation_cases AS mc").Where("mc.state = ?", string(state))
	if q.ChallengeID != 0 {
		db = db.Where("mc.challenge_id = ?", q.ChallengeID)
	}
	if q.Reason != "" {
		db = db.Where("EXISTS (SELECT 1 FROM reports r WHERE r.case_id = mc.id AND r.reason = ?)", string(q.Reason))
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, wrap(err, "Queue")
	}
	var rows []caseRow
	order := "mc.escalated DESC, mc.severity DESC, mc.report_count DESC, mc.opened_at ASC, mc.id ASC"
	if state == gs.CaseClosed {
		order = "mc.decided_at DESC, mc.id DESC"
	}
	if err := db.Select("mc.*").Order(order).Limit(q.PerPage).Offset((q.Page - 1) * q.PerPage).Scan(&rows).Error; err != nil {
		return nil, 0, wrap(err, "Queue")
	}
	out := make([]gs.Case, len(rows))
	for i, r := range rows {
		c, err := s.caseContext(ctx, r)
		if err != nil {
			return nil, 0, err
		}
		out[i] = *c
	}
	return out, int(total), nil
}

// Case returns one case with its context.
func (s *Store) Case(ctx context.Context, id int64) (*gs.Case, error) {
	var r caseRow
	if err := s.read(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, wrap(err, "Moderation case")
	}
	return s.caseContext(ctx, r)
}

// caseContext adds the content, its surroundings, the reports and the author's history.
func (s *Store) caseContext(ctx context.Context, r caseRow) (*gs.Case, error) {
	c := r.domain()
	db := s.read(ctx)
	if err := db.Raw("SELECT slug FROM challenges WHERE id = ?", r.ChallengeID).Scan(&c.ChallengeSlug).Error; err != nil {
		return nil, wrap(err, "Challenge")
	}
	var content struct {
		Author       string
		Title        string
		IdeaID       int64
		BodyHTML     string
		BodyMD       string
		Status       string
		ParentAuthor string
		ParentBody   string
	}
	var err error
	if r.TargetType == "idea" {
		err = db.Raw("SELECT author, title, id AS idea_id, body_html, body_md, status FROM ideas WHERE id = ?", r.TargetID).Scan(&content).Error
	} else {
		err = db.Raw("SELECT cm.author, i.title, i.id AS idea_id, cm.body_html, cm.body_md, cm.status, "+
			"COALESCE(p.author, '') AS parent_author, COALESCE(p.body_html, '') AS parent_body "+
			"FROM comments cm JOIN ideas i ON i.id = cm.idea_id LEFT JOIN comments p ON p.id = cm.parent_id WHERE cm.id = ?", r.TargetID).
			Scan(&content).Error
	}
	if err != nil {
		return nil, wrap(err, "Contribution")
	}
	c.Author, c.Title, c.IdeaID, c.Status = content.Author, content.Title, content.IdeaID, gs.Status(content.Status)
	c.BodyHTML, c.BodyMD = markup.HTML(content.BodyHTML), content.BodyMD
	c.ParentAuthor, c.ParentBody = content.ParentAuthor, markup.HTML(content.ParentBody)
	var reports []struct {
		ID        int64
		Reason    string
		Details   string
		CreatedAt time.Time
	}
	if err := db.Raw("SELECT id, reason, details, created_at FROM reports WHERE case_id = ? ORDER BY id", r.ID).Scan(&reports).Error; err != nil {
		return nil, wrap(err, "Reports")
	}
	for _, rp := range reports {
		c.Reports = append(c.Reports, gs.Report{ID: rp.ID, Reason: gs.ReportReason(rp.Reason), Details: rp.Details, CreatedAt: rp.CreatedAt})
	}
	var prior int64
	if err := db.Raw("SELECT COUNT(*) FROM moderation_cases WHERE participant_id = ? AND challenge_id = ? AND outcome = 'hidden' AND id <> ?",
		r.ParticipantID, r.ChallengeID, r.ID).Scan(&prior).Error; err != nil {
		return nil, wrap(err, "History")
	}
	c.PriorHidden = int(prior)
	return &c, nil
}

// Act applies one moderator's action to a case. The case's version must match what the
// moderator saw; otherwise another moderator acted first and the caller gets a conflict with
// the case as it is now. newHTML is the rendered text for a redaction.
func (s *Store) Act(ctx context.Context, cmd gs.ModerationCommand, newHTML markup.HTML, by gs.Actor) (*gs.Case, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		// Locks are taken target first, then case, the same order as Report, so the two never
		// deadlock on PostgreSQL.
		var peek caseRow
		if err := tx.Raw("SELECT target_type, target_id FROM moderation_cases WHERE id = ?", cmd.CaseID).Scan(&peek).Error; err != nil {
			return wrap(err, "Moderation case")
		}
		if peek.TargetType == "" {
			return gs.Errorf(gs.ENOTFOUND, "There is no moderation case number %d.", cmd.CaseID)
		}
		t, err := s.loadTarget(tx, peek.TargetType, peek.TargetID)
		if err != nil {
			return err
		}
		var c caseRow
		if err := tx.Raw("SELECT * FROM moderation_cases WHERE id = ?"+s.lockRows("moderation_cases"), cmd.CaseID).Scan(&c).Error; err != nil {
			return wrap(err, "Moderation case")
		}
		if c.Version != cmd.Version {
			return gs.Errorf(gs.ECONFLICT, "Another moderator acted on this item while you were looking at it. Its current state is shown; check it before acting again.")
		}
		before := map[string]any{"status": t.Status, "state": c.State, "escalated": c.Escalated}
		now := s.now()
		closeCase := func(outcome string) {
			c.State, c.Outcome, c.OutcomeReason, c.DecidedAt = string(gs.CaseClosed), outcome, cmd.Reason, &now
		}
		switch cmd.Action {
		case gs.ActDismiss:
			if err := setStatus(tx, c.TargetType, t, gs.StatusVisible, ""); err != nil {
				return err
			}
			closeCase("dismissed")
		case gs.ActHide:
			if err := setStatus(tx, c.TargetType, t, gs.StatusHidden, cmd.Reason); err != nil {
				return err
			}
			closeCase("hidden")
		case gs.ActRestore:
			if err := setStatus(tx, c.TargetType, t, gs.StatusVisible, ""); err != nil {
				return err
			}
			closeCase("restored")
		case gs.ActRedact:
			table, _ := targetTable(c.TargetType)
			if c.OriginalText == nil {
				orig := t.BodyMD
				c.OriginalText = &orig
			}
			if err := tx.Exec("UPDATE "+table+" SET body_md = ?, body_html = ? WHERE id = ?", cmd.Text, string(newHTML), t.ID).Error; err != nil {
				return wrap(err, "Contribution")
			}
			if err := setStatus(tx, c.TargetType, t, gs.StatusVisible, ""); err != nil {
				return err
			}
			closeCase("redacted")
		case gs.ActEscalate:
			c.Escalated = true
		case gs.ActSuspend:
			until := now.Add(cmd.Duration)
			if err := tx.Exec("INSERT INTO suspensions (participant_id, challenge_id, until, reason, created_at) VALUES (?, ?, ?, ?, ?)",
				c.ParticipantID, c.ChallengeID, until, cmd.Reason, now).Error; err != nil {
				return wrap(err, "Suspension")
			}
		default:
			return gs.Errorf(gs.EMALFORMED, "Unknown moderation action %q.", cmd.Action)
		}
		c.Version++
		if err := tx.Exec("UPDATE moderation_cases SET state = ?, escalated = ?, outcome = ?, outcome_reason = ?, original_text = ?, "+
			"version = ?, decided_at = ? WHERE id = ?",
			c.State, c.Escalated, c.Outcome, c.OutcomeReason, c.OriginalText, c.Version, c.DecidedAt, c.ID).Error; err != nil {
			return wrap(err, "Moderation case")
		}
		after := map[string]any{"status": t.Status, "state": c.State, "escalated": c.Escalated}
		if cmd.Action == gs.ActSuspend {
			after["suspended_until"] = now.Add(cmd.Duration).UTC().Format(time.RFC3339)
		}
		if cmd.Action == gs.ActRedact {
			after["redacted"] = true // the original text stays only in the case, never in the log
		}
		return s.audit(tx, gs.AuditEntry{Actor: by, Action: "moderation." + string(cmd.Action), TargetType: c.TargetType,
			TargetID: c.TargetID, ChallengeID: c.ChallengeID, Reason: cmd.Reason,
			Before: jsonText(before), After: jsonText(after)})
	})
	if err != nil && gs.ErrorCode(err) != gs.ECONFLICT {
		return nil, err
	}
	c, cerr := s.Case(ctx, cmd.CaseID)
	if cerr != nil {
		return nil, cerr
	}
	return c, err
}

// OriginalText returns the text a redaction replaced, if it is still kept.
func (s *Store) OriginalText(ctx context.Context, caseID int64) (string, bool, error) {
	var row struct{ OriginalText *string }
	if err := s.read(ctx).Raw("SELECT original_text FROM moderation_cases WHERE id = ?", caseID).Scan(&row).Error; err != nil {
		return "", false, wrap(err, "Moderation case")
	}
	if row.OriginalText == nil {
		return "", false, nil
	}
	return *row.OriginalText, true, nil
}

// PurgeOriginal deletes the text a redaction replaced; only the fact of the purge is logged.
func (s *Store) PurgeOriginal(ctx context.Context, caseID int64, by gs.Actor) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		var c caseRow
		if err := tx.Where("id = ?", caseID).Take(&c).Error; err != nil {
			return wrap(err, "Moderation case")
		}
		if c.OriginalText == nil {
			return gs.Errorf(gs.ECONFLICT, "There is no kept original to purge for this case.")
		}
		if err := tx.Exec("UPDATE moderation_cases SET original_text = NULL, version = version + 1 WHERE id = ?", caseID).Error; err != nil {
			return wrap(err, "Moderation case")
		}
		return s.audit(tx, gs.AuditEntry{Actor: by, Action: "moderation.purge_original", TargetType: c.TargetType,
			TargetID: c.TargetID, ChallengeID: c.ChallengeID})
	})
}

// Transparency summarises, for one challenge, how many contributions moderators hid for each
// reason and how long it took from the first report to the decision.
func (s *Store) Transparency(ctx context.Context, challengeID int64) ([]gs.TransparencyRow, int, error) {
	var rows []struct {
		ID        int64
		OpenedAt  time.Time
		DecidedAt *time.Time
		Held      bool
		Reason    *string
	}
	err := s.read(ctx).Raw("SELECT mc.id, mc.opened_at, mc.decided_at, mc.held, "+
		"(SELECT r.reason FROM reports r WHERE r.case_id = mc.id ORDER BY r.id LIMIT 1) AS reason "+
		"FROM moderation_cases mc WHERE mc.challenge_id = ? AND mc.outcome = 'hidden'", challengeID).Scan(&rows).Error
	if err != nil {
		return nil, 0, wrap(err, "Transparency")
	}
	byReason := map[string][]time.Duration{}
	for _, r := range rows {
		reason := "held for review"
		if r.Reason != nil {
			reason = gs.ReportReason(*r.Reason).Label()
		}
		var d time.Duration
		if r.DecidedAt != nil {
			d = r.DecidedAt.Sub(r.OpenedAt)
		}
		byReason[reason] = append(byReason[reason], d)
	}
	var out []gs.TransparencyRow
	for reason, ds := range byReason {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		out = append(out, gs.TransparencyRow{Reason: reason, Hidden: len(ds), MedianToHide: ds[len(ds)/2]})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Hidden > out[j].Hidden || (out[i].Hidden == out[j].Hidden && out[i].Reason < out[j].Reason)
	})
	var open int64
	if err := s.read(ctx).Raw("SELECT COUNT(*) FROM moderation_cases WHERE challenge_id = ? AND state = 'open'", challengeID).Scan(&open).Error; err != nil {
		return nil, 0, wrap(err, "Transparency")
	}
	return out, int(open), nil
}

// UpdateModerationSettings changes a challenge's report threshold, pre-moderation and held
// words, and audits the change.
func (s *Store) UpdateModerationSettings(ctx context.Context, challengeID int64, threshold int, premoderate, hideCounts bool, words string, by gs.Actor) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		var c challengeRow
		if err := tx.Where("id = ?", challengeID).Take(&c).Error; err != nil {
			return wrap(err, "Challenge")
		}
		before := map[string]any{"report_threshold": c.ReportThreshold, "premoderate": c.Premoderate,
			"hide_counts_until_voted": c.HideCountsUntilVoted, "held_words": c.HeldWords}
		after := map[string]any{"report_threshold": threshold, "premoderate": premoderate,
			"hide_counts_until_voted": hideCounts, "held_words": words}
		if err := tx.Model(&challengeRow{}).Where("id = ?", challengeID).Updates(map[string]any{
			"report_threshold": threshold, "premoderate": premoderate, "hide_counts_until_voted": hideCounts, "held_words": words,
		}).Error; err != nil {
			return wrap(err, "Challenge")
		}
		return s.audit(tx, gs.AuditEntry{Actor: by, Action: "challenge.settings", TargetType: "challenge", TargetID: challengeID,
			ChallengeID: challengeID, Before: jsonText(before), After: jsonText(after)})
	})
}
