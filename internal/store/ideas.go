package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

type ideaRow struct {
	ID              int64 `gorm:"primaryKey"`
	ChallengeID     int64
	ChallengeSlug   string `gorm:"->;-:migration"` // read-only, from a join
	QuestionID      int64
	ThemeID         *int64
	ParticipantID   int64
	Author          string
	Title           string
	BodyMD          string `gorm:"column:body_md"`
	BodyHTML        string `gorm:"column:body_html"`
	Status          string
	StatusReason    string
	Up, Down        int
	Score           float64
	Hot             float64
	Controversy     float64
	Comments        int
	Implementations int
	CreatedAt       time.Time
	Impressions     int
	Fair            float64
	Discussion      float64
	Gathering       bool
	Shuffle         int32
	Comparisons     int
	PairChance      float64
	PairLow         float64
	PairHigh        float64
	Edited          bool
	Matched         int `gorm:"->;-:migration"` // read-only: how many ideas a search counted
}

func (ideaRow) TableName() string { return "ideas" }

func (r ideaRow) domain() gs.Idea {
	i := gs.Idea{
		ID: r.ID, ChallengeID: r.ChallengeID, ChallengeSlug: r.ChallengeSlug, QuestionID: r.QuestionID,
		Author: r.Author, Title: r.Title, BodyMD: r.BodyMD, BodyHTML: gs.HTML(r.BodyHTML),
		Status: gs.Status(r.Status), StatusReason: r.StatusReason, ParticipantID: r.ParticipantID, Up: r.Up, Down: r.Down, Score: r.Score, Hot: r.Hot,
		Controversy: r.Controversy, Comments: r.Comments, Implementations: r.Implementations,
		CreatedAt: r.CreatedAt, Impressions: r.Impressions, Fair: r.Fair, Discussion: r.Discussion, Gathering: r.Gathering,
		Shuffle: r.Shuffle, Comparisons: r.Comparisons, PairChance: r.PairChance, PairLow: r.PairLow, PairHigh: r.PairHigh, Edited: r.Edited,
	}
	if r.ThemeID != nil {
		i.ThemeID = *r.ThemeID
	}
	return i
}

// ideaColumns selects an idea with its challenge's slug; callers join challenges AS c.
const ideaColumns = "i.id, i.challenge_id, c.slug AS challenge_slug, i.question_id, i.theme_id, i.participant_id, " +
	"i.author, i.title, i.body_md, i.body_html, i.status, i.status_reason, i.up, i.down, i.score, i.hot, i.controversy, " +
	"i.comments, i.implementations, i.created_at, i.impressions, i.fair, i.discussion, i.gathering, i.shuffle, " +
	"i.comparisons, i.pair_chance, i.pair_low, i.pair_high, i.edited"

// cardColumns is ideaColumns for a card in a list, which shows an excerpt of the body: the
// Markdown is left out and the HTML read only as far as cardBodyRunes, and one more to show
// that it goes on. The columns stay in their places, for sortKey.resultOrder.
var cardColumns = strings.Replace(ideaColumns, "i.body_md, i.body_html",
	"'' AS body_md, substr(i.body_html, 1, "+strconv.Itoa(cardBodyRunes+1)+") AS body_html", 1)

// cardBodyRunes is how much of a body's HTML a card reads: a 220-rune excerpt needs far less,
// unless links fill it with addresses, and then the service reads the whole body.
const cardBodyRunes = 1000

// ideasOf is the ideas of rows that a list's query read; cards' bodies that cardColumns read
// are cut at cardBodyRunes and marked cut.
func ideasOf(q gs.IdeaQuery, rows []ideaRow) []gs.Idea {
	out := domainIdeas(rows)
	for i := range out {
		if !q.Cards {
			break
		}
		if b := string(out[i].BodyHTML); utf8.RuneCountInString(b) > cardBodyRunes {
			out[i].BodyHTML, out[i].BodyCut = gs.HTML(string([]rune(b)[:cardBodyRunes])), true
		}
	}
	return out
}

// IdeaBodies returns the whole HTML bodies of ideas ids, for cards whose excerpt needs more
// than cardColumns read.
func (s *Store) IdeaBodies(ctx context.Context, ids []int64) (map[int64]gs.HTML, error) {
	var rows []struct {
		ID       int64
		BodyHTML string
	}
	if len(ids) == 0 {
		return nil, nil
	}
	if err := s.read(ctx).Raw("SELECT id, body_html FROM ideas WHERE id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, wrap(err, "Ideas")
	}
	out := make(map[int64]gs.HTML, len(rows))
	for _, r := range rows {
		out[r.ID] = gs.HTML(r.BodyHTML)
	}
	return out, nil
}

// NewIdea is an idea ready to store: validated, its body rendered and sanitized, its author and
// status decided by the service.
type NewIdea struct {
	ChallengeID   int64
	QuestionID    int64
	ThemeID       int64
	ParticipantID int64
	Author        string
	Title         string
	BodyMD        string
	BodyHTML      gs.HTML
	Status        gs.Status
	Hot           float64
	Fair          float64 // the challenge's mean, until someone sees the idea
	Shuffle       int32   // a random key, for choosing among ideas still gathering votes
	CreatedAt     time.Time
}

// InsertIdea stores an idea and returns it with its id.
func (tx *Tx) InsertIdea(in NewIdea) (*gs.Idea, error) {
	row := ideaRow{
		ChallengeID: in.ChallengeID, QuestionID: in.QuestionID, ParticipantID: in.ParticipantID, Author: in.Author,
		Title: in.Title, BodyMD: in.BodyMD, BodyHTML: string(in.BodyHTML), Status: string(in.Status),
		Hot: in.Hot, Fair: in.Fair, Shuffle: in.Shuffle, Gathering: true, PairChance: 0.5, PairHigh: 1, CreatedAt: in.CreatedAt,
	}
	if in.ThemeID != 0 {
		row.ThemeID = &in.ThemeID
	}
	if err := tx.db.Omit("ChallengeSlug", "Matched").Create(&row).Error; err != nil {
		return nil, wrap(err, "Idea")
	}
	i := row.domain()
	return &i, nil
}

// LockChallengeForUpdate reads a challenge inside a write that will change it, locking the row
// for update on PostgreSQL: two such writes then queue instead of deadlocking, as two share
// locks each waiting to be raised would.
func (tx *Tx) LockChallengeForUpdate(id int64) (*gs.Challenge, error) {
	return tx.lockChallenge(id, tx.s.lockRows("c"))
}

// LockChallenge reads a challenge's settings and phase inside a write, share-locking the row on
// PostgreSQL so that a phase change cannot slip between the service's phase check and its
// write. Questions and themes are not loaded.
func (tx *Tx) LockChallenge(id int64) (*gs.Challenge, error) {
	return tx.lockChallenge(id, tx.s.lockShare("c"))
}

func (tx *Tx) lockChallenge(id int64, lock string) (*gs.Challenge, error) {
	var c challengeRow
	if err := tx.db.Raw("SELECT * FROM challenges c WHERE id = ?"+lock, id).Scan(&c).Error; err != nil {
		return nil, wrap(err, "Challenge")
	}
	if c.ID == 0 {
		return nil, gs.Errorf(gs.ENOTFOUND, "Challenge was not found.")
	}
	ch := c.domain()
	return &ch, nil
}

// Idea returns one idea, whatever its status.
func (s *Store) Idea(ctx context.Context, id int64) (*gs.Idea, error) {
	var row ideaRow
	err := s.read(ctx).Raw("SELECT "+ideaColumns+" FROM ideas i JOIN challenges c ON c.id = i.challenge_id WHERE i.id = ?", id).
		Scan(&row).Error
	if err != nil {
		return nil, wrap(err, "Idea")
	}
	if row.ID == 0 {
		return nil, gs.Errorf(gs.ENOTFOUND, "There is no idea number %d.", id)
	}
	i := row.domain()
	return &i, nil
}

// listed selects a challenge's visible ideas narrowed by q's question and theme (not its text).
func (s *Store) listed(ctx context.Context, q gs.IdeaQuery) *gorm.DB {
	where, args := listWhere(q, "")
	return s.read(ctx).Table("ideas AS i").Joins("JOIN challenges c ON c.id = i.challenge_id").Where(where, args...)
}

// Ideas returns one page of a challenge's visible ideas in the requested order. A page
// placed by q.Cursor is one walk of the sort's index from the cursor's key: forwards for the
// next page, backwards (then turned round) for the previous one and for the last, whose size
// the visible-idea counters give. A page placed by number skips the rows before it with
// OFFSET, which costs in proportion to the number; the pages' own links use cursors.
func (s *Store) Ideas(ctx context.Context, q gs.IdeaQuery) (gs.IdeaPage, error) {
	if q.Text != "" {
		return s.searchIdeas(ctx, q)
	}
	page := gs.IdeaPage{Page: q.Page, PerPage: q.PerPage}
	n, err := s.visibleCount(ctx, q)
	if err != nil {
		return page, err
	}
	page.Total = n
	if page.Total == 0 || (q.Cursor == nil && q.Offset() >= page.Total) {
		return page, nil
	}
	l := newListQuery(s.dialect, q, page.Total)
	page.Page = l.page
	var rows []ideaRow
	if err := s.read(ctx).Raw(l.sql, l.args...).Scan(&rows).Error; err != nil {
		return page, wrap(err, "Ideas")
	}
	if len(rows) > l.want {
		rows, page.More = rows[:l.want], true
	}
	if l.backwards {
		slices.Reverse(rows)
	}
	page.Ideas = ideasOf(q, rows)
	return page, nil
}

// listQuery is the statement for one page of a list: want rows and one more, which shows that
// the list goes on, walked backwards for a page before a cursor and for the last page.
type listQuery struct {
	sql       string
	args      []any
	want      int
	backwards bool
	page      int // the page's number
}

// newListQuery writes the statement for the page q asks for of a list of total ideas, in
// dialect d.
func newListQuery(d Dialect, q gs.IdeaQuery, total int) listQuery {
	key := sortKeyOf(q.Sort)
	where, args := listWhere(q, "")
	from := "SELECT " + columnsFor(q) + " FROM ideas i JOIN challenges c ON c.id = i.challenge_id WHERE " + where
	l := listQuery{want: q.PerPage, page: q.Page}
	switch c := q.Cursor; {
	case c == nil:
		l.sql, l.args = from+" ORDER BY "+key.order(false)+" LIMIT ? OFFSET ?", append(args, l.want+1, q.Offset())
	case c.Dir == gs.CursorLast:
		l.page = max(1, (total+q.PerPage-1)/q.PerPage)
		l.want, l.backwards = total-(l.page-1)*q.PerPage, true
		l.sql, l.args = from+" ORDER BY "+key.order(true)+" LIMIT ?", append(args, l.want+1)
	default:
		l.backwards = c.Dir == gs.CursorBefore
		l.sql, l.args = key.beyond(d, q, c, l.backwards, l.want+1)
	}
	return l
}

// GatheringIdeas returns up to n visible ideas in q's question and theme that are still
// gathering votes (a search does not explore), in
// the order of their random keys from pivot onwards (wrapping round), so that each pivot picks
// a different, fair sample. An index on (challenge_id, status, gathering, shuffle) serves it.
func (s *Store) GatheringIdeas(ctx context.Context, q gs.IdeaQuery, pivot int32, n int) ([]gs.Idea, error) {
	var rows []ideaRow
	for _, half := range []string{"i.shuffle >= ?", "i.shuffle < ?"} {
		if len(rows) >= n {
			break
		}
		var more []ideaRow
		if err := s.listed(ctx, q).Where("i.gathering = ?", true).Where(half, pivot).Select(columnsFor(q)).Order("i.shuffle").
			Limit(n - len(rows)).Scan(&more).Error; err != nil {
			return nil, wrap(err, "Ideas")
		}
		rows = append(rows, more...)
	}
	return ideasOf(q, rows), nil
}

func domainIdeas(rows []ideaRow) []gs.Idea {
	out := make([]gs.Idea, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out
}

// sortKey is the columns a sort orders by, the id last to break ties, and whether they run
// ascending. Every sort runs all its columns one way, and an index of migration 00003, after
// (challenge_id, status), covers each, so that one walk of it serves a page in either
// direction. gs.Sort.Key reads the same values from an idea.
type sortKey struct {
	cols []keyColumn
	asc  bool
}

// keyColumn is a column of a sort key; an integer one is compared with an integer, which
// PostgreSQL needs to use its index.
type keyColumn struct {
	name    string
	integer bool
}

var sortKeys = map[gs.Sort]sortKey{
	gs.SortNew:           {cols: []keyColumn{{"id", true}}},
	gs.SortTop:           {cols: []keyColumn{{"score", false}, {"up", true}, {"id", true}}},
	gs.SortHot:           {cols: []keyColumn{{"hot", false}, {"id", true}}},
	gs.SortControversial: {cols: []keyColumn{{"controversy", false}, {"id", true}}},
	gs.SortDiscussed:     {cols: []keyColumn{{"discussion", false}, {"id", true}}},
	gs.SortFair:          {cols: []keyColumn{{"fair", false}, {"id", true}}},
	gs.SortShuffled:      {cols: []keyColumn{{"shuffle", true}, {"id", true}}, asc: true},
}

// sortKeyOf is the key of sort s; an unknown sort is the top order.
func sortKeyOf(s gs.Sort) sortKey {
	if k, ok := sortKeys[s]; ok {
		return k
	}
	return sortKeys[gs.SortTop]
}

// order is the ORDER BY of the sort, or of its reverse, over ideas i.
func (k sortKey) order(reverse bool) string {
	return k.orderOf(func(c keyColumn) string { return "i." + c.name }, reverse)
}

// resultOrder is order for a compound SELECT of ideaColumns, whose ORDER BY can name only its
// result's columns, here by their place.
func (k sortKey) resultOrder(reverse bool) string {
	cols := strings.Split(ideaColumns, ", ")
	return k.orderOf(func(c keyColumn) string { return strconv.Itoa(slices.Index(cols, "i."+c.name) + 1) }, reverse)
}

func (k sortKey) orderOf(term func(keyColumn) string, reverse bool) string {
	dir := " DESC"
	if k.asc != reverse {
		dir = ""
	}
	terms := make([]string, len(k.cols))
	for i, c := range k.cols {
		terms[i] = term(c) + dir
	}
	return strings.Join(terms, ", ")
}

// beyond is the query for up to limit of the ideas q lists that come after cursor c's key in
// the sort (or, reversed, before it), in that direction. PostgreSQL seeks its index by the
// row-value comparison (score, up, id) < (?, ?, ?). SQLite seeks by it only as far as the
// first column, then walks every idea that ties on that: 150,000 of a 250,000-idea challenge
// tie at no discussion. So for SQLite the comparison is written out as one arm per column,
// (score = ? AND up = ? AND id < ?), (score = ? AND up < ?), (score < ?), each a seek of the
// index, merged by UNION ALL under one ORDER BY and LIMIT, which SQLite reads lazily from the
// arms' index walks (MERGE (UNION ALL) in its plan).
func (k sortKey) beyond(d Dialect, q gs.IdeaQuery, c *gs.IdeaCursor, reverse bool, limit int) (string, []any) {
	vals := make([]any, len(k.cols))
	for i, col := range k.cols {
		switch {
		case i == len(k.cols)-1:
			vals[i] = c.ID
		case col.integer:
			vals[i] = int64(c.Keys[i])
		default:
			vals[i] = c.Keys[i]
		}
	}
	op := " < ?"
	if k.asc != reverse {
		op = " > ?"
	}
	where, whereArgs := listWhere(q, "")
	if d != Postgres && len(k.cols) > 1 {
		// Without statistics SQLite may seek an arm through the question's or theme's own index
		// and walk all of that question's ideas; the + leaves it the sort's index.
		where, whereArgs = listWhere(q, "+")
	}
	from := "SELECT " + columnsFor(q) + " FROM ideas i JOIN challenges c ON c.id = i.challenge_id WHERE " + where
	if d == Postgres {
		names := make([]string, len(k.cols))
		for i, col := range k.cols {
			names[i] = "i." + col.name
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(k.cols)), ", ")
		cmp := " AND (" + strings.Join(names, ", ") + ")" + strings.Replace(op, "?", "("+marks+")", 1)
		return from + cmp + " ORDER BY " + k.order(reverse) + " LIMIT ?", append(append(whereArgs, vals...), limit)
	}
	var arms []string
	var args []any
	for level := len(k.cols) - 1; level >= 0; level-- {
		arm := from
		args = append(args, whereArgs...)
		for i := range level {
			arm += " AND i." + k.cols[i].name + " = ?"
			args = append(args, vals[i])
		}
		arms = append(arms, arm+" AND i."+k.cols[level].name+op)
		args = append(args, vals[level])
	}
	order := k.resultOrder(reverse)
	if len(arms) == 1 {
		order = k.order(reverse)
	}
	return strings.Join(arms, " UNION ALL ") + " ORDER BY " + order + " LIMIT ?", append(args, limit)
}

// columnsFor is what a list's query selects: all of each idea, or what its card shows.
func columnsFor(q gs.IdeaQuery) string {
	if q.Cards {
		return cardColumns
	}
	return ideaColumns
}

// listWhere is the condition on ideas i of the list q asks for, without its text: listed's,
// for a query written out by hand. filter prefixes the question and theme terms: "+" keeps
// SQLite from seeking by them.
func listWhere(q gs.IdeaQuery, filter string) (string, []any) {
	where, args := "i.challenge_id = ? AND i.status = ?", []any{q.ChallengeID, string(gs.StatusVisible)}
	if q.QuestionID != 0 {
		where, args = where+" AND "+filter+"i.question_id = ?", append(args, q.QuestionID)
	}
	if q.ThemeID != 0 {
		where, args = where+" AND "+filter+"i.theme_id = ?", append(args, q.ThemeID)
	}
	return where, args
}
