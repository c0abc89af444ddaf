package store

import (
	"context"
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
}

// Tallies counts, from the votes and comments themselves, everything the stored counters of a
// challenge's ideas should hold. It reads each table once, in storage order, and aggregates in
// memory: a repair tool, not a page.
func (s *Store) Tallies(ctx context.Context, challengeID int64) (map[int64]*Tally, error) {
	db := s.read(ctx)
	out := map[int64]*Tally{}
	var ideas []struct {
		ID          int64
		CreatedAt   time.Time
		Impressions int
		Status      string
	}
	if err := db.Raw("SELECT id, created_at, impressions, status FROM ideas WHERE challenge_id = ?", challengeID).Scan(&ideas).Error; err != nil {
		return nil, wrap(err, "Ideas")
	}
	for _, i := range ideas {
		out[i.ID] = &Tally{ID: i.ID, CreatedAt: i.CreatedAt, Impressions: i.Impressions, Visible: i.Status == string(gs.StatusVisible)}
	}
	rows, err := db.Raw("SELECT idea_id, value FROM idea_votes").Rows()
	if err != nil {
		return nil, wrap(err, "Votes")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v int
		if err := rows.Scan(&id, &v); err != nil {
			return nil, wrap(err, "Votes")
		}
		if t := out[id]; t != nil {
			if v > 0 {
				t.Up++
			} else {
				t.Down++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "Votes")
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

// UpdateIdeaScores writes many ideas' counters and scores, a few hundred to a statement.
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

// CommentVoteTotals counts the up and down votes of every comment on a challenge's ideas.
func (s *Store) CommentVoteTotals(ctx context.Context, challengeID int64) (map[int64][2]int, error) {
	var rows []struct {
		ID       int64
		Up, Down int
	}
	err := s.read(ctx).Raw("SELECT c.id, "+
		"COALESCE(SUM(CASE WHEN v.value > 0 THEN 1 ELSE 0 END), 0) AS up, COALESCE(SUM(CASE WHEN v.value < 0 THEN 1 ELSE 0 END), 0) AS down "+
		"FROM comments c JOIN ideas i ON i.id = c.idea_id LEFT JOIN comment_votes v ON v.comment_id = c.id "+
		"WHERE i.challenge_id = ? GROUP BY c.id", challengeID).Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "Comment votes")
	}
	out := make(map[int64][2]int, len(rows))
	for _, r := range rows {
		out[r.ID] = [2]int{r.Up, r.Down}
	}
	return out, nil
}

// UpdateCommentScores writes comments' vote counters and scores.
func (tx *Tx) UpdateCommentScores(totals map[int64][2]int) error {
	for id, t := range totals {
		if err := tx.db.Exec("UPDATE comments SET up = ?, down = ?, score = ? WHERE id = ? AND (up <> ? OR down <> ?)",
			t[0], t[1], ranking.Wilson(t[0], t[1]), id, t[0], t[1]).Error; err != nil {
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
