package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/participation"
)

// commentForm is a comment being written, kept so that a refused one comes back intact.
type commentForm struct {
	Parent int64
	Kind   gs.CommentKind
	Body   string
	Error  string
}

// threadNode is a comment of the thread the service built, with the forms and boxes the page
// draws beside it.
type threadNode struct {
	*participation.ThreadNode
	Children []*threadNode
	Vote     voteBox
	Form     commentForm // the reply form under this comment
	FormOpen bool
	Report   reportBox
	CSRF     string
	IdeaID   int64
	Open     bool // the comment takes replies
	// Note is what the previous request left to say about this comment ("posted"…), if anything.
	Note itemNote
	Own  ownActions
}

// ownActions are the author's controls on their own idea or comment.
type ownActions struct {
	Kind                 gs.TargetKind
	CanEdit, CanWithdraw bool
	EditURL, WithdrawURL string
	CSRF                 string
}

func newOwnActions(c echo.Context, kind gs.TargetKind, id int64, st gs.Status, created, now time.Time) ownActions {
	base := ideaPath(id)
	if kind == gs.TargetComment {
		base = "/comments/" + strconv.FormatInt(id, 10)
	}
	return ownActions{Kind: kind, CanEdit: gs.Editable(st, created, now), CanWithdraw: gs.CheckWithdraw(st) == nil,
		EditURL: base + "/edit", WithdrawURL: base + "/withdraw", CSRF: csrfToken(c)}
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
	Explain      []string // why the idea ranks where it does
	Proposals    []gs.Proposal
	Note         itemNote // what the previous request left to say about the idea or a comment
	Discussion   participation.Discussion
	Own          ownActions
}

func (s *Server) ideaShow(c echo.Context) error {
	id, err := pathID(c, "idea")
	if err != nil {
		return err
	}
	h := participantHash(c)
	after, err := commentsAfter(c)
	if err != nil {
		return err
	}
	view, err := s.part.IdeaPage(c.Request().Context(), id, h, after)
	if err != nil {
		return err
	}
	if err := s.renderIdea(c, http.StatusOK, view, commentForm{Kind: gs.KindComment}, reportForm{}); err != nil {
		return err
	}
	if view.Idea.Status.Visible() {
		s.part.Seen(h, id) // opening an idea counts as seeing it, once
	}
	return nil
}

// renderIdeaAgain draws an idea's page again around a refused comment or report, so that what
// was typed is kept.
func (s *Server) renderIdeaAgain(c echo.Context, status int, ideaID int64, form commentForm, rf reportForm) error {
	view, err := s.part.IdeaPage(c.Request().Context(), ideaID, participantHash(c), 0)
	if err != nil {
		return err
	}
	return s.renderIdea(c, status, view, form, rf)
}

// renderIdea draws an idea with its threads; form is the comment being written and rf the
// report being written, if any.
func (s *Server) renderIdea(c echo.Context, status int, v *participation.IdeaView, form commentForm, rf reportForm) error {
	idea, ch := v.Idea, v.Challenge
	path := ideaPath(idea.ID)
	title := idea.Title
	if title == "" {
		title = s.loc.Say("Withdrawn idea") // its text is gone for everyone but its author
	}
	page := &ideaPage{
		basePage: shared(c, s.base(c, title), title, idea.BodyHTML, path), Challenge: ch, Idea: idea, CommentCount: v.Comments,
		Vote:       s.voteBox(c, ch, gs.TargetIdea, idea.ID, idea.Up, idea.Down, v.MyVote, path),
		CanComment: ch.Phase.AcceptsComments() && idea.Status.Visible(), Form: commentForm{Kind: gs.KindComment},
		Mine:     v.Mine,
		Report:   s.reportBox(c, gs.TargetIdea, idea.ID, path, rf, v.Reported),
		Reported: c.QueryParam("reported") != "",
	}
	page.Vote.Open = page.Vote.Open && idea.Status.Visible()
	page.Discussion = v.Discussion
	if c.Request().Method == http.MethodGet {
		page.Note = s.takeNote(c)
		s.rememberFor(c, ch)
	}
	if v.Mine {
		page.Own = newOwnActions(c, gs.TargetIdea, idea.ID, idea.Status, idea.CreatedAt, s.part.Now())
	}
	page.Proposals = v.Proposals
	if idea.Status.Visible() {
		for _, m := range participation.Explain(idea, ch, page.Vote.Show) {
			page.Explain = append(page.Explain, sayMsg(s.loc, m))
		}
	}
	page.Question, _ = ch.Question(idea.QuestionID)
	page.Theme, _ = ch.ThemeByID(idea.ThemeID)
	if form.Parent == 0 {
		page.Form = form
	}
	replyPlaced := false
	var decorate func([]*participation.ThreadNode) []*threadNode
	decorate = func(nodes []*participation.ThreadNode) []*threadNode {
		out := make([]*threadNode, len(nodes))
		for i, tn := range nodes {
			here := commentPath(idea.ID, tn.ID)
			n := &threadNode{
				ThreadNode: tn, CSRF: csrfToken(c), IdeaID: idea.ID, Open: page.CanComment && tn.Status.Visible(),
				Vote:   s.voteBox(c, ch, gs.TargetComment, tn.ID, tn.Up, tn.Down, tn.MyVote, here),
				Form:   commentForm{Parent: tn.ID, Kind: gs.KindComment},
				Report: s.reportBox(c, gs.TargetComment, tn.ID, here, rf, v.Reported),
			}
			n.Vote.Open = n.Vote.Open && tn.Status.Visible()
			if page.Note.Is(gs.TargetComment, tn.ID) {
				n.Note = page.Note
			}
			if tn.Mine {
				n.Own = newOwnActions(c, gs.TargetComment, tn.ID, tn.Status, tn.CreatedAt, s.part.Now())
			}
			if form.Parent == tn.ID && n.Open {
				n.Form, n.FormOpen, replyPlaced = form, true, true
			}
			n.Children = decorate(tn.Children)
			out[i] = n
		}
		return out
	}
	page.Threads = decorate(v.Threads)
	// A reply whose comment can no longer take it (gone, hidden, or comments closed) comes
	// back in the top-level form, so the text is never lost.
	if form.Parent != 0 && !replyPlaced {
		form.Parent = 0
		page.Form = form
	}
	return s.render(c, status, "idea", page)
}

// IdeaID lets the top-level comment form share its template with reply forms.
func (p *ideaPage) IdeaID() int64 { return p.Idea.ID }

// commentsAfter reads which page of the discussion is asked for: ?after= a comment id.
func commentsAfter(c echo.Context) (int64, error) {
	raw := c.QueryParam("after")
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 {
		return 0, gs.Errorf(gs.EMALFORMED, "This link to a page of comments is broken. Start again from the first comments.")
	}
	return n, nil
}
