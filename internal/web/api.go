package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// coarseTime reports when something was written to the hour only: a precise time can point at
// the one person who was on a break at 14:07.
func coarseTime(t time.Time) string { return t.UTC().Truncate(time.Hour).Format(time.RFC3339) }

type questionJSON struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

type themeJSON struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type challengeJSON struct {
	Slug      string         `json:"slug"`
	Title     string         `json:"title"`
	Phase     gs.Phase       `json:"phase"`
	Questions []questionJSON `json:"questions"`
	Themes    []themeJSON    `json:"themes"`
}

// ideaJSON is an idea as the API shows it. Counts are null where the challenge hides them from
// a participant who has not voted on the idea.
type ideaJSON struct {
	ID              int64    `json:"id"`
	Challenge       string   `json:"challenge"`
	QuestionID      int64    `json:"question_id"`
	Theme           *string  `json:"theme"`
	Title           string   `json:"title"`
	Author          string   `json:"author"`
	BodyHTML        string   `json:"body_html"`
	Up              *int     `json:"up"`
	Down            *int     `json:"down"`
	Score           *float64 `json:"score"`
	Comments        int      `json:"comments"`
	Implementations int      `json:"implementations"`
	CreatedAt       string   `json:"created_at"`
	URL             string   `json:"url"`
}

type ideaWithComments struct {
	ideaJSON
	Comments []commentJSON `json:"comments"`
}

func (s *Server) ideaJSON(ch *gs.Challenge, i *gs.Idea, hide bool) ideaJSON {
	out := ideaJSON{
		ID: i.ID, Challenge: ch.Slug, QuestionID: i.QuestionID, Title: i.Title, Author: i.Author,
		BodyHTML: string(i.BodyHTML), Comments: i.Comments, Implementations: i.Implementations,
		CreatedAt: coarseTime(i.CreatedAt), URL: ideaPath(i.ID),
	}
	if t, ok := ch.ThemeByID(i.ThemeID); ok {
		out.Theme = &t.Slug
	}
	if !hide {
		up, down, score := i.Up, i.Down, i.Score
		out.Up, out.Down, out.Score = &up, &down, &score
	}
	return out
}

func (s *Server) apiChallenges(c echo.Context) error {
	list, err := s.part.Challenges(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]challengeJSON, len(list))
	for i, ch := range list {
		out[i] = challengeJSON{Slug: ch.Slug, Title: ch.Title, Phase: ch.Phase,
			Questions: []questionJSON{}, Themes: []themeJSON{}}
		for _, q := range ch.Questions {
			out[i].Questions = append(out[i].Questions, questionJSON{ID: q.ID, Title: q.Title})
		}
		for _, t := range ch.Themes {
			out[i].Themes = append(out[i].Themes, themeJSON{Slug: t.Slug, Name: t.Name})
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"challenges": out})
}

func (s *Server) apiIdeas(c echo.Context) error {
	f, err := parseIdeaFilter(c)
	if err != nil {
		return err
	}
	v, err := s.part.IdeaList(c.Request().Context(), c.Param("slug"), f, participantHash(c), false)
	if err != nil {
		return err
	}
	ch, res := v.Challenge, v.Page
	ideas := make([]ideaJSON, len(res.Ideas))
	for i := range res.Ideas {
		ideas[i] = s.ideaJSON(ch, &res.Ideas[i], ch.HideCountsUntilVoted && v.MyVotes[res.Ideas[i].ID] == 0)
	}
	out := map[string]any{"ideas": ideas, "page": res.Page, "per_page": res.PerPage, "total": res.Total}
	if res.Next != nil {
		out["next"] = res.Next.String()
	}
	if res.Capped {
		out["total_capped"] = true // more ideas match the search than total counts
	}
	return c.JSON(http.StatusOK, out)
}

// apiSimilar backs the live "similar ideas" hint on the idea form.
func (s *Server) apiSimilar(c echo.Context) error {
	ctx := c.Request().Context()
	ch, err := s.part.ChallengeFor(ctx, c.Param("slug"), participantHash(c))
	if err != nil {
		return err
	}
	title := c.QueryParam("title")
	if len([]rune(title)) > gs.IdeaTitleMax*2 {
		return gs.Errorf(gs.EMALFORMED, "The title is too long to compare.")
	}
	list, err := s.part.SimilarIdeas(ctx, ch, title)
	if err != nil {
		return err
	}
	ideas, err := s.ideasJSON(c, ch, list)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ideas": ideas})
}

func (s *Server) ideasJSON(c echo.Context, ch *gs.Challenge, list []gs.Idea) ([]ideaJSON, error) {
	var mine map[int64]gs.VoteValue
	if ch.HideCountsUntilVoted {
		var err error
		if mine, err = s.part.MyVotes(c.Request().Context(), participantHash(c), gs.TargetIdea, ideaIDs(list)); err != nil {
			return nil, err
		}
	}
	out := make([]ideaJSON, len(list))
	for i := range list {
		out[i] = s.ideaJSON(ch, &list[i], ch.HideCountsUntilVoted && mine[list[i].ID] == 0)
	}
	return out, nil
}

func (s *Server) apiIdea(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "idea")
	if err != nil {
		return err
	}
	idea, ch, err := s.part.Idea(ctx, id, participantHash(c))
	if err != nil {
		return err
	}
	ideas, err := s.ideasJSON(c, ch, []gs.Idea{*idea})
	if err != nil {
		return err
	}
	comments, err := s.part.VisibleComments(ctx, id)
	if err != nil {
		return err
	}
	var mine map[int64]gs.VoteValue
	if ch.HideCountsUntilVoted {
		ids := make([]int64, len(comments))
		for i, cm := range comments {
			ids[i] = cm.ID
		}
		if mine, err = s.part.MyVotes(ctx, participantHash(c), gs.TargetComment, ids); err != nil {
			return err
		}
	}
	out := ideaWithComments{ideaJSON: ideas[0], Comments: make([]commentJSON, len(comments))}
	for i, cm := range comments {
		out.Comments[i] = newCommentJSON(cm, ch.HideCountsUntilVoted && mine[cm.ID] == 0)
	}
	return c.JSON(http.StatusOK, out)
}

func ideaIDs(list []gs.Idea) []int64 {
	ids := make([]int64, len(list))
	for i, idea := range list {
		ids[i] = idea.ID
	}
	return ids
}
