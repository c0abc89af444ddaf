package groundswell_test

import (
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

func TestTransparency(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	after := func(d time.Duration) *time.Time { v := at.Add(d); return &v }
	decided := func(r gs.ReportReason, d time.Duration) gs.HiddenDecision {
		return gs.HiddenDecision{Reason: r, OpenedAt: at, DecidedAt: after(d)}
	}
	tests := []struct {
		name string
		in   []gs.HiddenDecision
		want []gs.TransparencyRow
	}{
		{"nothing hidden", nil, []gs.TransparencyRow{}},
		{"one decision", []gs.HiddenDecision{decided(gs.ReportSpam, time.Hour)},
			[]gs.TransparencyRow{{Reason: gs.ReportSpam.Label(), Hidden: 1, MedianToHide: time.Hour}}},
		{"odd count takes the middle wait", []gs.HiddenDecision{
			decided(gs.ReportOffensive, 5*time.Hour), decided(gs.ReportOffensive, time.Hour), decided(gs.ReportOffensive, 2*time.Hour)},
			[]gs.TransparencyRow{{Reason: gs.ReportOffensive.Label(), Hidden: 3, MedianToHide: 2 * time.Hour}}},
		{"even count takes the mean of the middle two", []gs.HiddenDecision{
			decided(gs.ReportSpam, time.Hour), decided(gs.ReportSpam, 3*time.Hour)},
			[]gs.TransparencyRow{{Reason: gs.ReportSpam.Label(), Hidden: 2, MedianToHide: 2 * time.Hour}}},
		{"held items and the most common reason first", []gs.HiddenDecision{
			{OpenedAt: at, DecidedAt: after(30 * time.Minute)},
			decided(gs.ReportSafety, time.Minute), decided(gs.ReportSafety, 3*time.Minute)},
			[]gs.TransparencyRow{
				{Reason: gs.ReportSafety.Label(), Hidden: 2, MedianToHide: 2 * time.Minute},
				{Reason: "held for review", Hidden: 1, MedianToHide: 30 * time.Minute}}},
		{"ties in order of the reason", []gs.HiddenDecision{decided(gs.ReportSpam, 0), decided(gs.ReportOffTopic, 0)},
			[]gs.TransparencyRow{{Reason: gs.ReportOffTopic.Label(), Hidden: 1}, {Reason: gs.ReportSpam.Label(), Hidden: 1}}},
		{"an undecided wait counts as zero", []gs.HiddenDecision{{Reason: gs.ReportSpam, OpenedAt: at}},
			[]gs.TransparencyRow{{Reason: gs.ReportSpam.Label(), Hidden: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := gs.Transparency(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d rows %+v, want %d %+v", len(got), got, len(tt.want), tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("row %d: got %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}
