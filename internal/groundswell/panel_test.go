package groundswell_test

import (
	"slices"
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

func TestCheckTransition(t *testing.T) {
	all := gs.ProposalStatuses
	allowed := map[[2]gs.ProposalStatus]bool{
		{gs.ProposalDraft, gs.ProposalShortlisted}: true, {gs.ProposalShortlisted, gs.ProposalAccepted}: true,
		{gs.ProposalAccepted, gs.ProposalPublished}: true, {gs.ProposalPublished, gs.ProposalInProgress}: true,
		{gs.ProposalInProgress, gs.ProposalImplemented}: true,
	}
	for _, from := range all {
		for _, to := range all {
			err := gs.CheckTransition(from, to, "a reason")
			want := allowed[[2]gs.ProposalStatus{from, to}] ||
				(to == gs.ProposalNotTakenForward && from != gs.ProposalImplemented && from != gs.ProposalNotTakenForward)
			if (err == nil) != want {
				t.Errorf("%s → %s: got %v, want allowed=%v", from, to, err, want)
			}
			if err != nil && gs.ErrorCode(err) != gs.ECONFLICT {
				t.Errorf("%s → %s: refused with %v, want a conflict", from, to, err)
			}
		}
	}
	if err := gs.CheckTransition(gs.ProposalAccepted, gs.ProposalNotTakenForward, "  "); gs.ErrorFields(err)["reason"] == "" {
		t.Errorf("not taken forward without a reason: got %v, want a field error on the reason", err)
	}
	if err := gs.CheckTransition(gs.ProposalDraft, "", ""); err == nil {
		t.Error("a move to no status was allowed")
	}
	for _, s := range all {
		if s.Label() == string(s) || s.Public() != (s == gs.ProposalPublished || s == gs.ProposalInProgress || s == gs.ProposalImplemented) {
			t.Errorf("%s: label %q, public %v", s, s.Label(), s.Public())
		}
	}
}

func TestProposalInputValidate(t *testing.T) {
	ok := gs.ProposalInput{Title: "  Protected improvement time  ", Change: "One hour a fortnight.", Ideas: []int64{1}}
	if err := ok.Validate(); err != nil || ok.Title != "Protected improvement time" {
		t.Errorf("a good proposal: %v, title %q", err, ok.Title)
	}
	tests := []struct {
		name  string
		in    gs.ProposalInput
		field string
	}{
		{"no title", gs.ProposalInput{Change: "x", Ideas: []int64{1}}, "title"},
		{"no change", gs.ProposalInput{Title: "A title", Ideas: []int64{1}}, "change"},
		{"no ideas", gs.ProposalInput{Title: "A title", Change: "x"}, "ideas"},
		{"a control character", gs.ProposalInput{Title: "A title", Change: "x", Owner: "a\x01b", Ideas: []int64{1}}, "owner"},
		{"a long theme", gs.ProposalInput{Title: "A title", Change: "x", Theme: strings.Repeat("é", 81), Ideas: []int64{1}}, "theme"},
	}
	for _, tt := range tests {
		if err := tt.in.Validate(); gs.ErrorFields(err)[tt.field] == "" {
			t.Errorf("%s: got %v, want a message for %s", tt.name, err, tt.field)
		}
	}
}

func TestPanelRules(t *testing.T) {
	if gs.SeesOthers(nil) || gs.SeesOthers(&gs.Review{Recused: true}) || !gs.SeesOthers(&gs.Review{}) {
		t.Error("blindness: only an expert who submitted scores sees the others")
	}
	if gs.CheckFirstReview(nil) != nil || gs.ErrorCode(gs.CheckFirstReview(&gs.Review{})) != gs.ECONFLICT {
		t.Error("a second review must be a conflict, a first one allowed")
	}
	c := &gs.Challenge{Questions: []gs.Question{{ID: 7}}}
	good := gs.PanelInput{Name: "Panel", LonglistSize: 20, Questions: []int64{7}, Criteria: gs.DefaultCriteria()}
	if err := good.Validate(c); err != nil {
		t.Errorf("a good panel: %v", err)
	}
	bad := gs.PanelInput{Name: "P", LonglistSize: 201, Questions: []int64{8}, Criteria: []gs.Criterion{{Name: "", Weight: 0}}}
	f := gs.ErrorFields(bad.Validate(c))
	for _, field := range []string{"name", "longlist_size", "questions", "criteria"} {
		if f[field] == "" {
			t.Errorf("a bad panel: no message for %s in %v", field, f)
		}
	}
	for name, crits := range map[string][]gs.Criterion{
		"a repeated name":     {{Name: "Impact", Weight: 1}, {Name: " impact ", Weight: 2}},
		"a long name":         {{Name: strings.Repeat("x", gs.CriterionNameMax+1), Weight: 1}},
		"a long description":  {{Name: "Impact", Weight: 1, Description: strings.Repeat("x", gs.CriterionDescriptionMax+1)}},
		"a control character": {{Name: "Impact", Weight: 1, Description: "bad\x00"}},
		"a weight over 10":    {{Name: "Impact", Weight: 11}},
		"nine criteria":       slices.Repeat([]gs.Criterion{{Name: "x", Weight: 1}}, 9),
	} {
		in := gs.PanelInput{Name: "Panel", LonglistSize: 5, Criteria: crits}
		if gs.ErrorFields(in.Validate(c))["criteria"] == "" {
			t.Errorf("%s: no message on the criteria", name)
		}
	}
	p := &gs.Panel{Criteria: []gs.Criterion{{ID: 1, Name: "Impact"}, {ID: 2, Name: "Cost"}}}
	in := gs.ReviewInput{Scores: map[int64]int{1: 5, 2: 0}}
	if f := gs.ErrorFields(in.Validate(p)); f[gs.CriterionField(2)] == "" || f[gs.CriterionField(1)] != "" {
		t.Errorf("a zero score: %v, want a message on criterion 2 only", f)
	}
	recuse := gs.ReviewInput{Recuse: true, Scores: map[int64]int{1: 9}}
	if err := recuse.Validate(p); err != nil || recuse.Scores != nil {
		t.Errorf("a recusal: %v, scores %v; want it accepted and its scores dropped", err, recuse.Scores)
	}
	if !(&gs.Panel{}).Covers(3) || (&gs.Panel{Questions: []int64{1}}).Covers(3) {
		t.Error("a panel without questions covers all; one with questions only those")
	}
}

func TestCheckChair(t *testing.T) {
	for _, c := range []struct {
		role           gs.Role
		onPanel, chair bool
		want           gs.Code // "" when allowed
	}{
		{gs.RoleAdmin, false, false, ""},
		{gs.RoleAdmin, true, false, ""},
		{gs.RoleExpert, true, true, ""},
		{gs.RoleExpert, true, false, gs.EFORBIDDEN},
		{gs.RoleExpert, false, false, gs.ENOTFOUND},
		{gs.RoleModerator, false, false, gs.ENOTFOUND},
		{gs.RoleModerator, true, false, gs.EFORBIDDEN},
	} {
		err := gs.CheckChair(&gs.StaffUser{Role: c.role}, c.onPanel, c.chair, 7)
		if got := gs.ErrorCode(err); (err == nil) != (c.want == "") || (err != nil && got != c.want) {
			t.Errorf("%s on panel %v, chair %v: got %v, want %q", c.role, c.onPanel, c.chair, err, c.want)
		}
	}
}

func TestCheckChairSees(t *testing.T) {
	for _, c := range []struct {
		role           gs.Role
		mine, longlist int
		allowed        bool
	}{
		{gs.RoleAdmin, 0, 10, true},
		{gs.RoleExpert, 10, 10, true},
		{gs.RoleExpert, 0, 0, true},
		{gs.RoleExpert, 9, 10, false},
		{gs.RoleExpert, 0, 1, false},
	} {
		err := gs.CheckChairSees(&gs.StaffUser{Role: c.role}, c.mine, c.longlist)
		if (err == nil) != c.allowed || (err != nil && gs.ErrorReason(err) != gs.ReasonReviewFirst) {
			t.Errorf("%s with %d of %d reviewed: got %v, want allowed=%v", c.role, c.mine, c.longlist, err, c.allowed)
		}
	}
}
