package groundswell

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// MinGroup is the smallest group of people any output may show: a smaller one could point at
// someone ("the only pharmacist in the north-east").
const MinGroup = 5

// OtherGroup is the name small groups are merged under.
const OtherGroup = "Other"

// GroupCount is how many people gave one answer.
type GroupCount struct {
	Name  string
	Count int
}

// MergeSmallGroups is the k-anonymity rule for breakdowns of people: every group smaller than
// MinGroup goes into "Other", and if "Other" is then still smaller than MinGroup, the smallest
// remaining groups join it until it is not. If everyone together is fewer than MinGroup, there
// is nothing to show. Groups come out largest first, "Other" last.
func MergeSmallGroups(in []GroupCount) []GroupCount {
	total, other := 0, 0
	var big []GroupCount
	for _, g := range in {
		if g.Count <= 0 {
			continue
		}
		total += g.Count
		if g.Count < MinGroup || strings.EqualFold(g.Name, OtherGroup) || g.Name == "" {
			other += g.Count
			continue
		}
		big = append(big, g)
	}
	if total < MinGroup {
		return nil
	}
	slices.SortFunc(big, func(a, b GroupCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name))
	})
	for other > 0 && other < MinGroup && len(big) > 0 {
		other += big[len(big)-1].Count
		big = big[:len(big)-1]
	}
	if other > 0 {
		big = append(big, GroupCount{Name: OtherGroup, Count: other})
	}
	return big
}

// DayTotals is a challenge's running totals at the end of one day (or, for today, so far).
type DayTotals struct {
	Day                                                            time.Time
	Contributors, Ideas, Comments, Implementations, Votes, Reports int
}

// DailyChanges turns running totals, oldest first, into what each day added. The first day's
// change is its total. A total that went down (content removed by moderators) counts as no
// change rather than a negative day.
func DailyChanges(totals []DayTotals) []DayTotals {
	out := make([]DayTotals, len(totals))
	var prev DayTotals
	for i, t := range totals {
		d := func(now, before int) int { return max(0, now-before) }
		out[i] = DayTotals{Day: t.Day, Contributors: d(t.Contributors, prev.Contributors), Ideas: d(t.Ideas, prev.Ideas),
			Comments: d(t.Comments, prev.Comments), Implementations: d(t.Implementations, prev.Implementations),
			Votes: d(t.Votes, prev.Votes), Reports: d(t.Reports, prev.Reports)}
		prev = t
	}
	return out
}

// SplitChoices reads an admin's list of answers, one per line, dropping blanks and repeats.
func SplitChoices(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, line := range strings.Split(s, "\n") {
		v := collapseSpace(line)
		if v == "" || seen[strings.ToLower(v)] {
			continue
		}
		seen[strings.ToLower(v)] = true
		out = append(out, v)
	}
	return out
}
