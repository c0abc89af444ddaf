// Package similarity finds near-duplicate ideas in a longlist, so a panel can merge ideas that
// say the same thing in different words before scoring them. It compares short English texts
// by the words they share, weighted by how rare each word is; it knows nothing of synonyms,
// so two paraphrases are found only when they share enough content words.
package similarity

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultThreshold is the cosine similarity at or above which Cluster links two ideas by
// default, chosen on the 21 hand-written hospital ideas in this package's tests. There,
// unrelated ideas that share a word or two (night, staff, ward, patient data) score at most
// 0.20; paraphrases that share their key words score 0.53 to 0.73 on the links that hold their
// groups together; looser paraphrases score 0.39 to 0.48, and one in wholly different words
// scores 0. Any threshold from 0.2 to 0.48 would also have grouped the looser ones without a
// false link, and above 0.53 the groups start to split. 0.5 gives up the looser paraphrases
// for a wide margin over chance overlap, because a real longlist of hundreds of ideas has far
// more unrelated pairs than the test set, so its highest chance overlap will sit higher, and
// one false link merges two whole groups. It is a judgement on one small set, not a measured
// error rate: treat the groups as suggestions to merge.
const DefaultThreshold = 0.5

// Doc is one idea's text under its id, usually its title and body joined.
type Doc struct {
	ID   int64
	Text string
}

// stopWord reports whether w is an English word too common in ideas to say what one is about.
func stopWord(w string) bool {
	switch w {
	case "a", "an", "and", "the", "of", "to", "in", "for", "on", "at", "with", "is", "are",
		"be", "we", "our", "us", "it", "that", "this", "more", "should", "could", "would",
		"can", "from", "by", "as", "or", "not", "no", "have", "has", "so", "their", "there",
		"what", "when", "which", "who", "will", "all", "get", "make":
		return true
	}
	return false
}

// tokens splits text into the terms Cluster compares: lower-cased runs of letters and digits
// (in any script), without stop words or runs shorter than three runes, each reduced by stem.
func tokens(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if utf8.RuneCountInString(w) < 3 || stopWord(w) {
			continue
		}
		out = append(out, stem(w))
	}
	return out
}

// stem is a deliberately tiny English stemmer, enough to make "parking" meet "park" and
// "improvement" meet "improving". Never leaving fewer than three runes, it strips in turn:
//
//  1. a plural "s", though not after s, u or i, whose words are rarely plurals
//     (shifts → shift, but process, status and analysis stay);
//  2. "ing" or "ed" and stops there (working → work, needed → need), or else "ment"
//     (improvement → improve, treatment → treat);
//  3. a final "e", so base words meet the e-less stems rule 2 leaves
//     (improve, improving and improvement all → improv; nurse and nurses → nurs).
//
// "-es" plurals fall out of rules 1 and 3 (boxes → boxe → box). It errs: care, caring and car
// all become "car", entry stays apart from entering, and facility from facilities. Such slips
// add a shared term or miss one; they matter only when a pair shares little else.
func stem(w string) string {
	r := []rune(w)
	cut := func(suffix string) bool { // suffixes are ASCII, so bytes are runes
		if n := len(r) - len(suffix); n >= 3 && strings.HasSuffix(string(r), suffix) {
			r = r[:n]
			return true
		}
		return false
	}
	if n := len(r); n >= 2 && !strings.ContainsRune("sui", r[n-2]) {
		cut("s")
	}
	if cut("ing") || cut("ed") {
		return string(r)
	}
	cut("ment")
	cut("e")
	return string(r)
}

// posting is one document's weight for one term.
type posting struct {
	doc    int
	weight float64
}

// Cluster groups near-duplicate texts. Each text becomes a TF-IDF vector — a term counts as
// often as it occurs, times ln((1+N)/(1+df)) + 1 where df of the N texts hold it, so a word
// every idea uses (ward, staff) counts less than a rare one (parking) — scaled to unit length,
// and two texts are linked when the cosine of their vectors is at least threshold. The groups
// are the connected components of those links, so A and C share a group when each is close to
// B even if not to each other. Only groups of two or more are returned, each with its ids
// ascending, the groups ordered by their smallest id. Texts that share no term are never
// linked, even at threshold 0. IDs should be distinct.
//
// Only texts that share a term are compared, through an index from term to texts, so the
// work grows with the shared terms rather than with every pair. The texts are processed in id
// order and each dot product summed in term order, so the result depends on neither the order
// of docs nor map iteration.
func Cluster(docs []Doc, threshold float64) [][]int64 {
	docs = slices.Clone(docs)
	slices.SortStableFunc(docs, func(a, b Doc) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), strings.Compare(a.Text, b.Text))
	})
	n := len(docs)
	counts := make([]map[string]int, n)
	df := map[string]int{}
	for i, d := range docs {
		counts[i] = map[string]int{}
		for _, t := range tokens(d.Text) {
			if counts[i][t] == 0 {
				df[t]++
			}
			counts[i][t]++
		}
	}

	// Unit-length vectors as term-sorted postings, and the index from each term to the texts
	// that hold it, in text order.
	type entry struct {
		term   string
		weight float64
	}
	vecs := make([][]entry, n)
	index := map[string][]posting{}
	for i, c := range counts {
		var norm float64
		for t, tf := range c {
			w := float64(tf) * (math.Log(float64(1+n)/float64(1+df[t])) + 1)
			vecs[i] = append(vecs[i], entry{t, w})
			norm += w * w
		}
		slices.SortFunc(vecs[i], func(a, b entry) int { return strings.Compare(a.term, b.term) })
		norm = math.Sqrt(norm)
		for k := range vecs[i] {
			vecs[i][k].weight /= norm
			index[vecs[i][k].term] = append(index[vecs[i][k].term], posting{i, vecs[i][k].weight})
		}
	}

	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	// Identical texts score 1 only up to rounding; the slack keeps them linked at threshold 1.
	const slack = 1e-9
	dot := make([]float64, n)
	var touched []int
	for i := range docs {
		for _, e := range vecs[i] {
			ps := index[e.term]
			// Postings are in text order: only later texts, each pair once.
			k, _ := slices.BinarySearchFunc(ps, i+1, func(p posting, j int) int { return cmp.Compare(p.doc, j) })
			for _, p := range ps[k:] {
				if dot[p.doc] == 0 {
					touched = append(touched, p.doc)
				}
				dot[p.doc] += e.weight * p.weight
			}
		}
		for _, j := range touched {
			if dot[j] >= threshold-slack {
				if a, b := find(i), find(j); a != b {
					parent[max(a, b)] = min(a, b)
				}
			}
			dot[j] = 0
		}
		touched = touched[:0]
	}

	// Texts are in id order, so each group fills in ascending order and the groups appear in
	// the order of their smallest id.
	var groups [][]int64
	at := map[int]int{}
	for i, d := range docs {
		root := find(i)
		g, ok := at[root]
		if !ok {
			g = len(groups)
			at[root] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], d.ID)
	}
	groups = slices.DeleteFunc(groups, func(g []int64) bool { return len(g) < 2 })
	if len(groups) == 0 {
		return nil
	}
	return groups
}
