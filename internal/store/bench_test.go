package store_test

import (
	"context"
	"fmt"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// benchStore is a SQLite store with one challenge of n ideas carrying a spread of votes.
func benchStore(b *testing.B, n int) (*store.Store, *gs.Challenge) {
	b.Helper()
	s := storetest.Open(b, storetest.DSN(b, store.SQLite))
	ctx := context.Background()
	c := &gs.Challenge{Slug: "bench", Title: "Bench", Phase: gs.PhaseOpen,
		Questions: []gs.Question{{Title: "Q"}}, Themes: []gs.Theme{{Slug: "t", Name: "T"}}}
	if err := s.CreateChallenge(ctx, c); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i++ {
		idea, err := s.CreateIdea(ctx, store.NewIdea{ChallengeID: c.ID, QuestionID: c.Questions[0].ID,
			TokenHash: fmt.Sprint("author", i%50), Title: fmt.Sprintf("Idea number %d about rotas and breaks", i),
			BodyMD: "Body", BodyHTML: "<p>Body</p>"}, allow, namer(fmt.Sprint("author", i%50)))
		if err != nil {
			b.Fatal(err)
		}
		for v := 0; v < i%7; v++ {
			if _, err := s.VoteIdea(ctx, idea.ID, fmt.Sprint("voter", v), gs.VoteValue(1-2*(v%2)), allow); err != nil {
				b.Fatal(err)
			}
		}
	}
	return s, c
}

func BenchmarkListTopIdeas(b *testing.B) {
	s, c := benchStore(b, 2000)
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.Ideas(ctx, gs.IdeaQuery{ChallengeID: c.ID, Sort: gs.SortTop, Page: 3, PerPage: 20}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchIdeas(b *testing.B) {
	s, c := benchStore(b, 2000)
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.Ideas(ctx, gs.IdeaQuery{ChallengeID: c.ID, Sort: gs.SortTop, Text: "rotas breaks", Page: 1, PerPage: 20}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVoteFlip(b *testing.B) {
	s, c := benchStore(b, 10)
	ctx := context.Background()
	page, _ := s.Ideas(ctx, gs.IdeaQuery{ChallengeID: c.ID, Sort: gs.SortNew, Page: 1, PerPage: 1})
	ideaID := page.Ideas[0].ID
	for i := 0; b.Loop(); i++ {
		if _, err := s.VoteIdea(ctx, ideaID, fmt.Sprint("flipper", i%100), gs.VoteValue(1-2*(i/100%2)), allow); err != nil {
			b.Fatal(err)
		}
	}
}
