package store

import (
	"context"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// AddIdeaCount moves the count of visible ideas of one challenge, question and theme (0 for
// none) by delta. Every change of an idea's visibility calls it in the same transaction.
func (tx *Tx) AddIdeaCount(challengeID, questionID, themeID int64, delta int) error {
	if delta == 0 {
		return nil
	}
	return wrap(tx.db.Exec("INSERT INTO idea_counts (challenge_id, question_id, theme_id, visible) VALUES (?, ?, ?, ?) "+
		"ON CONFLICT (challenge_id, question_id, theme_id) DO UPDATE SET visible = idea_counts.visible + excluded.visible",
		challengeID, questionID, themeID, delta).Error, "Idea counts")
}

// RebuildIdeaCounts counts a challenge's visible ideas again from the ideas themselves, for a
// bulk writer and for repair.
func (tx *Tx) RebuildIdeaCounts(challengeID int64) error {
	if err := tx.db.Exec("DELETE FROM idea_counts WHERE challenge_id = ?", challengeID).Error; err != nil {
		return wrap(err, "Idea counts")
	}
	return wrap(tx.db.Exec("INSERT INTO idea_counts (challenge_id, question_id, theme_id, visible) "+
		"SELECT challenge_id, question_id, COALESCE(theme_id, 0), COUNT(*) FROM ideas WHERE challenge_id = ? AND status = ? "+
		"GROUP BY challenge_id, question_id, COALESCE(theme_id, 0)", challengeID, string(gs.StatusVisible)).Error, "Idea counts")
}

// visibleCount reads how many visible ideas a list without search text holds, from the counts
// (a few rows per challenge), never by counting ideas.
func (s *Store) visibleCount(ctx context.Context, q gs.IdeaQuery) (int, error) {
	db := s.read(ctx).Table("idea_counts").Where("challenge_id = ?", q.ChallengeID)
	if q.QuestionID != 0 {
		db = db.Where("question_id = ?", q.QuestionID)
	}
	if q.ThemeID != 0 {
		db = db.Where("theme_id = ?", q.ThemeID)
	}
	var n int64
	err := db.Select("COALESCE(SUM(visible), 0)").Scan(&n).Error
	return int(n), wrap(err, "Idea counts")
}
