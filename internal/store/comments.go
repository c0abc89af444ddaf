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
	Edited        bool
}

func (commentRow) TableName() string { return "comments" }

func (r commentRow) domain() gs.Comment {
	c := gs.Comment{
		ID: r.ID, IdeaID: r.IdeaID, Depth: r.Depth, Author: r.Author, Kind: gs.CommentKind(r.Kind),
		BodyMD: r.BodyMD, BodyHTML: gs.HTML(r.BodyHTML), Status: gs.Status(r.Status), StatusReason: r.StatusReason,
		ParticipantID: r.ParticipantID,
		Up:            r.Up, Down: r.Down, Score: r.Score, CreatedAt: r.CreatedAt, Edited: r.Edited,
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

// CommentsAfter returns up to limit of an idea's comments with ids above after, whatever their
// status, oldest first: one page of a discussion, read from the (idea_id, id) index.
func (s *Store) CommentsAfter(ctx context.Context, ideaID, after int64, limit int) ([]gs.Comment, error) {
	var rows []commentRow
	if err := s.read(ctx).Where("idea_id = ? AND id > ?", ideaID, after).Order("id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, wrap(err, "Comments")
	}
	out := make([]gs.Comment, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// CommentAuthors returns the pseudonyms of the given comments, for replies whose comment is on
// an earlier page of the discussion.
func (s *Store) CommentAuthors(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID     int64
		Author string
	}
	if err := s.read(ctx).Table("comments").Where("id IN ?", ids).Select("id, author").Scan(&rows).Error; err != nil {
		return nil, wrap(err, "Comments")
	}
	for _, r := range rows {
		out[r.ID] = r.Author
	}
	return out, nil
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

// OwnIdeas returns up to limit of a participant's ideas in a challenge, newest first, whatever
// their status. The participant index finds them; a participant's own posts are few.
func (s *Store) OwnIdeas(ctx context.Context, participantID, challengeID int64, limit int) ([]gs.Idea, error) {
	var rows []ideaRow
	err := s.read(ctx).Table("ideas AS i").Joins("JOIN challenges c ON c.id = i.challenge_id").
		Where("i.participant_id = ? AND i.challenge_id = ?", participantID, challengeID).
		Select(ideaColumns).Order("i.id DESC").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "Ideas")
	}
	return domainIdeas(rows), nil
}

// OwnComments returns up to limit of a participant's comments on a challenge's ideas, newest
// first, whatever their status, each with its idea's title and its number of visible replies.
func (s *Store) OwnComments(ctx context.Context, participantID, challengeID int64, limit int) ([]gs.OwnComment, error) {
	var rows []struct {
		Row        commentRow `gorm:"embedded"` // a named field: reflection cannot fill an unexported embedded one
		IdeaTitle  string
		IdeaStatus string
	}
	err := s.read(ctx).Table("comments AS m").Joins("JOIN ideas i ON i.id = m.idea_id").
		Where("m.participant_id = ? AND i.challenge_id = ?", participantID, challengeID).
		Select("m.*, i.title AS idea_title, i.status AS idea_status").Order("m.id DESC").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "Comments")
	}
	out := make([]gs.OwnComment, len(rows))
	ids := make([]int64, len(rows))
	for k, r := range rows {
		out[k] = gs.OwnComment{Comment: r.Row.domain(), IdeaTitle: r.IdeaTitle, IdeaStatus: gs.Status(r.IdeaStatus)}
		ids[k] = r.Row.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var counts []struct {
		ParentID int64
		N        int
	}
	if err := s.read(ctx).Table("comments").Where("parent_id IN ? AND status = ?", ids, string(gs.StatusVisible)).
		Select("parent_id, COUNT(*) AS n").Group("parent_id").Scan(&counts).Error; err != nil {
		return nil, wrap(err, "Comments")
	}
	replies := make(map[int64]int, len(counts))
	for _, c := range counts {
		replies[c.ParentID] = c.N
	}
	for k := range out {
		out[k].Replies = replies[out[k].ID]
	}
	return out, nil
}
