package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/moderation"
	"github.com/groundswell/groundswell/internal/participation"
)

// The view types more than one page shares: what every page carries (basePage), pagers, and the
// boxes and cards drawn beside ideas, comments and moderation cases.

// caseActionView is one action form on a moderation case page.
type caseActionView struct {
	Case                        caseView
	Action, Label, Hint         string
	NeedsReason, Text, Duration bool
}

// pager is the previous and next links of a paged list, with the first and last pages where
// they are further away; the partial "pagination" draws it.
type pager struct {
	Label       string // what the pages are of, for screen readers
	Page        int
	Pages       int
	Prev, Next  string
	First, Last string
}

// newPager builds links to the neighbours of page, keeping the query values in keep.
func newPager(label, path string, keep url.Values, page, total, perPage int) pager {
	p := pager{Label: label, Page: page, Pages: max(1, (total+perPage-1)/max(perPage, 1))}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range keep {
			v[k] = vs
		}
		v.Del("page")
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		return withQuery(path, v)
	}
	if page > 1 {
		p.Prev = link(min(page-1, p.Pages))
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}

// keyedPager builds links to the pages around res by their cursors, keeping the query values
// in keep. The first page is linked by its plain address, which always shows the list's start.
func keyedPager(label, path string, keep url.Values, res gs.IdeaPage) pager {
	p := pager{Label: label, Page: res.Page, Pages: max(res.Pages(), res.Page)}
	link := func(c *gs.IdeaCursor) string {
		v := url.Values{}
		for k, vs := range keep {
			v[k] = vs
		}
		v.Del("page")
		if c != nil {
			v.Set("cursor", c.String())
		}
		return withQuery(path, v)
	}
	if res.Prev != nil {
		if res.Prev.Page > 1 {
			p.Prev, p.First = link(res.Prev), link(nil)
		} else {
			p.Prev = link(nil)
		}
	}
	if res.Next != nil {
		p.Next = link(res.Next)
	}
	if res.Last != nil {
		p.Last = link(res.Last)
	}
	return p
}

// at makes the pager's links land on the element with the given id, so that paging keeps the
// reader at the list instead of the top of the page.
func (p pager) at(id string) pager {
	for _, l := range []*string{&p.Prev, &p.Next, &p.First, &p.Last} {
		if *l != "" {
			*l += "#" + id
		}
	}
	return p
}

// basePage is embedded in every page's data.
type basePage struct {
	Title   string
	CSRF    string
	Version string
	Path    string
	// Staff is the signed-in staff member, shown in the header; nil for participants.
	Staff *gs.StaffUser
	// Address is the form page's address, for the script to show after a refused POST.
	Address string
	// Page names the template drawing the page, on <body data-page>, for styles and tests.
	Page string
	// Feed is the address of the page's Atom feed, if it has one.
	Feed string
	// Share describes a public page for link previews (Open Graph and Twitter cards).
	Share *shareMeta
	// Waiting is how many cases wait in the moderation queue, for a moderator's menu: "" for
	// none or for anyone else, "99+" past gs.WaitingShown.
	Waiting string
}

// shareMeta is what a link preview shows of a public page: only what the page itself shows
// everyone, never counts that a challenge hides or anything about who wrote it.
type shareMeta struct{ Title, Description, URL string }

// named lets render record which template draws a page; every page's data embeds basePage.
type named interface {
	setPage(string)
	setAddress(string)
	refused(prefix string)
	staff() *gs.StaffUser
	setWaiting(string)
}

func (b *basePage) setPage(name string) { b.Page = name }

// setAddress records the address a refused form's page should show (see addresses.go).
func (b *basePage) setAddress(a string) { b.Address = a }

func (b *basePage) staff() *gs.StaffUser { return b.Staff }

func (b *basePage) setWaiting(n string) { b.Waiting = n }

// refused marks a page drawn for a refused request: its title says so first, so that a screen
// reader's user hears it on arrival and the tab says it too.
func (b *basePage) refused(prefix string) {
	if !strings.HasPrefix(b.Title, prefix) {
		b.Title = prefix + b.Title
	}
}

func (s *Server) base(c echo.Context, title string) basePage {
	return basePage{Title: s.loc.Say(title), CSRF: csrfToken(c), Version: s.cfg.Version, Path: c.Request().URL.Path, Staff: staffUser(c)}
}

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
func (v voteBox) MineUp() bool { return v.Mine == 1 }

func (v voteBox) MineDown() bool { return v.Mine == -1 }

func (s *Server) voteBox(c echo.Context, ch *gs.Challenge, kind gs.TargetKind, id int64, up, down int, mine gs.VoteValue, next string) voteBox {
	return voteBox{
		Kind: kind, ID: id, Up: up, Down: down, Mine: mine,
		Show: !ch.HideCountsUntilVoted || mine != 0, Open: ch.Phase.AcceptsVotes(),
		CSRF: csrfToken(c), Next: next,
	}
}

// reportBox is what the report partial needs for one idea or comment.
type reportBox struct {
	Action  string
	CSRF    string
	Next    string
	Noun    gs.TargetKind
	Reasons []gs.ReportReason
	Reason  gs.ReportReason
	Details string
	Error   string
	Open    bool
	// Done is set when this participant has reported the item: the box thanks them instead.
	Done bool
}

// reportForm is a report being written, kept so that a refused one comes back intact.
type reportForm struct {
	Kind    gs.TargetKind
	ID      int64
	Reason  gs.ReportReason
	Details string
	Error   string
}

func (s *Server) reportBox(c echo.Context, kind gs.TargetKind, id int64, next string, f reportForm, reported map[string]bool) reportBox {
	b := reportBox{Action: itemPath(string(kind), id) + "/report", CSRF: csrfToken(c), Next: next,
		Noun: kind, Reasons: gs.ReportReasons, Done: reported[string(kind)+":"+strconv.FormatInt(id, 10)]}
	if f.Kind == kind && f.ID == id {
		b.Reason, b.Details, b.Error, b.Open = f.Reason, f.Details, f.Error, true
	}
	return b
}

// caseView is a case with the forms a moderator needs.
type caseView struct {
	gs.Case
	CSRF     string
	Error    string
	Conflict bool
	Fields   map[string]string
	// Action, Stock and Reason are what the moderator chose and typed, when the form comes back.
	Action, Stock string
	Reason        string
	// Groups are the reports gathered by reason.
	Groups []gs.ReportGroup
	// Following is the case listed after this one in the queue, where a decision returns.
	Following int64
	Text      string
	EditTitle string // a redaction's edited title, when the form comes back
	Durations []durationChoice
}

type durationChoice struct {
	Label string
	Days  int
}

func durationChoices() []durationChoice {
	out := make([]durationChoice, len(moderation.SuspensionChoices))
	for i, c := range moderation.SuspensionChoices {
		out[i] = durationChoice{Label: c.Label, Days: int(c.Duration / (24 * time.Hour))}
	}
	return out
}

type sortTab struct {
	Label, URL string
	Current    bool
}

// ideaCard is an idea as a list shows it.
type ideaCard struct {
	gs.Idea
	Question string
	Theme    gs.Theme
	Vote     voteBox
	// Figure is the number the list's order uses, shown so that the order never looks wrong;
	// empty when it would reveal votes the viewer may not see yet.
	Figure string
	// Explored marks an idea placed on the page because few people have seen it yet.
	Explored bool
	// Match is the idea's title and an excerpt marked where a search matched, if there was one.
	Match *participation.Hit
	// Mine marks the viewer's own idea.
	Mine bool
	// Excerpt is the start of the idea's text, as plain words.
	Excerpt string
}

// ideaCards decorates ideas with their question, theme, the viewer's vote and the figure the
// order uses.
func (s *Server) ideaCards(c echo.Context, ch *gs.Challenge, sort gs.Sort, ideas []gs.Idea, mine map[int64]gs.VoteValue, explored map[int64]bool, viewer int64) []ideaCard {
	next := c.Request().URL.RequestURI()
	cards := make([]ideaCard, len(ideas))
	for i, idea := range ideas {
		q, _ := ch.Question(idea.QuestionID)
		t, _ := ch.ThemeByID(idea.ThemeID)
		card := ideaCard{Idea: idea, Question: q.Title, Theme: t, Explored: explored[idea.ID], Mine: viewer != 0 && idea.ParticipantID == viewer,
			Excerpt: markup.Summary(idea.BodyHTML, gs.CardExcerptRunes),
			Vote:    s.voteBox(c, ch, gs.TargetIdea, idea.ID, idea.Up, idea.Down, mine[idea.ID], next+"#idea-"+strconv.FormatInt(idea.ID, 10))}
		if figure, revealing := sort.Figure(&ideas[i]); !revealing || card.Vote.Show {
			card.Figure = sayMsg(s.loc, figure)
		}
		cards[i] = card
	}
	return cards
}

type errorPage struct {
	basePage
	Status  int
	Message string
	// Join offers the way in when an invite-only challenge refused someone without a code.
	Join     bool
	JoinNext string // the page to come back to after joining, for a refused page view
	// Kept is what the person typed into a form that could not be taken, so they can copy it.
	Kept []keptField
}
