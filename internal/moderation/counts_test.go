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
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestListTotalsFollowVisibility checks that the totals lists show, read from the counts kept
// with every write, always equal the visible ideas themselves, through posting, holding,
// hiding and restoring, for every filter.
func TestListTotalsFollowVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		keys, err := anonymity.DeriveKeys([]byte("a test master key that is long enough"))
		if err != nil {
			t.Fatal(err)
		}
		c := &gs.Challenge{Slug: fmt.Sprint("counts-", time.Now().UnixNano()), Title: "Counts", Phase: gs.PhaseOpen,
			HeldWords: "held", Questions: []gs.Question{{Title: "One"}, {Title: "Two"}},
			Themes: []gs.Theme{{Slug: "a", Name: "A"}, {Slug: "b", Name: "B"}}}
		if err := st.CreateChallenge(ctx, c); err != nil {
			t.Fatal(err)
		}
		part, mod := participation.New(st, markup.New(), keys), moderation.New(st, markup.New())
		post := func(q int, theme, title string) *gs.Idea {
			i, err := part.PostIdea(ctx, keys.TokenHash("author"), c, gs.IdeaInput{QuestionID: c.Questions[q].ID, Theme: theme, Title: title})
			if err != nil {
				t.Fatal(err)
			}
			return i
		}
		check := func(when string) {
			t.Helper()
			want := map[string]int{}
			all, err := st.Ideas(ctx, gs.IdeaQuery{ChallengeID: c.ID, Sort: gs.SortNew, Page: 1, PerPage: 100, Text: "idea"})
			if err != nil {
				t.Fatal(err)
			}
			for _, i := range all.Ideas { // counted the slow way: by search, which counts rows
				want["all"]++
				want[fmt.Sprint("q", i.QuestionID)]++
				want[fmt.Sprint("t", i.ThemeID)]++
			}
			for name, q := range map[string]gs.IdeaQuery{
				"all": {}, fmt.Sprint("q", c.Questions[0].ID): {QuestionID: c.Questions[0].ID},
				fmt.Sprint("q", c.Questions[1].ID): {QuestionID: c.Questions[1].ID}, fmt.Sprint("t", c.Themes[0].ID): {ThemeID: c.Themes[0].ID},
			} {
				q.ChallengeID, q.Sort, q.Page, q.PerPage = c.ID, gs.SortNew, 1, 100
				page, err := st.Ideas(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if page.Total != want[name] || len(page.Ideas) != want[name] {
					t.Errorf("%s, list %s: total %d with %d ideas listed, want %d", when, name, page.Total, len(page.Ideas), want[name])
				}
			}
		}
		post(0, "a", "First idea")
		post(0, "", "Second idea")
		target := post(1, "a", "Third idea")
		check("after posting")
		held := post(1, "b", "A held idea")
		check("after a held idea")
		if _, err := mod.Report(ctx, keys.TokenHash("reporter"), time.Hour, gs.TargetIdea, target.ID, "personal_data", ""); err != nil {
			t.Fatal(err)
		}
		check("after a personal-data report hid an idea")
		for _, id := range []int64{target.ID, held.ID} {
			cases, _, err := st.Queue(ctx, gs.CaseQuery{PerPage: 50})
			if err != nil {
				t.Fatal(err)
			}
			for _, cs := range cases {
				if cs.TargetID == id {
					if _, err := mod.Act(ctx, gs.ModerationCommand{CaseID: cs.ID, Version: cs.Version, Action: gs.ActRestore}, gs.Actor{Name: "mod"}); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		check("after restoring both")
		if page, _ := st.Ideas(ctx, gs.IdeaQuery{ChallengeID: c.ID, Sort: gs.SortNew, Page: 1, PerPage: 100}); page.Total != 4 {
			t.Errorf("after everything: %d visible, want 4; the checks above compared nothing", page.Total)
		}
	})
}
