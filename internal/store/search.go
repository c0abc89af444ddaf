package store

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// searchWords splits user text into plain words, so that no query syntax typed by a user ever
// reaches FTS5 or tsquery.
func searchWords(text string, max int) []string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
	if len(words) > max {
		words = words[:max]
	}
	return words
}

// SearchWindow is how many of the newest ideas matching a search in a challenge are ranked and
// counted: a word that most ideas contain would otherwise make every search rank them all.
// More matches than this are counted as "more than".
const SearchWindow = 1000

// searchIdeas is Ideas for a search: the ideas matching every word of q.Text (the last as a
// prefix), best match first, paged by number. One statement runs the match once: it takes the
// newest SearchWindow+1 matches from the full-text index in the index's own id order, ranks
// them there (FTS5's bm25, PostgreSQL's ts_rank), counts them, and returns the page.
func (s *Store) searchIdeas(ctx context.Context, q gs.IdeaQuery) (gs.IdeaPage, error) {
	page := gs.IdeaPage{Page: q.Page, PerPage: q.PerPage}
	l, ok := newSearchQuery(s.dialect, q)
	if !ok {
		return page, nil
	}
	var rows []ideaRow
	if err := s.read(ctx).Raw(l.sql, l.args...).Scan(&rows).Error; err != nil {
		return page, wrap(err, "Ideas")
	}
	if len(rows) == 0 && q.Offset() > 0 {
		// A page past the end still says how many matched, as the first page would.
		first := q
		first.Page, first.PerPage = 1, 1
		p, err := s.searchIdeas(ctx, first)
		page.Total, page.Capped = p.Total, p.Capped
		return page, err
	}
	if len(rows) == 0 {
		return page, nil
	}
	page.Total = min(rows[0].Matched, SearchWindow)
	page.Capped = rows[0].Matched > SearchWindow
	page.Ideas = ideasOf(q, rows)
	page.More = q.Offset()+len(rows) < page.Total
	return page, nil
}

// newSearchQuery writes the statement of searchIdeas; it reports false when the text has no
// word to search for, so that nothing matches.
func newSearchQuery(d Dialect, q gs.IdeaQuery) (listQuery, bool) {
	words := searchWords(q.Text, 12)
	if len(words) == 0 {
		return listQuery{}, false
	}
	where, args := listWhere(q, "")
	limit := max(0, min(q.PerPage, SearchWindow-q.Offset()))
	var window, order string
	if d == Postgres {
		m := tsMatch(words)
		window = "SELECT i.id, ts_rank(i.search, to_tsquery('english', ?)) AS rank FROM ideas i WHERE " + where +
			" AND i.search @@ to_tsquery('english', ?) ORDER BY i.id DESC LIMIT ?"
		args = append(append([]any{m}, args...), m, SearchWindow+1)
		order = "x.rank DESC, i.id DESC"
	} else {
		window = "SELECT f.rowid AS id, f.rank AS rank FROM ideas_fts f JOIN ideas i ON i.id = f.rowid WHERE ideas_fts MATCH ? AND " +
			where + " ORDER BY f.rowid DESC LIMIT ?"
		args = append(append([]any{ftsMatch(words)}, args...), SearchWindow+1)
		order = "x.rank, i.id DESC" // bm25 is negative, best first
	}
	sql := "SELECT " + columnsFor(q) + ", count(*) OVER () AS matched FROM (" + window + ") x " +
		"JOIN ideas i ON i.id = x.id JOIN challenges c ON c.id = i.challenge_id ORDER BY " + order + " LIMIT ? OFFSET ?"
	return listQuery{sql: sql, args: append(args, limit, q.Offset()), want: limit, page: q.Page}, true
}

// stopWords are too common to say two titles are alike.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "by": true,
	"can": true, "do": true, "for": true, "from": true, "has": true, "have": true, "how": true,
	"in": true, "is": true, "it": true, "its": true, "more": true, "no": true, "not": true, "of": true,
	"on": true, "or": true, "our": true, "so": true, "that": true, "the": true, "their": true,
	"there": true, "this": true, "to": true, "us": true, "we": true, "what": true, "when": true,
	"where": true, "which": true, "who": true, "why": true, "will": true, "with": true, "would": true,
	"you": true, "your": true, "should": true, "could": true, "all": true, "get": true, "make": true,
}

// SimilarIdeas returns up to limit visible ideas of a challenge whose titles share words with
// title, best match first, so that people can join an idea instead of repeating it.
func (s *Store) SimilarIdeas(ctx context.Context, challengeID int64, title string, limit int) ([]gs.Idea, error) {
	var words []string
	for _, w := range searchWords(title, 24) {
		if len([]rune(w)) >= 3 && !stopWords[w] {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return nil, nil
	}
	var rows []ideaRow
	var err error
	if s.dialect == Postgres {
		terms := make([]string, len(words))
		for i, w := range words {
			terms[i] = w + ":*A"
		}
		query := strings.Join(terms, " | ")
		err = s.read(ctx).Raw("SELECT "+ideaColumns+" FROM ideas i JOIN challenges c ON c.id = i.challenge_id "+
			"WHERE i.challenge_id = ? AND i.status = ? AND i.search @@ to_tsquery('english', ?) "+
			"ORDER BY ts_rank(i.search, to_tsquery('english', ?)) DESC, i.score DESC LIMIT ?",
			challengeID, string(gs.StatusVisible), query, query, limit).Scan(&rows).Error
	} else {
		terms := make([]string, len(words))
		for i, w := range words {
			terms[i] = `"` + w + `"*`
		}
		query := "title : (" + strings.Join(terms, " OR ") + ")"
		err = s.read(ctx).Raw("SELECT "+ideaColumns+" FROM ideas_fts f JOIN ideas i ON i.id = f.rowid "+
			"JOIN challenges c ON c.id = i.challenge_id "+
			"WHERE ideas_fts MATCH ? AND i.challenge_id = ? AND i.status = ? ORDER BY f.rank, i.score DESC LIMIT ?",
			query, challengeID, string(gs.StatusVisible), limit).Scan(&rows).Error
	}
	if err != nil {
		return nil, wrap(err, "Similar ideas")
	}
	out := make([]gs.Idea, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// ftsMatch is an FTS5 query for every word, the last as a prefix; tsMatch is the same for
// PostgreSQL's to_tsquery. Both are built only from plain words, so no query syntax a person
// types reaches either engine.
func ftsMatch(words []string) string {
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = `"` + w + `"`
	}
	terms[len(terms)-1] += "*"
	return strings.Join(terms, " AND ")
}

func tsMatch(words []string) string {
	terms := slices.Clone(words)
	terms[len(terms)-1] += ":*"
	return strings.Join(terms, " & ")
}

// Snippet markers: the search engines put these around matched words; the domain turns them
// into <mark> after escaping the rest. Participants' text cannot contain control characters.
const (
	markStart = "\x02"
	markEnd   = "\x03"
)

// SearchHit is an idea or comment a search found, with its title and an excerpt marked where
// the words matched.
type SearchHit struct {
	ID             int64
	IdeaID         int64
	Title          string // the idea's title; marked when the idea itself matched
	Snippet        string
	ChallengeSlug  string
	ChallengeTitle string
	CreatedAt      time.Time
}

// readableChallenge is the condition on challenges c that anyone may read them: public, and not
// an invite-only challenge kept to those who joined.
const readableChallenge = "c.phase IN ('open', 'voting', 'review', 'published', 'closed') AND (c.access_mode = 'open' OR c.read_without_code)"

// Search finds visible ideas (kind idea) or comments on visible ideas (kind comment) in every
// readable challenge matching all words of text, newest first, with ids below before (0 for the
// first page). The full-text index is walked in id order and stops at limit, so a page costs
// the same however many ideas match.
func (s *Store) Search(ctx context.Context, text string, kind gs.TargetKind, before int64, limit int) ([]SearchHit, error) {
	words := searchWords(text, 12)
	if len(words) == 0 {
		return nil, nil
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	var q string
	var args []any
	pg := s.dialect == Postgres
	switch {
	case kind == gs.TargetIdea && pg:
		q = "SELECT x.id, x.id AS idea_id, ts_headline('english', x.title, to_tsquery('english', ?), ?) AS title, " +
			"ts_headline('english', x.body_md, to_tsquery('english', ?), ?) AS snippet, x.challenge_slug, x.challenge_title, x.created_at FROM (" +
			"SELECT i.id, i.title, i.body_md, c.slug AS challenge_slug, c.title AS challenge_title, i.created_at FROM ideas i " +
			"JOIN challenges c ON c.id = i.challenge_id WHERE i.search @@ to_tsquery('english', ?) AND i.id < ? AND i.status = 'visible' AND " +
			readableChallenge + " ORDER BY i.id DESC LIMIT ?) x ORDER BY x.id DESC"
		m := tsMatch(words)
		args = []any{m, headlineAll, m, headlineFragment, m, before, limit}
	case kind == gs.TargetIdea:
		q = "SELECT i.id, i.id AS idea_id, highlight(ideas_fts, 0, char(2), char(3)) AS title, " +
			"snippet(ideas_fts, 1, char(2), char(3), '…', 24) AS snippet, c.slug AS challenge_slug, c.title AS challenge_title, i.created_at " +
			"FROM ideas_fts JOIN ideas i ON i.id = ideas_fts.rowid JOIN challenges c ON c.id = i.challenge_id " +
			"WHERE ideas_fts MATCH ? AND ideas_fts.rowid < ? AND i.status = 'visible' AND " + readableChallenge +
			" ORDER BY ideas_fts.rowid DESC LIMIT ?"
		args = []any{ftsMatch(words), before, limit}
	case pg:
		q = "SELECT x.id, x.idea_id, x.title, ts_headline('english', x.body_md, to_tsquery('english', ?), ?) AS snippet, " +
			"x.challenge_slug, x.challenge_title, x.created_at FROM (" +
			"SELECT cm.id, cm.idea_id, i.title, cm.body_md, c.slug AS challenge_slug, c.title AS challenge_title, cm.created_at FROM comments cm " +
			"JOIN ideas i ON i.id = cm.idea_id JOIN challenges c ON c.id = i.challenge_id WHERE cm.search @@ to_tsquery('english', ?) " +
			"AND cm.id < ? AND cm.status = 'visible' AND i.status = 'visible' AND " + readableChallenge + " ORDER BY cm.id DESC LIMIT ?) x ORDER BY x.id DESC"
		m := tsMatch(words)
		args = []any{m, headlineFragment, m, before, limit}
	default:
		q = "SELECT cm.id, cm.idea_id, i.title, snippet(comments_fts, 0, char(2), char(3), '…', 24) AS snippet, " +
			"c.slug AS challenge_slug, c.title AS challenge_title, cm.created_at FROM comments_fts JOIN comments cm ON cm.id = comments_fts.rowid " +
			"JOIN ideas i ON i.id = cm.idea_id JOIN challenges c ON c.id = i.challenge_id " +
			"WHERE comments_fts MATCH ? AND comments_fts.rowid < ? AND cm.status = 'visible' AND i.status = 'visible' AND " + readableChallenge +
			" ORDER BY comments_fts.rowid DESC LIMIT ?"
		args = []any{ftsMatch(words), before, limit}
	}
	var hits []SearchHit
	if err := s.read(ctx).Raw(q, args...).Scan(&hits).Error; err != nil {
		return nil, wrap(err, "Search")
	}
	return hits, nil
}

// ts_headline options: the whole title marked, or one short excerpt of a body.
const (
	headlineAll      = "StartSel=" + markStart + ", StopSel=" + markEnd + ", HighlightAll=true"
	headlineFragment = "StartSel=" + markStart + ", StopSel=" + markEnd + ", MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=1, FragmentDelimiter=…"
)

// IdeaSnippets returns, for those of ids that match text, their title and an excerpt of their
// body marked where the words matched: for the ideas a filtered page already shows.
func (s *Store) IdeaSnippets(ctx context.Context, ids []int64, text string) (map[int64]SearchHit, error) {
	words := searchWords(text, 12)
	if len(words) == 0 || len(ids) == 0 {
		return nil, nil
	}
	var hits []SearchHit
	var err error
	if s.dialect == Postgres {
		m := tsMatch(words)
		err = s.read(ctx).Raw("SELECT i.id, i.id AS idea_id, ts_headline('english', i.title, to_tsquery('english', ?), ?) AS title, "+
			"ts_headline('english', i.body_md, to_tsquery('english', ?), ?) AS snippet FROM ideas i WHERE i.id IN ?",
			m, headlineAll, m, headlineFragment, ids).Scan(&hits).Error
	} else {
		// FTS5 would run the match again for each id of an IN list; a range of ids is one walk
		// of it, and the unary + keeps the list a mere filter.
		err = s.read(ctx).Raw("SELECT rowid AS id, rowid AS idea_id, highlight(ideas_fts, 0, char(2), char(3)) AS title, "+
			"snippet(ideas_fts, 1, char(2), char(3), '…', 24) AS snippet FROM ideas_fts WHERE ideas_fts MATCH ? "+
			"AND rowid BETWEEN ? AND ? AND +rowid IN ?", ftsMatch(words), slices.Min(ids), slices.Max(ids), ids).Scan(&hits).Error
	}
	if err != nil {
		return nil, wrap(err, "Search")
	}
	out := make(map[int64]SearchHit, len(hits))
	for _, h := range hits {
		out[h.ID] = h
	}
	return out, nil
}
