package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/participation"
)

type comparePage struct {
	basePage
	*participation.CompareView
	Error    string
	Recorded bool // a judgement was just saved
}

func comparePath(slug string, question int64) string {
	v := url.Values{}
	if question != 0 {
		v.Set("question", strconv.FormatInt(question, 10))
	}
	return withQuery(challengePath(slug)+"/compare", v)
}

// compareShow offers a pair of ideas to judge side by side.
func (s *Server) compareShow(c echo.Context) error {
	question, err := queryID(c, "question")
	if err != nil {
		return err
	}
	return s.renderCompare(c, http.StatusOK, question, "")
}

func (s *Server) renderCompare(c echo.Context, status int, question int64, problem string) error {
	v, err := s.part.ComparePage(c.Request().Context(), c.Param("slug"), question, participantHash(c))
	if err != nil {
		return err
	}
	page := &comparePage{basePage: s.base(c, s.loc.Say("Which is better? %s", v.Challenge.Title)), CompareView: v, Error: problem,
		Recorded: c.QueryParam("done") != ""}
	if problem != "" {
		page.Title = "Error: " + page.Title
	}
	return s.render(c, status, "compare", page)
}

// compareSubmit records a judgement and offers the next pair from the same question.
func (s *Server) compareSubmit(c echo.Context) error {
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	j := participation.Judgement{Token: vals.Get("pair"), Skip: vals.Get("skip") != ""}
	if raw := strings.TrimSpace(vals.Get("winner")); raw != "" {
		if j.Winner, err = strconv.ParseInt(raw, 10, 64); err != nil || j.Winner < 1 {
			return gs.Errorf(gs.EMALFORMED, "The idea chosen, %q, is not an idea number.", truncate(raw, 40))
		}
	}
	question, err := s.part.Compare(c.Request().Context(), c.Param("slug"), participantHash(c), j)
	if err == nil {
		if wantsJSON(c) {
			return c.JSON(http.StatusCreated, map[string]any{"recorded": true})
		}
		return c.Redirect(http.StatusSeeOther, withFlag(comparePath(c.Param("slug"), question), "done", "1"))
	}
	ref, ok := refusedForm(c, err)
	if !ok {
		return err
	}
	// A stale or refused pair is answered with a fresh one and the reason above it.
	return s.renderCompare(c, ref.Status, 0, ref.Message)
}
