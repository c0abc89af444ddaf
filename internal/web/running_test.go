package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/groundswell/groundswell/internal/campaigns"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// editorForm is a challenge editor submission with the given fields over sensible defaults.
func editorForm(csrf string, kv ...string) url.Values {
	v := vals("_csrf", csrf, "title", "Safer night shifts", "slug", "night-shifts", "brief", "Tell us what would help at night.",
		"question_1", "What makes nights harder than they need to be?", "question_1_prompt", "", "new_themes", "Staffing\nBreaks",
		"access", "open", "read_without_code", "on")
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// TestAdminRunsAnInviteOnlyChallenge walks the whole set-up over HTTP: an admin creates a draft
// that nobody else can see, previews it, makes it invite-only, opens it and mints codes; a
// participant without a code can read but not write, joins with a code typed sloppily, and
// posts; the same code then fails for anyone else. Refused forms come back with what was typed.
func TestAdminRunsAnInviteOnlyChallenge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		boss, _ := a.staffMember(gs.RoleAdmin)
		boss.get("/admin/challenges/new")

		// A refused form keeps every field.
		r := boss.post("/admin/challenges", editorForm(boss.csrf, "title", "", "brief", "my careful brief", "voting_on", "2020-01-01", "opens_on", "2021-01-01"))
		wantStatus(t, "create without a title", r, http.StatusUnprocessableEntity)
		for _, kept := range []string{"my careful brief", "What makes nights harder", "Staffing", "2021-01-01", "must come after"} {
			if !strings.Contains(r.body, kept) {
				t.Errorf("the refused editor lacks %q", kept)
			}
		}
		r = boss.post("/admin/challenges", editorForm(boss.csrf))
		wantStatus(t, "create", r, http.StatusSeeOther)
		if loc := r.header.Get("Location"); loc != "/admin/challenges/night-shifts/edit?saved=created" {
			t.Fatalf("after creating: Location %q", loc)
		}
		p := a.participant()
		wantStatus(t, "a draft to the public", p.get("/c/night-shifts"), http.StatusNotFound)
		r = boss.get("/admin/challenges/night-shifts/preview")
		wantStatus(t, "preview", r, http.StatusOK)
		if !strings.Contains(r.body, "What makes nights harder") || !strings.Contains(r.body, "Preview") {
			t.Errorf("the preview lacks the question or its banner")
		}

		// Invite-only, then open.
		c, err := s.ChallengeBySlug(context.Background(), "night-shifts")
		if err != nil {
			t.Fatal(err)
		}
		edit := editorForm(boss.csrf, "access", "invite", "question_1_id", id(c.Questions[0].ID),
			"theme_1_id", id(c.Themes[0].ID), "theme_1", c.Themes[0].Name, "theme_2_id", id(c.Themes[1].ID), "theme_2", c.Themes[1].Name, "new_themes", "")
		edit.Set("shared_devices", "on")
		wantStatus(t, "switch to invite codes", boss.post("/admin/challenges/night-shifts/edit", edit), http.StatusSeeOther)
		if c, err := s.ChallengeBySlug(context.Background(), "night-shifts"); err != nil || !c.SharedDevices {
			t.Errorf("the shared-devices setting was not saved: %v", err)
		}
		r = boss.post("/admin/challenges/night-shifts/phase", vals("_csrf", boss.csrf, "phase", "sideways"))
		wantStatus(t, "an unknown phase", r, http.StatusUnprocessableEntity)
		wantStatus(t, "open it", boss.post("/admin/challenges/night-shifts/phase", vals("_csrf", boss.csrf, "phase", "open")), http.StatusSeeOther)
		r = boss.post("/admin/challenges/night-shifts/phase", vals("_csrf", boss.csrf, "phase", "draft"))
		wantStatus(t, "back to draft", r, http.StatusConflict)
		if !strings.Contains(r.body, "cannot go back to draft") {
			t.Errorf("back to draft: the page does not say why")
		}

		// Codes: a bad count comes back with what was typed; a good one makes a batch.
		r = boss.post("/admin/challenges/night-shifts/invites", vals("_csrf", boss.csrf, "count", "lots", "label", "Ward 9"))
		wantStatus(t, "a count that is not a number", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, "Ward 9") || !strings.Contains(r.body, "from 1 to 20000") {
			t.Errorf("the refused mint form lost the label or the reason")
		}
		wantStatus(t, "mint", boss.post("/admin/challenges/night-shifts/invites", vals("_csrf", boss.csrf, "count", "3", "label", "Ward 9")), http.StatusSeeOther)
		bs, err := s.InviteBatches(context.Background(), c.ID)
		if err != nil || len(bs) != 1 {
			t.Fatalf("batches: %v, %v", bs, err)
		}
		r = boss.get("/admin/challenges/night-shifts/invites/" + id(bs[0].ID) + "/codes.csv")
		wantStatus(t, "the CSV", r, http.StatusOK)
		rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
		if err != nil || len(rows) != 4 || rows[0][0] != "code" {
			t.Fatalf("the CSV: %v rows, %v\n%s", len(rows), err, r.body)
		}
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("the CSV's type: %q", ct)
		}
		code := rows[1][0]

		// Without a code: read, but not write.
		r = p.get("/c/night-shifts")
		wantStatus(t, "reading without a code", r, http.StatusOK)
		if !strings.Contains(r.body, "Join with your invite code") {
			t.Error("the challenge page does not say how to join")
		}
		r = p.get("/c/night-shifts/ideas/new")
		wantStatus(t, "the idea form without a code", r, http.StatusForbidden)
		if !strings.Contains(r.body, "/join?next=") {
			t.Error("the 403 page does not link to joining")
		}
		q := id(c.Questions[0].ID)
		r = p.post("/c/night-shifts/ideas", vals("question", q, "title", "Hot food after midnight", "body", "my words stay"))
		wantStatus(t, "posting without a code", r, http.StatusForbidden)
		if !strings.Contains(r.body, "my words stay") {
			t.Error("a refused idea lost its text")
		}

		// Joining: a wrong code keeps what was typed; the real one works typed sloppily.
		p.get("/join")
		r = p.post("/join", vals("code", "zzzz-zzzz-zzzz"))
		wantStatus(t, "a code that is not one", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, "zzzz-zzzz-zzzz") || !strings.Contains(r.body, "does not work") {
			t.Errorf("a wrong code: the form lost the code or the reason")
		}
		r = p.post("/join", vals("code", "0000"))
		wantStatus(t, "a code with characters codes never use", r, http.StatusUnprocessableEntity)
		sloppy := " " + strings.ToLower(strings.ReplaceAll(code, "-", " ")) + " "
		r = p.post("/join", vals("code", sloppy, "next", "/c/night-shifts"))
		wantStatus(t, "join", r, http.StatusSeeOther)
		if loc := r.header.Get("Location"); loc != "/c/night-shifts?joined=1" {
			t.Errorf("after joining: Location %q", loc)
		}
		if r := p.get("/c/night-shifts?joined=1"); !strings.Contains(r.body, "You have joined") {
			t.Error("no word that joining worked")
		}
		r = p.post("/c/night-shifts/ideas", vals("question", q, "title", "Hot food after midnight", "body", "my words stay"))
		wantStatus(t, "posting after joining", r, http.StatusSeeOther)

		other := a.participant()
		other.get("/join")
		wantStatus(t, "the same code again", other.post("/join", vals("code", code)), http.StatusUnprocessableEntity)
		wantStatus(t, "a second code on the same browser", p.post("/join", vals("code", rows[2][0])), http.StatusSeeOther)
		wantStatus(t, "the second code is still good", other.post("/join", vals("code", rows[2][0])), http.StatusSeeOther)

		// Every admin step is in the audit log.
		entries, _, err := s.AuditLog(context.Background(), gs.AuditQuery{PerPage: 50})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range entries {
			if e.ChallengeID == c.ID {
				seen[e.Action]++
			}
		}
		for _, action := range []string{"challenge.create", "challenge.edit", "challenge.phase", "invite.mint"} {
			if seen[action] != 1 {
				t.Errorf("audit rows for %s: %d, want 1 (%v)", action, seen[action], seen)
			}
		}
	})
}

// TestJoinIsRateLimited: guessing codes from one address stops after ten tries with a 429 that
// says when to try again, and the typed code is still in the form.
func TestJoinIsRateLimited(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn))
	p := a.participant()
	p.get("/join")
	for i := 0; i < 10; i++ {
		wantStatus(t, "a wrong guess", p.post("/join", vals("code", "ABCD-EFGH-JKMN")), http.StatusUnprocessableEntity)
	}
	r := a.participant()
	r.get("/join")
	got := r.post("/join", vals("code", "WXYZ-WXYZ-WXYZ"))
	wantStatus(t, "the eleventh try from the same address, in a fresh browser", got, http.StatusTooManyRequests)
	if got.header.Get("Retry-After") == "" || !strings.Contains(got.body, "WXYZ-WXYZ-WXYZ") {
		t.Errorf("a throttled join: Retry-After %q, code kept %v", got.header.Get("Retry-After"), strings.Contains(got.body, "WXYZ-WXYZ-WXYZ"))
	}
}

// TestAdminInvitesStaff: an admin invites a moderator by link from the staff page; the link makes
// the account with the password the newcomer chooses, once. An address that already has an
// account, or a role that does not exist, comes back with what was typed.
func TestAdminInvitesStaff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		boss, bossUser := a.staffMember(gs.RoleAdmin)
		boss.get("/admin/users")
		r := boss.post("/admin/users/invite", vals("email", bossUser.Email, "role", "moderator"))
		wantStatus(t, "inviting an existing account", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, "already a staff account") || !strings.Contains(r.body, `value="`+bossUser.Email+`"`) {
			t.Errorf("inviting an existing account: the form lost the address or the reason")
		}
		wantStatus(t, "an unknown role", boss.post("/admin/users/invite", vals("email", "new@example.org", "role", "king")), http.StatusUnprocessableEntity)
		wantStatus(t, "a bad address", boss.post("/admin/users/invite", vals("email", "not an address", "role", "moderator")), http.StatusUnprocessableEntity)
		r = boss.post("/admin/users/invite", vals("email", "New.Mod@example.org", "role", "moderator"))
		wantStatus(t, "invite", r, http.StatusOK)
		m := inviteLink.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("no invitation link on the page:\n%.600s", r.body)
		}
		guest := a.participant()
		guest.get(m[1])
		wantStatus(t, "accept", guest.post(m[1], vals("password", staffPassword, "confirm", staffPassword)), http.StatusSeeOther)
		wantStatus(t, "the link works once", guest.get(m[1]), http.StatusNotFound)
		newcomer := a.participant()
		newcomer.get("/login")
		wantStatus(t, "sign in", newcomer.post("/login", vals("email", "new.mod@example.org", "password", staffPassword)), http.StatusSeeOther)
		wantStatus(t, "the moderation queue", newcomer.get("/moderation"), http.StatusOK)
		wantStatus(t, "not admin", newcomer.get("/admin"), http.StatusForbidden)
		entries, _, err := s.AuditLog(context.Background(), gs.AuditQuery{Action: "staff.invite", PerPage: 10})
		if err != nil || len(entries) != 1 || entries[0].Actor.UserID != bossUser.ID {
			t.Errorf("staff.invite audit: %+v, %v", entries, err)
		}
	})
}

// TestSearch finds ideas and comments across challenges with the matched words marked, pages by
// cursor, and never shows hidden contributions, drafts or a challenge kept to its members.
func TestSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		p := a.participant()
		p.get("/c/open-one")
		q := id(a.open.Questions[0].ID)
		var ideaIDs []string
		for i := 0; i < 12; i++ {
			r := p.post("/c/open-one/ideas", vals("question", q, "title", fmt.Sprintf("Rota swap number %d", i), "body", "Let us <b>swap</b> shifts by phone."))
			wantStatus(t, "post", r, http.StatusSeeOther)
			ideaIDs = append(ideaIDs, strings.TrimPrefix(r.header.Get("Location"), "/ideas/"))
		}
		wantStatus(t, "comment", p.post("/ideas/"+ideaIDs[0]+"/comments", vals("body", "A rota app would help the night team.")), http.StatusSeeOther)
		hidden := a.seedIdea(a.open, "Rota secret that a moderator removed")
		if err := s.Write(context.Background(), func(tx *store.Tx) error {
			return tx.SetStatus(gs.TargetIdea, hidden.ID, gs.StatusHidden, "test")
		}); err != nil {
			t.Fatal(err)
		}
		draft := a.challenge("draft-one", gs.PhaseDraft)
		a.seedIdea(draft, "Rota in a draft")
		private := a.challenge("private-one", gs.PhaseOpen)
		a.seedIdea(private, "Rota kept to members")
		if _, err := storetest.Raw(t, dsn).Exec("UPDATE challenges SET access_mode = 'invite', read_without_code = FALSE WHERE slug = 'private-one'"); err != nil {
			t.Fatal(err)
		}

		r := p.get("/search?q=ROTA")
		wantStatus(t, "search", r, http.StatusOK)
		if n := strings.Count(r.body, `class="card search-hit"`); n != 11 {
			t.Errorf("first look: %d hits, want 10 ideas and 1 comment", n)
		}
		if !strings.Contains(r.body, "<mark>Rota</mark> swap number 11") || !strings.Contains(r.body, "<mark>rota</mark> app") || !strings.Contains(r.body, `href="/ideas/`+ideaIDs[0]+`#comment-`) {
			i := strings.Index(r.body, "comments-heading")
			t.Errorf("the matches are not marked:\n%.1500s", r.body[max(i, 0):])
		}
		if strings.Contains(r.body, "secret") || strings.Contains(r.body, "draft") || strings.Contains(r.body, "kept to members") {
			t.Error("hidden content, a draft or a members-only challenge appeared in search")
		}
		if !regexp.MustCompile(`>\d{1,2} [A-Z][a-z]+ \d{4}</time>`).MatchString(r.body) {
			t.Error("dates are not written as 23 November 2026")
		}
		if strings.Contains(r.body, "<b>swap</b>") {
			t.Error("a participant's markup reached the results page")
		}
		m := regexp.MustCompile(`href="(/search\?before=\d+&amp;kind=idea&amp;q=ROTA)"`).FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("no link to more ideas")
		}
		more := p.get(strings.ReplaceAll(m[1], "&amp;", "&"))
		if n := strings.Count(more.body, `class="card search-hit"`); n != 2 || !strings.Contains(more.body, "<mark>Rota</mark> swap number 0") {
			t.Errorf("the next page of ideas: %d hits", n)
		}
		// On the challenge page, the filtered cards carry marked excerpts too.
		if r := p.get("/c/open-one?q=phone"); !strings.Contains(r.body, "by <mark>phone</mark>") {
			t.Error("no marked excerpt on the challenge page")
		}
		wantStatus(t, "a search that is too long", p.get("/search?q="+strings.Repeat("z", 201)), http.StatusBadRequest)
		wantStatus(t, "an unknown kind", p.get("/search?q=rota&kind=people"), http.StatusBadRequest)
		wantStatus(t, "a cursor that is not a number", p.get("/search?q=rota&before=soon"), http.StatusBadRequest)
		if r := p.get("/search?q=%22%29%28*+OR+NEAR"); r.status != http.StatusOK {
			t.Errorf("query syntax typed by a person: %d", r.status)
		}
	})
}

// TestAnalyticsKeepSmallGroupsApart: participants describe themselves once each; the public
// summary and the admin dashboard show daily figures, breakdowns and the funnel, and no group of
// people under five ever appears in either, merged or not.
func TestAnalyticsKeepSmallGroupsApart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		if _, err := storetest.Raw(t, dsn).Exec("UPDATE challenges SET staff_groups = 'Nursing\nPharmacy\nPortering\nMidwifery', regions = 'North\nSouth' WHERE slug = 'open-one'"); err != nil {
			t.Fatal(err)
		}
		answers := []struct{ group, region string }{}
		for i := 0; i < 6; i++ {
			answers = append(answers, struct{ group, region string }{"Nursing", "North"})
		}
		for i := 0; i < 5; i++ {
			answers = append(answers, struct{ group, region string }{"Pharmacy", "South"})
		}
		answers = append(answers, struct{ group, region string }{"Portering", ""}, struct{ group, region string }{"Portering", "South"},
			struct{ group, region string }{"Midwifery", "North"})
		var first *participant
		for i, ans := range answers {
			p := a.participant()
			r := p.get("/c/open-one")
			if !strings.Contains(r.body, "About you (optional)") {
				t.Fatal("the challenge page does not invite people to describe themselves")
			}
			p.get("/c/open-one/about-me")
			wantStatus(t, "describe", p.post("/c/open-one/about-me", vals("staff_group", ans.group, "region", ans.region)), http.StatusSeeOther)
			if i == 0 {
				first = p
				wantStatus(t, "an idea", p.post("/c/open-one/ideas", vals("question", id(a.open.Questions[0].ID), "title", "Breaks that really happen")), http.StatusSeeOther)
			}
		}
		// A second answer from the same browser is not counted; answers not offered are refused.
		first.post("/c/open-one/about-me", vals("staff_group", "Pharmacy"))
		if r := first.get("/c/open-one/about-me"); !strings.Contains(r.body, "already answered") {
			t.Error("a second visit does not say the answer was counted")
		}
		other := a.participant()
		other.get("/c/open-one/about-me")
		r := other.post("/c/open-one/about-me", vals("staff_group", "Astronauts", "region", "Moon"))
		wantStatus(t, "an answer not offered", r, http.StatusUnprocessableEntity)
		wantStatus(t, "no answer at all", other.post("/c/open-one/about-me", vals()), http.StatusUnprocessableEntity)
		wantStatus(t, "a challenge that does not ask", other.get("/c/voting-one/about-me"), http.StatusNotFound)

		camp := campaigns.New(s, markup.New(), a.keys)
		if err := camp.SnapshotActivity(context.Background()); err != nil {
			t.Fatal(err)
		}
		boss, _ := a.staffMember(gs.RoleAdmin)
		rowRe := regexp.MustCompile(`<th scope="row">([^<]*)</th><td class="num">(\d+)</td>`)
		for _, page := range []struct {
			who  *participant
			path string
		}{{other, "/c/open-one/summary"}, {boss, "/admin/challenges/open-one/analytics"}} {
			r := page.who.get(page.path)
			wantStatus(t, page.path, r, http.StatusOK)
			people := r.body[strings.Index(r.body, "people-heading"):]
			people = people[:strings.Index(people, "funnel-heading")]
			got := map[string]string{}
			for _, m := range rowRe.FindAllStringSubmatch(people, -1) {
				got[m[1]] = m[2]
				if n, _ := strconv.Atoi(m[2]); n < gs.MinGroup {
					t.Errorf("%s shows a group of %d: %s", page.path, n, m[1])
				}
			}
			// Staff groups: Nursing 6, Pharmacy 5, Portering 2, Midwifery 1. The small two make
			// "Other" 3, too few, so Pharmacy joins them: Nursing 6, Other 8. Places: North 7,
			// South 6 (one person left it out).
			want := map[string]string{"Nursing": "6", "Other": "8", "North": "7", "South": "6"}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: %s = %q, want %s (all: %v)", page.path, k, got[k], v, got)
				}
			}
			for _, hidden := range []string{"Portering", "Midwifery", "Pharmacy"} {
				if strings.Contains(people, hidden) {
					t.Errorf("%s names the small group %s", page.path, hidden)
				}
			}
			if !strings.Contains(r.body, "Ideas per day") || !strings.Contains(r.body, "<desc id=\"daily-ideas-desc\">") {
				t.Errorf("%s lacks the daily chart", page.path)
			}
			if strings.Contains(r.body, "Reports per day") != (page.who == boss) {
				t.Errorf("%s: reports belong on the admin dashboard only", page.path)
			}
		}
	})
}

// TestRunningBadInput sends hostile and malformed input to every new form and parameter: each
// gets a 4xx with words, never a 500, and nothing changes.
func TestRunningBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		boss, _ := a.staffMember(gs.RoleAdmin)
		boss.get("/admin/challenges/new")
		p := a.participant()
		p.get("/join")
		huge := strings.Repeat("x", 30000)
		nul := "bad\x00text"
		rtl := "\u202egnirts desrever"
		tests := []struct {
			name   string
			send   func() response
			status int
		}{
			{"editor: NUL in the title", func() response { return boss.post("/admin/challenges", editorForm(boss.csrf, "title", nul)) }, 400},
			{"editor: a brief over the limit", func() response { return boss.post("/admin/challenges", editorForm(boss.csrf, "brief", huge)) }, 422},
			{"editor: slug with a slash", func() response { return boss.post("/admin/challenges", editorForm(boss.csrf, "slug", "a/b")) }, 422},
			{"editor: slug reserved", func() response { return boss.post("/admin/challenges", editorForm(boss.csrf, "slug", "new")) }, 422},
			{"editor: slug of unicode", func() response { return boss.post("/admin/challenges", editorForm(boss.csrf, "slug", "défi")) }, 422},
			{"editor: date in the year 99999", func() response {
				return boss.post("/admin/challenges", editorForm(boss.csrf, "opens_on", "99999-01-01"))
			}, 422},
			{"editor: date of words", func() response {
				return boss.post("/admin/challenges", editorForm(boss.csrf, "voting_on", "next tuesday"))
			}, 422},
			{"editor: retention of minus one", func() response { return boss.post("/admin/challenges", editorForm(boss.csrf, "retention_days", "-1")) }, 422},
			{"editor: retention overflowing", func() response {
				return boss.post("/admin/challenges", editorForm(boss.csrf, "retention_days", "99999999999999999999999"))
			}, 422},
			{"editor: access of nonsense", func() response { return boss.post("/admin/challenges", editorForm(boss.csrf, "access", "<script>")) }, 422},
			{"editor: question id of another challenge", func() response {
				return boss.post("/admin/challenges/open-one/edit", editorForm(boss.csrf, "slug", "open-one", "question_1_id", id(a.voting.Questions[0].ID)))
			}, 422},
			{"editor: theme id of another challenge", func() response {
				return boss.post("/admin/challenges/open-one/edit", editorForm(boss.csrf, "slug", "open-one", "theme_1_id", "999999", "theme_1", "x"))
			}, 422},
			{"editor: 500 staff groups", func() response {
				return boss.post("/admin/challenges", editorForm(boss.csrf, "staff_groups", strings.Repeat("group\n", 10)+strings.Repeat("g", 61)))
			}, 422},
			{"editor: unknown challenge", func() response { return boss.post("/admin/challenges/nope/edit", editorForm(boss.csrf)) }, 404},
			{"phase: unknown challenge", func() response {
				return boss.post("/admin/challenges/nope/phase", vals("_csrf", boss.csrf, "phase", "open"))
			}, 404},
			{"mint: a huge count", func() response {
				return boss.post("/admin/challenges/open-one/invites", vals("_csrf", boss.csrf, "count", "99999999999999999999"))
			}, 409},
			{"codes: batch not a number", func() response { return boss.get("/admin/challenges/open-one/invites/abc") }, 404},
			{"codes: batch of another challenge", func() response { return boss.get("/admin/challenges/open-one/invites/1/codes.csv") }, 404},
			{"join: NUL", func() response { return p.post("/join", vals("code", nul)) }, 400},
			{"join: a right-to-left override", func() response { return p.post("/join", vals("code", rtl)) }, 422},
			{"join: a huge code", func() response { return p.post("/join", vals("code", huge)) }, 422},
			{"join: an outside next", func() response {
				return p.post("/join", vals("code", "ABCD-EFGH-JKMN", "next", "https://evil.example"))
			}, 422},
			{"search: NUL", func() response { return p.get("/search?q=a%00b") }, 400},
			{"search: invalid UTF-8", func() response { return p.get("/search?q=%ff%fe") }, 400},
			{"search: negative cursor", func() response { return p.get("/search?q=rota&before=-5") }, 400},
			{"about me: unknown challenge", func() response { return p.post("/c/nope/about-me", vals("staff_group", "x")) }, 404},
			{"summary: unknown challenge", func() response { return p.get("/c/nope/summary") }, 404},
			{"preview: unknown challenge", func() response { return boss.get("/admin/challenges/nope/preview") }, 404},
			{"dashboard: unknown challenge", func() response { return boss.get("/admin/challenges/nope/analytics") }, 404},
			{"staff invite: NUL in the address", func() response { return boss.post("/admin/users/invite", vals("email", nul, "role", "expert")) }, 400},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := tt.send()
				wantStatus(t, tt.name, r, tt.status)
				if r.status >= 400 && !strings.Contains(r.body, "<h1") && !strings.Contains(r.body, "error-summary") {
					t.Errorf("%s: no words for the person", tt.name)
				}
			})
		}
		// Nothing above created a challenge or spent anything.
		cs, err := s.Challenges(context.Background(), gs.Phases...)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 3 {
			t.Errorf("refused set-ups created challenges: %d, want the 3 the test began with", len(cs))
		}
		if got, _ := s.ChallengeBySlug(context.Background(), "open-one"); len(got.Questions) != len(a.open.Questions) || got.Questions[0] != a.open.Questions[0] || got.Title != a.open.Title {
			t.Errorf("an editor post naming another challenge's question changed the questions: %+v", got.Questions)
		}
	})
}
