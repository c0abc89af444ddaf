package ranking

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Comparison is one pairwise judgement: Winner was preferred to Loser. Indexes are positions in
// the list of items being fitted, not database ids.
type Comparison struct {
	Winner, Loser int
}

// Strength is one item's fitted Bradley–Terry result.
type Strength struct {
	// Chance is the probability that the item beats an item drawn at random from the others,
	// the figure people are shown; Low and High bound it at 95%.
	Chance, Low, High float64
	// Comparisons is how many judgements involved the item.
	Comparisons int
}

// btPrior is the weight of the virtual judgements that tie every item to an average one: one
// win and one loss. They keep an item that always won (or never won) at a finite strength and
// pull items with few comparisons towards the middle, as a prior should.
const btPrior = 1.0

// BradleyTerry fits strengths to comparisons among n items with the MM algorithm of Hunter
// (2004): each step sets p_i = W_i / Σ_j n_ij/(p_i+p_j), which never decreases the likelihood.
// Every item also meets a virtual item of strength 1 once as winner and once as loser (btPrior),
// so the fit exists for any data. It stops when no log-strength moves by more than 1e-7, or
// after maxIter steps.
func BradleyTerry(n int, cs []Comparison, maxIter int) []Strength {
	if n == 0 {
		return nil
	}
	f := fit(n, cs, maxIter)
	chance := chanceAgainst
	if n > exactChanceMax {
		chance = newChanceTable(f.p).against
	}
	out := make([]Strength, n)
	for i := range out {
		se := 1 / math.Sqrt(f.info[i])
		out[i] = Strength{
			Chance:      chance(f.p, i, f.p[i]),
			Low:         chance(f.p, i, f.p[i]*math.Exp(-z95*se)),
			High:        chance(f.p, i, f.p[i]*math.Exp(z95*se)),
			Comparisons: f.count[i],
		}
	}
	return out
}

// exactChanceMax is the most items whose chances are summed exactly, pair by pair (O(n²));
// beyond it a histogram of strengths answers each in constant time.
const exactChanceMax = 2000

// chanceTable holds the items' log-strengths in narrow bins, so that the mean chance against
// all of them is a sum over bins, not over items. With 1,024 bins across the strengths' range,
// the error is below a thousandth of a percentage point for any realistic spread.
type chanceTable struct {
	lo, width float64
	counts    []float64
	n         int
}

func newChanceTable(p []float64) *chanceTable {
	const bins = 1024
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range p {
		lo, hi = math.Min(lo, math.Log(x)), math.Max(hi, math.Log(x))
	}
	t := &chanceTable{lo: lo, width: math.Max(hi-lo, 1e-9) / bins, counts: make([]float64, bins), n: len(p)}
	for _, x := range p {
		t.counts[min(bins-1, int((math.Log(x)-lo)/t.width))]++
	}
	return t
}

// against is chanceAgainst from the table: the item itself, at its own strength, is taken out.
func (t *chanceTable) against(p []float64, i int, s float64) float64 {
	ls := math.Log(s)
	var sum float64
	for b, c := range t.counts {
		if c > 0 {
			centre := t.lo + (float64(b)+0.5)*t.width
			sum += c / (1 + math.Exp(centre-ls))
		}
	}
	sum -= s / (s + p[i])
	return sum / float64(t.n-1)
}

// btFit is the raw result of the MM iterations.
type btFit struct {
	p     []float64 // strengths, on the scale where the virtual item is 1
	info  []float64 // Fisher information of each log-strength
	count []int     // real comparisons per item
}

func fit(n int, cs []Comparison, maxIter int) btFit {
	// Aggregate to counts per ordered pair: far fewer than the comparisons on a busy challenge.
	type pair struct{ a, b int } // a < b
	wins := make([]float64, n)
	games := map[pair][2]float64{} // [a beat b, b beat a]
	count := make([]int, n)
	for _, c := range cs {
		if c.Winner == c.Loser || c.Winner < 0 || c.Loser < 0 || c.Winner >= n || c.Loser >= n {
			continue
		}
		wins[c.Winner]++
		count[c.Winner]++
		count[c.Loser]++
		if c.Winner < c.Loser {
			g := games[pair{c.Winner, c.Loser}]
			g[0]++
			games[pair{c.Winner, c.Loser}] = g
		} else {
			g := games[pair{c.Loser, c.Winner}]
			g[1]++
			games[pair{c.Loser, c.Winner}] = g
		}
	}
	type edge struct {
		a, b int
		n    float64
	}
	edges := make([]edge, 0, len(games))
	for k, g := range games {
		edges = append(edges, edge{k.a, k.b, g[0] + g[1]})
	}
	// A fixed order makes the sums, and so the fit, the same on every run.
	slices.SortFunc(edges, func(x, y edge) int {
		if x.a != y.a {
			return x.a - y.a
		}
		return x.b - y.b
	})
	p := make([]float64, n)
	for i := range p {
		p[i] = 1
	}
	denom := make([]float64, n)
	for iter := 0; iter < maxIter; iter++ {
		for i := range denom {
			denom[i] = 2 * btPrior / (p[i] + 1) // the virtual games against strength 1
		}
		for _, e := range edges {
			d := e.n / (p[e.a] + p[e.b])
			denom[e.a] += d
			denom[e.b] += d
		}
		moved := 0.0
		for i := range p {
			next := (wins[i] + btPrior) / denom[i]
			moved = math.Max(moved, math.Abs(math.Log(next)-math.Log(p[i])))
			p[i] = next
		}
		// The virtual item's fixed strength of 1 pins the scale, so no renormalising is needed.
		if moved < 1e-7 {
			break
		}
	}
	// Fisher information of each log-strength, holding the others fixed, gives its standard
	// error; the interval on the chance follows from moving the strength by ±1.96 of them.
	info := make([]float64, n)
	for i := range info {
		info[i] = 2 * btPrior * p[i] / ((p[i] + 1) * (p[i] + 1))
	}
	for _, e := range edges {
		v := e.n * p[e.a] * p[e.b] / ((p[e.a] + p[e.b]) * (p[e.a] + p[e.b]))
		info[e.a] += v
		info[e.b] += v
	}
	return btFit{p: p, info: info, count: count}
}

// chanceAgainst is the mean chance that an item of strength s beats each item but i.
func chanceAgainst(p []float64, i int, s float64) float64 {
	if len(p) < 2 {
		return 0.5
	}
	var sum float64
	for j, q := range p {
		if j != i {
			sum += s / (s + q)
		}
	}
	return sum / float64(len(p)-1)
}

// Candidate is an idea that could be offered for comparison.
type Candidate struct {
	ID          int64
	Comparisons int
}

// PickPair chooses two different candidates to compare, favouring those compared least: the
// first is drawn among the least-compared quarter (at least two), the second among the rest
// weighted by 1/(1+comparisons); when those have no fresh partner, any other idea may go first.
// judged reports pairs this participant has already judged,
// which are not offered again. It reports false when no fresh pair is left.
func PickPair(cands []Candidate, judged func(a, b int64) bool, rng *rand.Rand) (int64, int64, bool) {
	if len(cands) < 2 {
		return 0, 0, false
	}
	sorted := slices.Clone(cands)
	slices.SortStableFunc(sorted, func(x, y Candidate) int { return x.Comparisons - y.Comparisons })
	// Try the least-compared quarter first, in random order, then everyone else.
	quarter := max(2, len(sorted)/4)
	var order []Candidate
	for _, i := range rng.Perm(quarter) {
		order = append(order, sorted[i])
	}
	for _, i := range rng.Perm(len(sorted) - quarter) {
		order = append(order, sorted[quarter+i])
	}
	for _, first := range order {
		var pool []Candidate
		var total float64
		for _, c := range sorted {
			if c.ID != first.ID && !judged(first.ID, c.ID) {
				pool = append(pool, c)
				total += 1 / float64(1+c.Comparisons)
			}
		}
		if len(pool) == 0 {
			continue
		}
		x := rng.Float64() * total
		for _, c := range pool {
			x -= 1 / float64(1+c.Comparisons)
			if x <= 0 {
				return first.ID, c.ID, true
			}
		}
		return first.ID, pool[len(pool)-1].ID, true
	}
	return 0, 0, false
}
