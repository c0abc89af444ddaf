// Package sim simulates a two-month campaign to compare ranking algorithms: ideas with a hidden
// true quality arrive over time, participants arrive over time, look at a list ordered by the
// algorithm under test, notice the ideas near the top more often (position bias), and vote
// up or down by the idea's quality, swayed by the votes they can see (herding). At the end each
// algorithm's top 50 is held against the true top 50. Everything is seeded and pure: the same
// seed gives the same campaign and the same figures.
package sim

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/groundswell/groundswell/internal/ranking"
)

// Model sets the campaign. Defaults match the campaign Groundswell is modelled on: about 3,000
// ideas from 3,600 people over two months.
type Model struct {
	Days          int
	Ideas         int
	Participants  int
	PageSize      int
	SecondPage    float64 // chance a participant also reads page 2
	PositionDecay float64 // chance of noticing the idea at place k is PositionDecay^k
	VoteChance    float64 // chance of voting up an idea one has noticed and likes
	DownShare     float64 // how readily people vote down what they dislike, relative to up
	QualityWeight float64 // how much true quality moves the up/down choice (logistic slope)
	Herding       float64 // how much the visible net score moves it
	Comparisons   int     // pairs each participant judges per visit in pairwise mode
	Visits        int     // visits per participant, spread from their arrival to the end
	TopK          int
}

// Default is the model the report uses.
var Default = Model{
	Days: 60, Ideas: 3000, Participants: 3600, PageSize: 20, SecondPage: 0.3, PositionDecay: 0.9,
	VoteChance: 0.35, DownShare: 0.4, QualityWeight: 1.5, Herding: 0.6, Comparisons: 6, Visits: 3, TopK: 50,
}

// Algorithm names one ordering under test.
type Algorithm string

// The algorithms compared.
const (
	NetVotes   Algorithm = "net votes (Decidim, Your Priorities)"
	Consul     Algorithm = "CONSUL confidence"
	RedditHot  Algorithm = "Reddit hot"
	HackerNews Algorithm = "Hacker News gravity"
	WilsonTop  Algorithm = "Wilson top"
	Fair       Algorithm = "fair (Groundswell)"
	Pairwise   Algorithm = "pairwise Bradley–Terry (Groundswell)"
	// FairSampled is an experiment, not what ships: fair, with the exploration places given by
	// drawing each idea's rate from its posterior (Thompson sampling) instead of at random
	// among the ideas still gathering votes.
	FairSampled Algorithm = "fair, posterior-sampled exploration (experiment)"
	exploreRate           = 0.2 // the fair list's exploration share, as shipped
	gatherMin             = 30  // impressions before an idea stops gathering votes, as shipped
)

// Algorithms lists them in the report's order.
var Algorithms = []Algorithm{NetVotes, Consul, RedditHot, HackerNews, WilsonTop, Fair, FairSampled, Pairwise}

type idea struct {
	quality     float64
	posted      float64 // days since the start
	up, down    int
	impressions int
}

// Result is one run's figures for one algorithm.
type Result struct {
	PrecisionAt, LateRecallAt, KendallTau float64
}

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Run simulates one campaign under algorithm a with the given seed.
func (m Model) Run(a Algorithm, seed uint64) Result {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	ideas := make([]idea, m.Ideas)
	for i := range ideas {
		// Ideas keep arriving until the last week; quality is hidden and normal.
		ideas[i] = idea{quality: rng.NormFloat64(), posted: rng.Float64() * float64(m.Days-7)}
	}
	slices.SortFunc(ideas, func(x, y idea) int { return cmp.Compare(x.posted, y.posted) })
	// Each participant arrives at a random time and comes back a few times before the end.
	var arrivals []float64
	for range m.Participants {
		first := rng.Float64() * float64(m.Days)
		arrivals = append(arrivals, first)
		for v := 1; v < m.Visits; v++ {
			arrivals = append(arrivals, first+rng.Float64()*(float64(m.Days)-first))
		}
	}
	slices.Sort(arrivals)
	var comps []ranking.Comparison
	compared := make([]int, m.Ideas)
	for _, now := range arrivals {
		avail := sortIndex(ideas, now) // ideas posted by now are ideas[:avail]
		if avail == 0 {
			continue
		}
		if a == Pairwise {
			comps = m.judge(ideas[:avail], compared[:avail], comps, rng)
			continue
		}
		order := m.order(a, ideas[:avail], now, rng)
		pages := 1
		if rng.Float64() < m.SecondPage {
			pages = 2
		}
		for k := 0; k < min(len(order), pages*m.PageSize); k++ {
			it := &ideas[order[k]]
			it.impressions++ // shown, as the product counts it, whether or not it was read
			if rng.Float64() >= math.Pow(m.PositionDecay, float64(k%m.PageSize)) {
				continue
			}
			// Whether someone votes depends on quality: they vote up what they like, and down
			// less readily what they do not; the visible score sways both (herding).
			net := float64(it.up - it.down)
			like := sigmoid(m.QualityWeight*it.quality + m.Herding*math.Tanh(net/5))
			switch r := rng.Float64(); {
			case r < m.VoteChance*like:
				it.up++
			case r < m.VoteChance*(like+m.DownShare*(1-like)):
				it.down++
			}
		}
	}
	final := m.finalOrder(a, ideas, float64(m.Days), comps)
	return m.score(ideas, final)
}

// sortIndex is how many ideas were posted by now (ideas are sorted by posting time).
func sortIndex(ideas []idea, now float64) int {
	i, _ := slices.BinarySearchFunc(ideas, now, func(x idea, t float64) int { return cmp.Compare(x.posted, t) })
	return i
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// score is algorithm a's score for an idea at time now (days).
func score(a Algorithm, it *idea, now, mean float64) float64 {
	up, down := it.up, it.down
	net := float64(up - down)
	created := epoch.Add(time.Duration(it.posted * float64(24*time.Hour)))
	switch a {
	case NetVotes:
		return net
	case Consul:
		if up+down == 0 {
			return 0
		}
		return net * float64(up) / float64(up+down)
	case RedditHot:
		return ranking.Hot(up, down, created)
	case HackerNews:
		hours := (now - it.posted) * 24
		return net / math.Pow(hours+2, 1.8)
	case WilsonTop:
		return ranking.Wilson(up, down)
	case Fair, FairSampled:
		return ranking.Fair(up, down, it.impressions, mean, ranking.FairPrior)
	}
	return 0
}

// order is the list a participant sees at time now: every available idea by the algorithm's
// score, ties to the newer; for fair, the exploration share of each page goes to ideas still
// gathering votes, drawn at random, as the product does.
func (m Model) order(a Algorithm, ideas []idea, now float64, rng *rand.Rand) []int {
	mean := meanRate(ideas)
	keys := make([]float64, len(ideas))
	for i := range ideas {
		keys[i] = score(a, &ideas[i], now, mean)
	}
	idx := topIndexes(keys, 2*m.PageSize)
	if a != Fair && a != FairSampled {
		return idx
	}
	var gathering []int
	if a == FairSampled {
		draws := make([]float64, len(ideas))
		for i := range ideas {
			it := &ideas[i]
			n := float64(max(it.impressions, it.up+it.down))
			a := float64(it.up) + ranking.FairPrior*mean
			b := n - float64(it.up) + ranking.FairPrior*(1-mean)
			draws[i] = betaDraw(rng, a, b)
		}
		gathering = topIndexes(draws, 4*m.PageSize)
	} else {
		for i := range ideas {
			if ranking.Gathering(ideas[i].up, ideas[i].down, ideas[i].impressions, gatherMin) {
				gathering = append(gathering, i)
			}
		}
	}
	slots := max(0, min(int(math.Round(exploreRate*float64(m.PageSize))), m.PageSize-1))
	var out []int
	used := map[int]bool{}
	main := 0
	for page := 0; page < 2; page++ {
		var picks, kept []int
		for len(picks) < slots && len(gathering) > 0 {
			k := rng.IntN(len(gathering))
			g := gathering[k]
			gathering[k] = gathering[len(gathering)-1]
			gathering = gathering[:len(gathering)-1]
			if !used[g] {
				used[g] = true
				picks = append(picks, g)
			}
		}
		for ; len(kept) < m.PageSize-len(picks) && main < len(idx); main++ {
			if !used[idx[main]] {
				used[idx[main]] = true
				kept = append(kept, idx[main])
			}
		}
		// The picks are spread through the page as the product's MixPage spreads them.
		total, next := len(kept)+len(picks), 0
		for k, p := range picks {
			for at := (k + 1) * total / (len(picks) + 1); len(out)-page*m.PageSize < at && next < len(kept); next++ {
				out = append(out, kept[next])
			}
			out = append(out, p)
		}
		out = append(out, kept[next:]...)
	}
	return out
}

func meanRate(ideas []idea) float64 {
	var up, seen int
	for _, it := range ideas {
		up += it.up
		seen += max(it.impressions, it.up+it.down)
	}
	return ranking.MeanRate(up, seen, 0.1)
}

// topIndexes returns the indexes of the k highest keys, highest first, ties to the higher index
// (the newer idea). A bounded insertion keeps it linear when k is a page or two.
func topIndexes(keys []float64, k int) []int {
	better := func(x, y int) bool { return keys[x] > keys[y] || (keys[x] == keys[y] && x > y) }
	if k >= len(keys)/4 {
		idx := make([]int, len(keys))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(x, y int) int {
			if better(x, y) {
				return -1
			}
			if better(y, x) {
				return 1
			}
			return 0
		})
		return idx[:min(k, len(idx))]
	}
	top := make([]int, 0, k+1)
	for i := range keys {
		if len(top) == k && !better(i, top[k-1]) {
			continue
		}
		at := len(top)
		for at > 0 && better(i, top[at-1]) {
			at--
		}
		top = slices.Insert(top, at, i)
		if len(top) > k {
			top = top[:k]
		}
	}
	return top
}

// judge lets one participant compare pairs, chosen as the product chooses them.
func (m Model) judge(ideas []idea, compared []int, comps []ranking.Comparison, rng *rand.Rand) []ranking.Comparison {
	if len(ideas) < 2 {
		return comps
	}
	// The product draws from the least-compared ideas of a question; here, of the campaign.
	cands := make([]ranking.Candidate, 0, 40)
	order := make([]int, len(ideas))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(compared[x], compared[y]) })
	for _, i := range order[:min(40, len(order))] {
		cands = append(cands, ranking.Candidate{ID: int64(i), Comparisons: compared[i]})
	}
	seen := map[[2]int64]bool{}
	for range m.Comparisons {
		a, b, ok := ranking.PickPair(cands, func(x, y int64) bool { return seen[[2]int64{min(x, y), max(x, y)}] }, rng)
		if !ok {
			break
		}
		seen[[2]int64{min(a, b), max(a, b)}] = true
		compared[a]++
		compared[b]++
		qa, qb := ideas[a].quality, ideas[b].quality
		if rng.Float64() < sigmoid(m.QualityWeight*(qa-qb)) {
			comps = append(comps, ranking.Comparison{Winner: int(a), Loser: int(b)})
		} else {
			comps = append(comps, ranking.Comparison{Winner: int(b), Loser: int(a)})
		}
	}
	return comps
}

// finalOrder is the algorithm's ranking of every idea at the end of the campaign.
func (m Model) finalOrder(a Algorithm, ideas []idea, now float64, comps []ranking.Comparison) []int {
	keys := make([]float64, len(ideas))
	if a == Pairwise {
		for i, s := range ranking.BradleyTerry(len(ideas), comps, 300) {
			keys[i] = s.Chance
		}
	} else {
		mean := meanRate(ideas)
		for i := range ideas {
			keys[i] = score(a, &ideas[i], now, mean)
		}
	}
	return topIndexes(keys, len(keys))
}

// score compares a final order with the truth.
func (m Model) score(ideas []idea, final []int) Result {
	truth := make([]float64, len(ideas))
	for i, it := range ideas {
		truth[i] = it.quality
	}
	trueTop := topIndexes(truth, m.TopK)
	inTrue := map[int]bool{}
	for _, i := range trueTop {
		inTrue[i] = true
	}
	inAlg := map[int]bool{}
	for _, i := range final[:min(m.TopK, len(final))] {
		inAlg[i] = true
	}
	hits, late, lateHits := 0, 0, 0
	lateFrom := float64(m.Days) * 2 / 3
	for _, i := range trueTop {
		if inAlg[i] {
			hits++
		}
		if ideas[i].posted >= lateFrom {
			late++
			if inAlg[i] {
				lateHits++
			}
		}
	}
	r := Result{PrecisionAt: float64(hits) / float64(m.TopK)}
	if late > 0 {
		r.LateRecallAt = float64(lateHits) / float64(late)
	}
	rank := make([]float64, len(final))
	for pos, i := range final {
		rank[i] = -float64(pos)
	}
	r.KendallTau = kendallTau(truth, rank)
	return r
}

// kendallTau is Kendall's tau-a between two scorings of the same items: concordant minus
// discordant pairs over all pairs.
func kendallTau(x, y []float64) float64 {
	n := len(x)
	if n < 2 {
		return 0
	}
	var s float64
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			a, b := x[i]-x[j], y[i]-y[j]
			switch {
			case a*b > 0:
				s++
			case a*b < 0:
				s--
			}
		}
	}
	return s / float64(n*(n-1)/2)
}

// Summary is one algorithm's figures over many runs.
type Summary struct {
	Algorithm                        Algorithm
	Precision, LateRecall, Tau       float64 // means
	PrecisionSD, LateRecallSD, TauSD float64
}

// Summarise runs every algorithm over runs seeds, workers at a time, and returns the mean and
// standard deviation of each figure. done hears each finished run.
func (m Model) Summarise(runs, workers int, done func()) []Summary {
	type job struct{ a, seed int }
	results := make([][]Result, len(Algorithms))
	for k := range results {
		results[k] = make([]Result, runs)
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results[j.a][j.seed] = m.Run(Algorithms[j.a], uint64(j.seed+1))
				if done != nil {
					done()
				}
			}
		}()
	}
	for k := range Algorithms {
		for seed := range runs {
			jobs <- job{k, seed}
		}
	}
	close(jobs)
	wg.Wait()
	out := make([]Summary, len(Algorithms))
	for k, a := range Algorithms {
		var p, l, t []float64
		for _, r := range results[k] {
			p, l, t = append(p, r.PrecisionAt), append(l, r.LateRecallAt), append(t, r.KendallTau)
		}
		out[k] = Summary{Algorithm: a}
		out[k].Precision, out[k].PrecisionSD = meanSD(p)
		out[k].LateRecall, out[k].LateRecallSD = meanSD(l)
		out[k].Tau, out[k].TauSD = meanSD(t)
	}
	return out
}

func meanSD(xs []float64) (float64, float64) {
	var sum float64
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	if len(xs) < 2 {
		return mean, 0
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1))
}

func betaDraw(rng *rand.Rand, a, b float64) float64 {
	x, y := gammaDraw(rng, a), gammaDraw(rng, b)
	return x / (x + y)
}

// gammaDraw samples Gamma(k, 1) by Marsaglia and Tsang.
func gammaDraw(rng *rand.Rand, k float64) float64 {
	if k < 1 {
		return gammaDraw(rng, k+1) * math.Pow(rng.Float64(), 1/k)
	}
	d := k - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}
