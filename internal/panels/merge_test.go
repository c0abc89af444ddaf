package panels

import (
	"slices"
	"testing"

	"github.com/groundswell/groundswell/internal/store"
)

func TestMergeCandidates(t *testing.T) {
	idea := func(id int64, up int, dupes string, dupesUp int) IdeaResult {
		return IdeaResult{Idea: store.LonglistIdea{LonglistEntry: store.LonglistEntry{IdeaID: id, NearDupes: dupes, NearDupesUp: dupesUp}, Up: up}}
	}
	cases := []struct {
		name    string
		ideas   []IdeaResult
		want    [][]int64
		outside []int
		up      []int
	}{
		{"no clusters", []IdeaResult{idea(1, 3, "", 0), idea(2, 1, "", 0)}, nil, nil, nil},
		{"a cluster with one longlisted idea is no candidate", []IdeaResult{idea(1, 3, "7,9", 4), idea(2, 1, "", 0)}, nil, nil, nil},
		{"two longlisted in one cluster, one outside", []IdeaResult{idea(1, 3, "2,9", 5), idea(2, 4, "1,9", 4), idea(3, 0, "", 0)},
			[][]int64{{1, 2}}, []int{1}, []int{8}},
		{"two clusters keep longlist order", []IdeaResult{idea(5, 1, "6", 2), idea(1, 3, "2", 1), idea(6, 2, "5", 1), idea(2, 1, "1", 3)},
			[][]int64{{5, 6}, {1, 2}}, []int{0, 0}, []int{3, 4}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := mergeCandidates(tc.ideas)
			if len(got) != len(tc.want) {
				t.Fatalf("%d candidates %+v; want %d", len(got), got, len(tc.want))
			}
			for k, m := range got {
				if !slices.Equal(m.IDs(), tc.want[k]) || m.Outside != tc.outside[k] || m.Up != tc.up[k] {
					t.Errorf("candidate %d: ideas %v, %d outside, %d up; want %v, %d, %d", k, m.IDs(), m.Outside, m.Up, tc.want[k], tc.outside[k], tc.up[k])
				}
			}
		})
	}
}
