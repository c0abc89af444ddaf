package participation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/groundswell/groundswell/internal/anonymity"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/participation"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// fixture is the participation service over a real database, with one challenge.
type fixture struct {
	t    testing.TB
	st   *store.Store
	svc  *participation.Service
	keys *anonymity.Keys
	c    *gs.Challenge
}

func newFixture(t testing.TB, st *store.Store, phase gs.Phase) *fixture {
	t.Helper()
	keys, err := anonymity.DeriveKeys([]byte("a test master key that is long enough"))
	if err != nil {
		t.Fatal(err)
	}
	c := &gs.Challenge{
		Slug: "c-" + fmt.Sprint(time.Now().UnixNano()), Title: "Test challenge", Phase: phase,
		Questions: []gs.Question{{Title: "What helps?"}, {Title: "What blocks?"}},
		Themes:    []gs.Theme{{Slug: "rotas", Name: "Rotas"}, {Slug: "tools", Name: "Tools"}},
	}
	if err := st.CreateChallenge(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, st: st, svc: participation.New(st, markup.New(), keys), keys: keys, c: c}
}

// who is the token hash of a made-up participant, made the way the web layer makes one.
func (f *fixture) who(name string) gs.TokenHash { return f.keys.TokenHash("token of " + name) }

func (f *fixture) post(by, title string) *gs.Idea {
	f.t.Helper()
	i, err := f.svc.PostIdea(context.Background(), f.who(by), f.c, gs.IdeaInput{QuestionID: f.c.Questions[0].ID, Title: title, Body: "Body of " + title})
	if err != nil {
		f.t.Fatal(err)
	}
	return i
}

func (f *fixture) setPhase(p gs.Phase) {
	f.t.Helper()
	if err := f.st.SetPhase(context.Background(), f.c.ID, p); err != nil {
		f.t.Fatal(err)
	}
}

func TestPostIdeaPseudonymsAndPhase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, gs.PhaseOpen)
		a := f.post("alice", "Protected time for learning")
		b := f.post("alice", "Fewer duplicate forms")
		if a.Author != b.Author || a.Author == "" {
			t.Errorf("one participant got pseudonyms %q and %q, want one stable name", a.Author, b.Author)
		}
		if c := f.post("bob", "Quiet rooms"); c.Author == a.Author {
			t.Errorf("two participants share the pseudonym %q", c.Author)
		}
		if got, err := st.Idea(ctx, a.ID); err != nil || got.Title != a.Title || got.ChallengeSlug != f.c.Slug {
			t.Errorf("Idea(%d) = %+v, %v", a.ID, got, err)
		}
		f.setPhase(gs.PhaseVoting)
		_, err := f.svc.PostIdea(ctx, f.who("carol"), f.c, gs.IdeaInput{QuestionID: f.c.Questions[0].ID, Title: "Too late"})
		if gs.ErrorReason(err) != gs.ReasonPhaseClosed {
			t.Errorf("idea in the voting phase: got %v, want reason %s", err, gs.ReasonPhaseClosed)
		}
		if id, _ := st.ParticipantByToken(ctx, f.who("carol")); id != 0 {
			t.Errorf("a refused idea still created participant %d; want nothing written", id)
		}
		if _, err := st.Idea(ctx, 999999); gs.ErrorCode(err) != gs.ENOTFOUND {
			t.Errorf("missing idea: got %v, want ENOTFOUND", err)
		}
	})
}

func TestVotesFlipsAndOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, gs.PhaseOpen)
		x := f.post("a", "Idea x")
		y := f.post("a", "Idea y")
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
		for i, s := range steps {
			r, err := f.svc.Vote(ctx, f.who(s.who), gs.TargetIdea, x.ID, s.v)
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			if r.Up != s.up || r.Down != s.down {
				t.Errorf("step %d: got %d up %d down, want %d up %d down", i, r.Up, r.Down, s.up, s.down)
			}
		}
		got, _ := st.Idea(ctx, x.ID)
		if got.Up != 0 || got.Down != 1 || got.Score != 0 {
			t.Errorf("stored counters %d/%d score %f, want 0/1 score 0", got.Up, got.Down, got.Score)
		}
		for _, who := range []string{"p1", "p2", "p3"} {
			if _, err := f.svc.Vote(ctx, f.who(who), gs.TargetIdea, y.ID, 1); err != nil {
				t.Fatal(err)
			}
		}
		page, err := st.Ideas(ctx, gs.IdeaQuery{ChallengeID: f.c.ID, Sort: gs.SortTop, Page: 1, PerPage: 10})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 2 || page.Ideas[0].ID != y.ID {
			t.Errorf("top order: got total %d first %d, want 2 and %d", page.Total, page.Ideas[0].ID, y.ID)
		}
		mine, err := f.svc.MyVotes(ctx, f.who("p1"), gs.TargetIdea, []int64{x.ID, y.ID})
		if err != nil || mine[x.ID] != -1 || mine[y.ID] != 1 {
			t.Errorf("MyVotes = %v, %v", mine, err)
		}
		if _, err := f.svc.Vote(ctx, f.who("p1"), gs.TargetIdea, 424242, 1); gs.ErrorCode(err) != gs.ENOTFOUND {
			t.Errorf("vote on missing idea: got %v, want ENOTFOUND", err)
		}
		f.setPhase(gs.PhaseReview)
		if _, err := f.svc.Vote(ctx, f.who("p4"), gs.TargetIdea, y.ID, 1); gs.ErrorReason(err) != gs.ReasonPhaseClosed {
			t.Errorf("vote under review: got %v, want reason %s", err, gs.ReasonPhaseClosed)
		}
	})
}

func TestCommentsThreadAndCounters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, gs.PhaseOpen)
		i := f.post("a", "Shared handover notes")
		other := f.post("a", "Other idea")
		add := func(idea, parent int64, kind gs.CommentKind) (*gs.Comment, error) {
			return f.svc.PostComment(ctx, f.who("b"), idea, gs.CommentInput{ParentID: parent, Kind: kind, Body: "text"})
		}
		top, err := add(i.ID, 0, gs.KindComment)
		if err != nil {
			t.Fatal(err)
		}
		reply, err := add(i.ID, top.ID, gs.KindImplementation)
		if err != nil {
			t.Fatal(err)
		}
		if top.Depth != 1 || reply.Depth != 2 || reply.ParentID != top.ID {
			t.Errorf("depths %d, %d parent %d", top.Depth, reply.Depth, reply.ParentID)
		}
		otherComment, err := add(other.ID, 0, gs.KindComment)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := add(i.ID, otherComment.ID, gs.KindComment); gs.ErrorReason(err) != gs.ReasonParentMissing {
			t.Errorf("reply across ideas: got %v, want reason %s", err, gs.ReasonParentMissing)
		}
		if _, err := add(i.ID, 987654, gs.KindComment); gs.ErrorReason(err) != gs.ReasonParentMissing {
			t.Errorf("reply to missing comment: got %v, want reason %s", err, gs.ReasonParentMissing)
		}
		got, _ := st.Idea(ctx, i.ID)
		if got.Comments != 2 || got.Implementations != 1 {
			t.Errorf("counters: %d comments %d implementations, want 2 and 1", got.Comments, got.Implementations)
		}
		r, err := f.svc.Vote(ctx, f.who("z"), gs.TargetComment, reply.ID, 1)
		if err != nil || r.Up != 1 {
			t.Errorf("comment vote: %+v %v", r, err)
		}
		page, _ := st.Ideas(ctx, gs.IdeaQuery{ChallengeID: f.c.ID, Sort: gs.SortDiscussed, Page: 1, PerPage: 10})
		if page.Ideas[0].ID != i.ID {
			t.Errorf("discussed: first is %d, want %d", page.Ideas[0].ID, i.ID)
		}
		view, err := f.svc.IdeaPage(ctx, i.ID, f.who("z"), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(view.Threads) != 1 || len(view.Threads[0].Children) != 1 || view.Threads[0].Children[0].MyVote != 1 || view.Comments != 2 {
			t.Errorf("idea page threads: %d roots, viewer's vote on the reply %v; want one thread with the reply voted up",
				len(view.Threads), view.Threads)
		}
	})
}

func TestSearchFiltersAndPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, gs.PhaseOpen)
		f.post("a", "Protected time for training")
		f.post("a", "Training budget for nurses")
		f.post("a", "Quiet room for breaks")
		theme := f.c.Themes[0]
		_, err := f.svc.PostIdea(ctx, f.who("a"), f.c, gs.IdeaInput{QuestionID: f.c.Questions[1].ID, Theme: theme.Slug,
			Title: "Rota swaps online", Body: "Let staff swap shifts on their phones"})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name  string
			q     gs.IdeaQuery
			total int
		}{
			{"all", gs.IdeaQuery{}, 4},
			{"question", gs.IdeaQuery{QuestionID: f.c.Questions[1].ID}, 1},
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
			q.ChallengeID, q.Sort, q.Page, q.PerPage = f.c.ID, gs.SortNew, 1, 10
			page, err := st.Ideas(ctx, q)
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			if page.Total != tt.total || len(page.Ideas) != tt.total {
				t.Errorf("%s: total %d with %d ideas, want %d", tt.name, page.Total, len(page.Ideas), tt.total)
			}
		}
		p2, err := st.Ideas(ctx, gs.IdeaQuery{ChallengeID: f.c.ID, Sort: gs.SortNew, Page: 2, PerPage: 3})
		if err != nil || p2.Total != 4 || len(p2.Ideas) != 1 || p2.Pages() != 2 {
			t.Errorf("page 2 of 3: total %d, %d ideas, %d pages, %v", p2.Total, len(p2.Ideas), p2.Pages(), err)
		}
		p9, err := st.Ideas(ctx, gs.IdeaQuery{ChallengeID: f.c.ID, Sort: gs.SortNew, Page: 9, PerPage: 3})
		if err != nil || len(p9.Ideas) != 0 || p9.Total != 4 {
			t.Errorf("page past the end: %+v %v", p9, err)
		}
		sim, err := f.svc.SimilarIdeas(ctx, f.c, "More training time")
		if err != nil {
			t.Fatal(err)
		}
		if len(sim) != 2 {
			t.Errorf("similar to 'More training time': got %d ideas, want 2", len(sim))
		}
		if sim, _ := f.svc.SimilarIdeas(ctx, f.c, "the and of"); len(sim) != 0 {
			t.Errorf("stop words alone matched %d ideas", len(sim))
		}
	})
}
