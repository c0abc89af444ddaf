package groundswell_test

import (
	"slices"
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

func TestMergeSmallGroups(t *testing.T) {
	g := func(kv ...any) []gs.GroupCount {
		var out []gs.GroupCount
		for i := 0; i < len(kv); i += 2 {
			out = append(out, gs.GroupCount{Name: kv[i].(string), Count: kv[i+1].(int)})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		in   []gs.GroupCount
		want []gs.GroupCount
	}{
		{"all big", g("Nurses", 40, "Doctors", 12), g("Nurses", 40, "Doctors", 12)},
		{"small ones merge into other", g("Nurses", 40, "Porters", 3, "Pharmacists", 4), g("Nurses", 40, "Other", 7)},
		{"one small group alone pulls in the smallest big one", g("Nurses", 40, "Doctors", 6, "Porters", 2), g("Nurses", 40, "Other", 8)},
		{"an answer literally called other joins it", g("Nurses", 40, "other", 6), g("Nurses", 40, "Other", 6)},
		{"fewer than five people in all: nothing", g("Nurses", 2, "Doctors", 2), nil},
		{"exactly five in one group", g("Nurses", 5), g("Nurses", 5)},
		{"four of one each: E joins them, and only other remains", g("A", 1, "B", 1, "C", 1, "D", 1, "E", 9), g("Other", 13)},
		{"empty", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := gs.MergeSmallGroups(tc.in)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			for _, x := range got {
				if x.Count < gs.MinGroup {
					t.Errorf("a group under %d came out: %v", gs.MinGroup, x)
				}
			}
		})
	}
}

func TestDailyChanges(t *testing.T) {
	d := func(n int) time.Time { return time.Date(2027, 1, n, 0, 0, 0, 0, time.UTC) }
	got := gs.DailyChanges([]gs.DayTotals{{Day: d(1), Ideas: 3, Votes: 10}, {Day: d(2), Ideas: 7, Votes: 25}, {Day: d(3), Ideas: 6, Votes: 25}})
	want := []gs.DayTotals{{Day: d(1), Ideas: 3, Votes: 10}, {Day: d(2), Ideas: 4, Votes: 15}, {Day: d(3), Ideas: 0, Votes: 0}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestSplitChoices(t *testing.T) {
	got := gs.SplitChoices("Nursing\n\n  nursing \nAllied  health\r\nAdmin")
	if !slices.Equal(got, []string{"Nursing", "Allied health", "Admin"}) {
		t.Errorf("got %q", got)
	}
}
