package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/groundswell/groundswell/internal/demo"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestSearchCountIsCapped searches a challenge of 1,050 ideas: a word that every idea holds is
// counted as "more than 1,000", without counting every match, and a rarer one exactly.
func TestSearchCountIsCapped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		size := demo.Size{Ideas: 1050, Participants: 20}
		if _, err := demo.Synthetic(context.Background(), s, a.keys, size, nil); err != nil {
			t.Fatal(err)
		}
		slug := demo.SyntheticSlug(size.Ideas)
		p := a.participant()

		every := p.get("/c/" + slug + "?q=better")
		wantStatus(t, "a search that every idea matches", every, http.StatusOK)
		for _, want := range []string{"(more than 1,000)", "only the newest 1,000 are ranked", "Page 1 of 50"} {
			if !strings.Contains(every.body, want) {
				t.Errorf("a search that every idea matches does not say %q", want)
			}
		}
		if strings.Contains(every.body, `class="tabs"`) {
			t.Error("a search offers sort tabs, but it is ranked by how well ideas match")
		}
		var list struct {
			Ideas  []struct{ ID int64 }
			Total  int
			Capped bool `json:"total_capped"`
		}
		p.getJSON("/api/v1/challenges/"+slug+"/ideas?q=better&per_page=100", &list)
		if list.Total != 1000 || !list.Capped || len(list.Ideas) != 100 {
			t.Errorf("the API's search for a word every idea holds: total %d, capped %v, %d ideas; want 1000, true, 100", list.Total, list.Capped, len(list.Ideas))
		}
		seen := map[int64]bool{}
		for _, i := range list.Ideas {
			seen[i.ID] = i.ID > 0
		}
		if len(seen) != len(list.Ideas) || seen[0] {
			t.Errorf("the API's search returned ideas without ids or twice: %v", list.Ideas)
		}
		// Pages go as far as the ranked ideas do, and no further.
		last := p.get("/c/" + slug + "?q=better&page=50")
		if !strings.Contains(last.body, "Page 50 of 50") || strings.Contains(last.body, `rel="next"`) {
			t.Error("page 50 of a capped search is not its last page")
		}

		// "7" as a prefix: ideas 7, 70 to 79 and 700 to 799, whose titles and bodies hold the number.
		list.Capped = false
		p.getJSON("/api/v1/challenges/"+slug+"/ideas?q=idea+7&per_page=100", &list)
		if list.Total != 111 || list.Capped {
			t.Errorf("a search for 111 ideas: total %d, capped %v; want 111, exact", list.Total, list.Capped)
		}
		rare := p.get("/c/" + slug + "?q=idea+7")
		if !strings.Contains(rare.body, "(111)") || strings.Contains(rare.body, "more than") {
			t.Error("a search for 111 ideas does not count them exactly")
		}
	})
}
