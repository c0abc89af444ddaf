package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

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
	res, err := s.part.VoteFrom(c.Request().Context(), participantHash(c), cookieAge(c), kind, id, v)
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
