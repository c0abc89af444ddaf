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
