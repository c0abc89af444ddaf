package consensus

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// matrix turns a reliability matrix, one row per rater and one column per unit with NaN for
// a missing value, into ratings; rater i is row i and unit j is column j.
func matrix(rows ...[]float64) []Rating {
	var rs []Rating
	for i, row := range rows {
		for j, v := range row {
			if !math.IsNaN(v) {
				rs = append(rs, Rating{Unit: j, Rater: i, Value: v})
			}
		}
	}
	return rs
}

var nan = math.NaN()

// krippendorff2011 is the worked example of Krippendorff, "Computing Krippendorff's
// Alpha-Reliability" (2011), also on Wikipedia's Krippendorff's alpha page: observers A to D,
// twelve units, with missing values. Its published interval alpha is 0.849.
func krippendorff2011() []Rating {
	return matrix(
		[]float64{1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan},
		[]float64{1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3},
		[]float64{nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan},
		[]float64{1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan},
	)
}

// bruteAlpha is Alpha straight from the definition, summing squared differences over every
// ordered pair of pairable values, to check the linear-time rearrangement against.
func bruteAlpha(ratings []Rating) float64 {
	byUnit := map[int][]float64{}
	for _, r := range ratings {
		byUnit[r.Unit] = append(byUnit[r.Unit], r.Value)
	}
	var all []float64
	var n, do float64
	for _, vs := range byUnit {
		if len(vs) < 2 {
			continue
		}
		var d float64
		for i := range vs {
			for j := range vs {
				d += (vs[i] - vs[j]) * (vs[i] - vs[j])
			}
		}
		do += d / float64(len(vs)-1)
		n += float64(len(vs))
		all = append(all, vs...)
	}
	var de float64
	for i := range all {
		for j := range all {
			de += (all[i] - all[j]) * (all[i] - all[j])
		}
	}
	return 1 - (do/n)/(de/(n*(n-1)))
}

func TestAlpha(t *testing.T) {
	tests := []struct {
		name    string
		ratings []Rating
		want    float64
		ok      bool
	}{
		{"Krippendorff's published example", krippendorff2011(), 0.849, true},
		{"perfect agreement", matrix([]float64{1, 3, 5, 2}, []float64{1, 3, 5, 2}, []float64{1, 3, 5, nan}), 1, true},
		// Unit 0 holds 1 and 2, unit 1 holds 2 and 1, so n = 4.
		// D_o = (1/4)·[ (1−2)²+(2−1)² over 1 + (2−1)²+(1−2)² over 1 ] = (1/4)·4 = 1.
		// D_e: among {1, 2, 2, 1} the ordered pairs that differ are 2·2·2 = 8, each 1 apart,
		// so D_e = 8/(4·3) = 2/3, and alpha = 1 − 1/(2/3) = −0.5: the raters always swap.
		{"two raters who swap", matrix([]float64{1, 2}, []float64{2, 1}), -0.5, true},
		{"a unit with a single value is ignored", matrix([]float64{1, 2, 5}, []float64{2, 1, nan}), -0.5, true},
		{"all values identical", matrix([]float64{3, 3, 3}, []float64{3, 3, 3}), 0, false},
		{"no unit has two values", matrix([]float64{1, nan}, []float64{nan, 5}), 0, false},
		{"nothing at all", nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Alpha(tt.ratings)
			t.Logf("alpha %.6f (ok %v)", got, ok)
			if ok != tt.ok || (ok && !near(got, tt.want, 0.0005)) {
				t.Errorf("got %.4f (ok %v), want %.3f (ok %v)", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestAlphaMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	sets := [][]Rating{krippendorff2011()}
	for k := 0; k < 20; k++ {
		var rs []Rating
		for u := 0; u < 15; u++ {
			for r := 0; r < 5; r++ {
				if rng.IntN(4) > 0 {
					rs = append(rs, Rating{u, r, float64(1 + rng.IntN(5))})
				}
			}
		}
		sets = append(sets, rs)
	}
	for i, rs := range sets {
		got, ok := Alpha(rs)
		if want := bruteAlpha(rs); !ok || !near(got, want, 1e-12) {
			t.Errorf("set %d: got %.12f (ok %v), want %.12f", i, got, ok, want)
		}
	}
}

func TestAlphaInput(t *testing.T) {
	rs := krippendorff2011()
	want, _ := Alpha(rs)
	shuffled := slices.Clone(rs)
	rand.New(rand.NewPCG(5, 6)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if got, _ := Alpha(shuffled); got != want {
		t.Errorf("shuffled: got %.15f, want %.15f", got, want)
	}
	// A changed mind: rater 0 first gave unit 0 a 5, then the 1 of the published matrix.
	changed := append([]Rating{{Unit: 0, Rater: 0, Value: 5}}, rs...)
	if got, _ := Alpha(changed); got != want {
		t.Errorf("with a superseded value: got %.15f, want %.15f", got, want)
	}
	// A NaN is a missing value, not a poisoned sum.
	withNaN := append(slices.Clone(rs), Rating{Unit: 11, Rater: 3, Value: nan})
	if got, _ := Alpha(withNaN); got != want {
		t.Errorf("with a NaN: got %.15f, want %.15f", got, want)
	}
}

func TestMeanInterval(t *testing.T) {
	alternating := make([]float64, 40)
	for i := range alternating {
		alternating[i] = float64(2 + 2*(i%2))
	}
	tests := []struct {
		name   string
		values []float64
		want   Estimate
	}{
		{"no values is the whole scale around its middle", nil, Estimate{3, 1, 5, 0}},
		{"one value has no spread to measure", []float64{4}, Estimate{4, 1, 5, 1}},
		{"full agreement is certain", []float64{3, 3, 3}, Estimate{3, 3, 3, 3}},
		// sd 2, se 2/√3, t(2) = 4.303: ±4.97 reaches past both ends.
		{"a split panel is clamped to the scale", []float64{1, 3, 5}, Estimate{3, 1, 5, 3}},
		// sd √(2/3), se √(2/3)/2 = 0.40825, t(3) = 3.182: ±1.299046.
		{"four values", []float64{2, 3, 4, 3}, Estimate{3, 3 - 1.299046, 3 + 1.299046, 4}},
		// sd √(40/39), se sd/√40 = 0.160128, beyond the table z = 1.959964: ±0.313846.
		{"forty values use the normal quantile", alternating, Estimate{3, 3 - 0.313846, 3 + 0.313846, 40}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MeanInterval(tt.values, 1, 5)
			if got.N != tt.want.N || !near(got.Mean, tt.want.Mean, 1e-9) ||
				!near(got.Low, tt.want.Low, 1e-6) || !near(got.High, tt.want.High, 1e-6) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestT975 checks the quantile table against Student's t itself: twice the integral of the
// density from 0 to each tabled quantile must be 0.95, up to the table's three-decimal
// rounding.
func TestT975(t *testing.T) {
	for df := 1; df <= 30; df++ {
		nu := float64(df)
		lg1, _ := math.Lgamma((nu + 1) / 2)
		lg2, _ := math.Lgamma(nu / 2)
		c := math.Exp(lg1-lg2) / math.Sqrt(nu*math.Pi)
		f := func(x float64) float64 { return c * math.Pow(1+x*x/nu, -(nu+1)/2) }
		q := t975(df)
		const steps = 20000 // Simpson's rule
		h := q / steps
		sum := f(0) + f(q)
		for i := 1; i < steps; i++ {
			w := 2.0
			if i%2 == 1 {
				w = 4
			}
			sum += w * f(float64(i)*h)
		}
		got := 2 * sum * h / 3
		if tol := 2*f(q)*0.0005 + 1e-9; !near(got, 0.95, tol) {
			t.Errorf("df %d: P(|T| ≤ %.3f) = %.6f, want 0.95 ± %.6f", df, q, got, tol)
		}
	}
	if got := t975(31); got != 1.959963984540054 {
		t.Errorf("df 31: got %v, want the normal quantile", got)
	}
}

func TestWeighted(t *testing.T) {
	tests := []struct {
		name              string
		criteria, weights []float64
		want              float64
		ok                bool
	}{
		{"weights are shares", []float64{4, 2}, []float64{3, 1}, 3.5, true},
		{"percentages give the same", []float64{4, 2}, []float64{75, 25}, 3.5, true},
		{"a zero weight drops a criterion", []float64{4, 1, 2}, []float64{1, 0, 1}, 3, true},
		{"lengths differ", []float64{4, 2}, []float64{1}, 0, false},
		{"weights sum to zero", []float64{4, 2}, []float64{0, 0}, 0, false},
		{"a negative weight", []float64{4, 2}, []float64{2, -1}, 0, false},
		{"no criteria", nil, nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Weighted(tt.criteria, tt.weights)
			if ok != tt.ok || !near(got, tt.want, 1e-12) {
				t.Errorf("got %v (ok %v), want %v (ok %v)", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestOutliers(t *testing.T) {
	// Raters 0 to 2 agree; rater 3 always scores 4 points off them. Unit 4 only rater 3
	// scored, so it tells nothing about them.
	rs := matrix(
		[]float64{1, 1, 5, 5, nan},
		[]float64{1, 1, 5, 5, nan},
		[]float64{1, 1, 5, 5, nan},
		[]float64{5, 5, 1, 1, 3},
	)
	// Rater 3 is 4 from the others' mean everywhere it counts. Each of raters 0 to 2 is
	// compared with the mean of one agreeing pair and rater 3, e.g. |1 − (1+1+5)/3| = 4/3.
	tests := []struct {
		threshold float64
		want      []RaterGap
	}{
		{1.5, []RaterGap{{3, 4}}},
		{1, []RaterGap{{3, 4}, {0, 4.0 / 3}, {1, 4.0 / 3}, {2, 4.0 / 3}}},
		{4, nil},
	}
	for _, tt := range tests {
		got := Outliers(rs, tt.threshold)
		same := len(got) == len(tt.want)
		for i := 0; same && i < len(got); i++ {
			same = got[i].Rater == tt.want[i].Rater && near(got[i].Gap, tt.want[i].Gap, 1e-12)
		}
		if !same {
			t.Errorf("threshold %v: got %+v, want %+v", tt.threshold, got, tt.want)
		}
	}
}

func TestDisagreement(t *testing.T) {
	rs := []Rating{
		{1, 0, 1}, {1, 1, 5}, // SD √8
		{2, 0, 3}, {2, 1, 3}, {2, 2, 3}, // SD 0
		{3, 0, 5}, {3, 1, 1}, // SD √8, ties with unit 1
		{4, 0, 2},                       // one value: no spread
		{5, 0, 1}, {5, 1, 2}, {5, 2, 3}, // SD 1
	}
	want := []UnitSpread{{1, math.Sqrt(8), 2}, {3, math.Sqrt(8), 2}, {5, 1, 3}, {2, 0, 3}}
	got := Disagreement(rs)
	same := len(got) == len(want)
	for i := 0; same && i < len(got); i++ {
		same = got[i].Unit == want[i].Unit && got[i].N == want[i].N && near(got[i].SD, want[i].SD, 1e-12)
	}
	if !same {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := Disagreement(nil); len(got) != 0 {
		t.Errorf("no ratings: got %+v, want none", got)
	}
}
