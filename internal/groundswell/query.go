package groundswell

import (
	"math"
	"strconv"
	"strings"
)

// Sort names an order for idea lists.
type Sort string

// The sorts a list can be asked for.
const (
	SortFair          Sort = "fair"          // up-votes per view, with room for ideas still gathering votes
	SortTop           Sort = "top"           // Wilson lower bound, most confidently liked first
	SortNew           Sort = "new"           // newest first
	SortHot           Sort = "hot"           // net votes, decayed by age
	SortControversial Sort = "controversial" // many votes, evenly split
	SortDiscussed     Sort = "discussed"     // comments, suggestions counting double, recent ones more
	// SortShuffled is the fair list where counts are hidden while voting is open: a random order
	// that says nothing about votes. It is never asked for by name; Resolve chooses it.
	SortShuffled Sort = "shuffled"
)

// Sorts lists the sorts, in the order they are shown.
var Sorts = []Sort{SortFair, SortTop, SortHot, SortNew, SortControversial, SortDiscussed}

// RevealsPopularity reports whether the order itself tells how ideas were voted on, which a
// challenge that hides counts until one votes must not show while voting is open.
func (s Sort) RevealsPopularity() bool {
	return s == SortTop || s == SortHot || s == SortControversial
}

// Explain says in one line what the order means, above every list.
func (s Sort) Explain() string {
	switch s {
	case SortFair:
		return "Ideas that the people who saw them voted up most often come first; some places on each page go to newer ideas that few people have seen yet, so that every idea gets a fair hearing."
	case SortTop:
		return "Ideas most surely liked come first: the share of up-votes, counted cautiously, so that a few votes weigh less than many."
	case SortHot:
		return "Ideas gaining votes now come first: net votes count, and newer ideas get a head start that fades over about half a day."
	case SortNew:
		return "The newest ideas come first."
	case SortControversial:
		return "Ideas that many people voted on, and that divided them most evenly, come first."
	case SortDiscussed:
		return "Ideas with the liveliest discussion come first: every comment counts, a suggestion of how to make it happen counts double, and recent ones count more."
	case SortShuffled:
		return "While vote counts are hidden, ideas come in a random order that says nothing about their votes; some places on each page go to ideas few people have seen yet."
	}
	return ""
}

// Figure is what a card in a list sorted by s shows beside the idea: the figure the order uses,
// so that the order never looks wrong. It is "" for the newest-first list, whose cards show
// the date. Withheld reports whether it tells how the idea was voted on, so that it is shown
// only to someone who may see the idea's counts.
func (s Sort) Figure(i *Idea) (figure Msg, revealsVotes bool) {
	switch s {
	case SortShuffled:
		if i.Gathering {
			return Msg{Format: "Still gathering votes"}, false
		}
		return Msg{}, false
	case SortFair:
		if i.Gathering {
			return Msg{Format: "Still gathering votes"}, false
		}
		return Msg{Format: "%d up-votes per 100 people who saw it", Args: []any{int(math.Round(i.Fair * 100))}}, true
	case SortTop:
		if i.Up+i.Down == 0 {
			return Msg{Format: "No votes yet"}, true
		}
		return Msg{Format: "At least %d%% in favour", Args: []any{int(math.Floor(i.Score * 100))}}, true
	case SortHot:
		return Msg{Format: "%+d net votes", Args: []any{i.Up - i.Down}}, true
	case SortControversial:
		return Msg{Format: "%d for, %d against", Args: []any{i.Up, i.Down}}, true
	case SortDiscussed:
		return Msg{Format: "%[1]s, %[2]s", Args: []any{Plural(i.Comments, "comment", "comments"),
			Plural(i.Implementations, "way to make it happen", "ways to make it happen")}}, false
	}
	return Msg{}, false
}

// Plural is a count and its noun as a message: "1 comment" or "%s comments" with the count.
func Plural(n int, one, many string) Msg {
	if n == 1 {
		return Msg{Format: "1 " + one}
	}
	return Msg{Format: "%s " + many, Args: []any{strconv.Itoa(n)}}
}

// ParseSort reads a sort from a query string; empty means the challenge's default, decided
// when the filter is resolved against it.
func ParseSort(s string) (Sort, error) {
	if s == "" {
		return "", nil
	}
	for _, o := range Sorts {
		if Sort(s) == o {
			return o, nil
		}
	}
	names := make([]string, len(Sorts))
	for i, o := range Sorts {
		names[i] = string(o)
	}
	return "", Errorf(EMALFORMED, "Unknown sort %q: use one of %s.", s, strings.Join(names, ", "))
}

// Label is the sort as shown on a tab.
func (s Sort) Label() string {
	switch s {
	case SortTop:
		return "Top"
	case SortNew:
		return "Newest"
	case SortHot:
		return "Rising"
	case SortControversial:
		return "Divided"
	case SortDiscussed:
		return "Most discussed"
	case SortFair, SortShuffled:
		return "Fair"
	}
	return string(s)
}

// Paging limits.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
	MaxSearchRunes = 200
	// CardExcerptRunes is how much of an idea's text a card in a list shows.
	CardExcerptRunes = 220
)

// IdeaQuery selects a page of a challenge's ideas.
type IdeaQuery struct {
	ChallengeID int64
	Sort        Sort
	QuestionID  int64  // 0: all questions
	ThemeID     int64  // 0: all themes
	Text        string // full-text search, empty for none
	Page        int    // 1-based
	PerPage     int
	// Cursor, when set, places the page by key instead of by Page; its Page is the number shown.
	Cursor *IdeaCursor
	// Cards asks only for what a card in a list shows: no BodyMD, and only the start of a long
	// BodyHTML (see Idea.BodyCut).
	Cards bool
}

// IdeaFilter is a list request as it arrives, its syntax already checked: the question by id
// and the theme by slug, not yet checked against a challenge.
type IdeaFilter struct {
	Sort       Sort
	QuestionID int64  // 0: all questions
	Theme      string // a theme slug, or "" for all
	Text       string
	Page       int
	PerPage    int
	Cursor     *IdeaCursor // a page by key, instead of Page
	Cards      bool        // the list is drawn as cards, which show only an excerpt of each body
}

// Filtered reports whether the list is narrowed by question, theme or text.
func (f IdeaFilter) Filtered() bool { return f.QuestionID != 0 || f.Theme != "" || f.Text != "" }

// Resolve checks the filter against challenge c and returns the query for the store: asking
// for a question or theme the challenge does not have is a malformed request, not an empty list.
func (f IdeaFilter) Resolve(c *Challenge) (IdeaQuery, error) {
	q := IdeaQuery{ChallengeID: c.ID, Sort: f.Sort, Text: f.Text, Page: max(f.Page, 1), PerPage: f.PerPage, Cards: f.Cards}
	if q.Sort == "" {
		q.Sort = c.DefaultSort()
	}
	if !c.Offers(q.Sort) {
		return q, Errorf(ECONFLICT, "This challenge keeps vote counts hidden while voting is open, so its ideas cannot be listed by %s until voting closes. Try the fair order.", strings.ToLower(q.Sort.Label()))
	}
	if q.Sort == SortFair && c.hidesPopularity() {
		q.Sort = SortShuffled // the fair order ranks by votes, which must stay hidden for now
	}
	if q.PerPage < 1 || q.PerPage > MaxPerPage {
		q.PerPage = DefaultPerPage
	}
	if f.Cursor != nil {
		// A cursor holds the key of one order, so it cannot place a page of another, nor of a
		// search, whose order is the match's.
		if f.Cursor.Sort != q.Sort || f.Text != "" {
			return q, errBadCursor()
		}
		if f.Page > 1 {
			return q, Errorf(EMALFORMED, "Ask for a page by its number or by its cursor, not both.")
		}
		q.Cursor, q.Page = f.Cursor, f.Cursor.Page
	}
	if f.QuestionID != 0 {
		if _, ok := c.Question(f.QuestionID); !ok {
			return q, Errorf(EMALFORMED, "This challenge has no question number %d.", f.QuestionID)
		}
		q.QuestionID = f.QuestionID
	}
	if f.Theme != "" {
		t, ok := c.Theme(f.Theme)
		if !ok {
			return q, Errorf(EMALFORMED, "This challenge has no theme called %q.", clip(f.Theme, 40))
		}
		q.ThemeID = t.ID
	}
	return q, nil
}

// clip shortens s to n characters for quoting in a message.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// Offset is the number of rows before the page.
func (q IdeaQuery) Offset() int { return (q.Page - 1) * q.PerPage }

// IdeaPage is one page of ideas with the total that matched.
type IdeaPage struct {
	Ideas   []Idea
	Total   int
	Page    int
	PerPage int
	// Capped reports that more ideas match a search than it counts: Total is a lower bound.
	Capped bool
	// More reports that the list goes on past the page in the direction it was fetched: after
	// it, or before it for a page found backwards from its cursor.
	More bool
	// Prev, Next and Last place the neighbouring pages and the last one by key; nil where there
	// is no such page (Last is nil on the last page and the one before it).
	Prev, Next, Last *IdeaCursor
}

// Pages is the number of pages the total fills (at least one).
func (p IdeaPage) Pages() int {
	if p.Total == 0 || p.PerPage == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}
