package store

import (
	"context"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// Voice returns the participant id of h for a write in a challenge, creating the participant on
// their first write, after the invite rule: in an invite-only challenge they must have joined.
func (tx *Tx) Voice(h gs.TokenHash, challengeID int64, access gs.AccessMode) (int64, error) {
	pid, err := tx.Participant(h)
	if err != nil || access != gs.AccessInvite {
		return pid, err
	}
	member, err := tx.isMember(challengeID, pid)
	if err != nil {
		return 0, err
	}
	return pid, gs.CheckVoice(access, member)
}

func (tx *Tx) isMember(challengeID, participantID int64) (bool, error) {
	var n int
	err := tx.db.Raw("SELECT 1 FROM challenge_members WHERE challenge_id = ? AND participant_id = ?", challengeID, participantID).Scan(&n).Error
	return n == 1, wrap(err, "Membership")
}

// IsMember reports whether the participant with token hash h redeemed a code for a challenge.
func (s *Store) IsMember(ctx context.Context, challengeID int64, h gs.TokenHash) (bool, error) {
	if h == "" {
		return false, nil
	}
	var n int
	err := s.read(ctx).Raw("SELECT 1 FROM challenge_members m JOIN participants p ON p.id = m.participant_id "+
		"WHERE m.challenge_id = ? AND p.token_hash = ?", challengeID, string(h)).Scan(&n).Error
	return n == 1, wrap(err, "Membership")
}

// ChallengeSetup is a challenge's editable set-up, as the service has checked it.
type ChallengeSetup struct {
	Title, Slug, BriefMD, BriefHTML string
	Access                          gs.AccessMode
	ReadWithoutCode                 bool
	HideCountsUntilVoted            bool
	SharedDevices                   bool
	Schedule                        gs.Schedule
	RetentionDays                   int
	StaffGroups, Regions            string
}

// UpdateChallenge saves a challenge's set-up.
func (tx *Tx) UpdateChallenge(id int64, in ChallengeSetup) error {
	err := tx.db.Exec("UPDATE challenges SET title = ?, slug = ?, brief_md = ?, brief_html = ?, access_mode = ?, read_without_code = ?, "+
		"hide_counts_until_voted = ?, shared_devices = ?, opens_at = ?, voting_at = ?, review_at = ?, retention_days = ?, staff_groups = ?, regions = ? WHERE id = ?",
		in.Title, in.Slug, in.BriefMD, in.BriefHTML, string(in.Access), in.ReadWithoutCode, in.HideCountsUntilVoted, in.SharedDevices,
		in.Schedule.OpensAt, in.Schedule.VotingAt, in.Schedule.ReviewAt, in.RetentionDays, in.StaffGroups, in.Regions, id).Error
	return wrap(err, "A challenge with this web address")
}

// SetPhase moves a challenge to phase inside a write, with when it ended (nil while it runs).
func (tx *Tx) SetPhase(id int64, phase gs.Phase, endedAt *time.Time) error {
	return wrap(tx.db.Exec("UPDATE challenges SET phase = ?, ended_at = ? WHERE id = ?", string(phase), endedAt, id).Error, "Challenge")
}

// SetupParts returns a challenge's questions and themes by id, each with whether ideas use it,
// for the editing rule (gs.CheckSetupEdit).
func (tx *Tx) SetupParts(challengeID int64) (gs.SetupParts, error) {
	parts := gs.SetupParts{Questions: map[int64]bool{}, Themes: map[int64]bool{}}
	for _, p := range []struct {
		table, column string
		into          map[int64]bool
	}{{"questions", "question_id", parts.Questions}, {"themes", "theme_id", parts.Themes}} {
		var rows []struct {
			ID   int64
			Used bool
		}
		if err := tx.db.Raw("SELECT t.id, EXISTS (SELECT 1 FROM ideas WHERE "+p.column+" = t.id) AS used FROM "+p.table+" t WHERE t.challenge_id = ?",
			challengeID).Scan(&rows).Error; err != nil {
			return parts, wrap(err, "Challenge")
		}
		for _, r := range rows {
			p.into[r.ID] = r.Used
		}
	}
	return parts, nil
}

// SetQuestions makes a challenge's questions the given ones, in order: those with an id are
// renamed, those without are added, and existing ones missing from the list (or left without a
// title) are deleted. The caller has applied gs.CheckSetupEdit.
func (tx *Tx) SetQuestions(challengeID int64, qs []gs.QuestionForm) error {
	keep := []int64{0}
	for _, q := range qs {
		if q.ID != 0 && q.Title != "" {
			keep = append(keep, q.ID)
		}
	}
	if err := tx.db.Exec("DELETE FROM questions WHERE challenge_id = ? AND id NOT IN ?", challengeID, keep).Error; err != nil {
		return wrap(err, "Questions")
	}
	// Positions are unique per challenge: move the kept ones out of the way first.
	if err := tx.db.Exec("UPDATE questions SET position = -position WHERE challenge_id = ?", challengeID).Error; err != nil {
		return wrap(err, "Questions")
	}
	pos := 0
	for _, q := range qs {
		if q.Title == "" {
			continue
		}
		pos++
		var err error
		if q.ID != 0 {
			err = tx.db.Exec("UPDATE questions SET title = ?, prompt = ?, position = ? WHERE id = ? AND challenge_id = ?",
				q.Title, q.Prompt, pos, q.ID, challengeID).Error
		} else {
			err = tx.db.Create(&questionRow{ChallengeID: challengeID, Position: pos, Title: q.Title, Prompt: q.Prompt}).Error
		}
		if err != nil {
			return wrap(err, "Questions")
		}
	}
	return nil
}

// SetThemes applies a challenge's edited themes: one with an id and a name is renamed, one with
// an id and no name is deleted, and one without an id is added. The caller has applied
// gs.CheckSetupEdit.
func (tx *Tx) SetThemes(challengeID int64, themes []gs.Theme) error {
	for _, t := range themes {
		var err error
		switch {
		case t.ID != 0 && t.Name != "":
			err = tx.db.Exec("UPDATE themes SET name = ? WHERE id = ? AND challenge_id = ?", t.Name, t.ID, challengeID).Error
		case t.ID != 0:
			err = tx.db.Exec("DELETE FROM themes WHERE id = ? AND challenge_id = ?", t.ID, challengeID).Error
		default:
			err = tx.db.Create(&themeRow{ChallengeID: challengeID, Slug: t.Slug, Name: t.Name}).Error
		}
		if err != nil {
			return wrap(err, "A theme with this name")
		}
	}
	return nil
}

// DueChallenges lists the challenges whose schedule names a time at or before now while they
// are still in a phase a schedule can move on from.
func (s *Store) DueChallenges(ctx context.Context, now time.Time) ([]gs.Challenge, error) {
	var rows []challengeRow
	err := s.read(ctx).Where("phase IN ? AND (opens_at <= ? OR voting_at <= ? OR review_at <= ?)",
		[]string{string(gs.PhaseDraft), string(gs.PhaseOpen), string(gs.PhaseVoting)}, now, now, now).Find(&rows).Error
	if err != nil {
		return nil, wrap(err, "Challenges")
	}
	out := make([]gs.Challenge, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// InviteBatch is a set of invite codes minted at once, with how many have been spent.
type InviteBatch struct {
	ID          int64
	ChallengeID int64
	Size, Spent int
	Label       string
	CreatedOn   time.Time
}

// CreateInviteBatch records a batch, filling in its id.
func (tx *Tx) CreateInviteBatch(b *InviteBatch) error {
	row := struct {
		ID          int64 `gorm:"primaryKey"`
		ChallengeID int64
		Size        int
		Label       string
		CreatedOn   time.Time
	}{ChallengeID: b.ChallengeID, Size: b.Size, Label: b.Label, CreatedOn: b.CreatedOn}
	if err := tx.db.Table("invite_batches").Create(&row).Error; err != nil {
		return wrap(err, "Invite codes")
	}
	b.ID = row.ID
	return nil
}

// InsertInviteCodes stores the keyed hashes of a batch's codes.
func (tx *Tx) InsertInviteCodes(batchID, challengeID int64, hashes []string) error {
	type codeRow struct {
		CodeHash    string
		BatchID     int64
		ChallengeID int64
	}
	rows := make([]codeRow, len(hashes))
	for i, h := range hashes {
		rows[i] = codeRow{CodeHash: h, BatchID: batchID, ChallengeID: challengeID}
	}
	return wrap(tx.db.Table("invite_codes").CreateInBatches(rows, 500).Error, "Invite codes")
}

// InviteCodeChallenge returns the challenge of the unspent code with this hash, or 0.
func (tx *Tx) InviteCodeChallenge(hash string) (int64, error) {
	var id int64
	err := tx.db.Raw("SELECT challenge_id FROM invite_codes WHERE code_hash = ?", hash).Scan(&id).Error
	return id, wrap(err, "Invite code")
}

// SlugTaken reports whether a challenge other than id has this slug.
func (tx *Tx) SlugTaken(slug string, id int64) (bool, error) {
	var n int
	err := tx.db.Raw("SELECT 1 FROM challenges WHERE slug = ? AND id <> ?", slug, id).Scan(&n).Error
	return n == 1, wrap(err, "Challenge")
}

// ThemeSlugs lists the slugs a challenge's themes use.
func (tx *Tx) ThemeSlugs(challengeID int64) ([]string, error) {
	var out []string
	err := tx.db.Raw("SELECT slug FROM themes WHERE challenge_id = ?", challengeID).Scan(&out).Error
	return out, wrap(err, "Themes")
}

// SpendInviteCode deletes the code with this hash, returning its challenge, or 0 when there is
// no such unspent code. Only the batch's count of spent codes remembers it.
func (tx *Tx) SpendInviteCode(hash string) (int64, error) {
	var spent struct{ BatchID, ChallengeID int64 }
	if err := tx.db.Raw("DELETE FROM invite_codes WHERE code_hash = ? RETURNING batch_id, challenge_id", hash).Scan(&spent).Error; err != nil {
		return 0, wrap(err, "Invite code")
	}
	if spent.ChallengeID == 0 {
		return 0, nil
	}
	if err := tx.db.Exec("UPDATE invite_batches SET spent = spent + 1 WHERE id = ?", spent.BatchID).Error; err != nil {
		return 0, wrap(err, "Invite code")
	}
	return spent.ChallengeID, nil
}

// AddMember gives a participant a voice in a challenge; joining twice changes nothing.
func (tx *Tx) AddMember(challengeID, participantID int64) (bool, error) {
	res := tx.db.Exec("INSERT INTO challenge_members (challenge_id, participant_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
		challengeID, participantID)
	return res.RowsAffected == 1, wrap(res.Error, "Membership")
}

// IsMemberTx reports, inside a write, whether a participant has a voice in a challenge.
func (tx *Tx) IsMemberTx(challengeID, participantID int64) (bool, error) {
	return tx.isMember(challengeID, participantID)
}

// InviteBatches lists a challenge's batches, newest first.
func (s *Store) InviteBatches(ctx context.Context, challengeID int64) ([]InviteBatch, error) {
	var out []InviteBatch
	err := s.read(ctx).Raw("SELECT id, challenge_id, size, spent, label, created_on FROM invite_batches WHERE challenge_id = ? ORDER BY id DESC",
		challengeID).Scan(&out).Error
	return out, wrap(err, "Invite codes")
}

// InviteBatch returns one batch of a challenge.
func (s *Store) InviteBatch(ctx context.Context, challengeID, id int64) (*InviteBatch, error) {
	var b InviteBatch
	err := s.read(ctx).Raw("SELECT id, challenge_id, size, spent, label, created_on FROM invite_batches WHERE challenge_id = ? AND id = ?",
		challengeID, id).Scan(&b).Error
	if err != nil {
		return nil, wrap(err, "Invite codes")
	}
	if b.ID == 0 {
		return nil, gs.Errorf(gs.ENOTFOUND, "There is no batch of invite codes number %d in this challenge.", id)
	}
	return &b, nil
}

// MemberCount is how many participants hold a voice in a challenge, for the admin's page.
func (s *Store) MemberCount(ctx context.Context, challengeID int64) (int, error) {
	var n int
	err := s.read(ctx).Raw("SELECT COALESCE(SUM(spent), 0) FROM invite_batches WHERE challenge_id = ?", challengeID).Scan(&n).Error
	return n, wrap(err, "Invite codes")
}
