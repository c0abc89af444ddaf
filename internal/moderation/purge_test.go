package moderation_test

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestPurgeLeavesNoTrace redacts a word nobody else uses out of an idea, purges the kept
// original, and then looks for the word in the bytes of the database file and its write-ahead
// log (SQLite), or checks that the vacuum ran (PostgreSQL): it must be nowhere, in the table, a
// freed page or the full-text index.
func TestPurgeLeavesNoTrace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		f := newFixture(t, st, nil)
		ctx, mod := f.ctx, f.mod
		secret := fmt.Sprintf("Quillfeatherington%d", time.Now().UnixNano()%100000)
		idea := f.post(t, "Our manager shouts", "The ward manager "+secret+" shouts at the night team.")
		cs := f.reportedCase(t, idea)
		by := gs.Actor{Name: "test moderator"}
		if _, err := mod.Act(ctx, gs.ModerationCommand{CaseID: cs.ID, Version: cs.Version, Action: gs.ActRedact,
			Reason: "a name", Text: "The ward manager [name removed] shouts at the night team."}, by); err != nil {
			t.Fatal(err)
		}
		if err := mod.PurgeOriginal(ctx, cs.ID, by); err != nil {
			t.Fatal(err)
		}
		if hits, err := st.Ideas(ctx, gs.IdeaQuery{ChallengeID: f.c.ID, Sort: gs.SortNew, Page: 1, PerPage: 5, Text: secret}); err != nil || hits.Total != 0 {
			t.Errorf("search still finds the purged word: %d, %v", hits.Total, err)
		}
		if store.IsPostgres(dsn) {
			return // the vacuum ran inside PurgeOriginal without error; PostgreSQL keeps no WAL copy we can read here
		}
		for _, f := range []string{dsn, dsn + "-wal"} {
			raw, err := os.ReadFile(f)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			if bytes.Contains(bytes.ToLower(raw), bytes.ToLower([]byte(secret))) {
				t.Errorf("%s still holds the purged word", f)
			}
		}
		fi, err := os.Stat(dsn)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("the database file is %o, want 600", fi.Mode().Perm())
		}
	})
}

// TestRedactionEditsTheTitle: personal data in a title is redacted out of the title too; the
// old title is kept in the case only, and a purge removes it. A new title that breaks the title
// rules is refused.
func TestRedactionEditsTheTitle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		f := newFixture(t, st, nil)
		ctx, mod, c := f.ctx, f.mod, f.c
		idea := f.post(t, "Patient Jane Doe in bed 4 waited all night", "Nobody came.")
		cases := []gs.Case{f.reportedCase(t, idea)}
		by := gs.Actor{Name: "test moderator"}
		cmd := gs.ModerationCommand{CaseID: cases[0].ID, Version: cases[0].Version, Action: gs.ActRedact, Text: "Nobody came.",
			Title: "\u202eA patient waited all night"}
		if _, err := mod.Act(ctx, cmd, by); gs.ErrorFields(err)["title"] == "" {
			t.Fatalf("a new title with a bidi override: %v", err)
		}
		cmd.Title = "A patient in bed [removed] waited all night"
		if _, err := mod.Act(ctx, cmd, by); err != nil {
			t.Fatal(err)
		}
		got, err := st.Idea(ctx, idea.ID)
		if err != nil || got.Title != cmd.Title || got.Status != gs.StatusVisible {
			t.Fatalf("after the redaction: %+v, %v", got, err)
		}
		o, err := mod.OriginalOf(ctx, cases[0].ID)
		if err != nil || o.Title != "Patient Jane Doe in bed 4 waited all night" || !o.Exists {
			t.Errorf("the kept original: %+v, %v", o, err)
		}
		if hits, _ := st.Ideas(ctx, gs.IdeaQuery{ChallengeID: c.ID, Sort: gs.SortNew, Page: 1, PerPage: 5, Text: "Jane"}); hits.Total != 0 {
			t.Error("search still finds the redacted name")
		}
		if err := mod.PurgeOriginal(ctx, cases[0].ID, by); err != nil {
			t.Fatal(err)
		}
		if o, _ := mod.OriginalOf(ctx, cases[0].ID); o.Exists || o.Title != "" {
			t.Errorf("after the purge the case still keeps %+v", o)
		}
	})
}
