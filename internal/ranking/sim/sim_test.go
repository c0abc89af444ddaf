package sim

import (
	"math"
	"testing"
)

var small = Model{Days: 30, Ideas: 300, Participants: 360, PageSize: 20, SecondPage: 0.3, PositionDecay: 0.9,
	VoteChance: 0.35, DownShare: 0.4, QualityWeight: 1.5, Herding: 0.6, Comparisons: 6, Visits: 3, TopK: 20}

func TestKendallTau(t *testing.T) {
	tests := []struct {
		x, y []float64
		want float64
	}{
		{[]float64{1, 2, 3}, []float64{10, 20, 30}, 1},
		{[]float64{1, 2, 3}, []float64{3, 2, 1}, -1},
		{[]float64{1, 2, 3, 4}, []float64{1, 2, 4, 3}, 4.0 / 6}, // one discordant pair of six
		{[]float64{1, 1, 2}, []float64{1, 2, 3}, 2.0 / 3},       // a tie counts for neither
		{[]float64{5}, []float64{1}, 0},
	}
	for _, tt := range tests {
		if got := kendallTau(tt.x, tt.y); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("kendallTau(%v, %v) = %.4f, want %.4f", tt.x, tt.y, got, tt.want)
		}
	}
}

func TestTopIndexes(t *testing.T) {
	keys := []float64{3, 9, 1, 9, 5, 7, 0, 2, 8, 6, 4, 9, 1, 3, 5, 5, 2}
	got := topIndexes(keys, 4)
	want := []int{11, 3, 1, 8} // the nines, newest first, then the eight
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("topIndexes = %v, want %v", got, want)
		}
	}
	if full := topIndexes(keys, len(keys)); len(full) != len(keys) || full[0] != 11 || full[len(full)-1] != 6 {
		t.Errorf("full order %v: want every index, nines first and the zero last", full)
	}
}

func TestRunsAreSeededAndPairwiseLearns(t *testing.T) {
	for _, a := range Algorithms {
		r1, r2 := small.Run(a, 7), small.Run(a, 7)
		if r1 != r2 {
			t.Errorf("%s: the same seed gave %+v and %+v", a, r1, r2)
		}
		for _, x := range []float64{r1.PrecisionAt, r1.LateRecallAt} {
			if x < 0 || x > 1 {
				t.Errorf("%s: a share outside 0..1 in %+v", a, r1)
			}
		}
	}
	sums := small.Summarise(4, 2, nil)
	byName := map[Algorithm]Summary{}
	for _, s := range sums {
		byName[s.Algorithm] = s
	}
	if p, n := byName[Pairwise], byName[NetVotes]; p.Tau <= n.Tau+0.3 || p.Precision <= n.Precision {
		t.Errorf("pairwise tau %.2f p@20 %.2f against net votes %.2f %.2f: want pairwise clearly ahead", p.Tau, p.Precision, n.Tau, n.Precision)
	}
	if f, n := byName[Fair], byName[NetVotes]; f.Tau <= n.Tau {
		t.Errorf("fair tau %.2f is not above net votes' %.2f", f.Tau, n.Tau)
	}
}
