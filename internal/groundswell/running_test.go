package groundswell_test

import (
	"strings"
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

func day(s string) *time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestScheduleDue(t *testing.T) {
	sched := gs.Schedule{OpensAt: day("2027-01-10"), VotingAt: day("2027-02-10"), ReviewAt: day("2027-03-10")}
	for _, tc := range []struct {
		name    string
		s       gs.Schedule
		current gs.Phase
		now     string
		want    gs.Phase
		moves   bool
	}{
		{"before opening a draft stays a draft", sched, gs.PhaseDraft, "2027-01-09", gs.PhaseDraft, false},
		{"at midnight of the opening day it opens", sched, gs.PhaseDraft, "2027-01-10", gs.PhaseOpen, true},
		{"an open challenge moves to voting on its day", sched, gs.PhaseOpen, "2027-02-10", gs.PhaseVoting, true},
		{"a server that was down catches up to the latest due phase", sched, gs.PhaseDraft, "2027-03-11", gs.PhaseReview, true},
		{"a challenge an admin took further stays", sched, gs.PhaseReview, "2027-02-11", gs.PhaseReview, false},
		{"published stays published", sched, gs.PhasePublished, "2027-04-01", gs.PhasePublished, false},
		{"closed never reopens", sched, gs.PhaseClosed, "2027-02-11", gs.PhaseClosed, false},
		{"no schedule, no change", gs.Schedule{}, gs.PhaseOpen, "2030-01-01", gs.PhaseOpen, false},
		{"only a review date", gs.Schedule{ReviewAt: day("2027-03-10")}, gs.PhaseOpen, "2027-03-10", gs.PhaseReview, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, moves := tc.s.Due(tc.current, *day(tc.now))
			if got != tc.want || moves != tc.moves {
				t.Errorf("Due(%s, %s) = %s, %v; want %s, %v", tc.current, tc.now, got, moves, tc.want, tc.moves)
			}
		})
	}
	next, at, ok := sched.Next(gs.PhaseOpen, *day("2027-01-20"))
	if !ok || next != gs.PhaseVoting || !at.Equal(*sched.VotingAt) {
		t.Errorf("Next: got %s %v %v, want voting on 2027-02-10", next, at, ok)
	}
	if _, _, ok := sched.Next(gs.PhaseReview, *day("2027-01-20")); ok {
		t.Error("Next after the last scheduled phase: want none")
	}
}

func TestCheckPhaseChange(t *testing.T) {
	wantErr(t, gs.CheckPhaseChange(gs.PhaseDraft, gs.PhaseOpen), "", "")
	wantErr(t, gs.CheckPhaseChange(gs.PhaseReview, gs.PhaseVoting), "", "")
	wantErr(t, gs.CheckPhaseChange(gs.PhaseOpen, gs.PhaseDraft), gs.ECONFLICT, "")
	wantErr(t, gs.CheckPhaseChange(gs.PhaseOpen, "nonsense"), gs.EINVALID, "")
}

func TestCheckVoiceAndRead(t *testing.T) {
	wantErr(t, gs.CheckVoice(gs.AccessOpen, false), "", "")
	wantErr(t, gs.CheckVoice(gs.AccessInvite, true), "", "")
	wantErr(t, gs.CheckVoice(gs.AccessInvite, false), gs.EFORBIDDEN, gs.ReasonNotJoined)
	readable := &gs.Challenge{Access: gs.AccessInvite, ReadWithoutCode: true}
	wantErr(t, readable.CanRead(false), "", "")
	private := &gs.Challenge{Access: gs.AccessInvite}
	wantErr(t, private.CanRead(false), gs.EFORBIDDEN, gs.ReasonNotJoined)
	wantErr(t, private.CanRead(true), "", "")
	open := &gs.Challenge{Access: gs.AccessOpen}
	wantErr(t, open.CanRead(false), "", "")
}

func TestNormalizeInviteCode(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		field    bool
	}{
		{"ABCD-EFGH-JKMN", "ABCDEFGHJKMN", false},
		{"abcd efgh jkmn", "ABCDEFGHJKMN", false},
		{"  abcd-efgh–jkmn \t", "ABCDEFGHJKMN", false},
		{"AbCdEfGhJkMn", "ABCDEFGHJKMN", false},
		{"A-B-C-D-E-F-G-H-J-K-M-N", "ABCDEFGHJKMN", false},
		{"", "", true},
		{"   ", "", true},
		{"ABCD-EFGH-JKM", "", true},           // one short
		{"ABCD-EFGH-JKMNP", "", true},         // one long
		{"ABCD-EFGH-JKM0", "", true},          // zero is not in the alphabet
		{"ABCD-EFGH-JKMI", "", true},          // nor I
		{"ABCD-EFGH-JKM\x00", "", true},       // nor control characters
		{"ÀBCD-EFGH-JKMN", "", true},          // nor accents
		{"ABCD-EFGH-JKMN; DROP", "", true},    // nor anything else
		{strings.Repeat("A", 5000), "", true}, // a flood is just too long
	} {
		got, err := gs.NormalizeInviteCode(tc.in)
		if tc.field {
			if err == nil || gs.ErrorCode(err) != gs.EINVALID || gs.ErrorFields(err)["code"] == "" {
				t.Errorf("NormalizeInviteCode(%q): got %q, %v; want a message beside the code field", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("NormalizeInviteCode(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if got := gs.FormatInviteCode("ABCDEFGHJKMN"); got != "ABCD-EFGH-JKMN" {
		t.Errorf("FormatInviteCode: got %q", got)
	}
	for _, r := range "01ILOUV" {
		if strings.ContainsRune(gs.InviteAlphabet, r) {
			t.Errorf("the invite alphabet holds the ambiguous %q", r)
		}
	}
}

func TestCheckMint(t *testing.T) {
	if _, err := gs.CheckMint(gs.AccessOpen, 10, ""); gs.ErrorCode(err) != gs.ECONFLICT {
		t.Errorf("minting for an open challenge: got %v, want a conflict", err)
	}
	wantFields(t, func() error { _, err := gs.CheckMint(gs.AccessInvite, 0, ""); return err }(),
		map[string]string{"count": "Choose how many codes to make, from 1 to 20000."})
	wantFields(t, func() error { _, err := gs.CheckMint(gs.AccessInvite, gs.MaxMint+1, ""); return err }(),
		map[string]string{"count": "Choose how many codes to make, from 1 to 20000."})
	label, err := gs.CheckMint(gs.AccessInvite, 300, "  Ward   7 ")
	if err != nil || label != "Ward 7" {
		t.Errorf("CheckMint: got %q, %v", label, err)
	}
}

func TestCheckChallengeForm(t *testing.T) {
	good := gs.ChallengeForm{Title: "  Fix   the rota ", Slug: "fix-the-rota", Brief: "Why we ask.",
		Questions: []gs.QuestionForm{{Title: "What slows you down?", Prompt: "Think of last week."}, {}},
		Themes:    []gs.ThemeForm{{ID: 4, Name: "Rotas"}, {ID: 5, Name: ""}},
		NewThemes: "Tools\n\n  Wellbeing ", OpensOn: "2027-01-10", VotingOn: "2027-02-10", Access: gs.AccessInvite}
	ok, err := gs.CheckChallengeForm(good, time.UTC)
	if err != nil {
		t.Fatalf("a good form: %v (%v)", err, gs.ErrorFields(err))
	}
	if ok.Title != "Fix the rota" || len(ok.Questions) != 1 || !ok.Schedule.OpensAt.Equal(*day("2027-01-10")) || ok.Schedule.ReviewAt != nil {
		t.Errorf("checked form: %+v", ok)
	}
	wantThemes := []gs.ThemeForm{{ID: 4, Name: "Rotas"}, {ID: 5, Name: ""}, {Name: "Tools"}, {Name: "Wellbeing"}}
	if len(ok.Themes) != len(wantThemes) {
		t.Fatalf("themes: got %+v, want %+v", ok.Themes, wantThemes)
	}
	for i := range wantThemes {
		if ok.Themes[i] != wantThemes[i] {
			t.Errorf("theme %d: got %+v, want %+v", i, ok.Themes[i], wantThemes[i])
		}
	}
	for _, tc := range []struct {
		name   string
		change func(*gs.ChallengeForm)
		field  string
	}{
		{"no title", func(f *gs.ChallengeForm) { f.Title = "" }, "title"},
		{"a slug with capitals", func(f *gs.ChallengeForm) { f.Slug = "Fix-Rota" }, "slug"},
		{"a slug ending in a dash", func(f *gs.ChallengeForm) { f.Slug = "fix-" }, "slug"},
		{"a slug of two letters", func(f *gs.ChallengeForm) { f.Slug = "ab" }, "slug"},
		{"no question", func(f *gs.ChallengeForm) { f.Questions = []gs.QuestionForm{{}} }, "question_1"},
		{"a prompt without a question", func(f *gs.ChallengeForm) { f.Questions = append(f.Questions, gs.QuestionForm{Prompt: "x"}) }, "question_3"},
		{"voting before opening", func(f *gs.ChallengeForm) { f.VotingOn = "2027-01-01" }, "voting_on"},
		{"voting on the opening day", func(f *gs.ChallengeForm) { f.VotingOn = f.OpensOn }, "voting_on"},
		{"a date that is not one", func(f *gs.ChallengeForm) { f.ReviewOn = "31/02/2027" }, "review_on"},
		{"an unknown access mode", func(f *gs.ChallengeForm) { f.Access = "friends" }, "access"},
		{"a theme too long", func(f *gs.ChallengeForm) { f.NewThemes = strings.Repeat("x", 61) }, "themes"},
		{"a theme twice, in any case", func(f *gs.ChallengeForm) { f.NewThemes = "Tools\n rotas" }, "themes"},
		{"a brief with a NUL", func(f *gs.ChallengeForm) { f.Brief = "a\x00b" }, "brief"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := good
			f.Questions = append([]gs.QuestionForm{}, good.Questions...)
			tc.change(&f)
			_, err := gs.CheckChallengeForm(f, time.UTC)
			if gs.ErrorCode(err) != gs.EINVALID || gs.ErrorFields(err)[tc.field] == "" {
				t.Errorf("got %v (fields %v), want a message beside %s", err, gs.ErrorFields(err), tc.field)
			}
		})
	}
	// Dates are midnight where the server is.
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone data")
	}
	summer := good
	summer.OpensOn, summer.VotingOn = "2027-07-01", ""
	ok, err = gs.CheckChallengeForm(summer, london)
	if err != nil || ok.Schedule.OpensAt.UTC().Hour() != 23 {
		t.Errorf("midnight in London in July is 23:00 UTC the day before; got %v, %v", ok.Schedule.OpensAt, err)
	}
}

func TestCheckSetupEdit(t *testing.T) {
	now := gs.SetupParts{Questions: map[int64]bool{1: true, 2: false}, Themes: map[int64]bool{10: true, 11: false}}
	q := func(id int64, title string) gs.QuestionForm { return gs.QuestionForm{ID: id, Title: title} }
	th := func(id int64, name string) gs.ThemeForm { return gs.ThemeForm{ID: id, Name: name} }
	for _, tc := range []struct {
		name  string
		qs    []gs.QuestionForm
		ts    []gs.ThemeForm
		field string // "" when the edit is allowed
	}{
		{"reword both, add one", []gs.QuestionForm{q(1, "A"), q(2, "B"), q(0, "C")}, nil, ""},
		{"remove an unused question by blanking it", []gs.QuestionForm{q(1, "A"), q(2, "")}, nil, ""},
		{"remove an unused question by leaving it out", []gs.QuestionForm{q(1, "A")}, nil, ""},
		{"blank a question with ideas", []gs.QuestionForm{q(1, ""), q(2, "B")}, nil, "questions"},
		{"leave out a question with ideas", []gs.QuestionForm{q(2, "B")}, nil, "questions"},
		{"another challenge's question", []gs.QuestionForm{q(1, "A"), q(99, "X")}, nil, "questions"},
		{"remove an unused theme", []gs.QuestionForm{q(1, "A")}, []gs.ThemeForm{th(11, ""), th(10, "Renamed")}, ""},
		{"remove a theme with ideas", []gs.QuestionForm{q(1, "A")}, []gs.ThemeForm{th(10, "")}, "themes"},
		{"another challenge's theme", []gs.QuestionForm{q(1, "A")}, []gs.ThemeForm{th(77, "X")}, "themes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := gs.CheckSetupEdit(now, tc.qs, tc.ts)
			if tc.field == "" {
				wantErr(t, err, "", "")
				return
			}
			if gs.ErrorCode(err) != gs.EINVALID || gs.ErrorFields(err)[tc.field] == "" {
				t.Errorf("got %v (fields %v), want a message beside %s", err, gs.ErrorFields(err), tc.field)
			}
		})
	}
}

func TestRememberUntil(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
	tests := []struct {
		name string
		c    gs.Challenge
		want time.Time
	}{
		{"open, voting closes in six weeks", gs.Challenge{Phase: gs.PhaseOpen, Schedule: gs.Schedule{ReviewAt: at(42 * day)}}, now.Add(72 * day)},
		{"voting, closes tomorrow", gs.Challenge{Phase: gs.PhaseVoting, Schedule: gs.Schedule{ReviewAt: at(day)}}, now.Add(31 * day)},
		{"open, no closing date", gs.Challenge{Phase: gs.PhaseOpen}, now.Add(90 * day)},
		{"open, closing date already passed", gs.Challenge{Phase: gs.PhaseOpen, Schedule: gs.Schedule{ReviewAt: at(-day)}}, now.Add(90 * day)},
		{"in review", gs.Challenge{Phase: gs.PhaseReview}, now.Add(30 * day)},
		{"closed", gs.Challenge{Phase: gs.PhaseClosed}, now.Add(30 * day)},
		{"voting closes in two years", gs.Challenge{Phase: gs.PhaseVoting, Schedule: gs.Schedule{ReviewAt: at(730 * day)}}, now.Add(400 * day)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.RememberUntil(now); !got.Equal(tt.want) {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
