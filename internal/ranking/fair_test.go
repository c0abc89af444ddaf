package ranking

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestWilsonCases(t *testing.T) {
	// Worked by hand from (p + z²/2n − z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n), z = 1.959964.
	tests := []struct {
		up, down int
		want     float64
	}{
		{0, 0, 0},
		{1, 0, 0.2065493},   // (1 + z²/2 − z·sqrt(z²/4)) / (1 + z²)
		{5, 0, 0.5655175},   // 1/(1 + z²/5): the margin is z²/10
		{60, 40, 0.5020026}, // p = 0.6, n = 100
		{600, 400, 0.5693094},
	}
	for _, tt := range tests {
		if got := Wilson(tt.up, tt.down); !near(got, tt.want, 1e-6) {
			t.Errorf("Wilson(%d, %d) = %.7f, want %.7f", tt.up, tt.down, got, tt.want)
		}
	}
}

func TestFair(t *testing.T) {
	tests := []struct {
		name                  string
		up, down, impressions int
		mean, weight, want    float64
	}{
		{"unseen sits at the mean", 0, 0, 0, 0.1, 20, 0.1},
		{"no prior is the raw rate", 3, 1, 10, 0.1, 0, 0.3},
		{"the prior pulls a lucky start down", 1, 0, 1, 0.1, 20, (1 + 2) / 21.0},
		{"many impressions follow the data", 300, 50, 1000, 0.1, 20, (300 + 2) / 1020.0},
		{"votes without impressions count as seen", 5, 5, 0, 0.1, 10, (5 + 1) / 20.0},
		{"a mean above one is clamped", 0, 0, 10, 3, 10, 10 / 20.0},
		{"nothing at all is the mean", 0, 0, 0, 0.25, 0, 0.25},
		{"negative counts are ignored", -3, -1, -5, 0.2, 5, 0.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fair(tt.up, tt.down, tt.impressions, tt.mean, tt.weight); !near(got, tt.want, 1e-12) {
				t.Errorf("got %.6f, want %.6f", got, tt.want)
			}
		})
	}
	lo, hi := FairInterval(30, 5, 200, 0.1, 20)
	mid := Fair(30, 5, 200, 0.1, 20)
	if !(lo < mid && mid < hi) || hi-lo > 0.15 || lo < 0 || hi > 1 {
		t.Errorf("interval (%.3f, %.3f) around %.3f: want it to hold the score, narrow at 200 impressions", lo, hi, mid)
	}
	if lo2, hi2 := FairInterval(3, 0, 20, 0.1, 20); hi2-lo2 <= hi-lo {
		t.Errorf("with 20 impressions the interval (%.3f, %.3f) is not wider than with 200", lo2, hi2)
	}
	if got := MeanRate(50, 1000, 0.3); got != 0.05 {
		t.Errorf("MeanRate(50, 1000) = %v, want 0.05", got)
	}
	if got := MeanRate(0, 0, 0.3); got != 0.3 {
		t.Errorf("MeanRate with no impressions = %v, want the fallback 0.3", got)
	}
}

func TestDiscussion(t *testing.T) {
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	week := 7 * 24 * time.Hour
	one := Discussion([]Contribution{{At: at}})
	if Discussion(nil) != 0 {
		t.Error("no comments should score 0")
	}
	tests := []struct {
		name        string
		higher, low []Contribution
	}{
		{"more comments", []Contribution{{At: at}, {At: at}}, []Contribution{{At: at}}},
		{"a suggestion weighs more than a comment", []Contribution{{Implementation: true, At: at}}, []Contribution{{At: at}}},
		{"a recent comment weighs more", []Contribution{{At: at.Add(time.Hour)}}, []Contribution{{At: at}}},
		{"one new beats two a week older", []Contribution{{At: at.Add(week)}}, []Contribution{{At: at}, {At: at}}},
		{"three a week older beat one new", []Contribution{{At: at}, {At: at}, {At: at}}, []Contribution{{At: at.Add(week)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if h, l := Discussion(tt.higher), Discussion(tt.low); h <= l {
				t.Errorf("got %.4f, want above %.4f", h, l)
			}
		})
	}
	// Two equal comments add ln 2 weeks of lead, in hours: the score is a log of a sum.
	two := Discussion([]Contribution{{At: at}, {At: at}})
	if want := one + math.Log(2)*week.Hours(); !near(two, want, 1e-6) {
		t.Errorf("two comments: got %.6f, want %.6f", two, want)
	}
	// Far-apart times must not overflow.
	far := Discussion([]Contribution{{At: at}, {At: at.Add(40 * 365 * 24 * time.Hour)}})
	if math.IsInf(far, 0) || math.IsNaN(far) {
		t.Errorf("far-apart comments gave %v", far)
	}
}

func TestBradleyTerry(t *testing.T) {
	t.Run("no comparisons gives every item an even chance", func(t *testing.T) {
		for _, s := range BradleyTerry(3, nil, 100) {
			if !near(s.Chance, 0.5, 1e-9) || s.Comparisons != 0 || !(s.Low < 0.5 && s.High > 0.5) {
				t.Errorf("got %+v, want chance 0.5 inside its interval", s)
			}
		}
	})
	t.Run("a cycle is a tie", func(t *testing.T) {
		got := BradleyTerry(3, []Comparison{{0, 1}, {1, 2}, {2, 0}}, 1000)
		for i, s := range got {
			if !near(s.Chance, 0.5, 1e-6) || s.Comparisons != 2 {
				t.Errorf("item %d: got %+v, want chance 0.5 from 2 comparisons", i, s)
			}
		}
	})
	t.Run("the fit solves the likelihood equations", func(t *testing.T) {
		// A beats B 3 times, B beats A once, B beats C twice, A beats C once.
		cs := []Comparison{{0, 1}, {0, 1}, {0, 1}, {1, 0}, {1, 2}, {1, 2}, {0, 2}}
		p := fit(3, cs, 20000).p
		wins := []float64{4, 3, 0}
		n := [3][3]float64{{0, 4, 1}, {4, 0, 2}, {1, 2, 0}}
		for i := 0; i < 3; i++ {
			expected := 2 * btPrior * p[i] / (p[i] + 1) // against the virtual item: one win is observed
			for j := 0; j < 3; j++ {
				if j != i {
					expected += n[i][j] * p[i] / (p[i] + p[j])
				}
			}
			if !near(wins[i]+btPrior, expected, 1e-6) {
				t.Errorf("item %d: observed wins %.4f, expected under the fit %.4f", i, wins[i]+btPrior, expected)
			}
		}
		s := BradleyTerry(3, cs, 10000)
		if !(s[0].Chance > s[1].Chance && s[1].Chance > s[2].Chance) {
			t.Errorf("order: %+v, want A above B above C", s)
		}
		for i, x := range s {
			if !(x.Low < x.Chance && x.Chance < x.High) {
				t.Errorf("item %d: interval (%.3f, %.3f) does not hold %.3f", i, x.Low, x.High, x.Chance)
			}
		}
	})
	t.Run("self-comparisons and out-of-range items are ignored", func(t *testing.T) {
		got := BradleyTerry(2, []Comparison{{0, 0}, {5, 1}, {1, -1}}, 100)
		if got[0].Comparisons != 0 || got[1].Comparisons != 0 {
			t.Errorf("got %+v, want nothing counted", got)
		}
	})
	t.Run("more evidence narrows the interval", func(t *testing.T) {
		few := BradleyTerry(2, []Comparison{{0, 1}, {1, 0}}, 1000)
		var many []Comparison
		for i := 0; i < 100; i++ {
			many = append(many, Comparison{0, 1}, Comparison{1, 0})
		}
		lots := BradleyTerry(2, many, 1000)
		if lots[0].High-lots[0].Low >= few[0].High-few[0].Low {
			t.Errorf("interval with 200 comparisons (%.3f) not narrower than with 2 (%.3f)", lots[0].High-lots[0].Low, few[0].High-few[0].Low)
		}
	})
}

func TestPickPair(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	none := func(a, b int64) bool { return false }
	if _, _, ok := PickPair([]Candidate{{ID: 1}}, none, rng); ok {
		t.Error("one candidate gave a pair")
	}
	cands := []Candidate{{1, 50}, {2, 0}, {3, 40}, {4, 1}, {5, 60}, {6, 45}, {7, 55}, {8, 70}}
	firsts := map[int64]int{}
	for i := 0; i < 2000; i++ {
		a, b, ok := PickPair(cands, none, rng)
		if !ok || a == b {
			t.Fatalf("pair %d, %d (ok %v): want two different ideas", a, b, ok)
		}
		firsts[a]++
		firsts[b]++
	}
	if firsts[2]+firsts[4] < firsts[5]+firsts[8] {
		t.Errorf("appearances %v: the least compared (2, 4) should appear more than the most (5, 8)", firsts)
	}
	judgedAll := func(a, b int64) bool { return true }
	if _, _, ok := PickPair(cands, judgedAll, rng); ok {
		t.Error("a pair was offered although every pair was judged")
	}
	onlyOne := func(a, b int64) bool { return !((a == 3 && b == 6) || (a == 6 && b == 3)) }
	for i := 0; i < 50; i++ {
		a, b, ok := PickPair(cands, onlyOne, rng)
		if !ok || !((a == 3 && b == 6) || (a == 6 && b == 3)) {
			t.Fatalf("got %d, %d (ok %v), want the one pair not yet judged: 3 and 6", a, b, ok)
		}
	}
}

func TestGathering(t *testing.T) {
	tests := []struct {
		up, down, impressions, min int
		want                       bool
	}{
		{0, 0, 0, 30, true}, {0, 0, 29, 30, true}, {0, 0, 30, 30, false},
		{20, 10, 0, 30, false}, // every voter saw it
		{5, 5, 12, 30, true}, {0, 0, 5, 0, false},
	}
	for _, tt := range tests {
		if got := Gathering(tt.up, tt.down, tt.impressions, tt.min); got != tt.want {
			t.Errorf("Gathering(%d, %d, %d, %d) = %v, want %v", tt.up, tt.down, tt.impressions, tt.min, got, tt.want)
		}
	}
}

func TestChanceTableMatchesExactSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := make([]float64, 3000)
	for i := range p {
		p[i] = math.Exp(1.5 * rng.NormFloat64())
	}
	table := newChanceTable(p)
	for _, i := range []int{0, 17, 999, 2999} {
		for _, s := range []float64{p[i], p[i] * 2, p[i] / 3} {
			if exact, fast := chanceAgainst(p, i, s), table.against(p, i, s); math.Abs(exact-fast) > 1e-4 {
				t.Errorf("item %d at strength %.3f: table %.6f, exact %.6f", i, s, fast, exact)
			}
		}
	}
}
