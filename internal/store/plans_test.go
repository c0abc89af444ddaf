package store_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// badPlan finds a step of a plan that costs in proportion to the table: on SQLite a scan of
// ideas or a temporary B-tree for the order, on PostgreSQL a sort or a sequential scan.
var badPlan = regexp.MustCompile(`USE TEMP B-TREE|SCAN i\b|Sort\s+\(cost|Seq Scan`)

// indexWalk is a step that reaches ideas through an index.
var indexWalk = regexp.MustCompile(`SEARCH i USING|Index (Only )?Scan (Backward )?using \w+ on ideas`)

// TestListQueriesWalkAnIndex explains the statement of every kind of page of every order, and
// checks that an index of ideas serves its order: a page then costs the same at any size.
func TestListQueriesWalkAnIndex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		idea := &gs.Idea{ID: 40, Score: 0.3, Up: 4, Hot: 1.5, Controversy: 2, Discussion: 0, Fair: 0.1, Shuffle: 12345}
		for _, sort := range append(gs.Sorts, gs.SortShuffled) {
			after, before, last := gs.CursorAt(sort, gs.CursorAfter, idea, 2), gs.CursorAt(sort, gs.CursorBefore, idea, 2), gs.LastCursor(sort, 1)
			pages := []struct {
				name string
				q    gs.IdeaQuery
			}{
				{"first page", gs.IdeaQuery{Page: 1}},
				{"page 3 by number", gs.IdeaQuery{Page: 3}},
				{"next page", gs.IdeaQuery{Cursor: &after}},
				{"previous page", gs.IdeaQuery{Cursor: &before}},
				{"last page", gs.IdeaQuery{Cursor: &last}},
				{"next page of a question", gs.IdeaQuery{Cursor: &after, QuestionID: 3}},
			}
			for _, p := range pages {
				q := p.q
				q.ChallengeID, q.Sort, q.PerPage = 1, sort, 20
				plan, err := st.ListPlan(ctx, q, 1000)
				if err != nil {
					t.Fatalf("%s, %s: %v", sort, p.name, err)
				}
				text := strings.Join(plan, "\n")
				if !indexWalk.MatchString(text) {
					t.Errorf("%s, %s: no index of ideas in the plan:\n%s", sort, p.name, text)
				}
				for _, line := range plan {
					if badPlan.MatchString(line) {
						t.Errorf("%s, %s: %q in the plan:\n%s", sort, p.name, strings.TrimSpace(line), text)
						break
					}
				}
			}
		}
		// The check itself can fail: a plan that sorts is caught.
		if !badPlan.MatchString("USE TEMP B-TREE FOR ORDER BY") || !badPlan.MatchString("  ->  Sort  (cost=1.1..2.2 rows=1 width=8)") ||
			badPlan.MatchString("  ->  Merge Append  (cost=1.1..2.2 rows=1 width=8)") || badPlan.MatchString("        Sort Key: i.fair DESC") {
			t.Error(fmt.Sprint("badPlan does not tell a sort from an index walk: ", badPlan))
		}
	})
}
