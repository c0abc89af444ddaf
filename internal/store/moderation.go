package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	gs "github.com/groundswell/groundswell/internal/groundswell"
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
	StandingCount int
	Surge         int
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
		ID: r.ID, TargetType: gs.TargetKind(r.TargetType), TargetID: r.TargetID, ChallengeID: r.ChallengeID,
		ParticipantID: r.ParticipantID, State: gs.CaseState(r.State), Severity: r.Severity, Escalated: r.Escalated, Held: r.Held,
		ReportCount: r.ReportCount, StandingCount: r.StandingCount, Surge: r.Surge, Outcome: gs.Outcome(r.Outcome), OutcomeReason: r.OutcomeReason,
		HasOriginal: r.OriginalText != nil, Version: r.Version, OpenedAt: r.OpenedAt, DecidedAt: r.DecidedAt,
	}
}

// OpenCase returns the case about an item, creating it if there is none, locked for update.
// held marks a case opened because the item was held before publication.
func (tx *Tx) OpenCase(it *Item, held bool) (*gs.Case, error) {
	opened := tx.Now().Truncate(time.Minute)
	if err := tx.db.Exec("INSERT INTO moderation_cases (target_type, target_id, challenge_id, participant_id, held, opened_at, queue_key) "+
		"VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (target_type, target_id) DO NOTHING",
		string(it.Kind), it.ID, it.ChallengeID, it.ParticipantID, held, opened, gs.QueueKey(gs.Case{State: gs.CaseOpen, OpenedAt: opened})).Error; err != nil {
		return nil, wrap(err, "Moderation case")
	}
	var c caseRow
	if err := tx.db.Raw("SELECT * FROM moderation_cases WHERE target_type = ? AND target_id = ?"+tx.s.lockRows("moderation_cases"),
		string(it.Kind), it.ID).Scan(&c).Error; err != nil {
		return nil, wrap(err, "Moderation case")
	}
	out := c.domain()
	return &out, nil
}

// CaseTarget names what a case is about without locking anything, so that the caller can lock
// the item before the case (the lock order LockItem documents).
func (tx *Tx) CaseTarget(caseID int64) (gs.TargetKind, int64, error) {
	var peek caseRow
	if err := tx.db.Raw("SELECT target_type, target_id FROM moderation_cases WHERE id = ?", caseID).Scan(&peek).Error; err != nil {
		return "", 0, wrap(err, "Moderation case")
	}
	if peek.TargetType == "" {
		return "", 0, gs.Errorf(gs.ENOTFOUND, "There is no moderation case number %d.", caseID)
	}
	return gs.TargetKind(peek.TargetType), peek.TargetID, nil
}

// LockCase loads a case for update with the original text a redaction kept (nil when none).
func (tx *Tx) LockCase(caseID int64) (*gs.Case, *string, error) {
	var c caseRow
	if err := tx.db.Raw("SELECT * FROM moderation_cases WHERE id = ?"+tx.s.lockRows("moderation_cases"), caseID).Scan(&c).Error; err != nil {
		return nil, nil, wrap(err, "Moderation case")
	}
	if c.ID == 0 {
		return nil, nil, gs.Errorf(gs.ENOTFOUND, "There is no moderation case number %d.", caseID)
	}
	out := c.domain()
	return &out, c.OriginalText, nil
}

// InsertReport records one participant's report in a case; it reports false, changing nothing,
// when that participant has already reported the item.
func (tx *Tx) InsertReport(caseID, participantID int64, reason gs.ReportReason, details string) (bool, error) {
	res := tx.db.Exec("INSERT INTO reports (case_id, participant_id, reason, details, created_at) VALUES (?, ?, ?, ?, ?) "+
		"ON CONFLICT (case_id, participant_id) DO NOTHING", caseID, participantID, string(reason), details, tx.Now().Truncate(time.Minute))
	if res.Error != nil {
		return false, wrap(res.Error, "Report")
	}
	return res.RowsAffected == 1, nil
}

// SaveCase writes a case's state and version back. The kept original text is written only by
// SetOriginal, so that nothing else can lose it.
func (tx *Tx) SaveCase(c *gs.Case) error {
	return wrap(tx.db.Exec("UPDATE moderation_cases SET state = ?, severity = ?, escalated = ?, report_count = ?, standing_count = ?, "+
		"outcome = ?, outcome_reason = ?, version = ?, decided_at = ?, queue_key = ? WHERE id = ?",
		string(c.State), c.Severity, c.Escalated, c.ReportCount, c.StandingCount, string(c.Outcome), c.OutcomeReason, c.Version,
		c.DecidedAt, gs.QueueKey(*c), c.ID).Error, "Moderation case")
}

// FlagSurge records on a case, locked by OpenCase, that a surge of n unproven votes (re)opened it.
func (tx *Tx) FlagSurge(c *gs.Case, n int) error {
	c.Surge, c.State = n, gs.CaseOpen
	c.Version++
	return wrap(tx.db.Exec("UPDATE moderation_cases SET surge = ?, state = ?, version = ?, queue_key = ? WHERE id = ?",
		n, string(c.State), c.Version, gs.QueueKey(*c), c.ID).Error, "Moderation case")
}

// MyReports lists what on an idea's page (the idea and its comments) a participant has reported,
// keyed "idea:ID" and "comment:ID". It reads from the participant's own reports, which are few.
func (s *Store) MyReports(ctx context.Context, participantID, ideaID int64) (map[string]bool, error) {
	out := map[string]bool{}
	if participantID == 0 {
		return out, nil
	}
	var rows []struct {
		TargetType string
		TargetID   int64
	}
	// CROSS JOIN keeps SQLite walking from the participant's reports (PostgreSQL plans it as
	// any join), rather than from every case about a comment.
	err := s.read(ctx).Raw("SELECT mc.target_type, mc.target_id FROM reports r CROSS JOIN moderation_cases mc "+
		"WHERE mc.id = r.case_id AND r.participant_id = ? AND ((mc.target_type = 'idea' AND mc.target_id = ?) OR "+
		"(mc.target_type = 'comment' AND (SELECT idea_id FROM comments WHERE id = mc.target_id) = ?))",
		participantID, ideaID, ideaID).Scan(&rows).Error
	for _, r := range rows {
		out[fmt.Sprint(r.TargetType, ":", r.TargetID)] = true
	}
	return out, wrap(err, "Reports")
}

// ActiveIn reports whether a participant has voted or posted in a challenge.
func (tx *Tx) ActiveIn(participantID, challengeID int64) (bool, error) {
	var n int
	err := tx.db.Raw("SELECT 1 WHERE EXISTS (SELECT 1 FROM aliases WHERE challenge_id = ? AND participant_id = ?) "+
		// Walked from the participant's own votes: joining from the challenge's ideas would
		// read every idea of a large challenge for someone who never voted.
		"OR EXISTS (SELECT 1 FROM idea_votes v WHERE v.participant_id = ? AND (SELECT challenge_id FROM ideas WHERE id = v.idea_id) = ?)",
		challengeID, participantID, participantID, challengeID).Scan(&n).Error
	return n == 1, wrap(err, "Participation")
}

// Queue returns a page of moderation cases in their list's order (see gs.QueueKey) with their
// context, in a fixed number of queries however long the page is. It pages by key on
// moderation_cases_list (or moderation_cases_challenge_list), never counting or skipping rows:
// more says whether there is a further page in the direction asked for. A page asked for before
// a case that reaches the start of the list is the first page.
func (s *Store) Queue(ctx context.Context, q gs.CaseQuery) (cases []gs.Case, more bool, err error) {
	state := q.State
	if state == "" {
		state = gs.CaseOpen
	}
	per := max(q.PerPage, 1)
	db := s.queueFilter(ctx, state, q)
	order := "mc.queue_key, mc.id"
	switch {
	case q.Before != nil:
		db = db.Where("(mc.queue_key, mc.id) < (?, ?)", q.Before.Key, q.Before.ID)
		order = "mc.queue_key DESC, mc.id DESC"
	case q.After != nil:
		db = db.Where("(mc.queue_key, mc.id) > (?, ?)", q.After.Key, q.After.ID)
	}
	var rows []caseRow
	if err := db.Select("mc.*").Order(order).Limit(per + 1).Scan(&rows).Error; err != nil {
		return nil, false, wrap(err, "Queue")
	}
	more = len(rows) > per
	rows = rows[:min(len(rows), per)]
	if q.Before != nil {
		if !more {
			return s.Queue(ctx, gs.CaseQuery{State: q.State, Reason: q.Reason, ChallengeID: q.ChallengeID, PerPage: q.PerPage})
		}
		slices.Reverse(rows)
	}
	out, err := s.withContext(ctx, rows)
	return out, more, err
}

// queueFilter narrows the cases in state to what q asks for.
func (s *Store) queueFilter(ctx context.Context, state gs.CaseState, q gs.CaseQuery) *gorm.DB {
	db := s.read(ctx).Table("moderation_cases AS mc").Where("mc.state = ?", string(state))
	if q.ChallengeID != 0 {
		db = db.Where("mc.challenge_id = ?", q.ChallengeID)
	}
	if q.Reason != "" {
		db = db.Where("EXISTS (SELECT 1 FROM reports r WHERE r.case_id = mc.id AND r.reason = ?)", string(q.Reason))
	}
	return db
}

// CountCases counts the cases in q's list up to limit, reading at most limit index entries: the
// staff menu and the queue say "99+" rather than count a long queue on every page.
func (s *Store) CountCases(ctx context.Context, q gs.CaseQuery, limit int) (int, error) {
	state := q.State
	if state == "" {
		state = gs.CaseOpen
	}
	var n int64
	sub := s.queueFilter(ctx, state, q).Select("1").Limit(limit)
	err := s.read(ctx).Table("(?) AS waiting", sub).Count(&n).Error
	return int(n), wrap(err, "Queue")
}

// NextCase returns the id of the first open case after the place key in the queue's order,
// else the first open case that is not key's own, else 0.
func (s *Store) NextCase(ctx context.Context, key gs.CaseKey) (int64, error) {
	var ids []int64
	err := s.read(ctx).Table("moderation_cases").Where("state = ? AND (queue_key, id) > (?, ?)", string(gs.CaseOpen), key.Key, key.ID).
		Order("queue_key, id").Limit(1).Pluck("id", &ids).Error
	if err == nil && len(ids) == 0 {
		err = s.read(ctx).Table("moderation_cases").Where("state = ? AND id <> ?", string(gs.CaseOpen), key.ID).
			Order("queue_key, id").Limit(1).Pluck("id", &ids).Error
	}
	if err != nil || len(ids) == 0 {
		return 0, wrap(err, "Queue")
	}
	return ids[0], nil
}

// Case returns one case with its context.
func (s *Store) Case(ctx context.Context, id int64) (*gs.Case, error) {
	var r caseRow
	if err := s.read(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, wrap(err, "Moderation case")
	}
	out, err := s.withContext(ctx, []caseRow{r})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// withContext adds to each case its challenge, the content and its surroundings, the reports
// and the author's history: five queries for the whole page, never one per case.
func (s *Store) withContext(ctx context.Context, rows []caseRow) ([]gs.Case, error) {
	out := make([]gs.Case, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	db := s.read(ctx)
	var caseIDs, ideaIDs, commentIDs, challengeIDs, authorIDs []int64
	for i, r := range rows {
		out[i] = r.domain()
		caseIDs = append(caseIDs, r.ID)
		challengeIDs = append(challengeIDs, r.ChallengeID)
		authorIDs = append(authorIDs, r.ParticipantID)
		if r.TargetType == string(gs.TargetIdea) {
			ideaIDs = append(ideaIDs, r.TargetID)
		} else {
			commentIDs = append(commentIDs, r.TargetID)
		}
	}
	var slugs []struct {
		ID           int64
		Slug, Title  string
		StockReasons string
	}
	if err := db.Raw("SELECT id, slug, title, stock_reasons FROM challenges WHERE id IN ?", challengeIDs).Scan(&slugs).Error; err != nil {
		return nil, wrap(err, "Challenge")
	}
	type content struct {
		ID           int64
		Author       string
		Title        string
		IdeaID       int64
		BodyHTML     string
		BodyMD       string `gorm:"column:body_md"`
		Status       string
		ParentAuthor string
		ParentBody   string
	}
	var ideas, comments []content
	if len(ideaIDs) > 0 {
		if err := db.Raw("SELECT id, author, title, id AS idea_id, body_html, body_md, status FROM ideas WHERE id IN ?", ideaIDs).
			Scan(&ideas).Error; err != nil {
			return nil, wrap(err, "Contribution")
		}
	}
	if len(commentIDs) > 0 {
		if err := db.Raw("SELECT cm.id, cm.author, i.title, i.id AS idea_id, cm.body_html, cm.body_md, cm.status, "+
			"COALESCE(p.author, '') AS parent_author, COALESCE(p.body_html, '') AS parent_body "+
			"FROM comments cm JOIN ideas i ON i.id = cm.idea_id LEFT JOIN comments p ON p.id = cm.parent_id WHERE cm.id IN ?", commentIDs).
			Scan(&comments).Error; err != nil {
			return nil, wrap(err, "Contribution")
		}
	}
	var reports []struct {
		ID        int64
		CaseID    int64
		Reason    string
		Details   string
		CreatedAt time.Time
	}
	if err := db.Raw("SELECT id, case_id, reason, details, created_at FROM reports WHERE case_id IN ? ORDER BY id", caseIDs).
		Scan(&reports).Error; err != nil {
		return nil, wrap(err, "Reports")
	}
	var hidden []struct {
		ID            int64
		ParticipantID int64
		ChallengeID   int64
	}
	if err := db.Raw("SELECT id, participant_id, challenge_id FROM moderation_cases WHERE participant_id IN ? AND outcome = ?",
		authorIDs, string(gs.OutcomeHidden)).Scan(&hidden).Error; err != nil {
		return nil, wrap(err, "History")
	}
	type challengeOf struct {
		slug, title string
		reasons     []string
	}
	slugOf := map[int64]challengeOf{}
	for _, x := range slugs {
		slugOf[x.ID] = challengeOf{x.Slug, x.Title, gs.StockReasons(x.StockReasons)}
	}
	ideaOf, commentOf := map[int64]content{}, map[int64]content{}
	for _, x := range ideas {
		ideaOf[x.ID] = x
	}
	for _, x := range comments {
		commentOf[x.ID] = x
	}
	index := map[int64]int{}
	for i := range out {
		index[out[i].ID] = i
	}
	for _, rp := range reports {
		c := &out[index[rp.CaseID]]
		c.Reports = append(c.Reports, gs.Report{ID: rp.ID, Reason: gs.ReportReason(rp.Reason), Details: rp.Details, CreatedAt: rp.CreatedAt})
	}
	for i := range out {
		c := &out[i]
		ch := slugOf[c.ChallengeID]
		c.ChallengeSlug, c.ChallengeTitle, c.StockReasons = ch.slug, ch.title, ch.reasons
		x := ideaOf[c.TargetID]
		if c.TargetType == gs.TargetComment {
			x = commentOf[c.TargetID]
		}
		c.Author, c.Title, c.IdeaID, c.Status = x.Author, x.Title, x.IdeaID, gs.Status(x.Status)
		c.BodyHTML, c.BodyMD = gs.HTML(x.BodyHTML), x.BodyMD
		c.ParentAuthor, c.ParentBody = x.ParentAuthor, gs.HTML(x.ParentBody)
		for _, h := range hidden {
			if h.ParticipantID == c.ParticipantID && h.ChallengeID == c.ChallengeID && h.ID != c.ID {
				c.PriorHidden++
			}
		}
	}
	return out, nil
}

// OriginalText returns the text a redaction replaced, if it is still kept.
func (s *Store) OriginalText(ctx context.Context, caseID int64) (text, title string, ok bool, err error) {
	var row struct{ OriginalText, OriginalTitle *string }
	if err := s.read(ctx).Raw("SELECT original_text, original_title FROM moderation_cases WHERE id = ?", caseID).Scan(&row).Error; err != nil {
		return "", "", false, wrap(err, "Moderation case")
	}
	if row.OriginalText == nil && row.OriginalTitle == nil {
		return "", "", false, nil
	}
	if row.OriginalText != nil {
		text = *row.OriginalText
	}
	if row.OriginalTitle != nil {
		title = *row.OriginalTitle
	}
	return text, title, true, nil
}

// SetOriginal keeps the text a redaction replaced in its case, or removes it (nil).
func (tx *Tx) SetOriginal(caseID int64, original *string) error {
	return wrap(tx.db.Exec("UPDATE moderation_cases SET original_text = ? WHERE id = ?", original, caseID).Error, "Moderation case")
}

// OriginalTitle returns the idea title a redaction replaced, kept in the case, or nil.
func (tx *Tx) OriginalTitle(caseID int64) (*string, error) {
	var t struct{ OriginalTitle *string }
	err := tx.db.Raw("SELECT original_title FROM moderation_cases WHERE id = ?", caseID).Scan(&t).Error
	return t.OriginalTitle, wrap(err, "Moderation case")
}

// SetOriginalTitle keeps (or, with nil, purges) the title a redaction replaced.
func (tx *Tx) SetOriginalTitle(caseID int64, title *string) error {
	return wrap(tx.db.Exec("UPDATE moderation_cases SET original_title = ? WHERE id = ?", title, caseID).Error, "Moderation case")
}

// HiddenDecisions returns, for one challenge, every case a moderator closed by hiding the item,
// with when it opened, when it was decided and the first report's reason, and how many cases
// are open; the service summarises them for the public.
func (s *Store) HiddenDecisions(ctx context.Context, challengeID int64) ([]gs.HiddenDecision, int, error) {
	var rows []struct {
		OpenedAt  time.Time
		DecidedAt *time.Time
		Reason    *string
	}
	err := s.read(ctx).Raw("SELECT mc.opened_at, mc.decided_at, "+
		"(SELECT r.reason FROM reports r WHERE r.case_id = mc.id ORDER BY r.id LIMIT 1) AS reason "+
		"FROM moderation_cases mc WHERE mc.challenge_id = ? AND mc.outcome = ?", challengeID, string(gs.OutcomeHidden)).Scan(&rows).Error
	if err != nil {
		return nil, 0, wrap(err, "Transparency")
	}
	out := make([]gs.HiddenDecision, len(rows))
	for i, r := range rows {
		out[i] = gs.HiddenDecision{OpenedAt: r.OpenedAt, DecidedAt: r.DecidedAt}
		if r.Reason != nil {
			out[i].Reason = gs.ReportReason(*r.Reason)
		}
	}
	var open int64
	if err := s.read(ctx).Raw("SELECT COUNT(*) FROM moderation_cases WHERE challenge_id = ? AND state = ?", challengeID, string(gs.CaseOpen)).
		Scan(&open).Error; err != nil {
		return nil, 0, wrap(err, "Transparency")
	}
	return out, int(open), nil
}

// ModerationSettings are a challenge's moderation and anti-herding settings as stored.
type ModerationSettings struct {
	ReportThreshold      int
	Premoderate          bool
	HideCountsUntilVoted bool
	HeldWords            string
	// StandingMinutes is how long a browser must be known before its reports can hide
	// anything (with a vote or post in the challenge); 0 turns the standing rule off.
	StandingMinutes int
	// StockReasons are the reasons moderators pick from, one per line (see gs.StockReasons).
	StockReasons string
}

// SetModerationSettings stores a challenge's moderation settings.
func (tx *Tx) SetModerationSettings(challengeID int64, m ModerationSettings) error {
	res := tx.db.Model(&challengeRow{}).Where("id = ?", challengeID).Updates(map[string]any{
		"report_threshold": m.ReportThreshold, "premoderate": m.Premoderate,
		"hide_counts_until_voted": m.HideCountsUntilVoted, "held_words": m.HeldWords, "standing_minutes": m.StandingMinutes,
		"stock_reasons": m.StockReasons,
	})
	if res.Error != nil {
		return wrap(res.Error, "Challenge")
	}
	if res.RowsAffected == 0 {
		return gs.Errorf(gs.ENOTFOUND, "Challenge was not found.")
	}
	return nil
}
