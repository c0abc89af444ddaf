package ranking

import (
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
