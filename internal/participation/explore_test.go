package participation_test

import (
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/participation"
)

func TestExploreSlots(t *testing.T) {
	tests := []struct {
		share   float64
		perPage int
		want    int
	}{
		{0.2, 20, 4}, {0.2, 10, 2}, {0.2, 3, 1}, {0.1, 4, 0}, {0, 20, 0}, {1, 20, 19}, {0.5, 1, 0}, {-1, 20, 0},
	}
	for _, tt := range tests {
		if got := participation.ExploreSlots(tt.share, tt.perPage); got != tt.want {
			t.Errorf("ExploreSlots(%v, %d) = %d, want %d", tt.share, tt.perPage, got, tt.want)
		}
	}
}

func ideasNumbered(ids ...int64) []gs.Idea {
	out := make([]gs.Idea, len(ids))
	for i, id := range ids {
		out[i] = gs.Idea{ID: id}
	}
	return out
}

func idsOf(list []gs.Idea) []int64 {
	out := make([]int64, len(list))
	for i, x := range list {
		out[i] = x.ID
	}
	return out
}

func TestMixPage(t *testing.T) {
	tests := []struct {
		name        string
		main, picks []int64
		slots       int
		want        []int64
	}{
		{"picks spread through the page", []int64{1, 2, 3, 4, 5, 6, 7, 8, 9}, []int64{91, 92}, 6,
			[]int64{1, 2, 91, 3, 4, 92, 5, 6}}, // places 8·1/3 = 2 and 8·2/3 = 5
		{"a pick already in the fair order is not shown twice", []int64{1, 91, 2, 3, 4}, []int64{91}, 3,
			[]int64{1, 2, 91, 3}},
		{"no picks leaves the order", []int64{1, 2, 3, 4}, nil, 3, []int64{1, 2, 3}},
		{"a short last page keeps its picks", []int64{1}, []int64{91, 92}, 3, []int64{1, 91, 92}},
		{"nothing at all", nil, nil, 3, []int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, picked := participation.MixPage(ideasNumbered(tt.main...), ideasNumbered(tt.picks...), tt.slots)
			if g := idsOf(got); len(g) != len(tt.want) || !equal(g, tt.want) {
				t.Errorf("got %v, want %v", g, tt.want)
			}
			for _, p := range tt.picks {
				if !picked[p] {
					t.Errorf("pick %d not marked", p)
				}
			}
		})
	}
}

func equal(a, b []int64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

func TestExplain(t *testing.T) {
	c := &gs.Challenge{FairMean: 0.1, GatherMin: 30}
	seen := &gs.Idea{Up: 27, Down: 3, Impressions: 140, Score: 0.74, Fair: 0.19, Comparisons: 38, PairChance: 0.64, PairLow: 0.52, PairHigh: 0.75}
	gathering := &gs.Idea{Up: 1, Impressions: 4, Score: 0.2, Fair: 0.12, Gathering: true}
	tests := []struct {
		name      string
		idea      *gs.Idea
		shown     bool
		want, not []string
	}{
		{"votes, views and every figure", seen, true,
			[]string{"27 people voted it up and 3 down; 140 people were shown it.", "at least 74% in favour",
				"Fair order: 19 up-votes per 100 people who saw it", "against 10 across the challenge", "beat a random one 64% of the time (95% range 52% to 75%); it has been shown in 38 comparisons"},
			[]string{"gathering"}},
		{"an idea still gathering votes says so", gathering, true,
			[]string{"still gathering votes: until 30 people have seen it"}, []string{"Fair order"}},
		{"hidden counts reveal nothing about votes", seen, false,
			[]string{"once you have voted on it"}, []string{"27", "74%", "19 up-votes", "64%"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lines []string
			for _, m := range participation.Explain(tt.idea, c, tt.shown) {
				lines = append(lines, m.String())
			}
			text := strings.Join(lines, "\n")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("missing %q in:\n%s", w, text)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(text, w) {
					t.Errorf("should not say %q:\n%s", w, text)
				}
			}
		})
	}
}
