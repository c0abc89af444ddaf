package ranking

import (
	"math"
	"time"
)

// Fair estimates how often people who see an idea vote it up: up-votes per impression, shrunk
// towards the challenge's mean rate by a Beta prior worth priorWeight impressions. An idea seen
// by few people sits near the mean, so neither a lucky early vote nor a late arrival that
// nobody has seen yet decides its place; as impressions grow the idea's own rate takes over.
// Impressions below the votes cast are raised to them, since every vote had a viewer.
func Fair(up, down, impressions int, mean, priorWeight float64) float64 {
	n := float64(max(impressions, up+down, 0))
	m := clamp01(mean)
	k := math.Max(priorWeight, 0)
	if n+k == 0 {
		return m
	}
	return (float64(max(up, 0)) + k*m) / (n + k)
}

// Gathering reports whether an idea is still gathering votes: fewer than min people have been
// shown it, counting every voter as someone who saw it.
func Gathering(up, down, impressions, min int) bool {
	return max(impressions, up+down) < min
}

// FairPrior is the weight, in impressions, of the prior Fair shrinks towards the challenge's
// mean: an idea's own record outweighs it once twenty people have seen it.
const FairPrior = 20.0

// FairInterval is the 95% equal-tailed interval of the Beta posterior behind Fair, by the
// normal approximation; it says how sure the fair score is, for the idea page.
func FairInterval(up, down, impressions int, mean, priorWeight float64) (lo, hi float64) {
	n := float64(max(impressions, up+down, 0))
	a := float64(max(up, 0)) + math.Max(priorWeight, 0)*clamp01(mean)
	b := n - float64(max(up, 0)) + math.Max(priorWeight, 0)*(1-clamp01(mean))
	if a+b == 0 {
		return 0, 1
	}
	p := a / (a + b)
	sd := math.Sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)))
	return clamp01(p - z95*sd), clamp01(p + z95*sd)
}

// MeanRate is a challenge's up-votes per impression over all its ideas, the centre of Fair's
// prior. With no impressions yet it is fallback.
func MeanRate(up, impressions int, fallback float64) float64 {
	if impressions <= 0 {
		return clamp01(fallback)
	}
	return clamp01(float64(up) / float64(impressions))
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

// discussionEpoch and discussionTau set Discussion's time scale: a comment a week older counts
// e (about 2.7) times less. The epoch keeps the exponent small for decades.
var discussionEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

const discussionTau = 7 * 24 * time.Hour

// Contribution is one comment as Discussion weighs it.
type Contribution struct {
	Implementation bool
	At             time.Time
}

// Discussion scores how lively an idea's discussion is: every visible comment counts, a
// suggestion of how to make the idea happen counts twice, and each counts less the older it is
// (a factor e per week). The score is tau·ln(Σ w·e^((t−epoch)/tau)), which orders ideas
// exactly as the decayed sums would at any moment, so it needs no recomputation as time
// passes, only when comments come or go. No comments score 0.
func Discussion(cs []Contribution) float64 {
	if len(cs) == 0 {
		return 0
	}
	tau := discussionTau.Seconds()
	// Log-sum-exp around the largest exponent, so nothing overflows.
	xs := make([]float64, len(cs))
	top := math.Inf(-1)
	for i, c := range cs {
		w := 1.0
		if c.Implementation {
			w = 2
		}
		xs[i] = math.Log(w) + c.At.Sub(discussionEpoch).Seconds()/tau
		top = math.Max(top, xs[i])
	}
	var sum float64
	for _, x := range xs {
		sum += math.Exp(x - top)
	}
	return tau / 3600 * (top + math.Log(sum)) // in hours, to read naturally in a debugger
}
