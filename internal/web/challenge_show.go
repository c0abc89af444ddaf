package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// listParams are the filters of an idea list as they appear in the query string.
type listParams struct {
	Sort       gs.Sort
	QuestionID int64
	Theme      string
	Q          string
	PerPage    int // kept in links only when it is not the default
}

// values encodes p, leaving defaults out so that URLs stay short.
func (p listParams) values() url.Values {
	v := url.Values{}
	if p.Sort != gs.SortTop {
		v.Set("sort", string(p.Sort))
	}
	if p.QuestionID != 0 {
		v.Set("question", strconv.FormatInt(p.QuestionID, 10))
	}
	if p.Theme != "" {
		v.Set("theme", p.Theme)
	}
	if p.Q != "" {
		v.Set("q", p.Q)
	}
	if p.PerPage != 0 && p.PerPage != gs.DefaultPerPage {
		v.Set("per_page", strconv.Itoa(p.PerPage))
	}
	return v
}

// parseIdeaQuery reads sort, question, theme, q, page and per_page for challenge ch.
func parseIdeaQuery(c echo.Context, ch *gs.Challenge, defaultPerPage int) (gs.IdeaQuery, listParams, error) {
	var p listParams
	var err error
	if p.Sort, err = gs.ParseSort(c.QueryParam("sort")); err != nil {
		return gs.IdeaQuery{}, p, err
	}
	q := gs.IdeaQuery{ChallengeID: ch.ID, Sort: p.Sort}
	if p.QuestionID, err = queryID(c, "question"); err != nil {
		return q, p, err
	}
	if p.QuestionID != 0 {
		if _, ok := ch.Question(p.QuestionID); !ok {
			return q, p, gs.Errorf(gs.EMALFORMED, "This challenge has no question number %d.", p.QuestionID)
		}
		q.QuestionID = p.QuestionID
	}
	if p.Theme = strings.TrimSpace(c.QueryParam("theme")); p.Theme != "" {
		t, ok := ch.Theme(p.Theme)
		if !ok {
			return q, p, gs.Errorf(gs.EMALFORMED, "This challenge has no theme called %q.", truncate(p.Theme, 40))
		}
		q.ThemeID = t.ID
	}
	p.Q = strings.TrimSpace(c.QueryParam("q"))
	if !utf8.ValidString(p.Q) {
		return q, p, gs.Errorf(gs.EMALFORMED, "The search text is not valid UTF-8.")
	}
	if utf8.RuneCountInString(p.Q) > gs.MaxSearchRunes {
		return q, p, gs.Errorf(gs.EMALFORMED, "The search text is too long: use at most %d characters.", gs.MaxSearchRunes)
	}
	q.Text = p.Q
	if q.Page, err = queryInt(c, "page", 1, 1_000_000); err != nil {
		return q, p, err
	}
	if q.PerPage, err = queryInt(c, "per_page", defaultPerPage, gs.MaxPerPage); err != nil {
		return q, p, err
	}
	p.PerPage = q.PerPage
	return q, p, nil
}

type sortTab struct {
	Label, URL string
	Current    bool
}

type challengePage struct {
	basePage
	Challenge *gs.Challenge
	Params    listParams
	Result    gs.IdeaPage
	Cards     []ideaCard
	Sorts     []sortTab
	Pager     pager
	ClearURL  string
	Filtered  bool
}

// ideaCard is an idea as a list shows it.
type ideaCard struct {
	gs.Idea
	Question string
	Theme    gs.Theme
	Vote     voteBox
}

func (s *Server) challengeShow(c echo.Context) error {
	ctx := c.Request().Context()
	ch, err := s.part.Challenge(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	q, params, err := parseIdeaQuery(c, ch, gs.DefaultPerPage)
	if err != nil {
		return err
	}
	res, err := s.part.Ideas(ctx, q)
	if err != nil {
		return err
	}
	base := challengePath(ch.Slug)
	page := &challengePage{
		basePage: s.base(c, ch.Title), Challenge: ch, Params: params, Result: res,
		ClearURL: base, Filtered: params.QuestionID != 0 || params.Theme != "" || params.Q != "",
	}
	if page.Cards, err = s.ideaCards(c, ch, res.Ideas); err != nil {
		return err
	}
	for _, so := range gs.Sorts {
		p := params
		p.Sort = so
		page.Sorts = append(page.Sorts, sortTab{Label: so.Label(), URL: withQuery(base, p.values()), Current: so == params.Sort})
	}
	page.Pager = newPager("Pages of ideas", base, params.values(), res.Page, res.Total, res.PerPage)
	return s.render(c, http.StatusOK, "challenge", page)
}

// ideaCards decorates ideas with their question, theme and the viewer's vote.
func (s *Server) ideaCards(c echo.Context, ch *gs.Challenge, ideas []gs.Idea) ([]ideaCard, error) {
	mine, err := s.part.MyVotes(c.Request().Context(), participantHash(c), gs.TargetIdea, ideaIDs(ideas))
	if err != nil {
		return nil, err
	}
	next := c.Request().URL.RequestURI()
	cards := make([]ideaCard, len(ideas))
	for i, idea := range ideas {
		q, _ := ch.Question(idea.QuestionID)
		t, _ := ch.ThemeByID(idea.ThemeID)
		cards[i] = ideaCard{Idea: idea, Question: q.Title, Theme: t,
			Vote: s.voteBox(c, ch, gs.TargetIdea, idea.ID, idea.Up, idea.Down, mine[idea.ID], next+"#idea-"+strconv.FormatInt(idea.ID, 10))}
	}
	return cards, nil
}
