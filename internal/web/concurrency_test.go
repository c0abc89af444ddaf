package web_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestConcurrentVotes has 200 participants vote on one idea at the same moment, a third of
// them then flipping and a sixth clearing, and checks that every request succeeds and that the
// counters match the votes exactly.
func TestConcurrentVotes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "Everyone votes on this")
		path := "/ideas/" + id(idea.ID) + "/vote"
		const n = 200
		people := make([]*participant, n)
		for i := range people {
			people[i] = a.participant()
			people[i].get("/ideas/" + id(idea.ID)) // cookie and CSRF token, as a browser would
		}
		wantUp, wantDown := 0, 0
		plan := make([][]string, n)
		for i := range plan {
			switch {
			case i%6 == 0:
				plan[i] = []string{"up", "clear"}
			case i%3 == 0:
				plan[i] = []string{"up", "down"}
				wantDown++
			case i%2 == 0:
				plan[i] = []string{"down", "up", "up"}
				wantUp++
			default:
				plan[i] = []string{"up"}
				wantUp++
			}
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		var failures []string
		for i, p := range people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for _, v := range plan[i] {
					r := p.post(path, vals("value", v))
					if r.status != http.StatusSeeOther {
						mu.Lock()
						failures = append(failures, v+": "+http.StatusText(r.status))
						mu.Unlock()
					}
				}
			}()
		}
		close(start)
		wg.Wait()
		if len(failures) > 0 {
			t.Fatalf("%d requests failed, first: %s", len(failures), failures[0])
		}
		got, err := s.Idea(context.Background(), idea.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Up != wantUp || got.Down != wantDown {
			t.Errorf("counters: %d up %d down, want %d up %d down", got.Up, got.Down, wantUp, wantDown)
		}
		rows := storetest.Dump(t, storetest.Raw(t, dsn), "idea_votes")
		if len(rows) != wantUp+wantDown {
			t.Errorf("vote rows: %d, want %d", len(rows), wantUp+wantDown)
		}
	})
}
