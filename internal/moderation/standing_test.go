package moderation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/groundswell/groundswell/internal/anonymity"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/moderation"
	"github.com/groundswell/groundswell/internal/participation"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestStandingDecidesWhoseReportsHide: reports hide an item only from participants whose browser
// is old enough and who voted or posted in the challenge; three idle old browsers, or three
// active fresh ones, hide nothing, and three with standing do.
func TestStandingDecidesWhoseReportsHide(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		keys, err := anonymity.DeriveKeys([]byte("a test master key that is long enough"))
		if err != nil {
			t.Fatal(err)
		}
		c := &gs.Challenge{Slug: fmt.Sprint("standing-", time.Now().UnixNano()), Title: "Standing", Phase: gs.PhaseOpen,
			Questions: []gs.Question{{Title: "One"}}}
		if err := st.CreateChallenge(ctx, c); err != nil {
			t.Fatal(err)
		}
		part, mod := participation.New(st, markup.New(), keys), moderation.New(st, markup.New())
		post := func(title string) *gs.Idea {
			i, err := part.PostIdea(ctx, keys.TokenHash("author"), c, gs.IdeaInput{QuestionID: c.Questions[0].ID, Title: title})
			if err != nil {
				t.Fatal(err)
			}
			return i
		}
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
