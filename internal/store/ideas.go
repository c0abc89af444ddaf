package store

import (
	"context"
	"slices"
	"strings"
	"time"

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
	if err := tx.db.Omit("ChallengeSlug").Create(&row).Error; err != nil {
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

// listed selects a challenge's visible ideas narrowed by q's question, theme and text; it
// reports false when the text has no word to search for, so nothing matches.
func (s *Store) listed(ctx context.Context, q gs.IdeaQuery) (*gorm.DB, bool) {
	db := s.read(ctx).Table("ideas AS i").Joins("JOIN challenges c ON c.id = i.challenge_id").
		Where("i.challenge_id = ? AND i.status = ?", q.ChallengeID, string(gs.StatusVisible))
	if q.QuestionID != 0 {
		db = db.Where("i.question_id = ?", q.QuestionID)
	}
	if q.ThemeID != 0 {
		db = db.Where("i.theme_id = ?", q.ThemeID)
	}
	if q.Text != "" {
		return s.matchText(db, q.Text)
	}
	return db, true
}

// Ideas returns one page of a challenge's visible ideas in the requested order. A page
// placed by q.Cursor is one walk of the sort's index from the cursor's key: forwards for the
// next page, backwards (then turned round) for the previous one and for the last, whose size
// the visible-idea counters give. A page placed by number skips the rows before it with
// OFFSET, which costs in proportion to the number; the pages' own links use cursors.
func (s *Store) Ideas(ctx context.Context, q gs.IdeaQuery) (gs.IdeaPage, error) {
	page := gs.IdeaPage{Page: q.Page, PerPage: q.PerPage}
	if q.Text != "" {
		return s.searchIdeas(ctx, q)
	}
	db, _ := s.listed(ctx, q)
	n, err := s.visibleCount(ctx, q)
	if err != nil {
		return page, err
	}
	page.Total = n
	want := q.PerPage
	key := sortKeyOf(q.Sort)
	backwards := false
	switch c := q.Cursor; {
	case c == nil:
		if page.Total == 0 || q.Offset() >= page.Total {
			return page, nil
		}
		db = db.Order(key.order(false)).Offset(q.Offset())
	case c.Dir == gs.CursorLast:
		page.Page = page.Pages()
		want = page.Total - (page.Page-1)*q.PerPage
		db, backwards = db.Order(key.order(true)), true
	default:
		backwards = c.Dir == gs.CursorBefore
		args := make([]any, 0, len(c.Keys)+1)
		for _, k := range c.Keys {
			args = append(args, k)
		}
		db = db.Where(key.beyond(backwards), append(args, c.ID)...).Order(key.order(backwards))
	}
	if page.Total == 0 {
		return page, nil
	}
	var rows []ideaRow
	if err := db.Select(ideaColumns).Limit(want + 1).Scan(&rows).Error; err != nil {
		return page, wrap(err, "Ideas")
	}
	if len(rows) > want {
		rows, page.More = rows[:want], true
	}
	if backwards {
		slices.Reverse(rows)
	}
	page.Ideas = domainIdeas(rows)
	return page, nil
}

// searchIdeas is Ideas for a search: the ideas matching q.Text, paged by number.
func (s *Store) searchIdeas(ctx context.Context, q gs.IdeaQuery) (gs.IdeaPage, error) {
	page := gs.IdeaPage{Page: q.Page, PerPage: q.PerPage}
	db, ok := s.listed(ctx, q)
	if !ok {
		return page, nil
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return page, wrap(err, "Ideas")
	}
	page.Total = int(total)
	if page.Total == 0 || q.Offset() >= page.Total {
		return page, nil
	}
	var rows []ideaRow
	err := db.Select(ideaColumns).Order(sortKeyOf(q.Sort).order(false)).Limit(q.PerPage).Offset(q.Offset()).Scan(&rows).Error
	if err != nil {
		return page, wrap(err, "Ideas")
	}
	page.Ideas = domainIdeas(rows)
	page.More = q.Offset()+len(rows) < page.Total
	return page, nil
}

// GatheringIdeas returns up to n visible ideas matching q that are still gathering votes, in
// the order of their random keys from pivot onwards (wrapping round), so that each pivot picks
// a different, fair sample. An index on (challenge_id, status, gathering, shuffle) serves it.
func (s *Store) GatheringIdeas(ctx context.Context, q gs.IdeaQuery, pivot int32, n int) ([]gs.Idea, error) {
	var rows []ideaRow
	for _, half := range []string{"i.shuffle >= ?", "i.shuffle < ?"} {
		if len(rows) >= n {
			break
		}
		db, ok := s.listed(ctx, q)
		if !ok {
			return nil, nil
		}
		var more []ideaRow
		if err := db.Where("i.gathering = ?", true).Where(half, pivot).Select(ideaColumns).Order("i.shuffle").
			Limit(n - len(rows)).Scan(&more).Error; err != nil {
			return nil, wrap(err, "Ideas")
		}
		rows = append(rows, more...)
	}
	return domainIdeas(rows), nil
}

func domainIdeas(rows []ideaRow) []gs.Idea {
	out := make([]gs.Idea, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out
}

// sortKey is the columns a sort orders by, the id last to break ties, and whether they run
// ascending. Every sort runs all its columns one way, so that one row-value comparison places
// a cursor and an index of migration 00003, after (challenge_id, status), serves both the
// order and the comparison in either direction. gs.Sort.Key reads the same values from an idea.
type sortKey struct {
	cols []string
	asc  bool
}

var sortKeys = map[gs.Sort]sortKey{
	gs.SortNew:           {cols: []string{"i.id"}},
	gs.SortTop:           {cols: []string{"i.score", "i.up", "i.id"}},
	gs.SortHot:           {cols: []string{"i.hot", "i.id"}},
	gs.SortControversial: {cols: []string{"i.controversy", "i.id"}},
	gs.SortDiscussed:     {cols: []string{"i.discussion", "i.id"}},
	gs.SortFair:          {cols: []string{"i.fair", "i.id"}},
	gs.SortShuffled:      {cols: []string{"i.shuffle", "i.id"}, asc: true},
}

// sortKeyOf is the key of sort s; an unknown sort is the top order.
func sortKeyOf(s gs.Sort) sortKey {
	if k, ok := sortKeys[s]; ok {
		return k
	}
	return sortKeys[gs.SortTop]
}

// order is the ORDER BY of the sort, or of its reverse.
func (k sortKey) order(reverse bool) string {
	dir := " DESC"
	if k.asc != reverse {
		dir = ""
	}
	return strings.Join(k.cols, dir+", ") + dir
}

// beyond is the condition that a row comes after the cursor's key in the sort (or, reversed,
// before it), with one placeholder per column.
func (k sortKey) beyond(reverse bool) string {
	op := "<"
	if k.asc != reverse {
		op = ">"
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(k.cols)), ", ")
	return "(" + strings.Join(k.cols, ", ") + ") " + op + " (" + marks + ")"
}
