package participation_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/participation"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// keysetFixture is a challenge of 23 ideas with votes and comments on some, so that every order
// has both distinct keys and long runs of equal ones, where only the id breaks the tie.
func keysetFixture(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	f := newFixture(t, st, gs.PhaseOpen)
	var ideas []*gs.Idea
	for n := range 23 {
		ideas = append(ideas, f.post(fmt.Sprint("author", n), fmt.Sprintf("Idea number %d", n)))
	}
	for n, idea := range ideas {
		for v := range n % 4 {
			value := gs.VoteValue(1 - 2*((n+v)%3/2))
			if _, err := f.svc.Vote(ctx, f.who(fmt.Sprint("voter", v)), gs.TargetIdea, idea.ID, value); err != nil {
				t.Fatal(err)
			}
		}
		if n%5 == 0 {
			if _, err := f.svc.PostComment(ctx, f.who("commenter"), idea.ID, gs.CommentInput{Body: "Yes", Kind: gs.KindComment}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

// TestKeysetPagingMatchesOffsetPaging walks every order by its cursors, forwards from the first
// page and backwards from the last, and checks that the pages join up into the whole list as
// one long page shows it: nothing skipped, nothing twice, even where keys tie; and the same for
// one question's ideas, read as cards.
func TestKeysetPagingMatchesOffsetPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := keysetFixture(t, st)
		for _, sort := range append(slices.Clone(gs.Sorts), gs.SortShuffled) {
			for _, question := range []int64{0, f.c.Questions[0].ID} {
				t.Run(fmt.Sprint(sort, question), func(t *testing.T) {
					q := gs.IdeaQuery{ChallengeID: f.c.ID, Sort: sort, Page: 1, PerPage: 100, QuestionID: question, Cards: question != 0}
					all, err := st.Ideas(ctx, q)
					if err != nil || len(all.Ideas) != 23 {
						t.Fatalf("the whole list: %d ideas, %v", len(all.Ideas), err)
					}
					want := idsOf(all.Ideas)
					q.PerPage = 5
					var forwards []int64
					var pages []int
					for at := (*gs.IdeaCursor)(nil); ; {
						q.Cursor = at
						p, err := st.Ideas(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						forwards, pages = append(forwards, idsOf(p.Ideas)...), append(pages, len(p.Ideas))
						if !p.More {
							break
						}
						last := p.Ideas[len(p.Ideas)-1]
						c := gs.CursorAt(sort, gs.CursorAfter, &last, 2)
						at = &c
					}
					if !slices.Equal(forwards, want) || !slices.Equal(pages, []int{5, 5, 5, 5, 3}) {
						t.Errorf("forwards: got %v in pages of %v, want %v in pages of 5, 5, 5, 5, 3", forwards, pages, want)
					}
					var backwards []int64
					pages = nil
					last := gs.LastCursor(sort, 1)
					for at := &last; ; {
						q.Cursor = at
						p, err := st.Ideas(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						backwards, pages = append(idsOf(p.Ideas), backwards...), append(pages, len(p.Ideas))
						if !p.More {
							break
						}
						c := gs.CursorAt(sort, gs.CursorBefore, &p.Ideas[0], 1)
						at = &c
					}
					if !slices.Equal(backwards, want) || !slices.Equal(pages, []int{3, 5, 5, 5, 5}) {
						t.Errorf("backwards: got %v in pages of %v, want %v in pages of 3, 5, 5, 5, 5", backwards, pages, want)
					}
				})
			}
		}
	})
}

// TestIdeaListLinksPages follows the links a list gives, with the fair order's exploration
// picks mixed in: next to the end, then previous back to the start, and the last page. The
// list's own order, without the picks, must come out whole both ways, and page numbers must
// count up and down.
func TestIdeaListLinksPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := keysetFixture(t, st)
		h := f.who("reader")
		for _, sort := range []gs.Sort{gs.SortFair, gs.SortTop, gs.SortNew} {
			t.Run(string(sort), func(t *testing.T) {
				all, err := f.svc.IdeaList(ctx, f.c.Slug, gs.IdeaFilter{Sort: sort, PerPage: 100}, h, false)
				if err != nil {
					t.Fatal(err)
				}
				want := idsOf(all.Page.Ideas)
				own := func(v *participation.ListView) []int64 {
					var out []int64
					for _, i := range v.Page.Ideas {
						if !v.Explored[i.ID] {
							out = append(out, i.ID)
						}
					}
					return out
				}
				f0 := gs.IdeaFilter{Sort: sort, PerPage: 5}
				var forwards, numbers []int64
				seen := map[int64]bool{}
				var v *participation.ListView
				var lastLink *gs.IdeaCursor
				for at := (*gs.IdeaCursor)(nil); ; {
					f0.Cursor = at
					if v, err = f.svc.IdeaList(ctx, f.c.Slug, f0, h, true); err != nil {
						t.Fatal(err)
					}
					if sort == gs.SortFair && len(v.Explored) == 0 {
						t.Errorf("page %d of the fair list has no exploration picks", v.Page.Page)
					}
					if v.Page.Page == 1 && v.Page.Last != nil {
						lastLink = v.Page.Last
					}
					forwards, numbers = append(forwards, own(v)...), append(numbers, int64(v.Page.Page))
					for _, i := range v.Page.Ideas {
						seen[i.ID] = true
					}
					if v.Page.Next == nil {
						break
					}
					at = v.Page.Next
				}
				if len(seen) != len(want) || !slices.Equal(forwards, want) {
					t.Errorf("forwards: got %v and %d shown, want %v", forwards, len(seen), want)
				}
				n := int64(len(numbers))
				if numbers[0] != 1 || numbers[n-1] != n || int(n) != v.Page.Pages() {
					t.Errorf("page numbers forwards: %v, want 1 to %d", numbers, v.Page.Pages())
				}
				if lastLink == nil || lastLink.Page != v.Page.Pages() {
					t.Fatalf("page 1 links to the last page as %+v, want page %d", lastLink, v.Page.Pages())
				}
				f0.Cursor = lastLink
				if v, err = f.svc.IdeaList(ctx, f.c.Slug, f0, h, true); err != nil {
					t.Fatal(err)
				}
				if v.Page.Next != nil || v.Page.Page != int(n) {
					t.Errorf("the last page: page %d, next %v", v.Page.Page, v.Page.Next)
				}
				var backwards []int64
				numbers = nil
				clear(seen)
				for {
					backwards, numbers = append(own(v), backwards...), append(numbers, int64(v.Page.Page))
					for _, i := range v.Page.Ideas {
						seen[i.ID] = true
					}
					if v.Page.Prev == nil {
						break
					}
					f0.Cursor = v.Page.Prev
					if v, err = f.svc.IdeaList(ctx, f.c.Slug, f0, h, true); err != nil {
						t.Fatal(err)
					}
				}
				if len(seen) != len(want) || !slices.Equal(backwards, want) {
					t.Errorf("backwards: got %v and %d shown, want %v", backwards, len(seen), want)
				}
				if numbers[0] != n || numbers[len(numbers)-1] != 1 {
					t.Errorf("page numbers backwards: %v, want %d down to 1", numbers, n)
				}
			})
		}
	})
}

// TestCardsReadOnlyTheStartOfLongBodies lists ideas as cards, which read only the start of each
// body, and checks that every card's excerpt is the one the whole body gives: for a long body
// of accented words, and for one whose start is mostly link addresses, which needs its whole
// body read again.
func TestCardsReadOnlyTheStartOfLongBodies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, gs.PhaseOpen)
		links := strings.Repeat("[é](https://example.org/"+strings.Repeat("a", 150)+") ", 12)
		bodies := map[string]string{
			"short":          "A short body.",
			"long and plain": strings.Repeat("Café rotas need résumés. ", 150),
			"links first":    links + strings.Repeat("Then the words come. ", 30),
			"only links":     links,
		}
		for title, body := range bodies {
			if _, err := f.svc.PostIdea(ctx, f.who(title), f.c, gs.IdeaInput{QuestionID: f.c.Questions[0].ID, Title: title, Body: body}); err != nil {
				t.Fatal(err)
			}
		}
		v, err := f.svc.IdeaList(ctx, f.c.Slug, gs.IdeaFilter{Sort: gs.SortNew, Cards: true}, f.who("reader"), true)
		if err != nil || len(v.Page.Ideas) != len(bodies) {
			t.Fatalf("cards: %d ideas, %v", len(v.Page.Ideas), err)
		}
		for _, card := range v.Page.Ideas {
			whole, err := st.Idea(ctx, card.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := markup.Summary(card.BodyHTML, gs.CardExcerptRunes), markup.Summary(whole.BodyHTML, gs.CardExcerptRunes); got != want {
				t.Errorf("%s: the card's excerpt is %q, want %q", card.Title, got, want)
			}
			if card.BodyMD != "" {
				t.Errorf("%s: a card read the Markdown body", card.Title)
			}
			wantCut := card.Title == "long and plain"
			if card.BodyCut != wantCut || (wantCut && len([]rune(string(card.BodyHTML))) >= len([]rune(string(whole.BodyHTML)))) {
				t.Errorf("%s: cut %v with %d of %d characters, want cut %v", card.Title, card.BodyCut,
					len([]rune(string(card.BodyHTML))), len([]rune(string(whole.BodyHTML))), wantCut)
			}
		}
	})
}

// TestSearchRanksBestMatchFirst checks that a search lists the ideas that match best first,
// whatever order was asked for, and pages through them.
func TestSearchRanksBestMatchFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st, gs.PhaseOpen)
		weak := f.post("a", "A long list of many small things that would help on the ward, a rota among them")
		f.post("b", "Nothing to do with it")
		strong := f.post("c", "Rota rota: a fair rota")
		for _, sort := range []gs.Sort{gs.SortNew, gs.SortTop} {
			page, err := st.Ideas(ctx, gs.IdeaQuery{ChallengeID: f.c.ID, Sort: sort, Text: "rota", Page: 1, PerPage: 10})
			if err != nil || page.Total != 2 || page.Capped || len(page.Ideas) != 2 {
				t.Fatalf("%s: %+v, %v", sort, page, err)
			}
			if got := idsOf(page.Ideas); got[0] != strong.ID || got[1] != weak.ID {
				t.Errorf("%s: got %v, want the idea that says rota three times (%d) before the one that says it once (%d)", sort, got, strong.ID, weak.ID)
			}
		}
		p2, err := st.Ideas(ctx, gs.IdeaQuery{ChallengeID: f.c.ID, Sort: gs.SortNew, Text: "rota", Page: 2, PerPage: 1})
		if err != nil || p2.Total != 2 || len(p2.Ideas) != 1 || p2.Ideas[0].ID != weak.ID || p2.More {
			t.Errorf("page 2 of 2: %+v, %v", p2, err)
		}
		p3, err := st.Ideas(ctx, gs.IdeaQuery{ChallengeID: f.c.ID, Sort: gs.SortNew, Text: "rota", Page: 3, PerPage: 1})
		if err != nil || p3.Total != 2 || len(p3.Ideas) != 0 {
			t.Errorf("page 3 of 2: %+v, %v", p3, err)
		}
	})
}
