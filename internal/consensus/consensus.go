// Package consensus holds the arithmetic of expert panels: how far the experts who scored a
// longlist of ideas agree, how sure each idea's score is, and which experts or ideas stand
// apart. It is pure maths over plain values, so the service that stores scores can stay thin.
package consensus

import (
	"cmp"
	"math"
	"slices"
)

// Rating is one expert's value for one idea on one scale: Unit is the idea, Rater the expert.
// A unit may lack some raters' values; a missing value is simply left out (a NaN or infinite
// Value counts as missing too). Each unit–rater pair should appear once; if it appears more
// often, the last value given wins, since a panellist who changes their mind means the newer
// score.
type Rating struct {
	Unit, Rater int
	Value       float64
}

// cell is one rater's value within a unit.
type cell struct {
	rater int
	value float64
}

// units groups ratings by unit, keeping the last value of each unit–rater pair and dropping
// values that are not finite, with units in ascending order and each unit's cells in rater
// order, so everything built on it is independent of the order ratings arrive in.
func units(ratings []Rating) (ids []int, cells [][]cell) {
	type key struct{ unit, rater int }
	last := make(map[key]float64, len(ratings))
	for _, r := range ratings {
		if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
			continue
		}
		last[key{r.Unit, r.Rater}] = r.Value
	}
	keys := make([]key, 0, len(last))
	for k := range last {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.unit, b.unit), cmp.Compare(a.rater, b.rater))
	})
	for i, k := range keys {
		if i == 0 || k.unit != keys[i-1].unit {
			ids = append(ids, k.unit)
			cells = append(cells, nil)
		}
		cells[len(cells)-1] = append(cells[len(cells)-1], cell{k.rater, last[k]})
	}
	return ids, cells
}

// meanSS returns the mean of a unit's values and the sum of squared deviations from it, the
// two numbers every spread below is made of; working from the mean keeps large values from
// cancelling catastrophically.
func meanSS(cs []cell) (mean, ss float64) {
	for _, c := range cs {
		mean += c.value
	}
	mean /= float64(len(cs))
	for _, c := range cs {
		ss += (c.value - mean) * (c.value - mean)
	}
	return mean, ss
}

// Alpha is Krippendorff's alpha with the interval metric (squared difference): the panel's
// agreement beyond what values drawn at random from its own scores would show. 1 is perfect
// agreement, 0 is agreement no better than chance, and below 0 the raters systematically
// disagree. It uses the coincidence formulation, which handles missing values: only units
// with at least two values are pairable, n is the number of pairable values, and
//
//	D_o = (1/n) Σ_u 1/(m_u−1) Σ_{i≠j in u} (v_i−v_j)²
//	D_e = 1/(n(n−1)) Σ_{i≠j among all pairable values} (v_i−v_j)²
//	alpha = 1 − D_o/D_e
//
// where m_u counts unit u's values and the sums run over ordered pairs. Each sum of squared
// differences over ordered pairs of k values equals 2k times their sum of squared deviations
// from their mean, which is how it is computed, in linear time. ok is false when alpha is
// undefined: fewer than two pairable values, or no variation at all (D_e = 0).
func Alpha(ratings []Rating) (alpha float64, ok bool) {
	_, cells := units(ratings)
	var n, within float64
	var pooled []cell
	for _, cs := range cells {
		m := len(cs)
		if m < 2 {
			continue
		}
		_, ss := meanSS(cs)
		within += 2 * float64(m) * ss / float64(m-1)
		n += float64(m)
		pooled = append(pooled, cs...)
	}
	if n < 2 {
		return 0, false
	}
	_, total := meanSS(pooled)
	do := within / n
	de := 2 * n * total / (n * (n - 1))
	if de == 0 {
		return 0, false
	}
	return 1 - do/de, true
}

// Estimate is a mean with its 95% interval and the number of values behind it.
type Estimate struct {
	Mean, Low, High float64
	N               int
}

// MeanInterval is the mean of an idea's scores with a 95% Student-t interval, so a shortlist
// can show how sure each score is: three experts who split 1, 3, 5 average 3 as surely as
// three who all say 3, but the interval tells them apart. The interval is clamped to the
// scale [lo, hi], since no mean of scores on it can fall outside. With fewer than two values
// there is no spread to measure, so the interval is the whole scale; with none the mean is
// the scale's middle, which N = 0 marks as no evidence.
func MeanInterval(values []float64, lo, hi float64) Estimate {
	n := len(values)
	switch n {
	case 0:
		return Estimate{Mean: (lo + hi) / 2, Low: lo, High: hi}
	case 1:
		return Estimate{Mean: values[0], Low: lo, High: hi, N: 1}
	}
	var mean float64
	for _, v := range values {
		mean += v
	}
	mean /= float64(n)
	var ss float64
	for _, v := range values {
		ss += (v - mean) * (v - mean)
	}
	half := t975(n-1) * math.Sqrt(ss/float64(n-1)/float64(n))
	return Estimate{
		Mean: mean,
		Low:  math.Max(lo, mean-half),
		High: math.Min(hi, mean+half),
		N:    n,
	}
}

// t975 is the 0.975 quantile of Student's t with df degrees of freedom, to three decimals,
// the multiplier of a two-sided 95% interval. Panels are small, so the table covers df 1 to
// 30; beyond it the normal quantile is used, which is at most about 4% too narrow (df 31:
// 2.040 against 1.960) and closes in as panels grow.
func t975(df int) float64 {
	table := [...]float64{
		12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
		2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
		2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
	}
	if df >= 1 && df <= len(table) {
		return table[df-1]
	}
	return 1.959963984540054
}

// Weighted combines an idea's per-criterion means into one score, weighting each criterion by
// its share of the total weight, so weights may be given in any unit (percentages, points).
// ok is false when the lengths differ, a weight is negative or not finite, or the weights sum
// to zero, since then there is no sensible share to give each criterion.
func Weighted(criteria []float64, weights []float64) (score float64, ok bool) {
	if len(criteria) != len(weights) {
		return 0, false
	}
	var sum, total float64
	for i, w := range weights {
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return 0, false
		}
		sum += w * criteria[i]
		total += w
	}
	if total == 0 {
		return 0, false
	}
	return sum / total, true
}

// RaterGap is how far, on average, one rater's values sit from the rest of the panel's, in
// scale points.
type RaterGap struct {
	Rater int
	Gap   float64
}

// Outliers finds raters who score apart from the panel, so a facilitator can ask whether they
// read the criteria differently. A rater's gap is the mean, over the units they rated that at
// least one other rater also rated, of the absolute difference between their value and the
// mean of the other raters' values there. Leaving the rater out of the mean they are compared
// with keeps a lone dissenter from pulling the yardstick towards themselves. Raters whose gap
// exceeds threshold are returned, largest gap first, then by rater.
func Outliers(ratings []Rating, threshold float64) []RaterGap {
	_, cells := units(ratings)
	type acc struct {
		sum float64
		n   int
	}
	by := map[int]*acc{}
	for _, cs := range cells {
		m := len(cs)
		if m < 2 {
			continue
		}
		var sum float64
		for _, c := range cs {
			sum += c.value
		}
		for _, c := range cs {
			others := (sum - c.value) / float64(m-1)
			a := by[c.rater]
			if a == nil {
				a = &acc{}
				by[c.rater] = a
			}
			a.sum += math.Abs(c.value - others)
			a.n++
		}
	}
	var out []RaterGap
	for r, a := range by {
		if g := a.sum / float64(a.n); g > threshold {
			out = append(out, RaterGap{r, g})
		}
	}
	slices.SortFunc(out, func(a, b RaterGap) int {
		return cmp.Or(cmp.Compare(b.Gap, a.Gap), cmp.Compare(a.Rater, b.Rater))
	})
	return out
}

// UnitSpread is how much the raters of one unit disagree: the sample standard deviation of its
// N values.
type UnitSpread struct {
	Unit int
	SD   float64
	N    int
}

// Disagreement lists every unit with at least two values by how much its raters disagree,
// most contested first (ties by unit), so a panel can spend its discussion time where the
// scores diverge. The spread is the sample standard deviation, dividing by N−1.
func Disagreement(ratings []Rating) []UnitSpread {
	ids, cells := units(ratings)
	var out []UnitSpread
	for i, cs := range cells {
		if len(cs) < 2 {
			continue
		}
		_, ss := meanSS(cs)
		out = append(out, UnitSpread{ids[i], math.Sqrt(ss / float64(len(cs)-1)), len(cs)})
	}
	slices.SortStableFunc(out, func(a, b UnitSpread) int {
		return cmp.Or(cmp.Compare(b.SD, a.SD), cmp.Compare(a.Unit, b.Unit))
	})
	return out
}
