package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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

// seeksCursor reports whether a plan starts its walks of ideas at the cursor's key, not at the
// start of the challenge: every SQLite search of ideas ends in a range, one of them by id among
// ideas that tie on the rest of the key, and PostgreSQL's index
// condition holds the row-value comparison (or, for the id alone, a plain one).
func seeksCursor(dsn string, plan []string) bool {
	if strings.HasPrefix(dsn, "postgres") {
		return regexp.MustCompile(`Index Cond: .*(ROW\(.*\)|\(id) [<>] `).MatchString(strings.Join(plan, "\n"))
	}
	byID := false // SQLite seeks a row value by its first column only, and then walks the ties
	for _, line := range plan {
		if strings.HasPrefix(line, "SEARCH i ") {
			if !regexp.MustCompile(`[<>]\?\)$`).MatchString(line) {
				return false
			}
			byID = byID || regexp.MustCompile(`\b(row)?id[<>]\?\)$`).MatchString(line)
		}
	}
	return byID
}

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
				if q.Cursor != nil && q.Cursor.Dir != gs.CursorLast && !seeksCursor(dsn, plan) {
					t.Errorf("%s, %s: the index is not sought at the cursor's key:\n%s", sort, p.name, text)
				}
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

// TestSearchRunsTheMatchOnce explains a search: the match runs once, over a window of matches
// that a LIMIT bounds, and ideas are reached from it by key; the one sort is of that window, by
// rank. (On a big table PostgreSQL walks the GIN index ideas_search for a rare word and the
// challenge's newest ideas for a common one; on an empty one it cannot tell them apart.)
func TestSearchRunsTheMatchOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		plan, err := st.SearchPlan(context.Background(), gs.IdeaQuery{ChallengeID: 1, Sort: gs.SortTop, Text: "rota swaps", Page: 2, PerPage: 20, QuestionID: 4})
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(plan, "\n")
		var want []string
		if strings.HasPrefix(dsn, "postgres") {
			want = []string{"Limit", "Index Cond: (id = i_1.id)"}
		} else {
			want = []string{"SCAN f VIRTUAL TABLE", "SEARCH i USING INTEGER PRIMARY KEY"}
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("no %q in the plan:\n%s", w, text)
			}
		}
		if regexp.MustCompile(`SCAN i\b|Seq Scan on ideas|ideas_fts VIRTUAL TABLE.*\n.*ideas_fts VIRTUAL`).MatchString(text) ||
			strings.Count(text, "VIRTUAL TABLE") > 1 || strings.Count(text, "@@") > 1 || strings.Count(text, "Limit") != 2 && strings.HasPrefix(dsn, "postgres") {
			t.Errorf("the search reads ideas in full or matches twice:\n%s", text)
		}
	})
}

// TestListPlansOnALargeChallenge explains the list and search statements on the 250k-idea
// challenge of the scale issue, where the planner has real numbers to go on. It needs
// GROUNDSWELL_BENCH_DATA (make bench sets it) and runs on SQLite only.
func TestListPlansOnALargeChallenge(t *testing.T) {
	dir := os.Getenv("GROUNDSWELL_BENCH_DATA")
	if dir == "" {
		t.Skip("GROUNDSWELL_BENCH_DATA is not set; make bench builds the 250k-idea challenge there")
	}
	ctx := context.Background()
	st := storetest.Open(t, filepath.Join(dir, "groundswell.db"))
	c, err := st.ChallengeBySlug(ctx, "synthetic-250000")
	if err != nil {
		t.Fatal(err)
	}
	idea := &gs.Idea{ID: 1000, Score: 0.3, Up: 4, Fair: 0.1}
	for _, sort := range append(gs.Sorts, gs.SortShuffled) {
		after, before, last := gs.CursorAt(sort, gs.CursorAfter, idea, 2), gs.CursorAt(sort, gs.CursorBefore, idea, 2), gs.LastCursor(sort, 1)
		for name, cur := range map[string]*gs.IdeaCursor{"page 1": nil, "next": &after, "previous": &before, "last": &last} {
			plan, err := st.ListPlan(ctx, gs.IdeaQuery{ChallengeID: c.ID, Sort: sort, Page: 1, PerPage: 20, Cursor: cur, Cards: true}, 250_000)
			if err != nil {
				t.Fatal(err)
			}
			qplan, err := st.ListPlan(ctx, gs.IdeaQuery{ChallengeID: c.ID, Sort: sort, Page: 1, PerPage: 20, Cursor: cur, Cards: true, QuestionID: c.Questions[0].ID}, 50_000)
			if err != nil {
				t.Fatal(err)
			}
			qtext := strings.Join(qplan, "\n")
			t.Logf("%s, %s, one question:\n%s", sort, name, qtext)
			if badPlan.MatchString(qtext) || (cur != nil && cur.Dir != gs.CursorLast && !seeksCursor("", qplan)) {
				t.Errorf("%s, %s, one question: the plan does not seek an index in order:\n%s", sort, name, qtext)
			}
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(plan, "\n")
			t.Logf("%s, %s:\n%s", sort, name, text)
			if badPlan.MatchString(text) || !indexWalk.MatchString(text) || (cur != nil && cur.Dir != gs.CursorLast && !seeksCursor("", plan)) {
				t.Errorf("%s, %s: the plan does not walk an index in order:\n%s", sort, name, text)
			}
		}
	}
	plan, err := st.SearchPlan(ctx, gs.IdeaQuery{ChallengeID: c.ID, Text: "better", Page: 1, PerPage: 20, Cards: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("search:\n%s", strings.Join(plan, "\n"))
}
