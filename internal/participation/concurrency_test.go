package participation_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestVotesOf256ParticipantsAtOnce has 256 participants vote on four ideas at the same moment,
// each changing its mind a few times, and checks that every vote is acknowledged and that each
// idea's counters and vote rows match the last votes exactly: with group commit, a batch of
// votes on one idea must add up as if they had been cast one by one.
func TestVotesOf256ParticipantsAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		f := newFixture(t, st, gs.PhaseOpen)
		ideas := make([]int64, 4)
		for k := range ideas {
			ideas[k] = f.post(fmt.Sprint("author", k), fmt.Sprintf("Idea %d for everyone", k)).ID
		}
		const n = 256
		// plan[i] is participant i's votes on its idea, in order; the last one stands.
		plan := func(i int) []gs.VoteValue {
			switch i % 4 {
			case 0:
				return []gs.VoteValue{1}
			case 1:
				return []gs.VoteValue{1, -1}
			case 2:
				return []gs.VoteValue{-1, 1, 0}
			}
			return []gs.VoteValue{-1, -1, 1}
		}
		start := make(chan struct{})
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				who := f.who(fmt.Sprint("voter", i))
				for _, v := range plan(i) {
					if _, err := f.svc.Vote(context.Background(), who, gs.TargetIdea, ideas[i/4%len(ideas)], v); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("a vote failed: %v", err)
		}
		wantUp, wantDown := make([]int, len(ideas)), make([]int, len(ideas))
		for i := range n {
			p := plan(i)
			switch p[len(p)-1] {
			case 1:
				wantUp[i/4%len(ideas)]++
			case -1:
				wantDown[i/4%len(ideas)]++
			}
		}
		rows := 0
		for k, id := range ideas {
			got, err := st.Idea(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if got.Up != wantUp[k] || got.Down != wantDown[k] {
				t.Errorf("idea %d: %d up %d down, want %d up %d down", k, got.Up, got.Down, wantUp[k], wantDown[k])
			}
			rows += wantUp[k] + wantDown[k]
		}
		if got := len(storetest.Dump(t, storetest.Raw(t, dsn), "idea_votes")); got != rows {
			t.Errorf("%d vote rows, want %d", got, rows)
		}
	})
}
