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

// TestVoteSurgeIsFlaggedAndDiscounted: a burst of up-votes from fresh browsers on a quiet idea
// opens a case marked as a surge; a moderator discounts them, and the idea's count falls back
// while the votes stay recorded. A discounted voter changing their vote moves nothing, and a
// full recount leaves the discounted votes out.
func TestVoteSurgeIsFlaggedAndDiscounted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		f := newFixture(t, st, nil)
		ctx := f.ctx
		start := time.Now().Add(-48 * time.Hour)
		st.Now = func() time.Time { return start }
		idea := f.post(t, "Quiet idea about lockers", "")
		st.Now = time.Now
		for k := 0; k < 2; k++ { // its usual, slow support from long-known browsers
			if _, err := f.part.Vote(ctx, f.keys.TokenHash(fmt.Sprint("regular", k)), gs.TargetIdea, idea.ID, 1); err != nil {
				t.Fatal(err)
			}
		}
		for k := 0; k < 12; k++ {
			if _, err := f.part.VoteFrom(ctx, f.keys.TokenHash(fmt.Sprint("puppet", k)), time.Minute, gs.TargetIdea, idea.ID, 1); err != nil {
				t.Fatal(err)
			}
		}
		got, _ := st.Idea(ctx, idea.ID)
		if got.Up != 14 {
			t.Fatalf("before moderation the idea has %d up, want 14", got.Up)
		}
		cases, _, err := f.mod.Queue(ctx, gs.CaseQuery{ChallengeID: f.c.ID, PerPage: 5})
		if err != nil || len(cases) != 1 || cases[0].Surge < gs.SurgeMin {
			t.Fatalf("no surge case: %+v, %v", cases, err)
		}
		if _, err := f.mod.Act(ctx, gs.ModerationCommand{CaseID: cases[0].ID, Version: cases[0].Version, Action: gs.ActDiscount}, gs.Actor{Name: "mod"}); err != nil {
			t.Fatal(err)
		}
		got, _ = st.Idea(ctx, idea.ID)
		if got.Up != 2 {
			t.Errorf("after discounting the idea has %d up, want the 2 that count", got.Up)
		}
		if _, err := f.part.VoteFrom(ctx, f.keys.TokenHash("puppet0"), time.Minute, gs.TargetIdea, idea.ID, -1); err != nil {
			t.Fatal(err)
		}
		if got, _ = st.Idea(ctx, idea.ID); got.Up != 2 || got.Down != 0 {
			t.Errorf("a discounted voter's change moved the counts: %d up, %d down", got.Up, got.Down)
		}
		db := storetest.Raw(t, dsn)
		var rows, discounted int
		q := "SELECT COUNT(*), SUM(CASE WHEN discounted THEN 1 ELSE 0 END) FROM idea_votes WHERE idea_id = "
		if err := db.QueryRow(q+fmt.Sprint(idea.ID)).Scan(&rows, &discounted); err != nil || rows != 14 || discounted != 12 {
			t.Errorf("votes kept: %d rows, %d discounted (%v); want 14 and 12", rows, discounted, err)
		}
		if err := f.part.Recompute(ctx, f.c.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ = st.Idea(ctx, idea.ID); got.Up != 2 {
			t.Errorf("a full recount counted discounted votes: %d up", got.Up)
		}
		entries, _, _ := st.AuditLog(ctx, gs.AuditQuery{Action: "surge", PerPage: 50})
		found := false
		for _, e := range entries {
			found = found || e.TargetID == idea.ID
		}
		if !found {
			t.Error("the surge was not audited")
		}
	})
}

// TestSlowDripIsSeen: fresh browsers voting too slowly to make a burst still reach the
// moderators once most of an idea's votes are theirs.
func TestSlowDripIsSeen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		f := newFixture(t, st, nil)
		now := time.Now().Add(-30 * 24 * time.Hour)
		st.Now = func() time.Time { return now }
		idea := f.post(t, "An idea someone wants to win", "")
		if _, err := f.part.Vote(f.ctx, f.keys.TokenHash("regular"), gs.TargetIdea, idea.ID, 1); err != nil {
			t.Fatal(err)
		}
		flagged := 0
		for k := 0; k < gs.StuffedMin+2; k++ {
			now = now.Add(gs.SurgeWindow + time.Minute) // never a burst
			if _, err := f.part.VoteFrom(f.ctx, f.keys.TokenHash(fmt.Sprint("drip", k)), time.Minute, gs.TargetIdea, idea.ID, 1); err != nil {
				t.Fatal(err)
			}
			cases, _, err := f.mod.Queue(f.ctx, gs.CaseQuery{ChallengeID: f.c.ID, PerPage: 5})
			if err != nil {
				t.Fatal(err)
			}
			if len(cases) == 1 && flagged == 0 {
				flagged = k + 1
				if cases[0].Surge != gs.StuffedMin {
					t.Errorf("the case records %d votes, want %d", cases[0].Surge, gs.StuffedMin)
				}
			}
		}
		if flagged != gs.StuffedMin {
			t.Errorf("the drip was flagged after %d fresh votes, want %d", flagged, gs.StuffedMin)
		}
		st.Now = time.Now
	})
}
