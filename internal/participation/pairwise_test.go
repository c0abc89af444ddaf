package participation_test

import (
	"context"
	"fmt"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/participation"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

func TestPairwiseComparisons(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, gs.PhaseOpen)
		var ideas []*gs.Idea
		for k := 0; k < 4; k++ {
			ideas = append(ideas, f.post("author", fmt.Sprintf("Idea to compare %d", k)))
		}
		other, err := f.svc.PostIdea(ctx, f.who("author"), f.c, gs.IdeaInput{QuestionID: f.c.Questions[1].ID, Title: "Another question's idea"})
		if err != nil {
			t.Fatal(err)
		}
		me := f.who("judge")

		t.Run("closed until the voting phase", func(t *testing.T) {
			v, err := f.svc.ComparePage(ctx, f.c.Slug, 0, me)
			if err != nil || v.Closed == "" || v.A != nil {
				t.Fatalf("open phase: %+v, %v; want a closed page with no pair", v, err)
			}
		})
		f.setPhase(gs.PhaseVoting)

		judged := map[[2]int64]bool{}
		t.Run("every pair is two ideas of one question, offered once", func(t *testing.T) {
			for round := 0; ; round++ {
				v, err := f.svc.ComparePage(ctx, f.c.Slug, f.c.Questions[0].ID, me)
				if err != nil {
					t.Fatal(err)
				}
				if v.Done {
					break
				}
				if round > 10 {
					t.Fatal("the pairs never ran out")
				}
				if v.A.ID == v.B.ID || v.A.QuestionID != f.c.Questions[0].ID || v.B.QuestionID != f.c.Questions[0].ID {
					t.Fatalf("pair %d, %d: want two different ideas of the first question", v.A.ID, v.B.ID)
				}
				key := [2]int64{min(v.A.ID, v.B.ID), max(v.A.ID, v.B.ID)}
				if judged[key] {
					t.Fatalf("pair %v offered again after it was judged", key)
				}
				judged[key] = true
				if _, err := f.svc.Compare(ctx, f.c.Slug, me, participation.Judgement{Token: v.Token, Winner: key[0]}); err != nil {
					t.Fatal(err)
				}
				// The same judgement sent twice counts once.
				if _, err := f.svc.Compare(ctx, f.c.Slug, me, participation.Judgement{Token: v.Token, Winner: key[1]}); err != nil {
					t.Fatal(err)
				}
			}
			if len(judged) != 6 {
				t.Errorf("%d pairs judged, want all 6 pairs of 4 ideas", len(judged))
			}
			total := 0
			for _, i := range ideas {
				got, _ := st.Idea(ctx, i.ID)
				total += got.Comparisons
			}
			if total != 12 {
				t.Errorf("comparisons counted %d times, want 12 (6 pairs, once each, twice per pair)", total)
			}
		})

		t.Run("bad judgements are refused", func(t *testing.T) {
			v, err := f.svc.ComparePage(ctx, f.c.Slug, 0, f.who("second judge"))
			if err != nil || v.A == nil {
				t.Fatalf("a new judge got no pair: %+v %v", v, err)
			}
			for name, j := range map[string]participation.Judgement{
				"a forged token":                 {Token: fmt.Sprintf("%d.%d.forged", ideas[0].ID, ideas[1].ID), Winner: ideas[0].ID},
				"another participant's token":    {Token: v.Token, Winner: v.A.ID},
				"a winner outside the pair":      {Token: v.Token, Winner: other.ID},
				"a winner and can't-decide both": {Token: v.Token, Winner: v.A.ID, Skip: true},
			} {
				who := f.who("second judge")
				if name == "another participant's token" {
					who = f.who("someone else")
				}
				if _, err := f.svc.Compare(ctx, f.c.Slug, who, j); err == nil {
					t.Errorf("%s was accepted", name)
				}
			}
			if _, err := f.svc.Compare(ctx, f.c.Slug, f.who("second judge"), participation.Judgement{Token: v.Token, Skip: true}); err != nil {
				t.Errorf("can't decide: %v", err)
			}
		})

		t.Run("the fit ranks the ideas that won", func(t *testing.T) {
			if err := f.svc.RefitPairwise(ctx, f.c.ID); err != nil {
				t.Fatal(err)
			}
			// The judge always preferred the lower id: the first idea won all its comparisons.
			first, _ := st.Idea(ctx, ideas[0].ID)
			last, _ := st.Idea(ctx, ideas[3].ID)
			if !(first.PairChance > 0.5 && last.PairChance < 0.5 && first.PairLow < first.PairChance && first.PairChance < first.PairHigh) {
				t.Errorf("chances: first %.3f (%.3f–%.3f), last %.3f; want the winner above even and the loser below",
					first.PairChance, first.PairLow, first.PairHigh, last.PairChance)
			}
		})
	})
}
