package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// ideaForm is what the participant typed, kept so that a refused form comes back intact.
type ideaForm struct {
	QuestionID int64
	Title      string
	Body       string
	Theme      string
}

type ideaFormPage struct {
	basePage
	Challenge *gs.Challenge
	Form      ideaForm
	Errors    map[string]string
	Similar   []gs.Idea
	Checked   bool // the participant asked for similar ideas
	Closed    string
}

func (s *Server) ideaNew(c echo.Context) error {
	ctx := c.Request().Context()
	ch, err := s.part.ChallengeFor(ctx, c.Param("slug"), participantHash(c))
	if err != nil {
		return err
	}
	s.rememberFor(c, ch)
	if err := s.part.Voice(ctx, ch, participantHash(c)); err != nil {
		return err
	}
	page := &ideaFormPage{basePage: s.base(c, "Share an idea"), Challenge: ch}
	if q, err := queryID(c, "question"); err == nil {
		if _, ok := ch.Question(q); ok {
			page.Form.QuestionID = q
		}
	}
	if !ch.Phase.AcceptsIdeas() {
		page.Closed = s.loc.Say("This challenge is not taking new ideas: it is %s. You can still read the ideas already shared.",
			strings.ToLower(s.loc.Say(ch.Phase.Label())))
	}
	return s.render(c, http.StatusOK, "idea_new", page)
}

func (s *Server) ideaCreate(c echo.Context) error {
	ctx := c.Request().Context()
	ch, err := s.part.Challenge(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	form := ideaForm{Title: vals.Get("title"), Body: vals.Get("body"), Theme: vals.Get("theme")}
	errs := gs.FieldErrors{}
	if raw := strings.TrimSpace(vals.Get("question")); raw != "" {
		if form.QuestionID, err = strconv.ParseInt(raw, 10, 64); err != nil {
			errs.Add("question", "Choose which question your idea answers.")
		}
	}
	page := &ideaFormPage{basePage: s.base(c, "Share an idea"), Challenge: ch, Form: form, Errors: gs.ErrorFields(errs.Err())}
	if vals.Get("action") == "check" {
		page.Checked = true
		if page.Similar, err = s.part.SimilarIdeas(ctx, ch, form.Title); err != nil {
			return err
		}
		return s.render(c, http.StatusOK, "idea_new", page)
	}
	var idea *gs.Idea
	if err = throttled(c); err != nil {
		// refused below, with the form drawn again
	} else if len(errs) == 0 {
		idea, err = s.part.PostIdea(ctx, participantHash(c), ch, gs.IdeaInput{
			QuestionID: form.QuestionID, Title: form.Title, Body: form.Body, Theme: form.Theme,
		})
	} else {
		err = errs.Err()
	}
	if err != nil {
		// A browser's refused form comes back with everything typed; scripts get the error.
		ref, ok := refusedForm(c, err)
		if !ok {
			return err
		}
		if ref.Fields != nil {
			page.Errors = ref.Fields
		} else {
			page.Closed = ref.Message
		}
		page.Similar, _ = s.part.SimilarIdeas(ctx, ch, form.Title)
		return s.render(c, ref.Status, "idea_new", page)
	}
	s.metrics.ideas.Inc()
	url := ideaPath(idea.ID)
	if wantsJSON(c) {
		c.Response().Header().Set(echo.HeaderLocation, url)
		return c.JSON(http.StatusCreated, s.ideaJSON(ch, idea, false))
	}
	s.flashNote(c, notePosted, gs.TargetIdea, idea.ID)
	return c.Redirect(http.StatusSeeOther, url)
}
