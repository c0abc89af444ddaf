// Package ranking holds the pure scoring functions behind idea and comment orders. Scores are
// computed when a vote is written and stored, so lists never aggregate votes on the fly.
package ranking

import (
	"math"
	"time"
)

// z95 is the standard normal quantile for a two-sided 95% confidence interval.
const z95 = 1.959963984540054

// Wilson returns the lower bound of the 95% Wilson score interval for the share of up votes.
// It ranks an idea with 40 up and 5 down above one with 2 up and 0 down, because the first is
// more surely liked; an idea with no votes scores 0.
func Wilson(up, down int) float64 {
	n := float64(up + down)
	if n <= 0 || up < 0 || down < 0 {
		return 0
	}
	p := float64(up) / n
	z2 := z95 * z95
	centre := p + z2/(2*n)
	margin := z95 * math.Sqrt((p*(1-p)+z2/(4*n))/n)
	return math.Max(0, (centre-margin)/(1+z2/n)) // p = 0 rounds to a hair below zero
}

// hotEpoch anchors Hot so that scores stay small numbers for years to come.
var hotEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// hotHalfLife is how much newer an idea must be to outrank one with ten times its net votes.
const hotHalfLife = 45000.0 // seconds, 12.5 hours

// Hot returns a score that grows with the order of magnitude of net votes and with recency.
// Because recency enters as the creation time, the score needs no recomputation as time passes.
func Hot(up, down int, created time.Time) float64 {
	s := float64(up - down)
	order := math.Log10(math.Max(math.Abs(s), 1))
	sign := 0.0
	if s > 0 {
		sign = 1
	} else if s < 0 {
		sign = -1
	}
	return sign*order + created.Sub(hotEpoch).Seconds()/hotHalfLife
}

// Controversy is high when many people voted and they split evenly: magnitude to the power of
// balance. Unanimous items score 0.
func Controversy(up, down int) float64 {
	if up <= 0 || down <= 0 {
		return 0
	}
	hi, lo := float64(max(up, down)), float64(min(up, down))
	return math.Pow(hi+lo, lo/hi)
}
