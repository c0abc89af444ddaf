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
)

// fixture is an open challenge with the services that act in it.
type fixture struct {
	ctx  context.Context
	keys *anonymity.Keys
	c    *gs.Challenge
	part *participation.Service
	mod  *moderation.Service
}

// newFixture creates c (an open challenge with one question when nil) under a unique address.
func newFixture(t *testing.T, st *store.Store, c *gs.Challenge) *fixture {
	t.Helper()
	keys, err := anonymity.DeriveKeys([]byte("a test master key that is long enough"))
	if err != nil {
		t.Fatal(err)
	}
	if c == nil {
		c = &gs.Challenge{Title: "Fixture", Phase: gs.PhaseOpen, Questions: []gs.Question{{Title: "One"}}}
	}
	c.Slug = fmt.Sprint("fixture-", time.Now().UnixNano())
	f := &fixture{ctx: context.Background(), keys: keys, c: c, part: participation.New(st, markup.New(), keys), mod: moderation.New(st, markup.New())}
	if err := st.CreateChallenge(f.ctx, c); err != nil {
		t.Fatal(err)
	}
	return f
}

// post publishes an idea by "author" under the first question.
func (f *fixture) post(t *testing.T, title, body string) *gs.Idea {
	t.Helper()
	i, err := f.part.PostIdea(f.ctx, f.keys.TokenHash("author"), f.c, gs.IdeaInput{QuestionID: f.c.Questions[0].ID, Title: title, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// reportedCase has "reporter" report an idea for personal data and returns its one open case.
func (f *fixture) reportedCase(t *testing.T, idea *gs.Idea) gs.Case {
	t.Helper()
	if _, err := f.mod.Report(f.ctx, f.keys.TokenHash("reporter"), time.Hour, gs.TargetIdea, idea.ID, "personal_data", ""); err != nil {
		t.Fatal(err)
	}
	cases, _, err := f.mod.Queue(f.ctx, gs.CaseQuery{ChallengeID: f.c.ID, PerPage: 5})
	if err != nil || len(cases) != 1 {
		t.Fatalf("queue: %v %v", cases, err)
	}
	return cases[0]
}
