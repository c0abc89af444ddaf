package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/groundswell/groundswell/internal/anonymity"
	"github.com/groundswell/groundswell/internal/demo"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/participation"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

func TestSeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		ctx := context.Background()
		keys, err := anonymity.DeriveKeys(make([]byte, 64))
		if err != nil {
			t.Fatal(err)
		}
		svc := participation.New(s, markup.New(), keys)

		created, err := demo.Seed(ctx, s, svc, keys)
		if err != nil {
			t.Fatalf("first Seed: %v", err)
		}
		if !created {
			t.Fatal("first Seed reported created=false on an empty database")
		}

		c, err := svc.Challenge(ctx, demo.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if c.Phase != gs.PhaseOpen {
			t.Errorf("phase = %q, want %q", c.Phase, gs.PhaseOpen)
		}
		if len(c.Questions) != 3 {
			t.Errorf("%d questions, want 3", len(c.Questions))
		}
		if len(c.Themes) < 5 {
			t.Errorf("%d themes, want at least 5", len(c.Themes))
		}
		if c.BriefHTML == "" {
			t.Error("the brief was not rendered")
		}

		page := ideas(t, svc, c.ID)
		if page.Total < 20 {
			t.Errorf("%d ideas, want at least 20", page.Total)
		}
		var implemented, disliked, comments, votes bool
		for _, i := range page.Ideas {
			implemented = implemented || i.Implementations > 0
			disliked = disliked || i.Down > 0
			comments = comments || i.Comments > 0
			votes = votes || i.Up+i.Down > 0
		}
		if !implemented {
			t.Error("no idea has an implementation suggestion")
		}
		if !disliked {
			t.Error("no idea has a down vote")
		}
		if !comments || !votes {
			t.Errorf("ideas have comments: %v, votes: %v; want both", comments, votes)
		}
		if len(page.Ideas) == 0 || page.Ideas[0].Up == 0 {
			t.Error("the top idea has no up votes")
		}

		created, err = demo.Seed(ctx, s, svc, keys)
		if err != nil {
			t.Fatalf("second Seed: %v", err)
		}
		if created {
			t.Error("second Seed reported created=true")
		}
		if again := ideas(t, svc, c.ID); again.Total != page.Total {
			t.Errorf("after a second Seed there are %d ideas, want %d", again.Total, page.Total)
		}
	})
}

// TestInterruptedSeedLeavesNothing stops a seed part way through and checks that it left no
// trace, and that the next run creates the whole demo.
func TestInterruptedSeedLeavesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		keys, err := anonymity.DeriveKeys(make([]byte, 64))
		if err != nil {
			t.Fatal(err)
		}
		// Time a whole seed on a scratch database of the same kind, then stop one a third of
		// the way through, whatever the speed of the machine.
		dialect := store.SQLite
		if store.IsPostgres(dsn) {
			dialect = store.Postgres
		}
		scratch := storetest.Open(t, storetest.DSN(t, dialect))
		began := time.Now()
		if _, err := demo.Seed(context.Background(), scratch, participation.New(scratch, markup.New(), keys), keys); err != nil {
			t.Fatal(err)
		}
		whole := time.Since(began)

		svc := participation.New(s, markup.New(), keys)
		ctx, cancel := context.WithTimeout(context.Background(), whole/3)
		defer cancel()
		if _, err := demo.Seed(ctx, s, svc, keys); err == nil {
			t.Fatalf("a seed given %v of the %v it needs succeeded; want it interrupted", whole/3, whole)
		}
		raw := storetest.Raw(t, dsn)
		for _, table := range []string{"challenges", "participants", "ideas", "comments", "idea_votes", "aliases"} {
			if rows := storetest.Dump(t, raw, table); len(rows) != 0 {
				t.Errorf("after an interrupted seed %s has %d rows; want none", table, len(rows))
			}
		}
		created, err := demo.Seed(context.Background(), s, svc, keys)
		if err != nil || !created {
			t.Fatalf("the seed after an interrupted one: created=%v, %v; want a fresh demo", created, err)
		}
		c, err := svc.Challenge(context.Background(), demo.Slug)
		if err != nil {
			t.Fatal(err)
		}
		want, err := scratch.ChallengeBySlug(context.Background(), demo.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if got, full := ideas(t, svc, c.ID).Total, ideas(t, participation.New(scratch, markup.New(), keys), want.ID).Total; got != full {
			t.Errorf("the rerun made %d ideas, want the whole demo's %d", got, full)
		}
	})
}

func ideas(t *testing.T, svc *participation.Service, challengeID int64) gs.IdeaPage {
	t.Helper()
	page, err := svc.Ideas(context.Background(), gs.IdeaQuery{
		ChallengeID: challengeID, Sort: gs.SortTop, Page: 1, PerPage: 100,
	})
	if err != nil {
		t.Fatal(err)
	}
	return page
}
