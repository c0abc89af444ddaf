package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// commentJSON is a comment as the API and scripts see it.
type commentJSON struct {
	ID        int64  `json:"id"`
	ParentID  *int64 `json:"parent_id"`
	Kind      string `json:"kind"`
	Author    string `json:"author"`
	BodyHTML  string `json:"body_html"`
	Up        *int   `json:"up"`
	Down      *int   `json:"down"`
	CreatedAt string `json:"created_at"`
}

func newCommentJSON(cm gs.Comment, hideCounts bool) commentJSON {
	out := commentJSON{ID: cm.ID, Kind: string(cm.Kind), Author: cm.Author, BodyHTML: string(cm.BodyHTML),
		CreatedAt: coarseTime(cm.CreatedAt)}
	if cm.ParentID != 0 {
		p := cm.ParentID
		out.ParentID = &p
	}
	if !hideCounts {
		up, down := cm.Up, cm.Down
		out.Up, out.Down = &up, &down
	}
	return out
}

func (s *Server) commentCreate(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "idea")
	if err != nil {
		return err
	}
	_, ch, err := s.part.Idea(ctx, id, participantHash(c))
	if err != nil {
		return err
	}
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	form := commentForm{Kind: gs.CommentKind(vals.Get("kind")), Body: vals.Get("body")}
	if form.Kind == "" {
		form.Kind = gs.KindComment
	}
	if raw := strings.TrimSpace(vals.Get("parent")); raw != "" {
		form.Parent, err = strconv.ParseInt(raw, 10, 64)
		if err != nil || form.Parent < 1 {
			return gs.Errorf(gs.EMALFORMED, "The comment you are replying to, %q, is not a comment number.", truncate(raw, 40))
		}
	}
	var cm *gs.Comment
	if err = throttled(c); err == nil {
		cm, err = s.part.PostComment(ctx, participantHash(c), id, gs.CommentInput{ParentID: form.Parent, Kind: form.Kind, Body: form.Body})
	}
	if err != nil {
		ref, ok := refusedForm(c, err)
		if !ok {
			return err
		}
		form.Error = ref.First("body", "kind")
		if ref.Reason == gs.ReasonParentMissing {
			form.Parent = 0 // the parent is gone: offer the text as a top-level comment
		}
		return s.renderIdeaAgain(c, ref.Status, id, form, reportForm{})
	}
	s.metrics.comments.WithLabelValues(string(cm.Kind)).Inc()
	url := commentPath(id, cm.ID)
	if wantsJSON(c) {
		c.Response().Header().Set(echo.HeaderLocation, url)
		return c.JSON(http.StatusCreated, newCommentJSON(*cm, ch.HideCountsUntilVoted))
	}
	s.flashNote(c, notePosted, gs.TargetComment, cm.ID)
	return c.Redirect(http.StatusSeeOther, url)
}
