package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
	"github.com/groundswell/groundswell/migrations"
)

func allow(gs.Phase) error { return nil }

func namer(prefix string) store.Namer {
	return func(attempt int) string { return fmt.Sprintf("%s %d", prefix, attempt) }
}

func newChallenge(t *testing.T, s *store.Store, phase gs.Phase) *gs.Challenge {
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

func postIdea(t *testing.T, s *store.Store, c *gs.Challenge, who, title string) *gs.Idea {
	t.Helper()
	i, err := s.CreateIdea(context.Background(), store.NewIdea{
		ChallengeID: c.ID, QuestionID: c.Questions[0].ID, TokenHash: who, Title: title,
		BodyMD: "Body of " + title, BodyHTML: markup.HTML("<p>Body of " + title + "</p>"),
	}, allow, namer(who))
	if err != nil {
		t.Fatal(err)
	}
	return i
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

func TestIdeasPseudonymsAndPhase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		ctx := context.Background()
		c := newChallenge(t, s, gs.PhaseOpen)
		a := postIdea(t, s, c, "alice", "Protected time for learning")
		b := postIdea(t, s, c, "alice", "Fewer duplicate forms")
		if a.Author != b.Author || a.Author == "" {
			t.Errorf("one participant got pseudonyms %q and %q, want one stable name", a.Author, b.Author)
		}
		// A namer that always proposes the taken name forces the collision path.
		clash, err := s.CreateIdea(ctx, store.NewIdea{ChallengeID: c.ID, QuestionID: c.Questions[0].ID,
			TokenHash: "bob", Title: "Clash test"}, allow, func(n int) string {
			if n == 0 {
				return a.Author
			}
			return "Other name"
		})
		if err != nil {
			t.Fatal(err)
		}
		if clash.Author != "Other name" {
			t.Errorf("colliding pseudonym: got %q, want %q", clash.Author, "Other name")
		}
		closed := func(gs.Phase) error { return gs.Errorf(gs.ECONFLICT, "closed") }
		_, err = s.CreateIdea(ctx, store.NewIdea{ChallengeID: c.ID, QuestionID: c.Questions[0].ID,
			TokenHash: "carol", Title: "Too late"}, closed, namer("carol"))
		if gs.ErrorCode(err) != gs.ECONFLICT {
			t.Errorf("phase check: got %v, want ECONFLICT", err)
		}
		if got, err := s.Idea(ctx, a.ID); err != nil || got.Title != a.Title || got.ChallengeSlug != c.Slug {
			t.Errorf("Idea(%d) = %+v, %v", a.ID, got, err)
		}
		if _, err := s.Idea(ctx, 999999); gs.ErrorCode(err) != gs.ENOTFOUND {
			t.Errorf("missing idea: got %v, want ENOTFOUND", err)
		}
	})
}

func TestVotesFlipsAndOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		ctx := context.Background()
		c := newChallenge(t, s, gs.PhaseOpen)
		x := postIdea(t, s, c, "a", "Idea x")
		y := postIdea(t, s, c, "a", "Idea y")
		steps := []struct {
			who      string
			v        gs.VoteValue
			up, down int
		}{
			{"p1", 1, 1, 0},
			{"p1", 1, 1, 0}, // the same vote twice changes nothing
			{"p2", -1, 1, 1},
			{"p1", -1, 0, 2}, // a flip
			{"p2", 0, 0, 1},  // a clear
			{"p2", 0, 0, 1},  // clearing nothing
		}
		for i, st := range steps {
			r, err := s.VoteIdea(ctx, x.ID, st.who, st.v, allow)
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			if r.Up != st.up || r.Down != st.down {
				t.Errorf("step %d: got %d up %d down, want %d up %d down", i, r.Up, r.Down, st.up, st.down)
			}
		}
		got, _ := s.Idea(ctx, x.ID)
		if got.Up != 0 || got.Down != 1 || got.Score != 0 {
			t.Errorf("stored counters %d/%d score %f, want 0/1 score 0", got.Up, got.Down, got.Score)
		}
		for _, who := range []string{"p1", "p2", "p3"} {
			if _, err := s.VoteIdea(ctx, y.ID, who, 1, allow); err != nil {
				t.Fatal(err)
			}
		}
		page, err := s.Ideas(ctx, gs.IdeaQuery{ChallengeID: c.ID, Sort: gs.SortTop, Page: 1, PerPage: 10})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 2 || page.Ideas[0].ID != y.ID {
			t.Errorf("top order: got total %d first %d, want 2 and %d", page.Total, page.Ideas[0].ID, y.ID)
		}
		mine, err := s.MyIdeaVotes(ctx, "p1", []int64{x.ID, y.ID})
		if err != nil || mine[x.ID] != -1 || mine[y.ID] != 1 {
			t.Errorf("MyIdeaVotes = %v, %v", mine, err)
		}
		if _, err := s.VoteIdea(ctx, 424242, "p1", 1, allow); gs.ErrorCode(err) != gs.ENOTFOUND {
			t.Errorf("vote on missing idea: got %v, want ENOTFOUND", err)
		}
	})
}

func TestCommentsThreadAndCounters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		ctx := context.Background()
		c := newChallenge(t, s, gs.PhaseOpen)
		i := postIdea(t, s, c, "a", "Shared handover notes")
		other := postIdea(t, s, c, "a", "Other idea")
		add := func(parent int64, kind gs.CommentKind) (*gs.Comment, error) {
			return s.CreateComment(ctx, store.NewComment{IdeaID: i.ID, ParentID: parent, TokenHash: "b", Kind: kind,
				BodyMD: "text", BodyHTML: "<p>text</p>"}, allow, namer("b"))
		}
		top, err := add(0, gs.KindComment)
		if err != nil {
			t.Fatal(err)
		}
		reply, err := add(top.ID, gs.KindImplementation)
		if err != nil {
			t.Fatal(err)
		}
		if top.Depth != 1 || reply.Depth != 2 || reply.ParentID != top.ID {
			t.Errorf("depths %d, %d parent %d", top.Depth, reply.Depth, reply.ParentID)
		}
		otherComment, err := s.CreateComment(ctx, store.NewComment{IdeaID: other.ID, TokenHash: "b", Kind: gs.KindComment,
			BodyMD: "x", BodyHTML: "x"}, allow, namer("b"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := add(otherComment.ID, gs.KindComment); gs.ErrorCode(err) != gs.EINVALID {
			t.Errorf("reply across ideas: got %v, want EINVALID", err)
		}
		if _, err := add(987654, gs.KindComment); gs.ErrorCode(err) != gs.EINVALID {
			t.Errorf("reply to missing comment: got %v, want EINVALID", err)
		}
		got, _ := s.Idea(ctx, i.ID)
		if got.Comments != 2 || got.Implementations != 1 {
			t.Errorf("counters: %d comments %d implementations, want 2 and 1", got.Comments, got.Implementations)
		}
		list, err := s.Comments(ctx, i.ID)
		if err != nil || len(list) != 2 {
			t.Errorf("Comments = %d, %v; want 2", len(list), err)
		}
		r, err := s.VoteComment(ctx, reply.ID, "z", 1, allow)
		if err != nil || r.Up != 1 {
			t.Errorf("comment vote: %+v %v", r, err)
		}
		page, _ := s.Ideas(ctx, gs.IdeaQuery{ChallengeID: c.ID, Sort: gs.SortDiscussed, Page: 1, PerPage: 10})
		if page.Ideas[0].ID != i.ID {
			t.Errorf("discussed: first is %d, want %d", page.Ideas[0].ID, i.ID)
		}
	})
}

func TestSearchFiltersAndPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		ctx := context.Background()
		c := newChallenge(t, s, gs.PhaseOpen)
		postIdea(t, s, c, "a", "Protected time for training")
		postIdea(t, s, c, "a", "Training budget for nurses")
		postIdea(t, s, c, "a", "Quiet room for breaks")
		theme := c.Themes[0]
		_, err := s.CreateIdea(ctx, store.NewIdea{ChallengeID: c.ID, QuestionID: c.Questions[1].ID, ThemeID: theme.ID,
			TokenHash: "a", Title: "Rota swaps online", BodyMD: "Let staff swap shifts on their phones"}, allow, namer("a"))
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name  string
			q     gs.IdeaQuery
			total int
		}{
			{"all", gs.IdeaQuery{}, 4},
			{"question", gs.IdeaQuery{QuestionID: c.Questions[1].ID}, 1},
			{"theme", gs.IdeaQuery{ThemeID: theme.ID}, 1},
			{"word", gs.IdeaQuery{Text: "training"}, 2},
			{"stem and prefix", gs.IdeaQuery{Text: "train"}, 2},
			{"body text", gs.IdeaQuery{Text: "phones"}, 1},
			{"two words", gs.IdeaQuery{Text: "training nurses"}, 1},
			{"query syntax is plain text", gs.IdeaQuery{Text: `"quiet" OR NEAR(x) *`}, 0},
			{"punctuation only", gs.IdeaQuery{Text: "!!!"}, 0},
		}
		for _, tt := range tests {
			q := tt.q
			q.ChallengeID, q.Sort, q.Page, q.PerPage = c.ID, gs.SortNew, 1, 10
			page, err := s.Ideas(ctx, q)
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			if page.Total != tt.total || len(page.Ideas) != tt.total {
				t.Errorf("%s: total %d with %d ideas, want %d", tt.name, page.Total, len(page.Ideas), tt.total)
			}
		}
		p2, err := s.Ideas(ctx, gs.IdeaQuery{ChallengeID: c.ID, Sort: gs.SortNew, Page: 2, PerPage: 3})
		if err != nil || p2.Total != 4 || len(p2.Ideas) != 1 || p2.Pages() != 2 {
			t.Errorf("page 2 of 3: total %d, %d ideas, %d pages, %v", p2.Total, len(p2.Ideas), p2.Pages(), err)
		}
		p9, err := s.Ideas(ctx, gs.IdeaQuery{ChallengeID: c.ID, Sort: gs.SortNew, Page: 9, PerPage: 3})
		if err != nil || len(p9.Ideas) != 0 || p9.Total != 4 {
			t.Errorf("page past the end: %+v %v", p9, err)
		}
		sim, err := s.SimilarIdeas(ctx, c.ID, "More training time", 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(sim) != 2 {
			t.Errorf("similar to 'More training time': got %d ideas, want 2", len(sim))
		}
		if sim, _ := s.SimilarIdeas(ctx, c.ID, "the and of", 5); len(sim) != 0 {
			t.Errorf("stop words alone matched %d ideas", len(sim))
		}
	})
}
