package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/ranking"
)

// voteTarget describes the two votable tables so ideas and comments share one vote path.
type voteTarget struct {
	table     string // ideas or comments
	votes     string // idea_votes or comment_votes
	key       string // idea_id or comment_id
	challenge string // SQL that reaches the challenge row from alias t
	parent    string // SQL for the status of the idea the item belongs to
	noun      string
}

var (
	ideaTarget = voteTarget{
		table: "ideas", votes: "idea_votes", key: "idea_id", noun: "idea",
		challenge: "JOIN challenges c ON c.id = t.challenge_id", parent: "t.status",
	}
	commentTarget = voteTarget{
		table: "comments", votes: "comment_votes", key: "comment_id", noun: "comment",
		challenge: "JOIN ideas i ON i.id = t.idea_id JOIN challenges c ON c.id = i.challenge_id", parent: "i.status",
	}
)

// VoteIdea records the participant's vote on an idea (0 clears it) and returns the new counts.
func (s *Store) VoteIdea(ctx context.Context, ideaID int64, tokenHash string, v gs.VoteValue, allowed PhaseCheck) (gs.VoteResult, error) {
	return s.vote(ctx, ideaTarget, ideaID, tokenHash, v, allowed)
}

// VoteComment records the participant's vote on a comment (0 clears it) and returns the new counts.
func (s *Store) VoteComment(ctx context.Context, commentID int64, tokenHash string, v gs.VoteValue, allowed PhaseCheck) (gs.VoteResult, error) {
	return s.vote(ctx, commentTarget, commentID, tokenHash, v, allowed)
}

// vote applies one vote in a single transaction: the item row is locked first (PostgreSQL) or the
// single writer holds the database (SQLite), so the vote row, the counters and the stored scores
// always agree, however many people vote at once.
func (s *Store) vote(ctx context.Context, t voteTarget, id int64, tokenHash string, v gs.VoteValue, allowed PhaseCheck) (gs.VoteResult, error) {
	var res gs.VoteResult
	err := s.write(ctx, func(tx *gorm.DB) error {
		var item struct {
			ID        int64
			Up, Down  int
			Status    string
			Parent    string
			Phase     string
			Hide      bool
			CreatedAt time.Time
		}
		// The challenge row is not share-locked here: votes are the hottest path, and a vote
		// landing in the instant a phase changes is harmless.
		q := "SELECT t.id, t.up, t.down, t.status, " + t.parent + " AS parent, t.created_at, c.phase, c.hide_counts_until_voted AS hide FROM " +
			t.table + " t " + t.challenge + " WHERE t.id = ?" + s.lockRows("t")
		if err := tx.Raw(q, id).Scan(&item).Error; err != nil {
			return wrap(err, t.noun)
		}
		if item.ID == 0 || item.Status != string(gs.StatusVisible) || item.Parent != string(gs.StatusVisible) {
			return gs.Errorf(gs.ENOTFOUND, "There is no %s number %d.", t.noun, id)
		}
		if err := allowed(gs.Phase(item.Phase)); err != nil {
			return err
		}
		pid, err := participantID(tx, tokenHash)
		if err != nil {
			return err
		}
		var old int
		if err := tx.Raw("SELECT value FROM "+t.votes+" WHERE "+t.key+" = ? AND participant_id = ?", id, pid).
			Scan(&old).Error; err != nil {
			return wrap(err, "Vote")
		}
		res = gs.VoteResult{Up: item.Up, Down: item.Down, Mine: v, CountsHidden: item.Hide && v == 0}
		if gs.VoteValue(old) == v {
			res.Score = ranking.Wilson(res.Up, res.Down)
			return nil // the same vote again changes nothing
		}
		switch {
		case v == 0:
			err = tx.Exec("DELETE FROM "+t.votes+" WHERE "+t.key+" = ? AND participant_id = ?", id, pid).Error
		case old == 0:
			err = tx.Exec("INSERT INTO "+t.votes+" ("+t.key+", participant_id, value) VALUES (?, ?, ?)", id, pid, int(v)).Error
		default:
			err = tx.Exec("UPDATE "+t.votes+" SET value = ? WHERE "+t.key+" = ? AND participant_id = ?", int(v), id, pid).Error
		}
		if err != nil {
			return wrap(err, "Vote")
		}
		res.Up += countOf(int(v), 1) - countOf(old, 1)
		res.Down += countOf(int(v), -1) - countOf(old, -1)
		res.Score = ranking.Wilson(res.Up, res.Down)
		set := map[string]any{"up": res.Up, "down": res.Down, "score": res.Score}
		if t.table == "ideas" {
			set["hot"] = ranking.Hot(res.Up, res.Down, item.CreatedAt)
			set["controversy"] = ranking.Controversy(res.Up, res.Down)
		}
		return wrap(tx.Table(t.table).Where("id = ?", id).Updates(set).Error, t.noun)
	})
	return res, err
}

func countOf(v, want int) int {
	if v == want {
		return 1
	}
	return 0
}

// MyIdeaVotes returns the participant's votes among ideaIDs.
func (s *Store) MyIdeaVotes(ctx context.Context, tokenHash string, ideaIDs []int64) (map[int64]gs.VoteValue, error) {
	return s.myVotes(ctx, ideaTarget, tokenHash, ideaIDs)
}

// MyCommentVotes returns the participant's votes among commentIDs.
func (s *Store) MyCommentVotes(ctx context.Context, tokenHash string, commentIDs []int64) (map[int64]gs.VoteValue, error) {
	return s.myVotes(ctx, commentTarget, tokenHash, commentIDs)
}

func (s *Store) myVotes(ctx context.Context, t voteTarget, tokenHash string, ids []int64) (map[int64]gs.VoteValue, error) {
	out := map[int64]gs.VoteValue{}
	if len(ids) == 0 {
		return out, nil
	}
	pid, err := s.lookupParticipant(ctx, tokenHash)
	if err != nil || pid == 0 {
		return out, err
	}
	var rows []struct {
		ID    int64
		Value int
	}
	if err := s.read(ctx).Raw("SELECT "+t.key+" AS id, value FROM "+t.votes+" WHERE participant_id = ? AND "+t.key+" IN ?",
		pid, ids).Scan(&rows).Error; err != nil {
		return nil, wrap(err, "Votes")
	}
	for _, r := range rows {
		out[r.ID] = gs.VoteValue(r.Value)
	}
	return out, nil
}
