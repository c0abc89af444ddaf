package store

import (
	"context"
	"math"
	"strings"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/ranking"
)

// Tally is what a full recompute reads about one idea: its own facts and everything counted
// about it from the votes and comments tables.
type Tally struct {
	ID          int64
	CreatedAt   time.Time
	Impressions int
	Visible     bool
	Up, Down    int
	Comments    int
	Impls       int
	Talk        []ranking.Contribution
	// Stored is what the idea's row holds now, so that only rows that differ are rewritten.
	Stored IdeaScores
}

// Tallies counts, from the votes and comments themselves, everything the stored counters of a
// challenge's ideas should hold. It reads each table once, in storage order, and aggregates in
// memory: a repair tool, not a page.
func (tx *Tx) Tallies(challengeID int64) (map[int64]*Tally, error) {
	db := tx.db
	out := map[int64]*Tally{}
	var ideas []struct {
		ID          int64
		CreatedAt   time.Time
		Impressions int
		Status      string
		IdeaScores  `gorm:"embedded"`
	}
	if err := db.Raw("SELECT id, created_at, impressions, status, up, down, comments, implementations, score, hot, controversy, "+
		"fair, discussion, gathering FROM ideas WHERE challenge_id = ?", challengeID).Scan(&ideas).Error; err != nil {
		return nil, wrap(err, "Ideas")
	}
	for _, i := range ideas {
		stored := i.IdeaScores
		stored.ID = i.ID
		out[i.ID] = &Tally{ID: i.ID, CreatedAt: i.CreatedAt, Impressions: i.Impressions, Visible: i.Status == string(gs.StatusVisible), Stored: stored}
	}
	// Counted in SQL along the primary key (idea, participant), which holds the value too.
	var votes []struct {
		IdeaID   int64
		Up, Down int
	}
	if err := db.Raw("SELECT idea_id, SUM(CASE WHEN value > 0 THEN 1 ELSE 0 END) AS up, SUM(CASE WHEN value < 0 THEN 1 ELSE 0 END) AS down " +
		"FROM idea_votes WHERE NOT discounted GROUP BY idea_id").Scan(&votes).Error; err != nil {
		return nil, wrap(err, "Votes")
	}
	for _, v := range votes {
		if t := out[v.IdeaID]; t != nil {
			t.Up, t.Down = v.Up, v.Down
		}
	}
	crows, err := db.Raw("SELECT idea_id, kind, created_at FROM comments WHERE status = ?", string(gs.StatusVisible)).Rows()
	if err != nil {
		return nil, wrap(err, "Comments")
	}
	defer crows.Close()
	for crows.Next() {
		var id int64
		var kind string
		var at time.Time
		if err := crows.Scan(&id, &kind, &at); err != nil {
			return nil, wrap(err, "Comments")
		}
		if t := out[id]; t != nil {
			impl := kind == string(gs.KindImplementation)
			t.Comments++
			if impl {
				t.Impls++
			}
			t.Talk = append(t.Talk, ranking.Contribution{Implementation: impl, At: at})
		}
	}
	return out, wrap(crows.Err(), "Comments")
}

// IdeaScores are every stored counter and score of one idea.
type IdeaScores struct {
	ID                                        int64
	Up, Down, Comments, Implementations       int
	Score, Hot, Controversy, Fair, Discussion float64
	Gathering                                 bool
}

// Differs reports whether a recomputed row must be written: any counter changed, or any score
// moved by more than rounding.
func (a IdeaScores) Differs(b IdeaScores) bool {
	far := func(x, y float64) bool { return math.Abs(x-y) > 1e-9*math.Max(1, math.Abs(x)) }
	return a.Up != b.Up || a.Down != b.Down || a.Comments != b.Comments || a.Implementations != b.Implementations ||
		a.Gathering != b.Gathering || far(a.Score, b.Score) || far(a.Hot, b.Hot) || far(a.Controversy, b.Controversy) ||
		far(a.Fair, b.Fair) || far(a.Discussion, b.Discussion)
}

// UpdateIdeaScores writes many ideas' counters and scores, a few hundred to a statement; rows
// in id order touch the table's pages in order.
func (tx *Tx) UpdateIdeaScores(rows []IdeaScores) error {
	const perRow = 11
	tuple := "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	if tx.s.dialect == Postgres { // parameters in VALUES carry no type on PostgreSQL
		tuple = "(?::bigint, ?::integer, ?::integer, ?::integer, ?::integer, ?::float8, ?::float8, ?::float8, ?::float8, ?::float8, ?::boolean)"
	}
	const batch = 2000
	for start := 0; start < len(rows); start += batch {
		chunk := rows[start:min(start+batch, len(rows))]
		args := make([]any, 0, len(chunk)*perRow)
		for _, r := range chunk {
			args = append(args, r.ID, r.Up, r.Down, r.Comments, r.Implementations, r.Score, r.Hot, r.Controversy, r.Fair, r.Discussion, r.Gathering)
		}
		q := "WITH v (id, up, down, comments, implementations, score, hot, controversy, fair, discussion, gathering) AS (VALUES " +
			strings.TrimSuffix(strings.Repeat(tuple+", ", len(chunk)), ", ") + ") " +
			"UPDATE ideas SET up = v.up, down = v.down, comments = v.comments, implementations = v.implementations, score = v.score, " +
			"hot = v.hot, controversy = v.controversy, fair = v.fair, discussion = v.discussion, gathering = v.gathering " +
			"FROM v WHERE ideas.id = v.id"
		if err := tx.db.Exec(q, args...).Error; err != nil {
			return wrap(err, "Ideas")
		}
	}
	return nil
}

// CommentVoteTotals counts the up and down votes of the comments on a challenge's ideas, and
// returns those whose stored counters differ.
func (tx *Tx) CommentVoteTotals(challengeID int64) (map[int64][2]int, error) {
	var rows []struct {
		ID                   int64
		Up, Down             int
		StoredUp, StoredDown int
	}
	err := tx.db.Raw("SELECT c.id, c.up AS stored_up, c.down AS stored_down, "+
		"COALESCE(SUM(CASE WHEN v.value > 0 THEN 1 ELSE 0 END), 0) AS up, COALESCE(SUM(CASE WHEN v.value < 0 THEN 1 ELSE 0 END), 0) AS down "+
		"FROM comments c JOIN ideas i ON i.id = c.idea_id LEFT JOIN comment_votes v ON v.comment_id = c.id "+
		"WHERE i.challenge_id = ? GROUP BY c.id, c.up, c.down", challengeID).Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "Comment votes")
	}
	out := map[int64][2]int{}
	for _, r := range rows {
		if r.Up != r.StoredUp || r.Down != r.StoredDown {
			out[r.ID] = [2]int{r.Up, r.Down}
		}
	}
	return out, nil
}

// UpdateCommentScores writes comments' vote counters and scores.
func (tx *Tx) UpdateCommentScores(totals map[int64][2]int) error {
	for id, t := range totals {
		if err := tx.db.Exec("UPDATE comments SET up = ?, down = ?, score = ? WHERE id = ?",
			t[0], t[1], ranking.Wilson(t[0], t[1]), id).Error; err != nil {
			return wrap(err, "Comments")
		}
	}
	return nil
}

// ChallengeIDs lists every challenge, for recomputing them all.
func (s *Store) ChallengeIDs(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.read(ctx).Raw("SELECT id FROM challenges ORDER BY id").Scan(&ids).Error
	return ids, wrap(err, "Challenges")
}

// fairSQL is ranking.Fair written in SQL over an idea's own columns and its challenge's mean
// (alias c), so that a batch update computes it from the values the row holds at that moment,
// never from values read earlier. TestFairSQLMatchesRanking holds the two together.
func (s *Store) fairSQL() (fair, gathering string) {
	greatest := "MAX"
	if s.dialect == Postgres {
		greatest = "GREATEST"
	}
	seen := greatest + "(ideas.impressions, ideas.up + ideas.down)"
	return "(ideas.up + ? * c.fair_mean) / (" + seen + " + ?)", "(" + seen + " < c.gather_min)"
}

// RefreshFair recomputes, in one statement, the fair score and the "gathering votes" mark of the
// given ideas from their current counters and their challenge's current mean.
func (tx *Tx) RefreshFair(ids []int64, prior float64) error {
	if len(ids) == 0 {
		return nil
	}
	fair, gathering := tx.s.fairSQL()
	return wrap(tx.db.Exec("UPDATE ideas SET fair = "+fair+", gathering = "+gathering+
		" FROM challenges c WHERE c.id = ideas.challenge_id AND ideas.id IN ?", prior, prior, ids).Error, "Ideas")
}

// AddImpressionCounts adds each idea's new impressions in one statement.
func (tx *Tx) AddImpressionCounts(ids []int64, counts []int) error {
	if len(ids) == 0 {
		return nil
	}
	tuple := "(?, ?)"
	if tx.s.dialect == Postgres {
		tuple = "(?::bigint, ?::integer)"
	}
	args := make([]any, 0, 2*len(ids))
	for k := range ids {
		args = append(args, ids[k], counts[k])
	}
	q := "WITH v (id, n) AS (VALUES " + strings.TrimSuffix(strings.Repeat(tuple+", ", len(ids)), ", ") + ") " +
		"UPDATE ideas SET impressions = ideas.impressions + v.n FROM v WHERE ideas.id = v.id"
	return wrap(tx.db.Exec(q, args...).Error, "Ideas")
}

// LockChallengeIdeas locks every idea of a challenge for update on PostgreSQL, in id order (the
// order every other writer locks ideas in), so that a recompute reads counters no vote can move
// before it writes them back. SQLite's single writer needs nothing.
func (tx *Tx) LockChallengeIdeas(challengeID int64) error {
	if tx.s.dialect != Postgres {
		return nil
	}
	return wrap(tx.db.Exec("SELECT id FROM ideas WHERE challenge_id = ? ORDER BY id FOR NO KEY UPDATE", challengeID).Error, "Ideas")
}

// FairIDs lists the visible ideas of a challenge in id order, for re-centring its fair scores.
func (s *Store) FairIDs(ctx context.Context, challengeID int64) ([]int64, int, int, error) {
	var ids []int64
	if err := s.read(ctx).Raw("SELECT id FROM ideas WHERE challenge_id = ? AND status = ? ORDER BY id",
		challengeID, string(gs.StatusVisible)).Scan(&ids).Error; err != nil {
		return nil, 0, 0, wrap(err, "Ideas")
	}
	var sums struct{ Up, Seen int }
	greatest := "MAX"
	if s.dialect == Postgres {
		greatest = "GREATEST"
	}
	err := s.read(ctx).Raw("SELECT COALESCE(SUM(up), 0) AS up, COALESCE(SUM("+greatest+"(impressions, up + down)), 0) AS seen "+
		"FROM ideas WHERE challenge_id = ? AND status = ?", challengeID, string(gs.StatusVisible)).Scan(&sums).Error
	return ids, sums.Up, sums.Seen, wrap(err, "Ideas")
}
