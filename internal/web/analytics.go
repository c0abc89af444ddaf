package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/groundswell/groundswell/internal/campaigns"
	gs "github.com/groundswell/groundswell/internal/groundswell"
)

type analyticsPage struct {
	basePage
	A *campaigns.Analytics
	// Admin is the staff dashboard; the public summary leaves out reports.
	Admin                      bool
	Daily                      []chart
	ByQuestion, ByTheme        chart
	Groups, Regions            chart
	AsksAboutPeople, HasThemes bool
}

func (s *Server) analyticsPage(c echo.Context, ch *gs.Challenge, admin bool) (*analyticsPage, error) {
	a, err := s.camp.Analytics(c.Request().Context(), ch)
	if err != nil {
		return nil, err
	}
	title := "In numbers: " + ch.Title
	if admin {
		title = "Dashboard: " + ch.Title
	}
	p := &analyticsPage{basePage: s.base(c, title), A: a, Admin: admin, HasThemes: len(ch.Themes) > 0,
		AsksAboutPeople: ch.StaffGroups != "" || ch.Regions != ""}
	series := []struct {
		id, title, unit string
		pick            func(gs.DayTotals) int
		adminOnly       bool
	}{
		{"contributors", s.loc.Say("New contributors per day"), s.loc.Say("People"), func(d gs.DayTotals) int { return d.Contributors }, false},
		{"ideas", s.loc.Say("Ideas per day"), s.loc.Say("Ideas"), func(d gs.DayTotals) int { return d.Ideas }, false},
		{"comments", s.loc.Say("Comments per day"), s.loc.Say("Comments"), func(d gs.DayTotals) int { return max(0, d.Comments-d.Implementations) }, false},
		{"implementations", s.loc.Say("Ways to make it happen, per day"), s.loc.Say("Suggestions"), func(d gs.DayTotals) int { return d.Implementations }, false},
		{"votes", s.loc.Say("Votes per day"), s.loc.Say("Votes"), func(d gs.DayTotals) int { return d.Votes }, false},
		{"reports", s.loc.Say("Reports per day"), s.loc.Say("Reports"), func(d gs.DayTotals) int { return d.Reports }, true},
	}
	for _, sr := range series {
		if sr.adminOnly && !admin {
			continue
		}
		p.Daily = append(p.Daily, dailyChart("daily-"+sr.id, sr.title, sr.unit, a.Daily, sr.pick, s.loc))
	}
	p.ByQuestion = barsChart("by-question", s.loc.Say("Ideas per question"), s.loc.Say("Ideas"), a.ByQuestion, s.loc)
	p.ByTheme = barsChart("by-theme", s.loc.Say("Ideas per theme"), s.loc.Say("Ideas"), a.ByTheme, s.loc)
	p.Groups = barsChart("by-group", s.loc.Say("People by staff group"), s.loc.Say("People"), groupBars(a.Groups), s.loc)
	p.Regions = barsChart("by-region", s.loc.Say("People by place"), s.loc.Say("People"), groupBars(a.Regions), s.loc)
	return p, nil
}

// adminAnalytics is a challenge's dashboard for admins.
func (s *Server) adminAnalytics(c echo.Context) error {
	ch, err := s.part.ChallengeAny(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	p, err := s.analyticsPage(c, ch, true)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "analytics", p)
}

// challengeSummary is a challenge's figures for everyone.
func (s *Server) challengeSummary(c echo.Context) error {
	ch, err := s.part.ChallengeFor(c.Request().Context(), c.Param("slug"), participantHash(c))
	if err != nil {
		return err
	}
	p, err := s.analyticsPage(c, ch, false)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "analytics", p)
}

type aboutMePage struct {
	basePage
	Challenge     *gs.Challenge
	Groups        []string
	Regions       []string
	Group, Region string
	Errors        map[string]string
	Done          bool
}

func (s *Server) aboutMeForm(c echo.Context, ch *gs.Challenge) (*aboutMePage, error) {
	done, err := s.camp.HasDescribed(c.Request().Context(), ch, participantHash(c))
	if err != nil {
		return nil, err
	}
	return &aboutMePage{basePage: s.base(c, s.loc.Say("About you: %s", ch.Title)), Challenge: ch, Groups: gs.SplitChoices(ch.StaffGroups),
		Regions: gs.SplitChoices(ch.Regions), Done: done}, nil
}

func (s *Server) aboutMeShow(c echo.Context) error {
	ch, err := s.part.ChallengeFor(c.Request().Context(), c.Param("slug"), participantHash(c))
	if err != nil {
		return err
	}
	if ch.StaffGroups == "" && ch.Regions == "" {
		return gs.Errorf(gs.ENOTFOUND, "This challenge does not ask people to describe themselves.")
	}
	p, err := s.aboutMeForm(c, ch)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "about_me", p)
}

func (s *Server) aboutMeSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	ch, err := s.part.ChallengeFor(ctx, c.Param("slug"), participantHash(c))
	if err != nil {
		return err
	}
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	err = s.camp.Describe(ctx, participantHash(c), ch, vals.Get("staff_group"), vals.Get("region"))
	if ref, ok := refusedForm(c, err); ok {
		p, perr := s.aboutMeForm(c, ch)
		if perr != nil {
			return perr
		}
		p.Group, p.Region, p.Errors = vals.Get("staff_group"), vals.Get("region"), fieldsOr(ref, "staff_group")
		return s.render(c, ref.Status, "about_me", p)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, withFlag(challengePath(ch.Slug), "described", "1"))
}
