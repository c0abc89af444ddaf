package store

import (
	"context"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// Purged counts what one retention run removed, by kind.
type Purged struct {
	Memberships         int64 `json:"memberships"`
	AnsweredMarks       int64 `json:"self_description_marks"`
	UnusedInviteCodes   int64 `json:"unused_invite_codes"`
	ExpiredSuspensions  int64 `json:"expired_suspensions"`
	DismissedReportText int64 `json:"dismissed_report_details"`
	IdleParticipants    int64 `json:"participants_without_contributions"`
	StaffSessions       int64 `json:"expired_staff_sessions"`
	StaffLinks          int64 `json:"spent_or_expired_staff_links"`
}

// EndedChallenges lists the challenges that have been published or closed, for the retention job
// to check against their retention.
func (s *Store) EndedChallenges(ctx context.Context) ([]gs.Challenge, error) {
	var rows []challengeRow
	if err := s.read(ctx).Where("ended_at IS NOT NULL AND phase IN ?", []string{string(gs.PhasePublished), string(gs.PhaseClosed)}).
		Find(&rows).Error; err != nil {
		return nil, wrap(err, "Challenges")
	}
	out := make([]gs.Challenge, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// PurgeChallenge removes what only served taking part in an ended challenge: who had joined it,
// its unused invite codes, its suspensions that have run out, and the free text of reports a
// moderator dismissed. Contributions, votes, counts and the audit log stay.
func (tx *Tx) PurgeChallenge(challengeID int64, now time.Time, p *Purged) error {
	steps := []struct {
		n   *int64
		sql string
		arg []any
	}{
		{&p.Memberships, "DELETE FROM challenge_members WHERE challenge_id = ?", []any{challengeID}},
		{&p.AnsweredMarks, "DELETE FROM self_described WHERE challenge_id = ?", []any{challengeID}},
		{&p.UnusedInviteCodes, "DELETE FROM invite_codes WHERE challenge_id = ?", []any{challengeID}},
		{&p.ExpiredSuspensions, "DELETE FROM suspensions WHERE challenge_id = ? AND until < ?", []any{challengeID, now}},
		{&p.DismissedReportText, "UPDATE reports SET details = '' WHERE details <> '' AND case_id IN " +
			"(SELECT id FROM moderation_cases WHERE challenge_id = ? AND outcome = ?)", []any{challengeID, string(gs.OutcomeDismissed)}},
	}
	for _, st := range steps {
		res := tx.db.Exec(st.sql, st.arg...)
		if res.Error != nil {
			return wrap(res.Error, "Retention")
		}
		*st.n += res.RowsAffected
	}
	return nil
}

// noContribution is the condition on participants p that nothing refers to them: they wrote,
// voted, compared, reported and joined nothing, and no suspension or pseudonym names them.
const noContribution = "NOT EXISTS (SELECT 1 FROM ideas WHERE participant_id = p.id)" +
	" AND NOT EXISTS (SELECT 1 FROM comments WHERE participant_id = p.id)" +
	" AND NOT EXISTS (SELECT 1 FROM idea_votes WHERE participant_id = p.id)" +
	" AND NOT EXISTS (SELECT 1 FROM comment_votes WHERE participant_id = p.id)" +
	" AND NOT EXISTS (SELECT 1 FROM pair_votes WHERE participant_id = p.id)" +
	" AND NOT EXISTS (SELECT 1 FROM reports WHERE participant_id = p.id)" +
	" AND NOT EXISTS (SELECT 1 FROM moderation_cases WHERE participant_id = p.id)" +
	" AND NOT EXISTS (SELECT 1 FROM suspensions WHERE participant_id = p.id)" +
	" AND NOT EXISTS (SELECT 1 FROM aliases WHERE participant_id = p.id)" +
	" AND NOT EXISTS (SELECT 1 FROM challenge_members WHERE participant_id = p.id)" +
	" AND NOT EXISTS (SELECT 1 FROM self_described WHERE participant_id = p.id)"

// MaxParticipantID is the highest participant id, for walking participants in slices.
func (s *Store) MaxParticipantID(ctx context.Context) (int64, error) {
	var n struct{ N *int64 }
	err := s.read(ctx).Raw("SELECT MAX(id) AS n FROM participants").Scan(&n).Error
	if err != nil || n.N == nil {
		return 0, wrap(err, "Participants")
	}
	return *n.N, nil
}

// PurgeIdleParticipants removes the participant tokens with ids in (after, upTo] that nothing
// refers to any more. On PostgreSQL the candidates are locked first, skipping any a write is
// using this instant, and checked again before they go, so that a vote landing meanwhile is
// never lost with them.
func (tx *Tx) PurgeIdleParticipants(after, upTo int64, p *Purged) error {
	const slice = " p.id > ? AND p.id <= ? AND "
	if tx.s.dialect == Postgres {
		var ids []int64
		if err := tx.db.Raw("SELECT p.id FROM participants p WHERE"+slice+noContribution+" FOR UPDATE SKIP LOCKED", after, upTo).Scan(&ids).Error; err != nil {
			return wrap(err, "Retention")
		}
		if len(ids) == 0 {
			return nil
		}
		res := tx.db.Exec("DELETE FROM participants p WHERE p.id IN ? AND "+noContribution, ids)
		p.IdleParticipants += res.RowsAffected
		return wrap(res.Error, "Retention")
	}
	res := tx.db.Exec("DELETE FROM participants AS p WHERE"+slice+noContribution, after, upTo)
	p.IdleParticipants += res.RowsAffected
	return wrap(res.Error, "Retention")
}

// PurgeStaffAccess removes staff sessions that have ended (idle since idleBefore, or begun
// before startedBefore) and sign-up and invitation links that were used or ran out.
func (tx *Tx) PurgeStaffAccess(now, idleBefore, startedBefore time.Time, p *Purged) error {
	res := tx.db.Exec("DELETE FROM staff_sessions WHERE last_seen_at < ? OR created_at < ?", idleBefore, startedBefore)
	if res.Error != nil {
		return wrap(res.Error, "Retention")
	}
	p.StaffSessions += res.RowsAffected
	for _, table := range []string{"staff_invites", "setup_tokens"} {
		res := tx.db.Exec("DELETE FROM "+table+" WHERE used_at IS NOT NULL OR expires_at < ?", now)
		if res.Error != nil {
			return wrap(res.Error, "Retention")
		}
		p.StaffLinks += res.RowsAffected
	}
	return nil
}

// LastAuditOf returns when action was last audited up to now, or the zero time.
func (s *Store) LastAuditOf(ctx context.Context, action string, now time.Time) (time.Time, error) {
	// ORDER BY … LIMIT 1 rather than MAX: SQLite's aggregate would lose the column's time type.
	var at []time.Time
	err := s.read(ctx).Raw("SELECT at FROM audit_log WHERE action = ? AND at <= ? ORDER BY at DESC LIMIT 1", action, now).Scan(&at).Error
	if err != nil || len(at) == 0 {
		return time.Time{}, wrap(err, "Audit log")
	}
	return at[0], nil
}
