package moderation_test

import (
	"fmt"
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestStandingDecidesWhoseReportsHide: reports hide an item only from participants whose browser
// is old enough and who voted or posted in the challenge; three idle old browsers, or three
// active fresh ones, hide nothing, and three with standing do.
func TestStandingDecidesWhoseReportsHide(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		f := newFixture(t, st, nil)
		ctx, part, mod, keys := f.ctx, f.part, f.mod, f.keys
		post := func(title string) *gs.Idea { return f.post(t, title, "") }
		elsewhere := post("Something to vote on")
		status := func(i *gs.Idea) gs.Status {
			got, err := st.Idea(ctx, i.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.Status
		}
		for _, tc := range []struct {
			name   string
			age    time.Duration
			active bool
			hides  bool
		}{
			{"old but idle browsers", time.Hour, false, false},
			{"active but fresh browsers", time.Minute, true, false},
			{"old and active browsers", time.Hour, true, true},
		} {
			target := post("Target for " + tc.name)
			for k := 0; k < 3; k++ {
				h := keys.TokenHash(fmt.Sprint(tc.name, k))
				if tc.active {
					if _, err := part.Vote(ctx, h, gs.TargetIdea, elsewhere.ID, 1); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := mod.Report(ctx, h, tc.age, gs.TargetIdea, target.ID, "offensive", ""); err != nil {
					t.Fatal(err)
				}
			}
			if got := status(target); (got == gs.StatusPending) != tc.hides {
				t.Errorf("%s: three reports left the idea %s", tc.name, got)
			}
		}
	})
}
