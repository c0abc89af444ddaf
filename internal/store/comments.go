package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
)

type commentRow struct {
	ID            int64 `gorm:"primaryKey"`
	IdeaID        int64
	ParentID      *int64
	Depth         int
	ParticipantID int64
	Author        string
	Kind          string
	BodyMD        string `gorm:"column:body_md"`
	BodyHTML      string `gorm:"column:body_html"`
	Status        string
	StatusReason  string
	Up, Down      int
	Score         float64
	CreatedAt     time.Time
}

func (commentRow) TableName() string { return "comments" }

func (r commentRow) domain() gs.Comment {
	c := gs.Comment{
		ID: r.ID, IdeaID: r.IdeaID, Depth: r.Depth, Author: r.Author, Kind: gs.CommentKind(r.Kind),
		BodyMD: r.BodyMD, BodyHTML: markup.HTML(r.BodyHTML), Status: gs.Status(r.Status), StatusReason: r.StatusReason,
		ParticipantID: r.ParticipantID,
		Up:            r.Up, Down: r.Down, Score: r.Score, CreatedAt: r.CreatedAt,
	}
	if r.ParentID != nil {
		c.ParentID = *r.ParentID
	}
	return c
}

// NewComment is a validated comment ready to store; BodyHTML is already rendered and sanitized.
type NewComment struct {
	IdeaID    int64
	ParentID  int64
	TokenHash string
	Kind      gs.CommentKind
	BodyMD    string
	BodyHTML  markup.HTML
	// HoldReason, when set, holds the comment for review instead of publishing it.
	HoldReason string
}

// CreateComment stores a comment and updates the idea's counters in the same transaction.
func (s *Store) CreateComment(ctx context.Context, in NewComment, allowed PhaseCheck, namer Namer) (*gs.Comment, error) {
	var out gs.Comment
	err := s.write(ctx, func(tx *gorm.DB) error {
		var idea struct {
			ChallengeID int64
			Phase       string
			Status      string
		}
		if err := tx.Raw("SELECT i.challenge_id, c.phase, i.status FROM ideas i JOIN challenges c ON c.id = i.challenge_id WHERE i.id = ?"+s.lockRows("i", "c"),
			in.IdeaID).Scan(&idea).Error; err != nil {
			return wrap(err, "Idea")
		}
		if idea.ChallengeID == 0 || idea.Status != string(gs.StatusVisible) {
			return gs.Errorf(gs.ENOTFOUND, "There is no idea number %d.", in.IdeaID)
		}
		if err := allowed(gs.Phase(idea.Phase)); err != nil {
			return err
		}
		depth := 1
		var parent *int64
		if in.ParentID != 0 {
			var p commentRow
			if err := tx.Where("id = ?", in.ParentID).Take(&p).Error; err != nil {
				return gs.Errorf(gs.EINVALID, "The comment you are replying to does not exist.")
			}
			if p.IdeaID != in.IdeaID {
				return gs.Errorf(gs.EINVALID, "The comment you are replying to belongs to another idea.")
			}
			if p.Status != string(gs.StatusVisible) {
				return gs.Errorf(gs.ECONFLICT, "The comment you are replying to has been removed, so it cannot take replies.")
			}
			depth = p.Depth + 1
			parent = &in.ParentID
		}
		pid, name, err := s.author(tx, in.TokenHash, idea.ChallengeID, namer)
		if err != nil {
			return err
		}
		row := commentRow{
			IdeaID: in.IdeaID, ParentID: parent, Depth: depth, ParticipantID: pid, Author: name,
			Kind: string(in.Kind), BodyMD: in.BodyMD, BodyHTML: string(in.BodyHTML),
			Status: string(gs.StatusVisible), CreatedAt: s.now().Truncate(time.Minute),
		}
		if in.HoldReason != "" {
			row.Status = string(gs.StatusHeld)
		}
		if err := tx.Create(&row).Error; err != nil {
			return wrap(err, "Comment")
		}
		out = row.domain()
		if in.HoldReason != "" { // held comments are counted only once a moderator publishes them
			return s.holdForReview(tx, "comment", &target{ID: row.ID, ChallengeID: idea.ChallengeID, IdeaID: in.IdeaID,
				ParticipantID: pid, Kind: row.Kind, Status: row.Status, BodyMD: row.BodyMD}, in.HoldReason)
		}
		impl := 0
		if in.Kind == gs.KindImplementation {
			impl = 1
		}
		if err := tx.Exec("UPDATE ideas SET comments = comments + 1, implementations = implementations + ? WHERE id = ?",
			impl, in.IdeaID).Error; err != nil {
			return wrap(err, "Idea")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Comments returns every visible comment on an idea, oldest first.
func (s *Store) Comments(ctx context.Context, ideaID int64) ([]gs.Comment, error) {
	var rows []commentRow
	if err := s.read(ctx).Where("idea_id = ?", ideaID).Order("id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "Comments")
	}
	out := make([]gs.Comment, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// Comment returns one comment, whatever its status.
func (s *Store) Comment(ctx context.Context, id int64) (*gs.Comment, error) {
	var row commentRow
	if err := s.read(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, wrap(err, "Comment")
	}
	c := row.domain()
	return &c, nil
}
