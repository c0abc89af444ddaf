package store

import (
	"context"
	"strings"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/ranking"
)

// PairCandidates returns up to limit visible ideas of one question, least compared first, for
// choosing the next pair to offer; the index on (challenge_id, question_id, status,
// comparisons) serves it.
func (s *Store) PairCandidates(ctx context.Context, challengeID, questionID int64, limit int) ([]ranking.Candidate, error) {
	var rows []struct {
		ID          int64
		Comparisons int
	}
	err := s.read(ctx).Raw("SELECT id, comparisons FROM ideas WHERE challenge_id = ? AND question_id = ? AND status = ? "+
		"ORDER BY comparisons, id LIMIT ?", challengeID, questionID, string(gs.StatusVisible), limit).Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "Ideas")
	}
	out := make([]ranking.Candidate, len(rows))
	for i, r := range rows {
		out[i] = ranking.Candidate{ID: r.ID, Comparisons: r.Comparisons}
	}
	return out, nil
}

// Pair is two idea ids, the lower first.
type Pair struct{ Low, High int64 }

// JudgedPairs returns the pairs among ids that a participant has already judged.
func (s *Store) JudgedPairs(ctx context.Context, participantID int64, ids []int64) (map[Pair]bool, error) {
	out := map[Pair]bool{}
	if participantID == 0 || len(ids) < 2 {
		return out, nil
	}
	var rows []Pair
	err := s.read(ctx).Raw("SELECT low_id AS low, high_id AS high FROM pair_votes WHERE participant_id = ? AND low_id IN ? AND high_id IN ?",
		participantID, ids, ids).Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "Comparisons")
	}
	for _, p := range rows {
		out[p] = true
	}
	return out, nil
}

// InsertPairVote records one participant's judgement of a pair: the winner, or 0 for "can't
// decide". It reports false, changing nothing, when the participant judged the pair before.
func (tx *Tx) InsertPairVote(challengeID, participantID int64, p Pair, winner int64) (bool, error) {
	var w *int64
	if winner != 0 {
		w = &winner
	}
	res := tx.db.Exec("INSERT INTO pair_votes (challenge_id, participant_id, low_id, high_id, winner_id) VALUES (?, ?, ?, ?, ?) "+
		"ON CONFLICT (participant_id, low_id, high_id) DO NOTHING", challengeID, participantID, p.Low, p.High, w)
	if res.Error != nil {
		return false, wrap(res.Error, "Comparison")
	}
	return res.RowsAffected == 1, nil
}

// AddComparison counts one more comparison that showed both ideas of p.
func (tx *Tx) AddComparison(p Pair) error {
	return wrap(tx.db.Exec("UPDATE ideas SET comparisons = comparisons + 1 WHERE id IN (?, ?)", p.Low, p.High).Error, "Ideas")
}

// Judgement is one decided comparison, for fitting strengths.
type Judgement struct{ Winner, Loser int64 }

// Judgements returns every decided comparison in a challenge between ideas that are still
// visible; "can't decide" is left out.
func (s *Store) Judgements(ctx context.Context, challengeID int64) ([]Judgement, error) {
	var rows []struct{ Low, High, Winner int64 }
	err := s.read(ctx).Raw("SELECT p.low_id AS low, p.high_id AS high, p.winner_id AS winner FROM pair_votes p "+
		"JOIN ideas a ON a.id = p.low_id JOIN ideas b ON b.id = p.high_id "+
		"WHERE p.challenge_id = ? AND p.winner_id IS NOT NULL AND a.status = ? AND b.status = ?",
		challengeID, string(gs.StatusVisible), string(gs.StatusVisible)).Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "Comparisons")
	}
	out := make([]Judgement, len(rows))
	for i, r := range rows {
		if r.Winner == r.Low {
			out[i] = Judgement{Winner: r.Low, Loser: r.High}
		} else {
			out[i] = Judgement{Winner: r.High, Loser: r.Low}
		}
	}
	return out, nil
}

// ComparedChallenges lists the challenges that have any comparison, for refitting them all.
func (s *Store) ComparedChallenges(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.read(ctx).Raw("SELECT DISTINCT challenge_id FROM pair_votes").Scan(&ids).Error
	return ids, wrap(err, "Comparisons")
}

// UpdatePairStrengths writes many ideas' pairwise results in one statement; callers keep the
// batches short and in id order.
func (tx *Tx) UpdatePairStrengths(ids []int64, st []ranking.Strength) error {
	if len(ids) == 0 {
		return nil
	}
	tuple := "(?, ?, ?, ?)"
	if tx.s.dialect == Postgres {
		tuple = "(?::bigint, ?::float8, ?::float8, ?::float8)"
	}
	args := make([]any, 0, 4*len(ids))
	for k := range ids {
		args = append(args, ids[k], st[k].Chance, st[k].Low, st[k].High)
	}
	q := "WITH v (id, chance, low, high) AS (VALUES " + strings.TrimSuffix(strings.Repeat(tuple+", ", len(ids)), ", ") + ") " +
		"UPDATE ideas SET pair_chance = v.chance, pair_low = v.low, pair_high = v.high FROM v WHERE ideas.id = v.id"
	return wrap(tx.db.Exec(q, args...).Error, "Ideas")
}
