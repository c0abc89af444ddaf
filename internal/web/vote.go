package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// voteBox is what the vote partial needs to draw up and down buttons for one item. The partial
// is the one source of the box's words: pages include it, and the script that votes in place
// asks the server for the same partial, drawn after the vote, instead of building its own.
type voteBox struct {
	Kind     gs.TargetKind
	ID       int64
	Up, Down int
	Mine     gs.VoteValue
	Show     bool // counts are visible to this participant
	Open     bool // the phase takes votes
	CSRF     string
	Next     string
}

// Action is the form's target.
func (v voteBox) Action() string { return itemPath(string(v.Kind), v.ID) + "/vote" }

// Noun is the item as the labels name it.
func (v voteBox) Noun() string { return string(v.Kind) }

// Net is up minus down.
func (v voteBox) Net() int { return v.Up - v.Down }

// MineUp and MineDown say which button is pressed.
func (v voteBox) MineUp() bool   { return v.Mine == 1 }
func (v voteBox) MineDown() bool { return v.Mine == -1 }

func (s *Server) voteBox(c echo.Context, ch *gs.Challenge, kind gs.TargetKind, id int64, up, down int, mine gs.VoteValue, next string) voteBox {
	return voteBox{
		Kind: kind, ID: id, Up: up, Down: down, Mine: mine,
		Show: !ch.HideCountsUntilVoted || mine != 0, Open: ch.Phase.AcceptsVotes(),
		CSRF: csrfToken(c), Next: next,
	}
}

// voteJSON is the answer to a script's vote.
type voteJSON struct {
	Up     *int     `json:"up"`
	Down   *int     `json:"down"`
	Score  *float64 `json:"score"`
	MyVote string   `json:"my_vote"`
}

// fragmentHeader asks for the redrawn part of a page instead of a redirect.
const fragmentHeader = "X-Groundswell-Fragment"

func (s *Server) ideaVote(c echo.Context) error { return s.castVote(c, gs.TargetIdea) }

func (s *Server) commentVote(c echo.Context) error { return s.castVote(c, gs.TargetComment) }

func (s *Server) castVote(c echo.Context, kind gs.TargetKind) error {
	id, err := pathID(c, string(kind))
	if err != nil {
		return err
	}
	form, err := readForm(c)
	if err != nil {
		return err
	}
	v, err := gs.ParseVote(form.Get("value"))
	if err != nil {
		return err
	}
	res, err := s.part.Vote(c.Request().Context(), participantHash(c), kind, id, v)
	if err != nil {
		return err
	}
	s.metrics.votes.WithLabelValues(string(kind)).Inc()
	fallback := "/"
	if kind == gs.TargetIdea {
		fallback = ideaPath(id)
	}
	next := safeNext(form.Get("next"), fallback)
	switch {
	case c.Request().Header.Get(fragmentHeader) == "vote":
		box := voteBox{Kind: kind, ID: id, Up: res.Up, Down: res.Down, Mine: res.Mine, Show: !res.CountsHidden,
			Open: true, CSRF: csrfToken(c), Next: next}
		return s.renderFragment(c, http.StatusOK, "vote", box)
	case wantsJSON(c):
		out := voteJSON{MyVote: res.Mine.String()}
		if !res.CountsHidden {
			out.Up, out.Down, out.Score = &res.Up, &res.Down, &res.Score
		}
		return c.JSON(http.StatusOK, out)
	}
	return c.Redirect(http.StatusSeeOther, next)
}
