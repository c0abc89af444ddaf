package store

import (
	"context"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

type activityRow struct {
	ChallengeID                                                    int64
	Day                                                            time.Time
	Contributors, Ideas, Comments, Implementations, Votes, Reports int
}

// SnapshotActivity records a challenge's running totals as those of day: its contributors (the
// pseudonyms it has given out), visible ideas, comments and implementation suggestions on them,
// votes on them, and reports.
func (s *Store) SnapshotActivity(ctx context.Context, challengeID int64, day time.Time) error {
	r := activityRow{ChallengeID: challengeID, Day: day}
	ideas, err := s.visibleCount(ctx, gs.IdeaQuery{ChallengeID: challengeID})
	if err != nil {
		return err
	}
	r.Ideas = ideas
	// One pass over the challenge's ideas for the three sums (0.4 s at 250,000 ideas, every ten
	// minutes, on a reader), then the two counts. Each scan fills a struct of its own: a scan
	// resets the fields its query does not name.
	var sums struct{ Comments, Implementations, Votes int }
	var counts struct{ Contributors, Reports int }
	err = s.read(ctx).Raw("SELECT COALESCE(SUM(comments), 0) AS comments, COALESCE(SUM(implementations), 0) AS implementations, "+
		"COALESCE(SUM(up + down), 0) AS votes FROM ideas WHERE challenge_id = ? AND status = 'visible'", challengeID).Scan(&sums).Error
	if err == nil {
		err = s.read(ctx).Raw("SELECT (SELECT COUNT(*) FROM aliases WHERE challenge_id = ?) AS contributors, "+
			"(SELECT COUNT(*) FROM reports r JOIN moderation_cases mc ON mc.id = r.case_id WHERE mc.challenge_id = ?) AS reports",
			challengeID, challengeID).Scan(&counts).Error
	}
	r.Comments, r.Implementations, r.Votes = sums.Comments, sums.Implementations, sums.Votes
	r.Contributors, r.Reports = counts.Contributors, counts.Reports
	if err != nil {
		return wrap(err, "Activity")
	}
	r.ChallengeID, r.Day, r.Ideas = challengeID, day, ideas
	return s.Write(ctx, func(tx *Tx) error {
		return wrap(tx.db.Exec("INSERT INTO activity_daily (challenge_id, day, contributors, ideas, comments, implementations, votes, reports) "+
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (challenge_id, day) DO UPDATE SET contributors = excluded.contributors, "+
			"ideas = excluded.ideas, comments = excluded.comments, implementations = excluded.implementations, votes = excluded.votes, "+
			"reports = excluded.reports", r.ChallengeID, r.Day, r.Contributors, r.Ideas, r.Comments, r.Implementations, r.Votes, r.Reports).Error,
			"Activity")
	})
}

// ActivityDays returns a challenge's daily running totals from since onwards, oldest first.
func (s *Store) ActivityDays(ctx context.Context, challengeID int64, since time.Time) ([]gs.DayTotals, error) {
	var rows []activityRow
	if err := s.read(ctx).Raw("SELECT * FROM activity_daily WHERE challenge_id = ? AND day >= ? ORDER BY day", challengeID, since).
		Scan(&rows).Error; err != nil {
		return nil, wrap(err, "Activity")
	}
	out := make([]gs.DayTotals, len(rows))
	for i, r := range rows {
		out[i] = gs.DayTotals{Day: r.Day, Contributors: r.Contributors, Ideas: r.Ideas, Comments: r.Comments,
			Implementations: r.Implementations, Votes: r.Votes, Reports: r.Reports}
	}
	return out, nil
}

// IdeaBreakdown counts a challenge's visible ideas per question and per theme (0: none), from
// the kept counts.
func (s *Store) IdeaBreakdown(ctx context.Context, challengeID int64) (byQuestion, byTheme map[int64]int, err error) {
	var rows []struct {
		QuestionID, ThemeID int64
		Visible             int
	}
	if err := s.read(ctx).Raw("SELECT question_id, theme_id, visible FROM idea_counts WHERE challenge_id = ?", challengeID).
		Scan(&rows).Error; err != nil {
		return nil, nil, wrap(err, "Idea counts")
	}
	byQuestion, byTheme = map[int64]int{}, map[int64]int{}
	for _, r := range rows {
		byQuestion[r.QuestionID] += r.Visible
		byTheme[r.ThemeID] += r.Visible
	}
	return byQuestion, byTheme, nil
}

// SelfDescriptions returns how many people gave each staff group and each region in a
// challenge. The callers apply the small-group rule before anything is shown.
func (s *Store) SelfDescriptions(ctx context.Context, challengeID int64) (groups, regions []gs.GroupCount, err error) {
	var rows []struct {
		StaffGroup, Region string
		People             int
	}
	if err := s.read(ctx).Raw("SELECT staff_group, region, people FROM self_descriptions WHERE challenge_id = ?", challengeID).
		Scan(&rows).Error; err != nil {
		return nil, nil, wrap(err, "Self-descriptions")
	}
	g, r := map[string]int{}, map[string]int{}
	for _, row := range rows {
		g[row.StaffGroup] += row.People
		r[row.Region] += row.People
	}
	for name, n := range g {
		if name != "" { // "" is a question left unanswered
			groups = append(groups, gs.GroupCount{Name: name, Count: n})
		}
	}
	for name, n := range r {
		if name != "" {
			regions = append(regions, gs.GroupCount{Name: name, Count: n})
		}
	}
	return groups, regions, nil
}

// Describe counts a participant's answers about themselves once per challenge. It reports false,
// changing nothing, when they had answered before.
func (tx *Tx) Describe(challengeID, participantID int64, group, region string) (bool, error) {
	res := tx.db.Exec("INSERT INTO self_described (challenge_id, participant_id) VALUES (?, ?) ON CONFLICT DO NOTHING", challengeID, participantID)
	if res.Error != nil || res.RowsAffected == 0 {
		return false, wrap(res.Error, "Self-description")
	}
	err := tx.db.Exec("INSERT INTO self_descriptions (challenge_id, staff_group, region, people) VALUES (?, ?, ?, 1) "+
		"ON CONFLICT (challenge_id, staff_group, region) DO UPDATE SET people = self_descriptions.people + 1", challengeID, group, region).Error
	return true, wrap(err, "Self-description")
}

// HasDescribed reports whether the participant with token hash h has answered in a challenge.
func (s *Store) HasDescribed(ctx context.Context, challengeID int64, h gs.TokenHash) (bool, error) {
	if h == "" {
		return false, nil
	}
	var n int
	err := s.read(ctx).Raw("SELECT 1 FROM self_described d JOIN participants p ON p.id = d.participant_id "+
		"WHERE d.challenge_id = ? AND p.token_hash = ?", challengeID, string(h)).Scan(&n).Error
	return n == 1, wrap(err, "Self-description")
}

// SetDescribeChoices saves the answers a challenge offers for self-description.
func (tx *Tx) SetDescribeChoices(challengeID int64, groups, regions string) error {
	return wrap(tx.db.Exec("UPDATE challenges SET staff_groups = ?, regions = ? WHERE id = ?", groups, regions, challengeID).Error, "Challenge")
}
