package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

var queriesRe = regexp.MustCompile(`queries=(\d+)`)

// queriesOf fetches path as p and returns how many database statements the request ran, read
// from the access log line of that request.
func (a *testApp) queriesOf(p *participant, path, route string) int {
	a.t.Helper()
	before := len(a.logs.String())
	r := p.get(path)
	if r.status != http.StatusOK {
		a.t.Fatalf("GET %s: status %d\n%.400s", path, r.status, r.body)
	}
	for _, line := range strings.Split(a.logs.String()[before:], "\n") {
		if !strings.Contains(line, "route="+route+" ") {
			continue
		}
		if m := queriesRe.FindStringSubmatch(line); m != nil {
			n, err := strconv.Atoi(m[1])
			if err != nil {
				a.t.Fatal(err)
			}
			return n
		}
	}
	a.t.Fatalf("no access log line with a query count for %s in:\n%s", route, a.logs.String()[before:])
	return 0
}

// TestQueriesDoNotGrowWithRows checks that the pages with lists run a bounded number of
// statements: no more for a long list than for a short one.
func TestQueriesDoNotGrowWithRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ctx := context.Background()
		reader := a.participant()
		mod, _ := a.staffMember(gs.RoleModerator)
		voter := a.keys.TokenHash("a voter")

		// addRows grows every list by n: ideas with votes, comments on one idea (some hidden
		// and some held), and moderation cases on both ideas and comments.
		idea := a.seedIdea(a.open, "The idea with the discussion")
		addRows := func(n int) {
			t.Helper()
			for i := 0; i < n; i++ {
				other := a.seedIdea(a.open, fmt.Sprintf("Another idea %d", i))
				if _, err := a.part.Vote(ctx, voter, gs.TargetIdea, other.ID, 1); err != nil {
					t.Fatal(err)
				}
				cm, err := a.part.PostComment(ctx, a.keys.TokenHash(fmt.Sprint("commenter", i)), idea.ID, gs.CommentInput{Body: "A comment"})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := a.part.Vote(ctx, voter, gs.TargetComment, cm.ID, -1); err != nil {
					t.Fatal(err)
				}
				wantStatus(t, "report a comment", a.participant().report("comment", cm.ID, "personal_data"), http.StatusSeeOther)
				wantStatus(t, "report an idea", a.participant().report("idea", other.ID, "spam"), http.StatusSeeOther)
			}
		}
		pages := []struct{ name, path, route string }{
			{"idea page", "/ideas/" + id(idea.ID), "/ideas/:id"},
			{"challenge page", "/c/" + a.open.Slug, "/c/:slug"},
			{"moderation queue", "/moderation", "/moderation"},
		}
		measure := func() []int {
			out := make([]int, len(pages))
			for i, pg := range pages {
				who := reader
				if pg.route == "/moderation" {
					who = mod
				}
				out[i] = a.queriesOf(who, pg.path, pg.route)
			}
			return out
		}
		addRows(2)
		small := measure()
		addRows(10)
		large := measure()
		for i, pg := range pages {
			t.Logf("%s: %d statements", pg.name, large[i])
			// The fair list may need one more statement to wrap its random sample of ideas still
			// gathering votes on a small challenge, so the count may fall as rows grow; never rise.
			if small[i] == 0 || large[i] > small[i] {
				t.Errorf("%s: %d statements with 2 rows, %d with 12; want no more with more rows", pg.name, small[i], large[i])
			}
		}
	})
}
