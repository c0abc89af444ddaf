package store

import (
	"context"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
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
		BodyMD: r.BodyMD, BodyHTML: gs.HTML(r.BodyHTML), Status: gs.Status(r.Status), StatusReason: r.StatusReason,
		ParticipantID: r.ParticipantID,
		Up:            r.Up, Down: r.Down, Score: r.Score, CreatedAt: r.CreatedAt,
	}
	if r.ParentID != nil {
		c.ParentID = *r.ParentID
	}
	return c
}

// NewComment is a comment ready to store: validated, rendered and sanitized, its author, depth
// and status decided by the service.
type NewComment struct {
	IdeaID        int64
	ParentID      int64
	Depth         int
	ParticipantID int64
	Author        string
	Kind          gs.CommentKind
	BodyMD        string
	BodyHTML      gs.HTML
	Status        gs.Status
}

// InsertComment stores a comment and returns it with its id.
func (tx *Tx) InsertComment(in NewComment) (*gs.Comment, error) {
	row := commentRow{
		IdeaID: in.IdeaID, Depth: in.Depth, ParticipantID: in.ParticipantID, Author: in.Author,
		Kind: string(in.Kind), BodyMD: in.BodyMD, BodyHTML: string(in.BodyHTML),
		Status: string(in.Status), CreatedAt: tx.Now().Truncate(time.Minute),
	}
	if in.ParentID != 0 {
		row.ParentID = &in.ParentID
	}
	if err := tx.db.Create(&row).Error; err != nil {
		return nil, wrap(err, "Comment")
	}
	c := row.domain()
	return &c, nil
}

// Comment returns one comment inside a transaction, whatever its status.
func (tx *Tx) Comment(id int64) (*gs.Comment, error) {
	var row commentRow
	if err := tx.db.Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, wrap(err, "Comment")
	}
	c := row.domain()
	return &c, nil
}

// Comments returns every comment on an idea, whatever its status, oldest first; the service
// decides what each viewer sees.
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
