package participation

import (
	"fmt"
	"math"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/ranking"
)

// Explain says in plain words why an idea ranks where it does: its votes and how many people
// saw it, the figure behind each order, how sure that figure is, and its record in side-by-side
// comparisons. countsShown is false when the challenge hides counts from this viewer until
// they vote, and then nothing that reveals the votes is said.
func Explain(i *gs.Idea, c *gs.Challenge, countsShown bool) []string {
	seen := max(i.Impressions, i.Up+i.Down)
	var out []string
	if !countsShown {
		out = append(out, "This challenge shows how an idea is doing once you have voted on it, so that early votes do not sway later ones.")
	} else {
		out = append(out, fmt.Sprintf("%s voted it up and %s down; %s shown it.",
			people(i.Up), countOnly(i.Down), peopleWere(seen)))
		if i.Up+i.Down > 0 {
			out = append(out, fmt.Sprintf("Top order: at least %d%% in favour, the cautious end of the range the share of up-votes could really have (95%% sure), so that a few votes weigh less than many.",
				int(math.Floor(i.Score*100))))
		}
		if !i.Gathering {
			lo, hi := ranking.FairInterval(i.Up, i.Down, i.Impressions, c.FairMean, ranking.FairPrior)
			out = append(out, fmt.Sprintf("Fair order: %d up-votes per 100 people who saw it (95%% range %d to %d), against %d across the challenge.",
				pct(i.Fair), pct(lo), pct(hi), pct(c.FairMean)))
		}
	}
	if i.Gathering {
		out = append(out, fmt.Sprintf("It is still gathering votes: until %d people have seen it, it also takes turns in the places each page of the fair order keeps for ideas few people have seen.",
			c.GatherMin))
	}
	if i.Comparisons > 0 && countsShown {
		out = append(out, fmt.Sprintf("Side by side with other ideas, it would beat a random one %d%% of the time (95%% range %d%% to %d%%); it has been shown in %s.",
			pct(i.PairChance), pct(i.PairLow), pct(i.PairHigh), plural(i.Comparisons, "comparison", "comparisons")))
	}
	return out
}

func pct(x float64) int { return int(math.Round(x * 100)) }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func people(n int) string { return plural(n, "person", "people") }

func countOnly(n int) string { return fmt.Sprint(n) }

func peopleWere(n int) string {
	if n == 1 {
		return "1 person was"
	}
	return fmt.Sprintf("%d people were", n)
}
