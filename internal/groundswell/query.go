package groundswell

import "strings"

// Sort names an order for idea lists.
type Sort string

// The sorts a list can be asked for.
const (
	SortTop           Sort = "top"           // Wilson lower bound, most confidently liked first
	SortNew           Sort = "new"           // newest first
	SortHot           Sort = "hot"           // net votes, decayed by age
	SortControversial Sort = "controversial" // many votes, evenly split
	SortDiscussed     Sort = "discussed"     // most comments
)

// Sorts lists the sorts offered, in the order they are shown.
var Sorts = []Sort{SortTop, SortHot, SortNew, SortControversial, SortDiscussed}

// ParseSort reads a sort from a query string; empty means top.
func ParseSort(s string) (Sort, error) {
	if s == "" {
		return SortTop, nil
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
	}
	return string(s)
}

// Paging limits.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
	MaxSearchRunes = 200
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
}

// Filtered reports whether the list is narrowed by question, theme or text.
func (f IdeaFilter) Filtered() bool { return f.QuestionID != 0 || f.Theme != "" || f.Text != "" }

// Resolve checks the filter against challenge c and returns the query for the store: asking
// for a question or theme the challenge does not have is a malformed request, not an empty list.
func (f IdeaFilter) Resolve(c *Challenge) (IdeaQuery, error) {
	q := IdeaQuery{ChallengeID: c.ID, Sort: f.Sort, Text: f.Text, Page: max(f.Page, 1), PerPage: f.PerPage}
	if q.Sort == "" {
		q.Sort = SortTop
	}
	if q.PerPage < 1 || q.PerPage > MaxPerPage {
		q.PerPage = DefaultPerPage
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
}

// Pages is the number of pages the total fills (at least one).
func (p IdeaPage) Pages() int {
	if p.Total == 0 || p.PerPage == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}
