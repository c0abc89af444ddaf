package store

import (
	"context"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// MyVotes returns a participant's votes among the items ids of one kind. Callers resolve the
// participant once per request and pass the id; 0 (someone who never wrote) has no votes.
func (s *Store) MyVotes(ctx context.Context, kind gs.TargetKind, participantID int64, ids []int64) (map[int64]gs.VoteValue, error) {
	out := map[int64]gs.VoteValue{}
	if len(ids) == 0 || participantID == 0 {
		return out, nil
	}
	votes, key := voteTable(kind)
	var rows []struct {
		ID    int64
		Value int
	}
	if err := s.read(ctx).Raw("SELECT "+key+" AS id, value FROM "+votes+" WHERE participant_id = ? AND "+key+" IN ?",
		participantID, ids).Scan(&rows).Error; err != nil {
		return nil, wrap(err, "Votes")
	}
	for _, r := range rows {
		out[r.ID] = gs.VoteValue(r.Value)
	}
	return out, nil
}
