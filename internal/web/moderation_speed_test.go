package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// reportedIdeas seeds n ideas, each reported once for being off topic, and returns them.
func (a *testApp) reportedIdeas(n int, prefix string) []*gs.Idea {
	a.t.Helper()
	var out []*gs.Idea
	for i := 0; i < n; i++ {
		idea := a.seedIdea(a.open, fmt.Sprintf("%s %d", prefix, i))
		if r := a.participant().report("idea", idea.ID, "off_topic"); r.status != http.StatusSeeOther {
			a.t.Fatalf("report %d: %d", i, r.status)
		}
		out = append(out, idea)
	}
	return out
}

// queueVersion reads the "id:version" a queue page offers for a case's checkbox.
func queueVersion(t *testing.T, body string, caseID int64) string {
	t.Helper()
	m := regexp.MustCompile(`name="case" value="` + id(caseID) + `:(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the queue does not list case %d", caseID)
	}
	return m[1]
}

// TestQueueActsPerItem: Keep and Hide work from the queue itself, with a stock reason and the
// moderator's own words, and come back to the queue saying what happened; a refused one comes
// back with the problem beside the item and the typed words kept, and changes nothing.
func TestQueueActsPerItem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ctx := context.Background()
		ideas := a.reportedIdeas(3, "Per item")
		mod, _ := a.staffMember(gs.RoleModerator)
		queue := mod.get("/moderation")
		if !strings.Contains(queue.body, gs.DefaultStockReasons[1]) {
			t.Fatalf("the queue offers no stock reasons")
		}
		c0, c1, c2 := caseFor(t, s, gs.TargetIdea, ideas[0].ID), caseFor(t, s, gs.TargetIdea, ideas[1].ID), caseFor(t, s, gs.TargetIdea, ideas[2].ID)

		r := mod.post("/moderation/cases/"+id(c0), vals("version", queueVersion(t, queue.body, c0), "action", "hide",
			"stock", "Off topic for this challenge", "reason", "belongs in the rota challenge", "next", "/moderation"))
		wantStatus(t, "hide from the queue", r, http.StatusSeeOther)
		if loc := r.header.Get("Location"); !strings.HasPrefix(loc, "/moderation?") || !strings.Contains(loc, "item="+id(c0)) {
			t.Errorf("after hiding from the queue: Location %q, want the queue", loc)
		}
		if got, _ := s.Idea(ctx, ideas[0].ID); got.Status != gs.StatusHidden || got.StatusReason != "Off topic for this challenge: belongs in the rota challenge" {
			t.Errorf("hidden from the queue: %s %q", got.Status, got.StatusReason)
		}
		if back := mod.get(r.header.Get("Location")); !strings.Contains(back.body, "Hid item "+id(c0)) || strings.Contains(back.body, `id="case-`+id(c0)+`"`) {
			t.Errorf("the queue after hiding does not say so, or still lists the item")
		}

		r = mod.post("/moderation/cases/"+id(c1), vals("version", queueVersion(t, queue.body, c1), "action", "dismiss",
			"stock", "Fair criticism, kept", "next", "/moderation"))
		wantStatus(t, "keep from the queue", r, http.StatusSeeOther)
		if got, _ := s.Idea(ctx, ideas[1].ID); got.Status != gs.StatusVisible {
			t.Errorf("kept from the queue: %s", got.Status)
		}

		// Hide without any reason: refused beside the item, nothing changed.
		before := storetest.Dump(t, storetest.Raw(t, dsn), "moderation_cases")
		r = mod.post("/moderation/cases/"+id(c2), vals("version", queueVersion(t, queue.body, c2), "action", "hide",
			"stock", "", "reason", "", "next", "/moderation"))
		wantStatus(t, "hide without a reason", r, http.StatusUnprocessableEntity)
		item := r.body[strings.Index(r.body, `id="case-`+id(c2)+`"`):]
		if !strings.Contains(item[:min(len(item), 6000)], "Say why you are hiding this") {
			t.Errorf("the refusal is not shown beside the item")
		}
		r = mod.post("/moderation/cases/"+id(c2), vals("version", queueVersion(t, queue.body, c2), "action", "hide",
			"reason", strings.Repeat("long words ", 40), "next", "/moderation"))
		wantStatus(t, "hide with a reason too long", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, strings.Repeat("long words ", 40)) {
			t.Errorf("the refused item lost the typed reason")
		}
		if after := storetest.Dump(t, storetest.Raw(t, dsn), "moderation_cases"); strings.Join(after, "\n") != strings.Join(before, "\n") {
			t.Errorf("a refused action changed the cases")
		}
		if len(before) < 3 {
			t.Errorf("only %d cases dumped: the comparison above proves nothing", len(before))
		}
	})
}

// TestRefusedBulkKeepsItsChoices: a bulk action refused for a missing reason comes back with the
// same boxes ticked, the same action and the typed words.
func TestRefusedBulkKeepsItsChoices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ideas := a.reportedIdeas(3, "Bulk choice")
		mod, _ := a.staffMember(gs.RoleModerator)
		queue := mod.get("/moderation").body
		c0, c2 := caseFor(t, s, gs.TargetIdea, ideas[0].ID), caseFor(t, s, gs.TargetIdea, ideas[2].ID)
		c1 := caseFor(t, s, gs.TargetIdea, ideas[1].ID)
		form := vals("action", "hide", "stock", "", "reason", "", "next", "/moderation",
			"case", id(c0)+":"+queueVersion(t, queue, c0), "case", id(c2)+":"+queueVersion(t, queue, c2))
		r := mod.post("/moderation/bulk", form)
		wantStatus(t, "bulk hide without a reason", r, http.StatusUnprocessableEntity)
		checked := func(caseID int64) bool {
			return regexp.MustCompile(`value="` + id(caseID) + `:\d+" id="sel-\d+" checked`).MatchString(r.body)
		}
		if !checked(c0) || !checked(c2) || checked(c1) {
			t.Errorf("ticked after the refusal: %v %v %v, want true true false", checked(c0), checked(c1), checked(c2))
		}
		if !strings.Contains(r.body, `<option value="hide" selected>`) {
			t.Errorf("the refused bulk action forgot that it was hiding")
		}
		r = mod.post("/moderation/bulk", vals("action", "shred", "stock", "Personal attack", "reason", "my typed words", "next", "/moderation",
			"case", id(c1)+":"+queueVersion(t, queue, c1)))
		wantStatus(t, "unknown bulk action", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, "my typed words") || !strings.Contains(r.body, "<option selected>Personal attack</option>") {
			t.Errorf("the refused bulk action lost the typed reason or the stock one")
		}
		for _, idea := range ideas {
			if got, _ := s.Idea(context.Background(), idea.ID); got.Status != gs.StatusVisible {
				t.Errorf("a refused bulk action changed idea %d: %s", idea.ID, got.Status)
			}
		}
		// Selecting all without the script ticks every box on the page.
		all := mod.get("/moderation?select=all").body
		if n := strings.Count(all, `" checked>`); n != 3 {
			t.Errorf("select all ticked %d boxes, want 3", n)
		}
	})
}

// TestCaseGroupsReportsAndGoesOn: the case page lists each reason once with its count, and
// "Save and next case" goes to the next waiting case, then back to a clear queue.
func TestCaseGroupsReportsAndGoesOn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		first := a.seedIdea(a.open, "Reported three times")
		for i := 0; i < 2; i++ {
			wantStatus(t, "report", a.participant().report("idea", first.ID, "offensive"), http.StatusSeeOther)
		}
		wantStatus(t, "spam report", a.participant().report("idea", first.ID, "spam"), http.StatusSeeOther)
		second := a.seedIdea(a.open, "Reported once")
		wantStatus(t, "report", a.participant().report("idea", second.ID, "off_topic"), http.StatusSeeOther)
		mod, _ := a.staffMember(gs.RoleModerator)
		c1, c2 := caseFor(t, s, gs.TargetIdea, first.ID), caseFor(t, s, gs.TargetIdea, second.ID)

		page := mod.get("/moderation/cases/" + id(c1)).body
		if n := strings.Count(page, "<strong>Offensive or abusive</strong>"); n != 1 || !strings.Contains(page, "(2 reports)") || !strings.Contains(page, "(1 report)") {
			t.Errorf("the offensive reason is listed %d times (want once, with its count of 2)", n)
		}
		if !strings.Contains(page, html.EscapeString(a.open.Title)) {
			t.Errorf("the case does not name its challenge by title")
		}

		r := mod.post("/moderation/cases/"+id(c1), vals("version", caseVersion(t, mod, c1), "action", "dismiss", "then", "next"))
		wantStatus(t, "keep, then the next case", r, http.StatusSeeOther)
		if loc := r.header.Get("Location"); !strings.HasPrefix(loc, "/moderation/cases/"+id(c2)+"?") {
			t.Fatalf("save and next went to %q, want case %d", loc, c2)
		}
		if next := mod.get(r.header.Get("Location")); !strings.Contains(next.body, "Saved item "+id(c1)) {
			t.Errorf("the next case does not say the last one was saved")
		}
		r = mod.post("/moderation/cases/"+id(c2), vals("version", caseVersion(t, mod, c2), "action", "hide", "stock", "Spam or advertising", "then", "next"))
		wantStatus(t, "hide, then the next case", r, http.StatusSeeOther)
		if loc := r.header.Get("Location"); loc != "/moderation?clear=1" {
			t.Errorf("after the last case: %q, want the clear queue", loc)
		}
		if q := mod.get("/moderation?clear=1").body; !strings.Contains(q, "The queue is clear") {
			t.Errorf("the clear queue does not say so")
		}
	})
}

// TestWaitingCountAndKeyPaging: the staff menu counts waiting cases up to "99+"; the queue pages
// forward and back by key; participants see no count.
func TestWaitingCountAndKeyPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		mod, _ := a.staffMember(gs.RoleModerator)
		if body := mod.get("/moderation").body; strings.Contains(body, `class="menu-count"`) {
			t.Errorf("the menu counts cases in an empty queue")
		}
		ideas := a.reportedIdeas(2, "Counted")
		if body := mod.get("/moderation?state=closed").body; !strings.Contains(body, `<span class="menu-count">2<span class="visually-hidden"> waiting`) {
			t.Errorf("the menu does not count the 2 waiting cases:\n%s", body[strings.Index(body, "<nav"):strings.Index(body, "</nav>")])
		}
		if body := a.participant().get("/").body; strings.Contains(body, "menu-count") {
			t.Errorf("a participant sees the moderation count")
		}
		// 120 more cases, written straight into the table.
		raw := storetest.Raw(t, dsn)
		var pid int64
		if err := raw.QueryRow("SELECT participant_id FROM moderation_cases LIMIT 1").Scan(&pid); err != nil {
			t.Fatal(err)
		}
		opened := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; i < 120; i++ {
			at := opened.Add(time.Duration(i) * time.Minute)
			key := gs.QueueKey(gs.Case{State: gs.CaseOpen, OpenedAt: at})
			q := "INSERT INTO moderation_cases (target_type, target_id, challenge_id, participant_id, opened_at, queue_key) VALUES ('comment', $1, $2, $3, $4, $5)"
			if _, err := raw.Exec(q, 100000+i, a.open.ID, pid, at, key); err != nil {
				t.Fatal(err)
			}
		}
		if body := mod.get("/moderation?state=closed").body; !strings.Contains(html.UnescapeString(body), `<span class="menu-count">99+<span`) {
			t.Errorf("the menu does not stop at 99+: %s", body[strings.Index(body, "<nav"):strings.Index(body, "</nav>")])
		}
		seen := map[string]bool{}
		next, pages := "/moderation", 0
		var last string
		for next != "" && pages < 10 {
			body := mod.get(next).body
			pages++
			for _, m := range regexp.MustCompile(`id="case-(\d+)"`).FindAllStringSubmatch(body, -1) {
				if seen[m[1]] {
					t.Errorf("case %s is listed twice", m[1])
				}
				seen[m[1]] = true
			}
			last, next = body, ""
			if m := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(last); m != nil {
				next = html.UnescapeString(m[1])
			}
		}
		if pages != 7 || len(seen) != 122 {
			t.Errorf("walked %d pages and %d cases, want 7 and 122", pages, len(seen))
		}
		m := regexp.MustCompile(`<a href="([^"]+)" rel="prev">`).FindStringSubmatch(last)
		if m == nil {
			t.Fatal("the last page has no link back")
		}
		if back := mod.get(html.UnescapeString(m[1])); back.status != http.StatusOK || strings.Count(back.body, `id="case-`) != 20 {
			t.Errorf("one page back: %d with %d cases, want 20", back.status, strings.Count(back.body, `id="case-`))
		}
		if !strings.Contains(mod.get("/moderation").body, "More than 99 items") {
			t.Errorf("the queue's heading does not stop counting at 99")
		}
		wantStatus(t, "broken cursor", mod.get("/moderation?after=zz"), http.StatusBadRequest)
		_ = ideas
	})
}

// TestStockReasonsAreSetPerChallenge: admins write a challenge's stock reasons; the queue offers
// them; too many are refused with the typed list kept.
func TestStockReasonsAreSetPerChallenge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		a.reportedIdeas(1, "Stock")
		admin, _ := a.staffMember(gs.RoleAdmin)
		r := admin.post("/admin/challenges/open-one", vals("report_threshold", "3", "stock_reasons", "Names a patient\nRota gossip"))
		wantStatus(t, "save stock reasons", r, http.StatusSeeOther)
		queue := admin.get("/moderation").body
		if !strings.Contains(queue, "<option>Rota gossip</option>") || strings.Contains(queue, gs.DefaultStockReasons[1]) {
			t.Errorf("the queue does not offer the challenge's own stock reasons")
		}
		tooMany := strings.Repeat("reason\n", 3) + strings.Join(strings.Fields("a b c d e f g h i j k l m n o p q r s t u"), "\n")
		r = admin.post("/admin/challenges/open-one", vals("report_threshold", "3", "stock_reasons", tooMany))
		wantStatus(t, "too many stock reasons", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, "Give at most 20 reasons") || !strings.Contains(r.body, "q\nr\ns\nt\nu") {
			t.Errorf("the refused settings lost the list or gave no message")
		}
		if ch, _ := s.ChallengeBySlug(context.Background(), "open-one"); ch.StockReasons != "Names a patient\nRota gossip" {
			t.Errorf("stock reasons after a refused save: %q", ch.StockReasons)
		}
	})
}

// TestAuditLogInPlainWords: the audit log names actions and statuses in words and shows what
// changed, not JSON.
func TestAuditLogInPlainWords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ideas := a.reportedIdeas(1, "Audited")
		mod, _ := a.staffMember(gs.RoleModerator)
		c := caseFor(t, s, gs.TargetIdea, ideas[0].ID)
		wantStatus(t, "hide", mod.post("/moderation/cases/"+id(c), vals("version", caseVersion(t, mod, c), "action", "hide", "reason", "rude")), http.StatusSeeOther)
		admin, _ := a.staffMember(gs.RoleAdmin)
		page := admin.get("/admin/audit?action=moderation.hide").body
		for _, want := range []string{">Hidden</td>", "status:</span> <bdi>Visible to everyone</bdi> → <bdi>Hidden by a moderator</bdi>", "Idea " + id(ideas[0].ID)} {
			if !strings.Contains(page, want) {
				t.Errorf("the audit log lacks %q", want)
			}
		}
		for _, raw := range []string{"{&#34;status", `{"status`, ">moderation.hide<"} {
			if strings.Contains(page, raw) {
				t.Errorf("the audit log shows %q", raw)
			}
		}
		wantStatus(t, "broken audit cursor", admin.get("/admin/audit?older=x"), http.StatusBadRequest)
	})
}
