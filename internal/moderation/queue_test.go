package moderation_test

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
	"github.com/groundswell/groundswell/migrations"
)

// TestQueuePagesByKey: the queue pages forward and back by key in the order moderators expect
// (escalated, then severity, then most reported, then oldest), without losing or repeating a
// case, and the bounded count stops at its limit.
func TestQueuePagesByKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		f := newFixture(t, st, nil)
		ctx := f.ctx
		report := func(idea *gs.Idea, who, reason string) {
			t.Helper()
			if _, err := f.mod.Report(ctx, f.keys.TokenHash(who), time.Minute, gs.TargetIdea, idea.ID, reason, ""); err != nil {
				t.Fatal(err)
			}
		}
		var ideas []*gs.Idea
		for i := 0; i < 7; i++ {
			ideas = append(ideas, f.post(t, fmt.Sprint("Queued idea ", i), ""))
		}
		// One report each, and more for some: 3 gets three, 5 gets two; 6 is a safety concern
		// (escalated) and 1 personal data.
		for i, idea := range ideas {
			reason := "offensive"
			switch i {
			case 6:
				reason = "safety"
			case 1:
				reason = "personal_data"
			}
			report(idea, fmt.Sprint("first ", i), reason)
		}
		report(ideas[3], "second 3", "spam")
		report(ideas[3], "third 3", "spam")
		report(ideas[5], "second 5", "spam")

		all, more, err := st.Queue(ctx, gs.CaseQuery{ChallengeID: f.c.ID, PerPage: 50})
		if err != nil || more || len(all) != 7 {
			t.Fatalf("whole queue: %d cases, more %v, %v; want 7 and no more", len(all), more, err)
		}
		var got []int64
		for _, c := range all {
			got = append(got, c.TargetID)
		}
		want := []int64{ideas[6].ID, ideas[1].ID, ideas[3].ID, ideas[5].ID, ideas[0].ID, ideas[2].ID, ideas[4].ID}
		if !slices.Equal(got, want) {
			t.Errorf("queue order %v, want %v", got, want)
		}

		// Forward three at a time, then back again.
		var pages [][]gs.Case
		q := gs.CaseQuery{ChallengeID: f.c.ID, PerPage: 3}
		for {
			page, more, err := st.Queue(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			pages = append(pages, page)
			if !more {
				break
			}
			k := gs.KeyOf(page[len(page)-1])
			q.After = &k
		}
		var walked []int64
		for _, p := range pages {
			for _, c := range p {
				walked = append(walked, c.TargetID)
			}
		}
		if len(pages) != 3 || !slices.Equal(walked, want) {
			t.Errorf("paging forward: %d pages holding %v, want 3 holding %v", len(pages), walked, want)
		}
		k := gs.KeyOf(pages[2][0])
		back, more, err := st.Queue(ctx, gs.CaseQuery{ChallengeID: f.c.ID, PerPage: 3, Before: &k})
		if err != nil || !more || len(back) != 3 || back[0].ID != pages[1][0].ID || back[2].ID != pages[1][2].ID {
			t.Errorf("one page back from the last: %d cases (more %v, %v), want the middle page", len(back), more, err)
		}
		k = gs.KeyOf(pages[0][2])
		if first, _, _ := st.Queue(ctx, gs.CaseQuery{ChallengeID: f.c.ID, PerPage: 3, Before: &k}); len(first) != 3 || first[0].ID != all[0].ID {
			t.Errorf("a page back that reaches the start should be the first page, got %d cases", len(first))
		}

		if n, err := st.CountCases(ctx, gs.CaseQuery{ChallengeID: f.c.ID}, 5); err != nil || n != 5 {
			t.Errorf("count up to 5: %d, %v", n, err)
		}
		if n, err := st.CountCases(ctx, gs.CaseQuery{ChallengeID: f.c.ID, Reason: gs.ReportSpam}, 5); err != nil || n != 2 {
			t.Errorf("count of spam reports: %d, %v; want 2", n, err)
		}

		// The next case after the second is the third; after the last, the first other one.
		if next, err := st.NextCase(ctx, gs.KeyOf(all[1])); err != nil || next != all[2].ID {
			t.Errorf("next after the second: %d, %v; want %d", next, err, all[2].ID)
		}
		if next, err := st.NextCase(ctx, gs.KeyOf(all[6])); err != nil || next != all[0].ID {
			t.Errorf("next after the last: %d, %v; want the first, %d", next, err, all[0].ID)
		}
	})
}

// TestMigrationKeyMatchesTheRule: the SQL that migration 00022 fills queue_key with gives the
// same numbers as gs.QueueKey, on both dialects, for open, escalated and decided cases.
func TestMigrationKeyMatchesTheRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		f := newFixture(t, st, nil)
		a, b, c := f.post(t, "Kept one", ""), f.post(t, "Escalated one", ""), f.post(t, "Open one", "")
		for i, idea := range []*gs.Idea{a, b, c} {
			if _, err := f.mod.Report(f.ctx, f.keys.TokenHash(fmt.Sprint("r", i)), time.Hour, gs.TargetIdea, idea.ID, "offensive", ""); err != nil {
				t.Fatal(err)
			}
		}
		cases, _, err := st.Queue(f.ctx, gs.CaseQuery{ChallengeID: f.c.ID, PerPage: 5})
		if err != nil || len(cases) != 3 {
			t.Fatalf("queue: %d, %v", len(cases), err)
		}
		for _, cs := range cases {
			act := gs.ActEscalate
			if cs.TargetID == a.ID {
				act = gs.ActDismiss
			} else if cs.TargetID == c.ID {
				continue
			}
			if _, err := f.mod.Act(f.ctx, gs.ModerationCommand{CaseID: cs.ID, Version: cs.Version, Action: act}, gs.Actor{Name: "test"}); err != nil {
				t.Fatal(err)
			}
		}
		dialect := "sqlite"
		if store.IsPostgres(dsn) {
			dialect = "postgres"
		}
		raw, err := fs.ReadFile(migrations.FS, dialect+"/00022_moderation_keys.sql")
		if err != nil {
			t.Fatal(err)
		}
		update := regexp.MustCompile(`(?s)UPDATE moderation_cases SET queue_key = .*? END;`).Find(raw)
		if update == nil {
			t.Fatal("no UPDATE in migration 00022")
		}
		db := storetest.Raw(t, dsn)
		if _, err := db.Exec("UPDATE moderation_cases SET queue_key = 0"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(update)); err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, state := range []gs.CaseState{gs.CaseOpen, gs.CaseClosed} {
			list, _, err := st.Queue(f.ctx, gs.CaseQuery{State: state, ChallengeID: f.c.ID, PerPage: 5})
			if err != nil {
				t.Fatal(err)
			}
			for _, cs := range list {
				var stored int64
				if err := db.QueryRow("SELECT queue_key FROM moderation_cases WHERE id = " + fmt.Sprint(cs.ID)).Scan(&stored); err != nil {
					t.Fatal(err)
				}
				if want := gs.QueueKey(cs); stored != want {
					t.Errorf("case %d (%s, escalated %v): the migration gives %d, the rule %d", cs.ID, cs.State, cs.Escalated, stored, want)
				}
				checked++
			}
		}
		if checked != 3 {
			t.Errorf("checked %d cases, want 3", checked)
		}
	})
}
