package store

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"gorm.io/gorm"

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

// matchText narrows db (ideas AS i) to ideas matching every word of text, the last as a prefix.
// It reports false when text has no searchable word, in which case nothing matches.
func (s *Store) matchText(db *gorm.DB, text string) (*gorm.DB, bool) {
	words := searchWords(text, 12)
	if len(words) == 0 {
		return db, false
	}
	if s.dialect == Postgres {
		terms := slices.Clone(words)
		terms[len(terms)-1] += ":*"
		return db.Where("i.search @@ to_tsquery('english', ?)", strings.Join(terms, " & ")), true
	}
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = `"` + w + `"`
	}
	terms[len(terms)-1] += "*"
	return db.Where("i.id IN (SELECT rowid FROM ideas_fts WHERE ideas_fts MATCH ?)", strings.Join(terms, " AND ")), true
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
