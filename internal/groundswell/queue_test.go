package groundswell_test

import (
	"slices"
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

func TestQueueKeyOrdersTheQueue(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	later := t0.Add(time.Hour)
	decided := t0.Add(48 * time.Hour)
	// Each case must come before the next.
	order := []struct {
		name string
		c    gs.Case
	}{
		{"escalated beats everything", gs.Case{Escalated: true, OpenedAt: later}},
		{"safety", gs.Case{Severity: 2, ReportCount: 1, OpenedAt: t0}},
		{"personal data, many reports", gs.Case{Severity: 1, ReportCount: 9, OpenedAt: later}},
		{"personal data, one report", gs.Case{Severity: 1, ReportCount: 1, OpenedAt: t0}},
		{"most reported", gs.Case{ReportCount: 1_500_000, OpenedAt: later}},
		{"three reports", gs.Case{ReportCount: 3, OpenedAt: later}},
		{"one report, older", gs.Case{ReportCount: 1, OpenedAt: t0}},
		{"one report, newer", gs.Case{ReportCount: 1, OpenedAt: later}},
	}
	for i := 1; i < len(order); i++ {
		a, b := gs.QueueKey(order[i-1].c), gs.QueueKey(order[i].c)
		if a >= b {
			t.Errorf("%q (key %d) should come before %q (key %d)", order[i-1].name, a, order[i].name, b)
		}
	}
	newest := gs.Case{State: gs.CaseClosed, OpenedAt: t0, DecidedAt: &decided}
	older := gs.Case{State: gs.CaseClosed, OpenedAt: t0, DecidedAt: &later}
	if gs.QueueKey(newest) >= gs.QueueKey(older) {
		t.Errorf("decided cases: the newest decision should come first")
	}
}

func TestCaseKeyRoundTrip(t *testing.T) {
	for _, k := range []gs.CaseKey{{Key: 0, ID: 1}, {Key: -1_795_458_084, ID: 42}, {Key: 1 << 50, ID: 9_000_000_000}} {
		got, err := gs.ParseCaseKey(k.String())
		if err != nil || got != k {
			t.Errorf("ParseCaseKey(%q) = %v, %v; want %v", k.String(), got, err, k)
		}
	}
	for _, bad := range []string{"", "12", "x_1", "1_x", "1_0", "1_-4", "1_2_3"} {
		if _, err := gs.ParseCaseKey(bad); gs.ErrorCode(err) != gs.EMALFORMED {
			t.Errorf("ParseCaseKey(%q): got %v, want EMALFORMED", bad, err)
		}
	}
}

func TestGroupReports(t *testing.T) {
	r := func(reason gs.ReportReason, details string) gs.Report {
		return gs.Report{Reason: reason, Details: details}
	}
	for _, tc := range []struct {
		name    string
		in      []gs.Report
		reasons []gs.ReportReason
		counts  []int
		details [][]string
	}{
		{"none", nil, nil, nil, nil},
		{"one reason three times", []gs.Report{r(gs.ReportSpam, "ad"), r(gs.ReportSpam, ""), r(gs.ReportSpam, " again ")},
			[]gs.ReportReason{gs.ReportSpam}, []int{3}, [][]string{{"ad", "again"}}},
		{"most given first", []gs.Report{r(gs.ReportOffTopic, ""), r(gs.ReportOffensive, "rude"), r(gs.ReportOffensive, "")},
			[]gs.ReportReason{gs.ReportOffensive, gs.ReportOffTopic}, []int{2, 1}, [][]string{{"rude"}, nil}},
		{"ties in the form's order", []gs.Report{r(gs.ReportSpam, ""), r(gs.ReportSafety, "")},
			[]gs.ReportReason{gs.ReportSafety, gs.ReportSpam}, []int{1, 1}, [][]string{nil, nil}},
	} {
		got := gs.GroupReports(tc.in)
		var reasons []gs.ReportReason
		var counts []int
		var details [][]string
		for _, g := range got {
			reasons, counts, details = append(reasons, g.Reason), append(counts, g.Count), append(details, g.Details)
		}
		if !slices.Equal(reasons, tc.reasons) || !slices.Equal(counts, tc.counts) || !slices.EqualFunc(details, tc.details, slices.Equal) {
			t.Errorf("%s: got %v %v %q, want %v %v %q", tc.name, reasons, counts, details, tc.reasons, tc.counts, tc.details)
		}
	}
}

func TestStockReasonsAndComposeReason(t *testing.T) {
	if got := gs.StockReasons(" \n\n"); !slices.Equal(got, gs.DefaultStockReasons) {
		t.Errorf("empty list: got %q, want the defaults", got)
	}
	if got := gs.StockReasons("Rude\n  Rude \nOff   topic\r\n"); !slices.Equal(got, []string{"Rude", "Off topic"}) {
		t.Errorf("got %q, want the two reasons once each", got)
	}
	for _, tc := range []struct{ text, field string }{
		{"", ""}, {"Rude\nOff topic", ""},
		{string(make([]byte, 0)) + "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\no\np\nq\nr\ns\nt\nu", "stock_reasons"},
		{string(slices.Repeat([]byte("x"), 121)), "stock_reasons"},
		{"bad \x00 byte", "stock_reasons"},
	} {
		err := gs.CheckStockReasons(tc.text)
		if _, got := gs.ErrorFields(err)[tc.field]; (tc.field != "") != got || (tc.field == "" && err != nil) {
			t.Errorf("CheckStockReasons(%.20q) = %v, want a problem with %q", tc.text, err, tc.field)
		}
	}
	for _, tc := range []struct{ stock, note, want string }{
		{"", "", ""}, {"Rude", "", "Rude"}, {"", " my words ", "my words"}, {"Rude", "names a nurse", "Rude: names a nurse"},
	} {
		if got := gs.ComposeReason(tc.stock, tc.note); got != tc.want {
			t.Errorf("ComposeReason(%q, %q) = %q, want %q", tc.stock, tc.note, got, tc.want)
		}
	}
}

func TestAuditChanges(t *testing.T) {
	for _, tc := range []struct {
		name, before, after string
		want                []gs.AuditChange
	}{
		{"nothing", "", "", nil},
		{"status in words, unchanged fields left out", `{"status":"pending","state":"open","escalated":false}`,
			`{"status":"visible","state":"closed","escalated":false}`,
			[]gs.AuditChange{{"state", "open", "closed"}, {"status", "Hidden until a moderator reviews it", "Visible to everyone"}}},
		{"only after", "", `{"report_threshold":3,"premoderate":true}`,
			[]gs.AuditChange{{"premoderate", "", "yes"}, {"report threshold", "", "3"}}},
		{"not JSON", "plain", "", []gs.AuditChange{{"", "plain", ""}}},
	} {
		if got := gs.AuditChanges(tc.before, tc.after); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := gs.AuditActionLabel("moderation.hide"); got != "Hidden" {
		t.Errorf("moderation.hide reads %q, want Hidden", got)
	}
	if got := gs.AuditActionLabel("some.new_action"); got != "some new action" {
		t.Errorf("an unnamed action reads %q", got)
	}
}
