package campaigns_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/groundswell/groundswell/internal/accounts"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/moderation"
	"github.com/groundswell/groundswell/internal/participation"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestRetentionPurgesExactlyWhatThePolicyNames runs a closed invite-only challenge and a running
// one side by side, moves the clock past the closed one's retention, and checks that a purge run
// removes its memberships, unused codes, expired suspension and dismissed report text, plus a
// participant token nothing refers to and an ended staff session, and changes nothing else in
// any table but the audit log, which gains one row with the counts.
func TestRetentionPurgesExactlyWhatThePolicyNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		svc, keys := setup(t, st)
		now := time.Date(2032, 5, 1, 9, 0, 0, 0, time.UTC)
		st.Now = func() time.Time { return now }
		part := participation.New(st, markup.New(), keys)
		mod := moderation.New(st, markup.New())
		acc := accounts.New(st, slog.New(slog.DiscardHandler))
		tag := fmt.Sprint(time.Now().UnixNano())

		runChallenge := func(name string) (*gs.Challenge, []string) {
			f := form(name + "-" + tag)
			f.Access, f.RetentionDays = gs.AccessInvite, "30"
			c, err := svc.Create(ctx, f, admin)
			if err != nil {
				t.Fatal(err)
			}
			b, err := svc.Mint(ctx, c.ID, 3, "", admin)
			if err != nil {
				t.Fatal(err)
			}
			if err := svc.Move(ctx, c.ID, gs.PhaseOpen, admin); err != nil {
				t.Fatal(err)
			}
			codes, _ := svc.Codes(ctx, c.ID, b.ID)
			c, _ = st.ChallengeByID(ctx, c.ID)
			return c, codes.Codes
		}
		ended, endedCodes := runChallenge("ended")
		running, runningCodes := runChallenge("running")
		alice, bob, dora := keys.TokenHash("alice"+tag), keys.TokenHash("bob"+tag), keys.TokenHash("dora"+tag)
		for _, j := range []struct {
			h    gs.TokenHash
			code string
		}{{alice, endedCodes[0]}, {bob, endedCodes[1]}, {dora, runningCodes[0]}} {
			if _, err := svc.Join(ctx, j.h, j.code); err != nil {
				t.Fatal(err)
			}
		}
		idea, err := part.PostIdea(ctx, alice, ended, gs.IdeaInput{QuestionID: ended.Questions[0].ID, Title: "Quiet room for breaks"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := part.Vote(ctx, bob, gs.TargetIdea, idea.ID, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := mod.Report(ctx, bob, time.Hour, gs.TargetIdea, idea.ID, "off_topic", "bob's private words about this"); err != nil {
			t.Fatal(err)
		}
		cases, _, err := mod.Queue(ctx, gs.CaseQuery{ChallengeID: ended.ID, PerPage: 10})
		if err != nil || len(cases) != 1 {
			t.Fatalf("queue: %v, %v", cases, err)
		}
		boss, err := acc.CreateUser(ctx, "retention-"+tag+"@example.org", gs.RoleAdmin, "correct horse battery staple 42", admin)
		if err != nil {
			t.Fatal(err)
		}
		by := gs.Actor{UserID: boss.ID, Name: boss.Email}
		cs, err := mod.Act(ctx, gs.ModerationCommand{CaseID: cases[0].ID, Version: cases[0].Version, Action: gs.ActSuspend, Reason: "cool off", Duration: 24 * time.Hour}, by)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mod.Act(ctx, gs.ModerationCommand{CaseID: cs.ID, Version: cs.Version, Action: gs.ActDismiss, Reason: "fair criticism"}, by); err != nil {
			t.Fatal(err)
		}
		// dora in the running challenge is suspended too, for longer than the test runs.
		dIdea, err := part.PostIdea(ctx, dora, running, gs.IdeaInput{QuestionID: running.Questions[0].ID, Title: "Water at the nurses' station"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mod.Report(ctx, alice, time.Hour, gs.TargetIdea, dIdea.ID, "spam", "alice's words stay while it runs"); gs.ErrorReason(err) != gs.ReasonNotJoined {
			t.Fatalf("alice is not in the running challenge: %v", err)
		}
		// An idle token: a participant row that nothing refers to.
		idle := keys.TokenHash("idle" + tag)
		if err := st.Write(ctx, func(tx *store.Tx) error { _, err := tx.Participant(idle); return err }); err != nil {
			t.Fatal(err)
		}
		// A staff session that will have ended.
		if _, _, err := acc.SignIn(ctx, accounts.Attempt{Email: boss.Email, Password: "correct horse battery staple 42", Client: "test"}); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
		if err := svc.Move(ctx, ended.ID, gs.PhaseClosed, admin); err != nil {
			t.Fatal(err)
		}

		db := storetest.Raw(t, dsn)
		snapshot := func() map[string][]string {
			out := map[string][]string{}
			for _, table := range storetest.Tables(t, db, dsn) {
				rows := storetest.Dump(t, db, table)
				slices.Sort(rows)
				out[table] = rows
			}
			return out
		}
		count := func(q string, args ...any) int {
			var n int
			if store.IsPostgres(dsn) {
				for i := range args {
					q = strings.Replace(q, "?", fmt.Sprintf("$%d", i+1), 1)
				}
			}
			if err := db.QueryRow(q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		participants := func(h gs.TokenHash) int {
			return count("SELECT COUNT(*) FROM participants WHERE token_hash = ?", string(h))
		}

		// A day before the retention runs out, the closed challenge keeps everything.
		now = now.AddDate(0, 0, 29)
		before := snapshot()
		p, err := svc.Purge(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p.Memberships != 0 || p.UnusedInviteCodes != 0 || participants(idle) != 0 || p.StaffSessions < 1 {
			t.Errorf("day 29: %+v; the idle token left: %v", p, participants(idle) == 0)
		}
		after := snapshot()
		for table := range before {
			if table == "audit_log" || table == "participants" || table == "staff_sessions" || table == "staff_invites" || table == "setup_tokens" {
				continue
			}
			if !slices.Equal(before[table], after[table]) {
				t.Errorf("day 29: table %s changed", table)
			}
		}

		// The day it runs out.
		now = now.AddDate(0, 0, 1)

		before = snapshot()
		p, err = svc.Purge(ctx)
		if err != nil {
			t.Fatal(err)
		}
		after = snapshot()
		want := store.Purged{Memberships: 2, UnusedInviteCodes: 1, ExpiredSuspensions: 1, DismissedReportText: 1}
		if p.Memberships != want.Memberships || p.UnusedInviteCodes != want.UnusedInviteCodes || p.ExpiredSuspensions != want.ExpiredSuspensions ||
			p.DismissedReportText != want.DismissedReportText {
			t.Errorf("day 30: purged %+v, want %+v", p, want)
		}
		changed := map[string]bool{"challenge_members": true, "invite_codes": true, "suspensions": true, "reports": true, "audit_log": true,
			"participants": true, "staff_sessions": true, "staff_invites": true, "setup_tokens": true}
		for table := range before {
			if !changed[table] && !slices.Equal(before[table], after[table]) {
				t.Errorf("day 30: table %s changed, and the policy does not name it", table)
			}
		}
		if n := count("SELECT COUNT(*) FROM challenge_members WHERE challenge_id = ?", ended.ID); n != 0 {
			t.Errorf("memberships of the ended challenge left: %d", n)
		}
		if n := count("SELECT COUNT(*) FROM challenge_members WHERE challenge_id = ?", running.ID); n != 1 {
			t.Errorf("memberships of the running challenge: %d, want 1", n)
		}
		if n := count("SELECT COUNT(*) FROM invite_codes WHERE challenge_id = ?", running.ID); n != 2 {
			t.Errorf("unused codes of the running challenge: %d, want 2", n)
		}
		if strings.Contains(strings.Join(after["reports"], " "), "bob's private") {
			t.Errorf("the dismissed report's text is still stored")
		}
		if !strings.Contains(strings.Join(before["reports"], " "), "bob's private") {
			t.Errorf("the test's dismissed report had no text to purge")
		}
		for _, h := range []gs.TokenHash{alice, bob, dora} {
			if participants(h) != 1 {
				t.Errorf("a participant with contributions was purged")
			}
		}
		if n := count("SELECT COUNT(*) FROM idea_votes WHERE idea_id = ?", idea.ID); n != 1 {
			t.Errorf("votes of the ended challenge: %d, want 1", n)
		}
		runs := audited(t, st, "retention.purge", 0)
		if len(runs) < 2 {
			t.Fatalf("retention audit rows: %d, want one per run", len(runs))
		}
		var counts store.Purged
		if err := json.Unmarshal([]byte(runs[0].After), &counts); err != nil || counts.Memberships != 2 {
			t.Errorf("the latest run's audit row: %q (%v)", runs[0].After, err)
		}
	})
}

// TestRetentionRunsOncePerDay: the daily job purges on its first check of a day and not again
// until the next day, by the audit log, so a restart neither skips a day nor runs twice.
func TestRetentionRunsOncePerDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		svc, _ := setup(t, st)
		log := slog.New(slog.DiscardHandler)
		// A day far from any other test's, so that their runs do not count.
		now := time.Date(2041, 3, 7, 0, 30, 0, 0, time.UTC).Add(time.Duration(time.Now().UnixNano()%1000) * 24 * time.Hour)
		st.Now = func() time.Time { return now }
		for _, step := range []struct {
			after time.Duration
			runs  bool
		}{{0, true}, {time.Hour, false}, {20 * time.Hour, false}, {4 * time.Hour, true}, {time.Minute, false}} {
			now = now.Add(step.after)
			ran, err := svc.PurgeIfDue(ctx, log)
			if err != nil {
				t.Fatal(err)
			}
			if ran != step.runs {
				t.Errorf("at %s: ran %v, want %v", now.Format(time.RFC3339), ran, step.runs)
			}
		}
	})
}
