package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// voteBox is what the vote partial needs to draw up and down buttons for one item.
type voteBox struct {
	Target   string // "ideas" or "comments", the path segment
	ID       int64
	Up, Down int
	Mine     gs.VoteValue
	Show     bool // counts are visible to this participant
	Open     bool // the phase takes votes
	CSRF     string
	Next     string
	Noun     string
}

// Action is the form's target.
func (v voteBox) Action() string { return "/" + v.Target + "/" + strconv.FormatInt(v.ID, 10) + "/vote" }

// Net is up minus down.
func (v voteBox) Net() int { return v.Up - v.Down }

func (s *Server) voteBox(c echo.Context, ch *gs.Challenge, target string, id int64, up, down int, mine gs.VoteValue, next string) voteBox {
	noun := "idea"
	if target == "comments" {
		noun = "comment"
	}
	return voteBox{
		Target: target, ID: id, Up: up, Down: down, Mine: mine, Noun: noun,
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

func (s *Server) ideaVote(c echo.Context) error {
	return s.castVote(c, "idea", s.part.VoteIdea, func(id int64) string { return "/ideas/" + strconv.FormatInt(id, 10) })
}

func (s *Server) commentVote(c echo.Context) error {
	return s.castVote(c, "comment", s.part.VoteComment, func(int64) string { return "/" })
}

type voteFunc func(ctx context.Context, tokenHash string, id int64, v gs.VoteValue) (gs.VoteResult, error)

func (s *Server) castVote(c echo.Context, noun string, vote voteFunc, fallback func(int64) string) error {
	id, err := pathID(c, noun)
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
	res, err := vote(c.Request().Context(), participantHash(c), id, v)
	if err != nil {
		return err
	}
	s.metrics.votes.WithLabelValues(noun).Inc()
	if wantsJSON(c) {
		out := voteJSON{MyVote: res.Mine.String()}
		if !res.CountsHidden {
			out.Up, out.Down, out.Score = &res.Up, &res.Down, &res.Score
		}
		return c.JSON(http.StatusOK, out)
	}
	return c.Redirect(http.StatusSeeOther, safeNext(form.Get("next"), fallback(id)))
}
