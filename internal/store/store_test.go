package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
	"github.com/groundswell/groundswell/migrations"
)

func newChallenge(t testing.TB, s *store.Store, phase gs.Phase) *gs.Challenge {
	t.Helper()
	c := &gs.Challenge{
		Slug: "c-" + fmt.Sprint(time.Now().UnixNano()), Title: "Test challenge", Phase: phase,
		Questions: []gs.Question{{Title: "What helps?"}, {Title: "What blocks?"}},
		Themes:    []gs.Theme{{Slug: "rotas", Name: "Rotas"}, {Slug: "tools", Name: "Tools"}},
	}
	if err := s.CreateChallenge(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMigrationsMatchAcrossDialects(t *testing.T) {
	lite, err := store.MigrationSources(migrations.FS, store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.MigrationSources(migrations.FS, store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || !slices.Equal(lite, pg) {
		t.Errorf("sqlite migrations %v, postgres migrations %v: want the same non-empty list", lite, pg)
	}
}

func TestMigrateTwiceChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		applied, err := s.Migrate(context.Background(), migrations.FS)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second migrate applied %v, want nothing", applied)
		}
	})
}

func TestChallengeRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		ctx := context.Background()
		c := newChallenge(t, s, gs.PhaseOpen)
		got, err := s.ChallengeBySlug(ctx, c.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != c.Title || len(got.Questions) != 2 || len(got.Themes) != 2 || got.Questions[1].Position != 2 {
			t.Errorf("got %+v", got)
		}
		if _, err := s.ChallengeBySlug(ctx, "nope"); gs.ErrorCode(err) != gs.ENOTFOUND {
			t.Errorf("missing slug: got %v, want ENOTFOUND", err)
		}
		dup := &gs.Challenge{Slug: c.Slug, Title: "Again", Phase: gs.PhaseOpen}
		if err := s.CreateChallenge(ctx, dup); gs.ErrorCode(err) != gs.ECONFLICT {
			t.Errorf("duplicate slug: got %v, want ECONFLICT", err)
		}
		list, err := s.Challenges(ctx, gs.PhaseOpen)
		if err != nil || len(list) != 1 {
			t.Errorf("Challenges(open) = %d, %v; want 1", len(list), err)
		}
	})
}

func TestAliasCollisionsAskForTheNextName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		ctx := context.Background()
		c := newChallenge(t, s, gs.PhaseOpen)
		var first, second, again string
		err := s.Write(ctx, func(tx *store.Tx) error {
			a, err := tx.Participant("alice")
			if err != nil {
				return err
			}
			b, err := tx.Participant("bob")
			if err != nil {
				return err
			}
			if first, err = tx.Alias(c.ID, a, func(int) string { return "Calm Heron" }); err != nil {
				return err
			}
			// A namer that proposes the taken name first forces the collision path.
			if second, err = tx.Alias(c.ID, b, func(n int) string {
				if n == 0 {
					return "Calm Heron"
				}
				return "Brisk Otter"
			}); err != nil {
				return err
			}
			again, err = tx.Alias(c.ID, a, func(int) string { return "Never used" })
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if first != "Calm Heron" || second != "Brisk Otter" || again != first {
			t.Errorf("aliases %q, %q, again %q; want Calm Heron, Brisk Otter, Calm Heron", first, second, again)
		}
	})
}

func TestWriteIsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := s.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.Participant("rolled-back"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Write returned %v, want the closure's error", err)
		}
		if id, err := s.ParticipantByToken(ctx, "rolled-back"); err != nil || id != 0 {
			t.Errorf("after a failed Write the participant exists (id %d, %v); want nothing written", id, err)
		}
		// Under Within, an inner Write that fails rolls back only its own savepoint, and the
		// outer transaction's reads see its own uncommitted rows.
		err = s.Write(ctx, func(tx *store.Tx) error {
			inner := tx.Within(ctx)
			if err := s.Write(inner, func(tx *store.Tx) error {
				_, err := tx.Participant("kept")
				return err
			}); err != nil {
				return err
			}
			if err := s.Write(inner, func(tx *store.Tx) error {
				if _, err := tx.Participant("undone"); err != nil {
					return err
				}
				return boom
			}); !errors.Is(err, boom) {
				return fmt.Errorf("inner write: got %v, want boom", err)
			}
			if id, err := s.ParticipantByToken(inner, "kept"); err != nil || id == 0 {
				return fmt.Errorf("the outer transaction does not see its own row: %d, %v", id, err)
			}
			return s.Read(inner, func(tx *store.Tx) error {
				if id, err := tx.Participant("kept"); err != nil || id == 0 {
					return fmt.Errorf("a Read under Within does not see the outer transaction's row: %d, %v", id, err)
				}
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		kept, _ := s.ParticipantByToken(ctx, "kept")
		undone, _ := s.ParticipantByToken(ctx, "undone")
		if kept == 0 || undone != 0 {
			t.Errorf("after the outer commit: kept=%d undone=%d; want kept written and undone rolled back", kept, undone)
		}
	})
}

func TestNewChallengeTakesTheDefaultThreshold(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		c := newChallenge(t, s, gs.PhaseOpen)
		got, err := s.ChallengeByID(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.ReportThreshold != gs.DefaultReportThreshold || got.ReportThreshold != gs.DefaultReportThreshold {
			t.Errorf("report threshold: returned %d, stored %d; want the default %d", c.ReportThreshold, got.ReportThreshold, gs.DefaultReportThreshold)
		}
	})
}
