package participation_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/participation"
	"github.com/groundswell/groundswell/internal/ranking"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

func TestImpressionsCountOncePerParticipant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, gs.PhaseOpen)
		a, b := f.post("author", "Seen a lot"), f.post("author", "Seen once")
		f.svc.Seen(f.who("p1"), a.ID, b.ID)
		f.svc.Seen(f.who("p1"), a.ID, b.ID) // the same participant again: no change
		f.svc.Seen(f.who("p2"), a.ID)
		f.svc.Seen("", a.ID) // no participant: not counted
		if err := f.svc.FlushImpressions(ctx); err != nil {
			t.Fatal(err)
		}
		f.svc.Seen(f.who("p1"), a.ID) // after the flush, still once
		f.svc.Seen(f.who("p3"), a.ID)
		if err := f.svc.FlushImpressions(ctx); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.FlushImpressions(ctx); err != nil { // nothing new: nothing written twice
			t.Fatal(err)
		}
		for _, tt := range []struct {
			idea *gs.Idea
			want int
		}{{a, 3}, {b, 1}} {
			got, err := st.Idea(ctx, tt.idea.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Impressions != tt.want {
				t.Errorf("%q: %d impressions, want %d", got.Title, got.Impressions, tt.want)
			}
			if want := ranking.Fair(got.Up, got.Down, tt.want, f.c.FairMean, ranking.FairPrior); got.Fair != want || !got.Gathering {
				t.Errorf("%q: fair %.4f gathering %v, want %.4f and still gathering", got.Title, got.Fair, got.Gathering, want)
			}
		}
	})
}

func TestGatheringEndsAndFairFollowsVotes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, gs.PhaseOpen)
		liked, ignored := f.post("author", "Liked by those who see it"), f.post("author", "Seen and passed over")
		for n := 0; n < f.c.GatherMin; n++ {
			who := f.who(fmt.Sprint("viewer", n))
			f.svc.Seen(who, liked.ID, ignored.ID)
			if n%2 == 0 {
				if _, err := f.svc.Vote(ctx, who, gs.TargetIdea, liked.ID, 1); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := f.svc.FlushImpressions(ctx); err != nil {
			t.Fatal(err)
		}
		l, _ := st.Idea(ctx, liked.ID)
		i, _ := st.Idea(ctx, ignored.ID)
		if l.Gathering || i.Gathering {
			t.Errorf("after %d impressions: gathering %v and %v, want both done", f.c.GatherMin, l.Gathering, i.Gathering)
		}
		if !(l.Fair > f.c.FairMean && i.Fair < f.c.FairMean) {
			t.Errorf("fair scores %.3f and %.3f around the mean %.3f: want the liked idea above, the ignored below", l.Fair, i.Fair, f.c.FairMean)
		}
		page, err := f.svc.IdeaList(ctx, f.c.Slug, gs.IdeaFilter{}, f.who("reader"), false)
		if err != nil {
			t.Fatal(err)
		}
		if page.Query.Sort != gs.SortFair || len(page.Page.Ideas) != 2 || page.Page.Ideas[0].ID != liked.ID {
			t.Errorf("default list: sort %s, first %v; want the fair order with the liked idea first", page.Query.Sort, page.Page.Ideas)
		}
	})
}

func TestExplorationGivesNewIdeasTheirShare(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, gs.PhaseOpen)
		// Thirty ideas everyone has seen and liked fill the fair order's first page by merit...
		for k := 0; k < 30; k++ {
			idea := f.post("author", fmt.Sprintf("Well known idea %d", k))
			for n := 0; n < f.c.GatherMin; n++ {
				who := f.who(fmt.Sprint("viewer", n))
				f.svc.Seen(who, idea.ID)
				if n < 10 {
					if _, err := f.svc.Vote(ctx, who, gs.TargetIdea, idea.ID, 1); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		if err := f.svc.FlushImpressions(ctx); err != nil {
			t.Fatal(err)
		}
		// ...and ten late ideas nobody has seen yet would not reach it on their own.
		late := map[int64]bool{}
		for k := 0; k < 10; k++ {
			late[f.post("latecomer", fmt.Sprintf("Late idea %d", k)).ID] = true
		}
		for _, who := range []string{"reader one", "reader two", "reader three"} {
			v, err := f.svc.IdeaList(ctx, f.c.Slug, gs.IdeaFilter{PerPage: 20}, f.who(who), true)
			if err != nil {
				t.Fatal(err)
			}
			lateShown, ids := 0, map[int64]bool{}
			for _, i := range v.Page.Ideas {
				if late[i.ID] {
					lateShown++
					if !v.Explored[i.ID] {
						t.Errorf("%s: late idea %d shown but not marked as explored", who, i.ID)
					}
				}
				if ids[i.ID] {
					t.Errorf("%s: idea %d shown twice on one page", who, i.ID)
				}
				ids[i.ID] = true
			}
			if want := participation.ExploreSlots(f.c.ExploreShare, 20); len(v.Page.Ideas) != 20 || lateShown != want {
				t.Errorf("%s: page of %d with %d late ideas, want 20 with %d (a %.0f%% share)", who, len(v.Page.Ideas), lateShown, want, f.c.ExploreShare*100)
			}
			plain, err := f.svc.IdeaList(ctx, f.c.Slug, gs.IdeaFilter{PerPage: 20}, f.who(who), false)
			if err != nil {
				t.Fatal(err)
			}
			for _, i := range plain.Page.Ideas {
				if late[i.ID] {
					t.Errorf("%s: without exploration a late idea reached page 1; the check above proves nothing", who)
				}
			}
		}
	})
}

func TestRecomputeRepairsCounters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, gs.PhaseOpen)
		idea := f.post("author", "Counted twice over")
		for k, v := range []gs.VoteValue{1, 1, -1} {
			if _, err := f.svc.Vote(ctx, f.who(fmt.Sprint("voter", k)), gs.TargetIdea, idea.ID, v); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.PostComment(ctx, f.who("talker"), idea.ID, gs.CommentInput{Kind: gs.KindImplementation, Body: "Like this"}); err != nil {
			t.Fatal(err)
		}
		want, err := st.Idea(ctx, idea.ID)
		if err != nil {
			t.Fatal(err)
		}
		raw := storetest.Raw(t, dsn)
		if _, err := raw.Exec("UPDATE ideas SET up = 40, down = 0, score = 0.9, comments = 7, implementations = 0, discussion = 0 WHERE id = $1", idea.ID); err != nil {
			t.Fatal(err)
		}
		if broken, _ := st.Idea(ctx, idea.ID); broken.Up != 40 {
			t.Fatal("the counters were not broken, so the repair below proves nothing")
		}
		if err := f.svc.Recompute(ctx, f.c.ID); err != nil {
			t.Fatal(err)
		}
		got, _ := st.Idea(ctx, idea.ID)
		if got.Up != 2 || got.Down != 1 || got.Comments != 1 || got.Implementations != 1 || got.Score != want.Score ||
			got.Discussion != want.Discussion || got.Hot != want.Hot {
			t.Errorf("after recompute: %+v; want the counters and scores the live path kept: %+v", got, want)
		}
	})
}

func TestRecentreFairFollowsTheMean(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, gs.PhaseOpen)
		var ideas []*gs.Idea
		for k := 0; k < 3; k++ {
			ideas = append(ideas, f.post("author", fmt.Sprintf("Popular idea %d", k)))
		}
		// Half of everyone who sees an idea votes it up: far above the default centre of 0.1.
		for n := 0; n < 10; n++ {
			who := f.who(fmt.Sprint("viewer", n))
			for _, i := range ideas {
				f.svc.Seen(who, i.ID)
				if n%2 == 0 {
					if _, err := f.svc.Vote(ctx, who, gs.TargetIdea, i.ID, 1); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		if err := f.svc.FlushImpressions(ctx); err != nil {
			t.Fatal(err)
		}
		moved, err := f.svc.RecentreFair(ctx, f.c.ID)
		if err != nil || !moved {
			t.Fatalf("re-centring a mean of 0.5 against a centre of 0.1: moved=%v, %v", moved, err)
		}
		c, _ := st.ChallengeByID(ctx, f.c.ID)
		if c.FairMean != 0.5 {
			t.Errorf("the prior's centre is %v, want the mean 0.5", c.FairMean)
		}
		for _, i := range ideas {
			got, _ := st.Idea(ctx, i.ID)
			if want := ranking.Fair(5, 0, 10, 0.5, ranking.FairPrior); got.Fair != want {
				t.Errorf("%q: fair %.4f, want %.4f under the new centre", got.Title, got.Fair, want)
			}
		}
		if moved, err := f.svc.RecentreFair(ctx, f.c.ID); err != nil || moved {
			t.Errorf("a second re-centring with no drift: moved=%v, %v; want nothing done", moved, err)
		}
	})
}

// TestFairSQLMatchesRanking holds the SQL that batch updates compute the fair score with to
// ranking.Fair, the formula everything else uses.
func TestFairSQLMatchesRanking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, gs.PhaseOpen)
		raw := storetest.Raw(t, dsn)
		cases := [][3]int{{0, 0, 0}, {3, 1, 10}, {5, 5, 0}, {40, 2, 100}, {1, 0, 1}, {0, 7, 29}, {30, 0, 30}}
		var ids []int64
		for k, c := range cases {
			i := f.post("author", fmt.Sprintf("Idea for the formula %d", k))
			if _, err := raw.Exec("UPDATE ideas SET up = $1, down = $2, impressions = $3 WHERE id = $4", c[0], c[1], c[2], i.ID); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, i.ID)
		}
		if _, err := raw.Exec("UPDATE challenges SET fair_mean = 0.137, gather_min = 30 WHERE id = $1", f.c.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.RefreshFair(ids, ranking.FairPrior) }); err != nil {
			t.Fatal(err)
		}
		for k, c := range cases {
			got, _ := st.Idea(ctx, ids[k])
			want := ranking.Fair(c[0], c[1], c[2], 0.137, ranking.FairPrior)
			if math.Abs(got.Fair-want) > 1e-12 || got.Gathering != ranking.Gathering(c[0], c[1], c[2], 30) {
				t.Errorf("up %d down %d seen %d: SQL gave %.15f (gathering %v), ranking.Fair %.15f (%v)",
					c[0], c[1], c[2], got.Fair, got.Gathering, want, ranking.Gathering(c[0], c[1], c[2], 30))
			}
		}
	})
}

// TestHiddenCountsGiveNoOrderByVotes checks that where counts are hidden while voting is open,
// the default list is not ordered by votes: a much-liked idea has no better place than chance.
func TestHiddenCountsGiveNoOrderByVotes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, gs.PhaseOpen)
		var liked *gs.Idea
		for k := 0; k < 30; k++ {
			i := f.post("author", fmt.Sprintf("Idea in a hidden challenge %d", k))
			if k == 29 {
				liked = i
			}
		}
		for n := 0; n < 20; n++ {
			if _, err := f.svc.Vote(ctx, f.who(fmt.Sprint("fan", n)), gs.TargetIdea, liked.ID, 1); err != nil {
				t.Fatal(err)
			}
		}
		open, err := f.svc.IdeaList(ctx, f.c.Slug, gs.IdeaFilter{PerPage: 30}, f.who("reader"), false)
		if err != nil || open.Page.Ideas[0].ID != liked.ID {
			t.Fatalf("with counts shown the liked idea should lead the fair list (so the check below can fail): %v", err)
		}
		if err := st.SetHideCountsUntilVoted(ctx, f.c.ID, true); err != nil {
			t.Fatal(err)
		}
		v, err := f.svc.IdeaList(ctx, f.c.Slug, gs.IdeaFilter{PerPage: 30}, f.who("reader"), false)
		if err != nil {
			t.Fatal(err)
		}
		if v.Query.Sort != gs.SortShuffled {
			t.Errorf("hidden counts: the list is ordered by %s, want the random order", v.Query.Sort)
		}
		other, err := f.svc.IdeaList(ctx, f.c.Slug, gs.IdeaFilter{PerPage: 30}, f.who("another reader"), false)
		if err != nil {
			t.Fatal(err)
		}
		same, asByVotes := true, true
		for k := range v.Page.Ideas {
			same = same && v.Page.Ideas[k].ID == other.Page.Ideas[k].ID
			asByVotes = asByVotes && v.Page.Ideas[k].ID == open.Page.Ideas[k].ID
		}
		if !same || asByVotes || len(v.Page.Ideas) != 30 {
			t.Errorf("hidden counts: %d ideas, the same order for everyone %v, the order by votes %v; want a stable random order",
				len(v.Page.Ideas), same, asByVotes)
		}
	})
}
