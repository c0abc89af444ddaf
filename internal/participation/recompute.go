package participation

import (
	"cmp"
	"context"
	"math"
	"slices"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/ranking"
	"github.com/groundswell/groundswell/internal/store"
)

// Recompute rebuilds every stored counter and score of one challenge from the votes, comments
// and judgements themselves, and re-centres its fair prior on its current mean: the repair
// behind `groundswell rank recompute`. It reads and writes in one transaction with the
// challenge's ideas locked, so a vote cast meanwhile waits rather than being overwritten; on
// SQLite that holds the writer for a few seconds on a very large challenge. Impressions are not
// rebuilt (no record of them is kept beyond the counter).
func (s *Service) Recompute(ctx context.Context, challengeID int64) error {
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := tx.LockChallengeForUpdate(challengeID)
		if err != nil {
			return err
		}
		if err := tx.LockChallengeIdeas(challengeID); err != nil {
			return err
		}
		tallies, err := tx.Tallies(challengeID)
		if err != nil {
			return err
		}
		var up, seen int
		for _, t := range tallies {
			if t.Visible {
				up += t.Up
				seen += max(t.Impressions, t.Up+t.Down)
			}
		}
		mean := ranking.MeanRate(up, seen, c.FairMean)
		var rows []store.IdeaScores
		for _, t := range tallies {
			if sc := Scores(t, mean, c.GatherMin); sc.Differs(t.Stored) {
				rows = append(rows, sc)
			}
		}
		slices.SortFunc(rows, func(a, b store.IdeaScores) int { return cmp.Compare(a.ID, b.ID) })
		comments, err := tx.CommentVoteTotals(challengeID)
		if err != nil {
			return err
		}
		if err := tx.SetFairMean(challengeID, mean); err != nil {
			return err
		}
		if err := tx.RebuildIdeaCounts(challengeID); err != nil {
			return err
		}
		if err := tx.UpdateIdeaScores(rows); err != nil {
			return err
		}
		return tx.UpdateCommentScores(comments)
	})
	if err != nil {
		return err
	}
	return s.RefitPairwise(ctx, challengeID)
}

// Scores computes every stored score of an idea from its tally, with the functions the live
// path uses, so a recompute and the live path always agree.
func Scores(t *store.Tally, mean float64, gatherMin int) store.IdeaScores {
	return store.IdeaScores{
		ID: t.ID, Up: t.Up, Down: t.Down, Comments: t.Comments, Implementations: t.Impls,
		Score: ranking.Wilson(t.Up, t.Down), Hot: ranking.Hot(t.Up, t.Down, t.CreatedAt),
		Controversy: ranking.Controversy(t.Up, t.Down),
		Fair:        ranking.Fair(t.Up, t.Down, t.Impressions, mean, ranking.FairPrior),
		Discussion:  ranking.Discussion(t.Talk),
		Gathering:   ranking.Gathering(t.Up, t.Down, t.Impressions, gatherMin),
	}
}

// RecomputeAll runs Recompute on every challenge, telling progress how far it has come.
func (s *Service) RecomputeAll(ctx context.Context, progress func(done, total int)) error {
	ids, err := s.store.ChallengeIDs(ctx)
	if err != nil {
		return err
	}
	for k, id := range ids {
		if err := s.Recompute(ctx, id); err != nil {
			return gs.Internal("recompute challenge", err)
		}
		if progress != nil {
			progress(k+1, len(ids))
		}
	}
	return nil
}

// meanDrift is how far a challenge's mean up-votes per impression may move from the centre of
// its fair prior before the prior is re-centred and every fair score rewritten.
const meanDrift = 0.1

// fairBatch is how many fair scores one transaction rewrites, so that re-centring a large
// challenge never holds the writer for long: votes slip in between the batches.
const fairBatch = 4000

// RecentreFair moves a challenge's fair prior to its current mean when the mean has drifted by
// more than a tenth, then rewrites the fair scores in short transactions, each computing the
// score in SQL from the row's counters at that moment, so that no vote is overwritten. It
// reports whether it did.
func (s *Service) RecentreFair(ctx context.Context, challengeID int64) (bool, error) {
	c, err := s.store.ChallengeByID(ctx, challengeID)
	if err != nil {
		return false, err
	}
	ids, up, seen, err := s.store.FairIDs(ctx, challengeID)
	if err != nil {
		return false, err
	}
	mean := ranking.MeanRate(up, seen, c.FairMean)
	if c.FairMean > 0 && math.Abs(mean-c.FairMean) <= meanDrift*c.FairMean {
		return false, nil
	}
	if err := s.store.Write(ctx, func(tx *store.Tx) error { return tx.SetFairMean(challengeID, mean) }); err != nil {
		return false, err
	}
	for start := 0; start < len(ids); start += fairBatch {
		batch := ids[start:min(start+fairBatch, len(ids))]
		if err := s.store.Write(ctx, func(tx *store.Tx) error { return tx.RefreshFair(batch, ranking.FairPrior) }); err != nil {
			return false, err
		}
	}
	return true, nil
}
