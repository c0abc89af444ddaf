package participation_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/groundswell/groundswell/internal/anonymity"
	"github.com/groundswell/groundswell/internal/demo"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/participation"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// The L challenge of the scale issue: 250,000 ideas, 10 million votes, 300,000 comments and
// 1.3 million participants. It takes a few minutes to build, so it is built once into
// GROUNDSWELL_BENCH_DATA (make bench sets it to data/bench) and reused; without that variable
// these benchmarks skip.
var sizeL = demo.Size{Ideas: 250_000, Votes: 10_000_000, Comments: 300_000, Participants: 1_300_000}

func largeFixture(b *testing.B) (*participation.Service, *store.Store, *gs.Challenge) {
	b.Helper()
	dir := os.Getenv("GROUNDSWELL_BENCH_DATA")
	if dir == "" {
		b.Skip("GROUNDSWELL_BENCH_DATA is not set; make bench sets it and builds the 250k-idea challenge once")
	}
	ctx := context.Background()
	keys, err := anonymity.LoadOrCreateKeys(dir)
	if err != nil {
		b.Fatal(err)
	}
	st := storetest.Open(b, filepath.Join(dir, "groundswell.db"))
	if _, err := demo.Synthetic(ctx, st, keys, sizeL, nil); err != nil {
		b.Fatal(err)
	}
	c, err := st.ChallengeBySlug(ctx, demo.SyntheticSlug(sizeL.Ideas))
	if err != nil {
		b.Fatal(err)
	}
	return participation.New(st, markup.New(), keys), st, c
}

// BenchmarkListFairL is page 1 of the default list at 250k ideas with its exploration share,
// as a participant sees it (target: ≤ 2 ms).
func BenchmarkListFairL(b *testing.B) {
	svc, _, c := largeFixture(b)
	ctx := context.Background()
	h := gs.TokenHash("a reader")
	for b.Loop() {
		if _, err := svc.IdeaList(ctx, c.Slug, gs.IdeaFilter{Sort: gs.SortFair, PerPage: 20}, h, true); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListTopL is page 1 of the top list at 250k ideas.
func BenchmarkListTopL(b *testing.B) {
	svc, _, c := largeFixture(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := svc.IdeaList(ctx, c.Slug, gs.IdeaFilter{Sort: gs.SortTop, PerPage: 20}, "", false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecomputeL rebuilds every score of the 250k-idea challenge from its 10M votes
// (target: ≤ 10 s).
func BenchmarkRecomputeL(b *testing.B) {
	svc, _, c := largeFixture(b)
	ctx := context.Background()
	for b.Loop() {
		if err := svc.Recompute(ctx, c.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPagesL is every kind of page of the 250k-idea challenge: the first, the 100th and the
// 12,000th (by cursor, and by number through OFFSET), the last, the API's page, and searches
// for words that about 26,000, 52,000 and all 250,000 ideas hold. Pages by cursor and the last
// page should cost what the first does.
func BenchmarkPagesL(b *testing.B) {
	svc, st, c := largeFixture(b)
	ctx := context.Background()
	h := gs.TokenHash("a reader")
	// at is the cursor of page n of sort, found the slow way, once.
	at := func(sort gs.Sort, n int) *gs.IdeaCursor {
		p, err := st.Ideas(ctx, gs.IdeaQuery{ChallengeID: c.ID, Sort: sort, Page: n - 1, PerPage: 20})
		if err != nil || len(p.Ideas) == 0 {
			b.Fatalf("page %d: %v", n-1, err)
		}
		cur := gs.CursorAt(sort, gs.CursorAfter, &p.Ideas[len(p.Ideas)-1], n)
		return &cur
	}
	last := gs.LastCursor(gs.SortFair, 1)
	cases := []struct {
		name    string
		f       gs.IdeaFilter
		explore bool
	}{
		{"fair/page 1", gs.IdeaFilter{Sort: gs.SortFair}, true},
		{"fair/page 100 by cursor", gs.IdeaFilter{Sort: gs.SortFair, Cursor: at(gs.SortFair, 100)}, true},
		{"fair/page 100 by number", gs.IdeaFilter{Sort: gs.SortFair, Page: 100}, true},
		{"fair/page 12000 by cursor", gs.IdeaFilter{Sort: gs.SortFair, Cursor: at(gs.SortFair, 12000)}, true},
		{"fair/page 12000 by number", gs.IdeaFilter{Sort: gs.SortFair, Page: 12000}, true},
		{"fair/last page", gs.IdeaFilter{Sort: gs.SortFair, Cursor: &last}, true},
		{"discussed/page 10000 by cursor, in a 150,000-idea tie", gs.IdeaFilter{Sort: gs.SortDiscussed, Cursor: at(gs.SortDiscussed, 10000)}, true},
		{"top/page 100 by cursor", gs.IdeaFilter{Sort: gs.SortTop, Cursor: at(gs.SortTop, 100)}, true},
		{"api/top page 1, 100 ideas", gs.IdeaFilter{Sort: gs.SortTop, PerPage: 100}, false},
		{"search/training (25,795)", gs.IdeaFilter{Text: "training"}, true},
		{"search/rota (51,592)", gs.IdeaFilter{Text: "rota"}, true},
		{"search/better (250,000)", gs.IdeaFilter{Text: "better"}, true},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			f := tc.f
			f.Cards = tc.explore
			if f.PerPage == 0 {
				f.PerPage = 20
			}
			for b.Loop() {
				v, err := svc.IdeaList(ctx, c.Slug, f, h, tc.explore)
				if err != nil || len(v.Page.Ideas) == 0 {
					b.Fatalf("%d ideas, %v", len(v.Page.Ideas), err)
				}
			}
		})
	}
}
