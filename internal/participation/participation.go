// Package participation is the service behind the anonymous loop: reading challenges and ideas,
// posting ideas and comments, and voting. It applies the domain rules, renders user text once,
// and hands validated work to the store.
package participation

import (
	"context"

	"github.com/groundswell/groundswell/internal/anonymity"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/store"
)

// Service carries the participation use cases.
type Service struct {
	store *store.Store
	md    *markup.Renderer
	keys  *anonymity.Keys
}

// New returns a Service over st.
func New(st *store.Store, md *markup.Renderer, keys *anonymity.Keys) *Service {
	return &Service{store: st, md: md, keys: keys}
}

// ListedPhases are the phases whose challenges appear on the home page and in the API.
var ListedPhases = []gs.Phase{gs.PhaseOpen, gs.PhaseVoting, gs.PhaseReview, gs.PhasePublished, gs.PhaseClosed}

// Challenges returns every public challenge, newest first.
func (s *Service) Challenges(ctx context.Context) ([]gs.Challenge, error) {
	return s.store.Challenges(ctx, ListedPhases...)
}

// Challenge returns a public challenge by slug; drafts are not found.
func (s *Service) Challenge(ctx context.Context, slug string) (*gs.Challenge, error) {
	c, err := s.store.ChallengeBySlug(ctx, slug)
	if gs.ErrorCode(err) == gs.ENOTFOUND || (err == nil && !c.Phase.Public()) {
		return nil, gs.Errorf(gs.ENOTFOUND, "There is no challenge at this address. It may have been renamed or not yet opened.")
	}
	return c, err
}

// ChallengeAny returns a challenge by slug in any phase, drafts included, for staff.
func (s *Service) ChallengeAny(ctx context.Context, slug string) (*gs.Challenge, error) {
	return s.store.ChallengeBySlug(ctx, slug)
}

// Ideas returns a page of a challenge's visible ideas.
func (s *Service) Ideas(ctx context.Context, q gs.IdeaQuery) (gs.IdeaPage, error) {
	return s.store.Ideas(ctx, q)
}

// SimilarIdeas returns up to five visible ideas whose titles resemble title.
func (s *Service) SimilarIdeas(ctx context.Context, c *gs.Challenge, title string) ([]gs.Idea, error) {
	return s.store.SimilarIdeas(ctx, c.ID, title, 5)
}

// Idea returns a visible idea with its public challenge.
func (s *Service) Idea(ctx context.Context, id int64) (*gs.Idea, *gs.Challenge, error) {
	i, err := s.store.Idea(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if i.Status != gs.StatusVisible {
		return nil, nil, gs.Errorf(gs.ENOTFOUND, "There is no idea number %d.", id)
	}
	c, err := s.store.ChallengeByID(ctx, i.ChallengeID)
	if err != nil {
		return nil, nil, err
	}
	if !c.Phase.Public() {
		return nil, nil, gs.Errorf(gs.ENOTFOUND, "There is no idea number %d.", id)
	}
	return i, c, nil
}

// IdeaForViewer returns an idea as the viewer may see it. Anyone sees a visible idea; the author
// also sees their own idea while it is held, pending review or hidden, so they learn what
// happened to it and why. Everyone else is told it was removed, and by whom, without its text.
func (s *Service) IdeaForViewer(ctx context.Context, id int64, tokenHash string) (*gs.Idea, *gs.Challenge, bool, error) {
	i, err := s.store.Idea(ctx, id)
	if err != nil {
		return nil, nil, false, err
	}
	c, err := s.store.ChallengeByID(ctx, i.ChallengeID)
	if err != nil {
		return nil, nil, false, err
	}
	if !c.Phase.Public() {
		return nil, nil, false, gs.Errorf(gs.ENOTFOUND, "There is no idea number %d.", id)
	}
	viewer, err := s.store.ParticipantByToken(ctx, tokenHash)
	if err != nil {
		return nil, nil, false, err
	}
	mine := viewer != 0 && viewer == i.ParticipantID
	if i.Status == gs.StatusVisible || mine {
		return i, c, mine, nil
	}
	switch i.Status {
	case gs.StatusHidden:
		return nil, nil, false, gs.Errorf(gs.ENOTFOUND, "This idea was removed by a moderator: %s", i.StatusReason)
	case gs.StatusPending:
		return nil, nil, false, gs.Errorf(gs.ENOTFOUND, "This idea has been removed while a moderator reviews reports about it.")
	}
	return nil, nil, false, gs.Errorf(gs.ENOTFOUND, "There is no idea number %d.", id)
}

// Thread returns an idea's comments for the viewer's page, oldest first. Hidden and pending
// comments stay in place, without their text, so replies keep their context; their authors
// still see their own text. Held comments are shown to their authors only.
func (s *Service) Thread(ctx context.Context, ideaID int64, tokenHash string) ([]gs.Comment, int64, error) {
	all, err := s.store.Comments(ctx, ideaID)
	if err != nil {
		return nil, 0, err
	}
	viewer, err := s.store.ParticipantByToken(ctx, tokenHash)
	if err != nil {
		return nil, 0, err
	}
	out := all[:0]
	for _, c := range all {
		mine := viewer != 0 && c.ParticipantID == viewer
		switch {
		case c.Status == gs.StatusVisible || mine:
		case c.Status == gs.StatusHeld:
			continue
		default:
			c.BodyMD, c.BodyHTML = "", ""
		}
		out = append(out, c)
	}
	return out, viewer, nil
}

// Comment returns one comment, whatever its status; callers decide what to show.
func (s *Service) Comment(ctx context.Context, id int64) (*gs.Comment, error) {
	return s.store.Comment(ctx, id)
}

// Comments returns the visible comments on an idea, oldest first.
func (s *Service) Comments(ctx context.Context, ideaID int64) ([]gs.Comment, error) {
	all, err := s.store.Comments(ctx, ideaID)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, c := range all {
		if c.Status == gs.StatusVisible {
			out = append(out, c)
		}
	}
	return out, nil
}

// PostIdea validates in against c and stores it under the participant's pseudonym.
func (s *Service) PostIdea(ctx context.Context, tokenHash string, c *gs.Challenge, in gs.IdeaInput) (*gs.Idea, error) {
	in.Normalize()
	if err := in.Validate(c); err != nil {
		return nil, err
	}
	ni := store.NewIdea{
		ChallengeID: c.ID, QuestionID: in.QuestionID, TokenHash: tokenHash,
		Title: in.Title, BodyMD: in.Body, BodyHTML: s.md.Render(in.Body),
	}
	if t, ok := c.Theme(in.Theme); ok {
		ni.ThemeID = t.ID
	}
	ni.HoldReason = c.HoldReason(in.Title, in.Body)
	return s.store.CreateIdea(ctx, ni, ideasAllowed, s.namer(tokenHash, c.ID))
}

// PostComment validates in and stores it on the idea.
func (s *Service) PostComment(ctx context.Context, tokenHash string, ideaID int64, in gs.CommentInput) (*gs.Comment, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	i, err := s.store.Idea(ctx, ideaID)
	if err != nil {
		return nil, err
	}
	c, err := s.store.ChallengeByID(ctx, i.ChallengeID)
	if err != nil {
		return nil, err
	}
	nc := store.NewComment{
		IdeaID: ideaID, ParentID: in.ParentID, TokenHash: tokenHash, Kind: in.Kind,
		BodyMD: in.Body, BodyHTML: s.md.Render(in.Body), HoldReason: c.HoldReason(in.Body),
	}
	return s.store.CreateComment(ctx, nc, commentsAllowed, s.namer(tokenHash, i.ChallengeID))
}

// VoteIdea records, changes or clears the participant's vote on an idea.
func (s *Service) VoteIdea(ctx context.Context, tokenHash string, ideaID int64, v gs.VoteValue) (gs.VoteResult, error) {
	return s.store.VoteIdea(ctx, ideaID, tokenHash, v, votesAllowed)
}

// VoteComment records, changes or clears the participant's vote on a comment.
func (s *Service) VoteComment(ctx context.Context, tokenHash string, commentID int64, v gs.VoteValue) (gs.VoteResult, error) {
	return s.store.VoteComment(ctx, commentID, tokenHash, v, votesAllowed)
}

// MyIdeaVotes returns the participant's votes on the given ideas.
func (s *Service) MyIdeaVotes(ctx context.Context, tokenHash string, ideas []gs.Idea) (map[int64]gs.VoteValue, error) {
	ids := make([]int64, len(ideas))
	for i, idea := range ideas {
		ids[i] = idea.ID
	}
	return s.store.MyIdeaVotes(ctx, tokenHash, ids)
}

// MyCommentVotes returns the participant's votes on the given comments.
func (s *Service) MyCommentVotes(ctx context.Context, tokenHash string, comments []gs.Comment) (map[int64]gs.VoteValue, error) {
	ids := make([]int64, len(comments))
	for i, c := range comments {
		ids[i] = c.ID
	}
	return s.store.MyCommentVotes(ctx, tokenHash, ids)
}

func (s *Service) namer(tokenHash string, challengeID int64) store.Namer {
	return func(attempt int) string { return s.keys.Pseudonym(tokenHash, challengeID, attempt) }
}

func ideasAllowed(p gs.Phase) error {
	if p.AcceptsIdeas() {
		return nil
	}
	return gs.Errorf(gs.ECONFLICT, "This challenge is %s, so it no longer takes new ideas.%s", phaseWords(p), stillOpen(p))
}

func commentsAllowed(p gs.Phase) error {
	if p.AcceptsComments() {
		return nil
	}
	return gs.Errorf(gs.ECONFLICT, "This challenge is %s, so comments are closed.", phaseWords(p))
}

func votesAllowed(p gs.Phase) error {
	if p.AcceptsVotes() {
		return nil
	}
	return gs.Errorf(gs.ECONFLICT, "This challenge is %s, so voting is closed.", phaseWords(p))
}

func phaseWords(p gs.Phase) string {
	switch p {
	case gs.PhaseVoting:
		return "in its voting phase"
	case gs.PhaseReview:
		return "with the expert panel"
	case gs.PhasePublished:
		return "published"
	case gs.PhaseClosed:
		return "closed"
	}
	return "not open yet"
}

func stillOpen(p gs.Phase) string {
	if p == gs.PhaseVoting {
		return " You can still comment and vote."
	}
	return ""
}
