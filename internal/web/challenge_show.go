package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
)

// listValues encodes a list's filter for links, leaving defaults (such as the challenge's
// default sort, def) out so that URLs stay short.
func listValues(f gs.IdeaFilter, def gs.Sort) url.Values {
	v := url.Values{}
	if f.Sort != def && f.Sort != "" {
		v.Set("sort", string(f.Sort))
	}
	if f.QuestionID != 0 {
		v.Set("question", strconv.FormatInt(f.QuestionID, 10))
	}
	if f.Theme != "" {
		v.Set("theme", f.Theme)
	}
	if f.Text != "" {
		v.Set("q", f.Text)
	}
	if f.PerPage != 0 && f.PerPage != gs.DefaultPerPage {
		v.Set("per_page", strconv.Itoa(f.PerPage))
	}
	return v
}

// parseIdeaFilter reads sort, question, theme, q, page, cursor and per_page from the query string,
// checking their syntax; the service checks them against the challenge.
func parseIdeaFilter(c echo.Context) (gs.IdeaFilter, error) {
	var f gs.IdeaFilter
	var err error
	if f.Sort, err = gs.ParseSort(c.QueryParam("sort")); err != nil {
		return f, err
	}
	if f.QuestionID, err = queryID(c, "question"); err != nil {
		return f, err
	}
	f.Theme = strings.TrimSpace(c.QueryParam("theme"))
	f.Text = strings.TrimSpace(c.QueryParam("q"))
	if !utf8.ValidString(f.Text) {
		return f, gs.Errorf(gs.EMALFORMED, "The search text is not valid UTF-8.")
	}
	if utf8.RuneCountInString(f.Text) > gs.MaxSearchRunes {
		return f, gs.Errorf(gs.EMALFORMED, "The search text is too long: use at most %d characters.", gs.MaxSearchRunes)
	}
	if f.Page, err = queryInt(c, "page", 1, gs.MaxPage); err != nil {
		return f, err
	}
	if f.PerPage, err = queryInt(c, "per_page", gs.DefaultPerPage, gs.MaxPerPage); err != nil {
		return f, err
	}
	if raw := c.QueryParam("cursor"); raw != "" {
		cur, err := gs.ParseIdeaCursor(raw)
		if err != nil {
			return f, err
		}
		f.Cursor = &cur
	}
	return f, nil
}

type challengePage struct {
	basePage
	Challenge *gs.Challenge
	Params    gs.IdeaFilter
	Result    gs.IdeaPage
	Cards     []ideaCard
	Sorts     []sortTab
	Explain   string // what the order means, in one line
	Pager     pager
	ClearURL  string
	Filtered  bool
	// Lede is the start of a long brief, shown in full behind "Read the full brief" so that the
	// ideas begin within a phone's first screen; empty when the brief is short enough to show.
	Lede string
	// Preview is an admin's look at the page before it opens.
	Preview bool
	// JoinFirst is set in an invite-only challenge for a participant who has not joined.
	JoinFirst bool
	// Joined is "1" just after joining, "already" when the browser had joined before.
	Joined string
	// AskAboutMe invites the participant to describe themselves; Described thanks them.
	AskAboutMe, Described bool
}

// ledeLength is how much of a long brief a challenge page shows before "Read the full brief".
const ledeLength = 160

func (s *Server) challengeShow(c echo.Context) error {
	f, err := parseIdeaFilter(c)
	if err != nil {
		return err
	}
	f.Cards = true
	h := participantHash(c)
	v, err := s.part.IdeaList(c.Request().Context(), c.Param("slug"), f, h, true)
	if err != nil {
		return err
	}
	ch, res := v.Challenge, v.Page
	f.Sort = v.Query.Sort
	explain, figures := s.loc.Say(f.Sort.Explain()), f.Sort
	if f.Text != "" {
		explain = s.loc.Say("The ideas that match your words best come first.")
		if res.Capped {
			explain += " " + s.loc.Say("So many ideas match that only the newest %s are ranked: add a word to narrow the search.", s.loc.Number(res.Total))
		}
	}
	if f.Sort == gs.SortShuffled {
		f.Sort = gs.SortFair // the tab the participant chose; the order behind it is random for now
	}
	def := ch.DefaultSort()
	base := challengePath(ch.Slug)
	page := &challengePage{
		basePage: shared(c, s.feedPage(c, ch.Title, base+"/feed.atom"), ch.Title, ch.BriefHTML, base), Challenge: ch, Params: f, Result: res, Explain: explain,
		ClearURL: base, Filtered: f.Filtered(), Cards: s.ideaCards(c, ch, figures, res.Ideas, v.MyVotes, v.Explored, v.Viewer),
		Joined: c.QueryParam("joined"), Described: c.QueryParam("described") != "",
	}
	if lede := markup.Summary(ch.BriefHTML, ledeLength); lede != markup.Summary(ch.BriefHTML, math.MaxInt32) {
		page.Lede = lede
	}
	if (ch.StaffGroups != "" || ch.Regions != "") && !page.Described && ch.Phase.AcceptsVotes() {
		done, err := s.camp.HasDescribed(c.Request().Context(), ch, h)
		if err != nil {
			return err
		}
		page.AskAboutMe = !done
	}
	if f.Text != "" && len(page.Cards) > 0 {
		snips, err := s.part.Snippets(c.Request().Context(), res.Ideas, f.Text)
		if err != nil {
			return err
		}
		for i := range page.Cards {
			if m, ok := snips[page.Cards[i].ID]; ok {
				page.Cards[i].Match = &m
			}
		}
	}
	if err := s.part.Voice(c.Request().Context(), ch, h); err != nil {
		if gs.ErrorReason(err) != gs.ReasonNotJoined {
			return err
		}
		page.JoinFirst = true
	}
	for _, so := range ch.Sorts() {
		p := f
		p.Sort = so
		page.Sorts = append(page.Sorts, sortTab{Label: s.loc.Say(so.Label()), URL: withQuery(base, listValues(p, def)) + "#ideas", Current: so == f.Sort})
	}
	s.rememberFor(c, ch)
	if f.Text != "" {
		page.Pager = newPager("Pages of ideas", base, listValues(f, def), res.Page, res.Total, res.PerPage).at("ideas")
	} else {
		page.Pager = keyedPager("Pages of ideas", base, listValues(f, def), res).at("ideas")
	}
	if err := s.render(c, http.StatusOK, "challenge", page); err != nil {
		return err
	}
	s.part.Seen(h, ideaIDs(res.Ideas)...) // counted once the page is drawn
	return nil
}
