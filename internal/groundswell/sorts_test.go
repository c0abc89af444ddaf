package groundswell_test

import (
	"slices"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

func TestSortsOffered(t *testing.T) {
	all := gs.Sorts
	byVotes := []gs.Sort{gs.SortFair, gs.SortNew, gs.SortDiscussed}
	tests := []struct {
		name   string
		c      gs.Challenge
		def    gs.Sort
		offers []gs.Sort
	}{
		{"open: fair first, every order", gs.Challenge{Phase: gs.PhaseOpen}, gs.SortFair, all},
		{"voting: fair first", gs.Challenge{Phase: gs.PhaseVoting}, gs.SortFair, all},
		{"closed: top first", gs.Challenge{Phase: gs.PhaseClosed}, gs.SortTop, all},
		{"hidden counts while voting: no order by votes", gs.Challenge{Phase: gs.PhaseVoting, HideCountsUntilVoted: true}, gs.SortFair, byVotes},
		{"hidden counts after voting: every order", gs.Challenge{Phase: gs.PhaseReview, HideCountsUntilVoted: true}, gs.SortTop, all},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.DefaultSort(); got != tt.def {
				t.Errorf("default: got %s, want %s", got, tt.def)
			}
			if got := tt.c.Sorts(); !slices.Equal(got, tt.offers) {
				t.Errorf("sorts: got %v, want %v", got, tt.offers)
			}
			for _, s := range gs.Sorts {
				if s.Explain() == "" || s.Label() == string(s) {
					t.Errorf("%s has no explanation or label", s)
				}
				q, err := gs.IdeaFilter{Sort: s}.Resolve(&tt.c)
				if slices.Contains(tt.offers, s) != (err == nil) {
					t.Errorf("Resolve(%s): %v, want it refused only when not offered", s, err)
				}
				if err != nil && (gs.ErrorCode(err) != gs.ECONFLICT || q.Sort != s) {
					t.Errorf("Resolve(%s): got %v, want a conflict", s, err)
				}
			}
			want := tt.def
			if tt.c.HideCountsUntilVoted && tt.c.Phase.AcceptsVotes() {
				want = gs.SortShuffled // fair, in an order that says nothing about votes
			}
			if q, err := (gs.IdeaFilter{}).Resolve(&tt.c); err != nil || q.Sort != want {
				t.Errorf("no sort asked: got %s (%v), want %s", q.Sort, err, want)
			}
		})
	}
}

func TestSortFigure(t *testing.T) {
	i := &gs.Idea{Up: 12, Down: 3, Score: 0.5347, Fair: 0.184, Comments: 4, Implementations: 1}
	tests := []struct {
		sort     gs.Sort
		idea     *gs.Idea
		want     string
		revealed bool
	}{
		{gs.SortFair, i, "18 up-votes per 100 people who saw it", true},
		{gs.SortFair, &gs.Idea{Gathering: true}, "Still gathering votes", false},
		{gs.SortTop, i, "At least 53% in favour", true},
		{gs.SortTop, &gs.Idea{}, "No votes yet", true},
		{gs.SortHot, i, "+9 net votes", true},
		{gs.SortControversial, i, "12 for, 3 against", true},
		{gs.SortDiscussed, i, "4 comments, 1 way to make it happen", false},
		{gs.SortNew, i, "", false},
	}
	for _, tt := range tests {
		if got, rev := tt.sort.Figure(tt.idea); got.String() != tt.want || rev != tt.revealed {
			t.Errorf("%s: got %q (reveals votes %v), want %q (%v)", tt.sort, got, rev, tt.want, tt.revealed)
		}
	}
}
