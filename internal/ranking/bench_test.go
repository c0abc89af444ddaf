package ranking

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func BenchmarkScoresOnVote(b *testing.B) {
	created := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var sink float64
	for i := 0; b.Loop(); i++ {
		up, down := i%997, i%313
		sink += Wilson(up, down) + Hot(up, down, created) + Controversy(up, down)
	}
	_ = sink
}

// BenchmarkBradleyTerry fits 500 ideas to a million comparisons drawn from known strengths, the
// size of a busy challenge's pairwise round (target: under 5 s on the 2-core machine).
func BenchmarkBradleyTerry(b *testing.B) {
	const n, m = 500, 1_000_000
	rng := rand.New(rand.NewPCG(7, 11))
	strength := make([]float64, n)
	for i := range strength {
		strength[i] = math.Exp(rng.NormFloat64())
	}
	cs := make([]Comparison, m)
	for k := range cs {
		i, j := rng.IntN(n), rng.IntN(n-1)
		if j >= i {
			j++
		}
		if rng.Float64() < strength[i]/(strength[i]+strength[j]) {
			cs[k] = Comparison{i, j}
		} else {
			cs[k] = Comparison{j, i}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if got := BradleyTerry(n, cs, 1000); len(got) != n {
			b.Fatal("wrong length")
		}
	}
}
