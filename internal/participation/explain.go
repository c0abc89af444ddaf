package participation

import (
	"math"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/ranking"
)

// Explain says in plain words why an idea ranks where it does: its votes and how many people
// saw it, the figure behind each order, how sure that figure is, and its record in side-by-side
// comparisons. countsShown is false when the challenge hides counts from this viewer until
// they vote, and then nothing that reveals the votes is said. The sentences are catalogue
// messages with their arguments, for the web layer to say in the reader's language.
func Explain(i *gs.Idea, c *gs.Challenge, countsShown bool) []gs.Msg {
	seen := max(i.Impressions, i.Up+i.Down)
	var out []gs.Msg
	say := func(format string, args ...any) { out = append(out, gs.Msg{Format: format, Args: args}) }
	if !countsShown {
		say("This challenge shows how an idea is doing once you have voted on it, so that early votes do not sway later ones.")
	} else {
		say("%[1]s voted it up and %[2]d down; %[3]s shown it.",
			gs.Plural(i.Up, "person", "people"), i.Down, gs.Plural(seen, "person was", "people were"))
		if i.Up+i.Down > 0 {
			say("Top order: at least %d%% in favour, the cautious end of the range the share of up-votes could really have (95%% sure), so that a few votes weigh less than many.",
				int(math.Floor(i.Score*100)))
		}
		if !i.Gathering {
			lo, hi := ranking.FairInterval(i.Up, i.Down, i.Impressions, c.FairMean, ranking.FairPrior)
			say("Fair order: %d up-votes per 100 people who saw it (95%% range %d to %d), against %d across the challenge.",
				pct(i.Fair), pct(lo), pct(hi), pct(c.FairMean))
		}
	}
	if i.Gathering {
		say("It is still gathering votes: until %d people have seen it, it also takes turns in the places each page of the fair order keeps for ideas few people have seen.",
			c.GatherMin)
	}
	if i.Comparisons > 0 && countsShown {
		say("Side by side with other ideas, it would beat a random one %d%% of the time (95%% range %d%% to %d%%); it has been shown in %s.",
			pct(i.PairChance), pct(i.PairLow), pct(i.PairHigh), gs.Plural(i.Comparisons, "comparison", "comparisons"))
	}
	return out
}

func pct(x float64) int { return int(math.Round(x * 100)) }
