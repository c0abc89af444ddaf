package participation_test

import (
	"context"
	"fmt"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// benchFixture is a SQLite challenge of n ideas carrying a spread of votes.
func benchFixture(b *testing.B, n int) *fixture {
	b.Helper()
	f := newFixture(b, storetest.Open(b, storetest.DSN(b, store.SQLite)), gs.PhaseOpen)
	ctx := context.Background()
	for i := 0; i < n; i++ {
		idea, err := f.svc.PostIdea(ctx, f.who(fmt.Sprint("author", i%50)), f.c, gs.IdeaInput{QuestionID: f.c.Questions[0].ID,
			Title: fmt.Sprintf("Idea number %d about rotas and breaks", i), Body: "Body"})
		if err != nil {
			b.Fatal(err)
		}
		for v := 0; v < i%7; v++ {
			if _, err := f.svc.Vote(ctx, f.who(fmt.Sprint("voter", v)), gs.TargetIdea, idea.ID, gs.VoteValue(1-2*(v%2))); err != nil {
				b.Fatal(err)
			}
		}
	}
	return f
}

func BenchmarkListTopIdeas(b *testing.B) {
	f := benchFixture(b, 2000)
	ctx := context.Background()
	for b.Loop() {
		if _, err := f.svc.Ideas(ctx, gs.IdeaQuery{ChallengeID: f.c.ID, Sort: gs.SortTop, Page: 3, PerPage: 20}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchIdeas(b *testing.B) {
	f := benchFixture(b, 2000)
	ctx := context.Background()
	for b.Loop() {
		if _, err := f.svc.Ideas(ctx, gs.IdeaQuery{ChallengeID: f.c.ID, Sort: gs.SortTop, Text: "rotas breaks", Page: 1, PerPage: 20}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVoteFlip(b *testing.B) {
	f := benchFixture(b, 10)
	ctx := context.Background()
	page, _ := f.svc.Ideas(ctx, gs.IdeaQuery{ChallengeID: f.c.ID, Sort: gs.SortNew, Page: 1, PerPage: 1})
	ideaID := page.Ideas[0].ID
	for i := 0; b.Loop(); i++ {
		if _, err := f.svc.Vote(ctx, f.who(fmt.Sprint("flipper", i%100)), gs.TargetIdea, ideaID, gs.VoteValue(1-2*(i/100%2))); err != nil {
			b.Fatal(err)
		}
	}
}
