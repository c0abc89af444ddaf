package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// commentForm is a comment being written, kept so that a refused one comes back intact.
type commentForm struct {
	Parent int64
	Kind   gs.CommentKind
	Body   string
	Error  string
}

// threadNode is a comment placed in its thread. Replies nest to gs.MaxThreadDepth; deeper
// replies sit at the last level and name whom they answer.
type threadNode struct {
	gs.Comment
	Children []*threadNode
	Level    int
	ReplyTo  string
	Vote     voteBox
	Form     commentForm // the reply form under this comment
	FormOpen bool
	Mine     bool // the viewer wrote it
	Report   reportBox
	CSRF     string
	IdeaID   int64
	Open     bool // the phase takes comments

	shownUnder *threadNode
}

type ideaPage struct {
	basePage
	Challenge    *gs.Challenge
	Idea         *gs.Idea
	Question     gs.Question
	Theme        gs.Theme
	Vote         voteBox
	Threads      []*threadNode
	CommentCount int
	Form         commentForm // the top-level form
	CanComment   bool
	Mine         bool // the viewer wrote the idea
	Report       reportBox
	Reported     bool
}

func (s *Server) ideaShow(c echo.Context) error {
	id, err := pathID(c, "idea")
	if err != nil {
		return err
	}
	idea, ch, _, err := s.part.IdeaForViewer(c.Request().Context(), id, participantHash(c))
	if err != nil {
		return err
	}
	return s.renderIdea(c, http.StatusOK, idea, ch, commentForm{Kind: gs.KindComment})
}

// renderIdea draws an idea with its threads; form is the comment being written, if any.
func (s *Server) renderIdea(c echo.Context, status int, idea *gs.Idea, ch *gs.Challenge, form commentForm) error {
	return s.renderIdeaWith(c, status, idea, ch, form, reportForm{})
}

// renderIdeaWith also carries a report being written, for when one is refused.
func (s *Server) renderIdeaWith(c echo.Context, status int, idea *gs.Idea, ch *gs.Challenge, form commentForm, rf reportForm) error {
	ctx := c.Request().Context()
	comments, viewer, err := s.part.Thread(ctx, idea.ID, participantHash(c))
	if err != nil {
		return err
	}
	mine, err := s.part.MyIdeaVotes(ctx, participantHash(c), []gs.Idea{*idea})
	if err != nil {
		return err
	}
	myComments, err := s.part.MyCommentVotes(ctx, participantHash(c), comments)
	if err != nil {
		return err
	}
	path := "/ideas/" + strconv.FormatInt(idea.ID, 10)
	page := &ideaPage{
		basePage: s.base(c, idea.Title), Challenge: ch, Idea: idea, CommentCount: len(comments),
		Vote:       s.voteBox(c, ch, "ideas", idea.ID, idea.Up, idea.Down, mine[idea.ID], path),
		CanComment: ch.Phase.AcceptsComments() && idea.Status == gs.StatusVisible, Form: commentForm{Kind: gs.KindComment},
		Mine:     viewer != 0 && viewer == idea.ParticipantID,
		Report:   s.reportBox(c, "idea", idea.ID, path, rf),
		Reported: c.QueryParam("reported") != "",
	}
	page.Vote.Open = page.Vote.Open && idea.Status == gs.StatusVisible
	page.Question, _ = ch.Question(idea.QuestionID)
	page.Theme, _ = ch.ThemeByID(idea.ThemeID)
	if form.Parent == 0 {
		page.Form = form
	}
	byID := map[int64]*threadNode{}
	for _, cm := range comments {
		n := &threadNode{
			Comment: cm, Level: 1, CSRF: csrfToken(c), IdeaID: idea.ID, Open: page.CanComment,
			Vote: s.voteBox(c, ch, "comments", cm.ID, cm.Up, cm.Down, myComments[cm.ID],
				path+"#comment-"+strconv.FormatInt(cm.ID, 10)),
			Form:   commentForm{Parent: cm.ID, Kind: gs.KindComment},
			Mine:   viewer != 0 && viewer == cm.ParticipantID,
			Report: s.reportBox(c, "comment", cm.ID, path+"#comment-"+strconv.FormatInt(cm.ID, 10), rf),
		}
		if cm.Status != gs.StatusVisible {
			n.Open, n.Vote.Open = false, false
		}
		if form.Parent == cm.ID {
			n.Form, n.FormOpen = form, true
		}
		byID[cm.ID] = n
		parent := byID[cm.ParentID]
		switch {
		case parent == nil:
			page.Threads = append(page.Threads, n)
		case parent.Level < gs.MaxThreadDepth:
			n.Level = parent.Level + 1
			parent.Children = append(parent.Children, n)
			n.shownUnder = parent
		default:
			n.Level, n.ReplyTo = parent.Level, parent.Author
			n.shownUnder = parent.shownUnder
			n.shownUnder.Children = append(n.shownUnder.Children, n)
		}
	}
	// A reply whose comment can no longer take it (gone, hidden, or comments closed) comes
	// back in the top-level form, so the text is never lost.
	if form.Parent != 0 {
		if n := byID[form.Parent]; n == nil || !n.Open {
			form.Parent = 0
			page.Form = form
		}
	}
	return s.render(c, status, "idea", page)
}

// IdeaID lets the top-level comment form share its template with reply forms.
func (p *ideaPage) IdeaID() int64 { return p.Idea.ID }
