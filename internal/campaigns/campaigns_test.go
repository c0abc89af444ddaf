package campaigns_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/groundswell/groundswell/internal/anonymity"
	"github.com/groundswell/groundswell/internal/campaigns"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/moderation"
	"github.com/groundswell/groundswell/internal/participation"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

var admin = gs.Actor{Name: "test admin"}

func setup(t *testing.T, st *store.Store) (*campaigns.Service, *anonymity.Keys) {
	t.Helper()
	keys, err := anonymity.DeriveKeys([]byte("a test master key that is long enough"))
	if err != nil {
		t.Fatal(err)
	}
	svc := campaigns.New(st, markup.New(), keys)
	svc.Loc = time.UTC
	return svc, keys
}

func form(slug string) gs.ChallengeForm {
	return gs.ChallengeForm{Title: "Fixing the rota", Slug: slug, Brief: "We want to hear **from you**.",
		Questions: []gs.QuestionForm{{Title: "What slows your shift down?"}, {Title: "What would you change first?", Prompt: "One thing."}},
		NewThemes: "Rotas\nTools", ReadWithoutCode: true}
}

func audited(t *testing.T, st *store.Store, action string, challengeID int64) []gs.AuditEntry {
	t.Helper()
	log, _, err := st.AuditLog(context.Background(), gs.AuditQuery{Action: action, PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []gs.AuditEntry
	for _, e := range log {
		if e.ChallengeID == challengeID {
			out = append(out, e)
		}
	}
	return out
}

func TestCreateEditAndMoveAreAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		svc, _ := setup(t, st)
		slug := fmt.Sprint("rota-", time.Now().UnixNano())
		c, err := svc.Create(ctx, form(slug), admin)
		if err != nil {
			t.Fatal(err)
		}
		if c.Phase != gs.PhaseDraft || len(c.Questions) != 2 || len(c.Themes) != 2 || !strings.Contains(string(c.BriefHTML), "<strong>") {
			t.Fatalf("created: %+v", c)
		}
		if _, err := svc.Create(ctx, form(slug), admin); gs.ErrorFields(err)["slug"] == "" {
			t.Errorf("a second challenge at the same address: got %v, want a message beside the slug", err)
		}
		if n := len(audited(t, st, "challenge.create", c.ID)); n != 1 {
			t.Errorf("challenge.create audit rows: got %d, want 1", n)
		}

		// Edit: reword a question, drop the second, add a third; rename one theme, remove the other.
		f := form(slug)
		f.Title = "Fixing the rota together"
		f.Questions = []gs.QuestionForm{{ID: c.Questions[0].ID, Title: "What slows your shift?"}, {ID: c.Questions[1].ID}, {Title: "Who could help?"}}
		f.Themes = []gs.ThemeForm{{ID: c.Themes[0].ID, Name: "Rota planning"}, {ID: c.Themes[1].ID}}
		f.NewThemes = "Wellbeing"
		f.Access = gs.AccessInvite
		if err := svc.Update(ctx, c.ID, f, admin); err != nil {
			t.Fatal(err, gs.ErrorFields(err))
		}
		got, err := st.ChallengeByID(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var qs, ths []string
		for _, q := range got.Questions {
			qs = append(qs, q.Title)
		}
		for _, th := range got.Themes {
			ths = append(ths, th.Name)
		}
		if got.Title != "Fixing the rota together" || got.Access != gs.AccessInvite || !slices.Equal(qs, []string{"What slows your shift?", "Who could help?"}) ||
			!slices.Equal(ths, []string{"Rota planning", "Wellbeing"}) || got.Questions[0].ID != c.Questions[0].ID {
			t.Errorf("after the edit: %q %q questions %q themes %q", got.Title, got.Access, qs, ths)
		}
		if n := len(audited(t, st, "challenge.edit", c.ID)); n != 1 {
			t.Errorf("challenge.edit audit rows: got %d, want 1", n)
		}

		// Once it has opened, a question with ideas stays, and the address is fixed.
		if err := svc.Move(ctx, c.ID, gs.PhaseOpen, admin); err != nil {
			t.Fatal(err)
		}
		got, _ = st.ChallengeByID(ctx, c.ID)
		f.Questions = []gs.QuestionForm{{ID: got.Questions[0].ID, Title: "What slows your shift?"}, {ID: got.Questions[1].ID, Title: "Who could help?"}}
		f.Themes = []gs.ThemeForm{{ID: got.Themes[0].ID, Name: "Rota planning"}, {ID: got.Themes[1].ID, Name: "Wellbeing"}}
		f.NewThemes = ""
		f.Slug = slug + "-new"
		if err := svc.Update(ctx, c.ID, f, admin); gs.ErrorFields(err)["slug"] == "" {
			t.Errorf("changing the address of an open challenge: got %v, want a message beside the slug", err)
		}
		if err := svc.Move(ctx, c.ID, gs.PhaseDraft, admin); gs.ErrorCode(err) != gs.ECONFLICT {
			t.Errorf("back to draft: got %v, want a conflict", err)
		}
		moves := audited(t, st, "challenge.phase", c.ID)
		if len(moves) != 1 || !strings.Contains(moves[0].After, "open") || moves[0].Actor.Name != admin.Name {
			t.Errorf("challenge.phase audit rows: %+v", moves)
		}
	})
}

func TestScheduledPhasesMoveOnTheirDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		svc, _ := setup(t, st)
		f := form(fmt.Sprint("sched-", time.Now().UnixNano()))
		f.OpensOn, f.VotingOn = "2031-03-01", "2031-04-01"
		c, err := svc.Create(ctx, f, admin)
		if err != nil {
			t.Fatal(err)
		}
		phase := func() gs.Phase {
			got, err := st.ChallengeByID(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.Phase
		}
		now := time.Date(2031, 2, 28, 23, 59, 0, 0, time.UTC)
		st.Now = func() time.Time { return now }
		if _, err := svc.AdvanceDue(ctx); err != nil || phase() != gs.PhaseDraft {
			t.Fatalf("a minute before opening: %v, phase %s", err, phase())
		}
		now = now.Add(time.Minute)
		if _, err := svc.AdvanceDue(ctx); err != nil || phase() != gs.PhaseOpen {
			t.Fatalf("at midnight of the opening day: %v, phase %s", err, phase())
		}
		if _, err := svc.AdvanceDue(ctx); err != nil || len(audited(t, st, "challenge.phase", c.ID)) != 1 {
			t.Errorf("a second run the same day must change nothing: %v", err)
		}
		// An admin moves it on early to review; the voting date then changes nothing.
		if err := svc.Move(ctx, c.ID, gs.PhaseReview, admin); err != nil {
			t.Fatal(err)
		}
		now = time.Date(2031, 4, 2, 0, 0, 0, 0, time.UTC)
		if _, err := svc.AdvanceDue(ctx); err != nil || phase() != gs.PhaseReview {
			t.Errorf("after the voting date, a challenge already in review: %v, phase %s", err, phase())
		}
		moves := audited(t, st, "challenge.phase", c.ID)
		if len(moves) != 2 || moves[len(moves)-1].Actor.Name != gs.SystemActor.Name {
			t.Errorf("audit of phase changes: %+v", moves)
		}
	})
}

// columns lists a table's column names on either database.
func columns(t *testing.T, db *sql.DB, dsn, table string) []string {
	t.Helper()
	q := fmt.Sprintf("SELECT name FROM pragma_table_info('%s') ORDER BY name", table)
	if store.IsPostgres(dsn) {
		q = fmt.Sprintf("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '%s' ORDER BY column_name", table)
	}
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// TestInviteCodesGiveOneVoiceAndNoTrail is the invite promise: a code works once, in any case
// and spacing; without one an invite-only challenge can be read but not written to; and after
// codes are redeemed and used, nothing stored ties a code to what its holder wrote.
func TestInviteCodesGiveOneVoiceAndNoTrail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		svc, keys := setup(t, st)
		f := form(fmt.Sprint("invite-", time.Now().UnixNano()))
		c, err := svc.Create(ctx, f, admin)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Mint(ctx, c.ID, 3, "", admin); gs.ErrorCode(err) != gs.ECONFLICT {
			t.Errorf("minting for an open challenge: got %v, want a conflict", err)
		}
		f.Access = gs.AccessInvite
		if err := svc.Update(ctx, c.ID, f, admin); err != nil {
			t.Fatal(err)
		}
		b, err := svc.Mint(ctx, c.ID, 3, "Ward 7", admin)
		if err != nil {
			t.Fatal(err)
		}
		batch, err := svc.Codes(ctx, c.ID, b.ID)
		if err != nil || len(batch.Codes) != 3 || batch.Label != "Ward 7" {
			t.Fatalf("codes: %+v, %v", batch, err)
		}
		if again, _ := svc.Codes(ctx, c.ID, b.ID); !slices.Equal(again.Codes, batch.Codes) {
			t.Error("a batch's codes must come out the same each time")
		}
		if len(slices.Compact(slices.Sorted(slices.Values(batch.Codes)))) != 3 {
			t.Errorf("codes must differ: %v", batch.Codes)
		}
		if n := len(audited(t, st, "invite.mint", c.ID)); n != 1 {
			t.Errorf("invite.mint audit rows: got %d, want 1", n)
		}

		alice, bob := keys.TokenHash("alice"), keys.TokenHash("bob")
		if _, err := svc.Join(ctx, alice, batch.Codes[0]); gs.ErrorCode(err) != gs.ECONFLICT {
			t.Errorf("joining a draft: got %v, want a conflict", err)
		}
		if err := svc.Move(ctx, c.ID, gs.PhaseOpen, admin); err != nil {
			t.Fatal(err)
		}
		c, _ = st.ChallengeByID(ctx, c.ID)
		part := participation.New(st, markup.New(), keys)
		mod := moderation.New(st, markup.New())
		idea := gs.IdeaInput{QuestionID: c.Questions[0].ID, Title: "Publish the rota six weeks ahead", Body: "So we can plan childcare."}
		if _, err := part.PostIdea(ctx, alice, c, idea); gs.ErrorReason(err) != gs.ReasonNotJoined {
			t.Fatalf("posting without a code: got %v, want %s", err, gs.ReasonNotJoined)
		}

		// Typed in small letters with spaces, the code works once.
		typed := strings.ToLower(strings.ReplaceAll(batch.Codes[0], "-", " "))
		j, err := svc.Join(ctx, alice, typed)
		if err != nil || j.Challenge.ID != c.ID || j.Already {
			t.Fatalf("join: %+v, %v", j, err)
		}
		if j, err := svc.Join(ctx, alice, batch.Codes[1]); err != nil || !j.Already {
			t.Errorf("joining again with a second code: %+v, %v; want 'already joined' and the code kept", j, err)
		}
		if _, err := svc.Join(ctx, bob, batch.Codes[0]); gs.ErrorFields(err)["code"] == "" {
			t.Errorf("a spent code: got %v, want a message beside the code", err)
		}
		if _, err := svc.Join(ctx, bob, "ABCD-EFGH-JKMN"); gs.ErrorFields(err)["code"] == "" {
			t.Errorf("a made-up code: got %v, want a message beside the code", err)
		}
		posted, err := part.PostIdea(ctx, alice, c, idea)
		if err != nil {
			t.Fatalf("posting after joining: %v", err)
		}
		if _, err := part.Vote(ctx, bob, gs.TargetIdea, posted.ID, 1); gs.ErrorReason(err) != gs.ReasonNotJoined {
			t.Errorf("voting without a code: got %v", err)
		}
		if _, err := mod.Report(ctx, bob, time.Hour, gs.TargetIdea, posted.ID, "spam", ""); gs.ErrorReason(err) != gs.ReasonNotJoined {
			t.Errorf("reporting without a code: got %v", err)
		}
		if _, err := svc.Join(ctx, bob, batch.Codes[1]); err != nil {
			t.Fatal(err)
		}
		if _, err := part.Vote(ctx, bob, gs.TargetIdea, posted.ID, 1); err != nil {
			t.Errorf("voting after joining: %v", err)
		}
		if _, err := part.PostComment(ctx, bob, posted.ID, gs.CommentInput{Body: "Yes, and swaps too.", Kind: gs.KindComment}); err != nil {
			t.Errorf("commenting after joining: %v", err)
		}
		bs, _ := svc.Batches(ctx, c.ID)
		if len(bs) != 1 || bs[0].Spent != 2 || bs[0].Size != 3 {
			t.Errorf("batch counts: %+v", bs)
		}

		// The schema: codes and memberships live apart, and neither has a time or a link.
		db := storetest.Raw(t, dsn)
		if got := columns(t, db, dsn, "invite_codes"); !slices.Equal(got, []string{"batch_id", "challenge_id", "code_hash"}) {
			t.Errorf("invite_codes columns: %v", got)
		}
		if got := columns(t, db, dsn, "challenge_members"); !slices.Equal(got, []string{"challenge_id", "participant_id"}) {
			t.Errorf("challenge_members columns: %v", got)
		}
		for _, table := range storetest.Tables(t, db, dsn) {
			cols := columns(t, db, dsn, table)
			codeish := slices.ContainsFunc(cols, func(c string) bool { return strings.Contains(c, "code") || c == "batch_id" })
			personal := slices.ContainsFunc(cols, func(c string) bool {
				return c == "participant_id" || c == "idea_id" || c == "comment_id" || c == "token_hash"
			})
			if codeish && personal {
				t.Errorf("table %s holds both a code and a participant or contribution: %v", table, cols)
			}
		}
		// The data: the spent codes and their hashes are nowhere.
		for _, table := range storetest.Tables(t, db, dsn) {
			for _, row := range storetest.Dump(t, db, table) {
				for _, code := range batch.Codes[:2] {
					bare, _ := gs.NormalizeInviteCode(code)
					if strings.Contains(row, bare) || strings.Contains(row, code) || strings.Contains(row, keys.InviteHash(bare)) {
						t.Errorf("table %s still holds spent code %s: %s", table, code, row)
					}
				}
			}
		}
		unspent, _ := gs.NormalizeInviteCode(batch.Codes[2])
		var left int
		if err := db.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM invite_codes WHERE code_hash = '%s'", keys.InviteHash(unspent))).Scan(&left); err != nil || left != 1 {
			t.Errorf("the unspent code's hash: %d rows, %v", left, err)
		}
	})
}

// TestScheduleFollowsTheServersMidnight: with the server in London, a challenge set to open on
// 1 July opens at 23:00 UTC on 30 June, when it is midnight there.
func TestScheduleFollowsTheServersMidnight(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone data")
	}
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		svc, _ := setup(t, st)
		svc.Loc = london
		f := form(fmt.Sprint("london-", time.Now().UnixNano()))
		f.OpensOn = "2033-07-01"
		c, err := svc.Create(ctx, f, admin)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2033, 6, 30, 22, 59, 0, 0, time.UTC)
		st.Now = func() time.Time { return now }
		phase := func() gs.Phase {
			got, err := st.ChallengeByID(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.Phase
		}
		if _, err := svc.AdvanceDue(ctx); err != nil || phase() != gs.PhaseDraft {
			t.Fatalf("at 22:59 UTC (23:59 in London): %v, %s", err, phase())
		}
		now = now.Add(2 * time.Minute)
		if _, err := svc.AdvanceDue(ctx); err != nil || phase() != gs.PhaseOpen {
			t.Fatalf("at 23:01 UTC (00:01 in London): %v, %s", err, phase())
		}
	})
}

// TestSnapshotCountsWhatHappened: the dashboard's running totals count contributors, ideas,
// comments, ways to make it happen, votes and reports as they are.
func TestSnapshotCountsWhatHappened(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		svc, keys := setup(t, st)
		c, err := svc.Create(ctx, form(fmt.Sprint("snap-", time.Now().UnixNano())), admin)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Move(ctx, c.ID, gs.PhaseOpen, admin); err != nil {
			t.Fatal(err)
		}
		c, _ = st.ChallengeByID(ctx, c.ID)
		part, mod := participation.New(st, markup.New(), keys), moderation.New(st, markup.New())
		var ideas []*gs.Idea
		for _, who := range []string{"ann", "bob"} {
			i, err := part.PostIdea(ctx, keys.TokenHash(who), c, gs.IdeaInput{QuestionID: c.Questions[0].ID, Title: "An idea from " + who})
			if err != nil {
				t.Fatal(err)
			}
			ideas = append(ideas, i)
		}
		for _, in := range []gs.CommentInput{{Body: "Yes.", Kind: gs.KindComment}, {Body: "Start on one ward.", Kind: gs.KindImplementation}} {
			if _, err := part.PostComment(ctx, keys.TokenHash("cat"), ideas[0].ID, in); err != nil {
				t.Fatal(err)
			}
		}
		for _, who := range []string{"v1", "v2", "v3"} {
			if _, err := part.Vote(ctx, keys.TokenHash(who), gs.TargetIdea, ideas[1].ID, 1); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := mod.Report(ctx, keys.TokenHash("v1"), time.Hour, gs.TargetIdea, ideas[0].ID, "off_topic", ""); err != nil {
			t.Fatal(err)
		}
		if err := svc.SnapshotActivity(ctx); err != nil {
			t.Fatal(err)
		}
		a, err := svc.Analytics(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		want := gs.DayTotals{Day: a.Totals.Day, Contributors: 3, Ideas: 2, Comments: 2, Implementations: 1, Votes: 3, Reports: 1}
		if a.Totals != want {
			t.Errorf("totals: got %+v, want %+v", a.Totals, want)
		}
		if len(a.Daily) != 1 || a.Daily[0].Ideas != 2 {
			t.Errorf("daily: %+v", a.Daily)
		}
	})
}
