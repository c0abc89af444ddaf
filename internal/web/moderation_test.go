package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

const staffPassword = "correct horse battery staple 42"

// staffMember creates an account and signs a fresh browser in with it.
func (a *testApp) staffMember(role gs.Role) (*participant, *gs.StaffUser) {
	a.t.Helper()
	email := fmt.Sprintf("%s-%d@example.org", role, time.Now().UnixNano())
	u, err := a.accounts.CreateUser(context.Background(), email, role, staffPassword, gs.Actor{Name: "test"})
	if err != nil {
		a.t.Fatal(err)
	}
	p := a.participant()
	r := p.post("/login", vals("email", email, "password", staffPassword))
	if r.status != http.StatusSeeOther {
		a.t.Fatalf("sign in as %s: %d\n%.300s", role, r.status, r.body)
	}
	return p, u
}

func (p *participant) report(kind string, id int64, reason string) response {
	return p.post(fmt.Sprintf("/%ss/%d/report", kind, id), vals("reason", reason, "details", "see above"))
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

func TestReportsHideAndCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ctx := context.Background()
		idea := a.seedIdea(a.open, "Reported idea about rotas")
		ideaPath := "/ideas/" + id(idea.ID)
		author := a.participant()
		r := author.post(ideaPath+"/comments", vals("body", "A rude remark about rotas", "kind", "implementation"))
		wantStatus(t, "comment", r, http.StatusSeeOther)
		cid, _ := regexpInt(`#comment-(\d+)`, r.header.Get("Location"))
		if got, _ := s.Idea(ctx, idea.ID); got.Comments != 1 || got.Implementations != 1 {
			t.Fatalf("counters before: %d, %d", got.Comments, got.Implementations)
		}

		reporters := []*participant{a.participant(), a.participant(), a.participant()}
		wantStatus(t, "first report", reporters[0].report("comment", cid, "offensive"), http.StatusSeeOther)
		wantStatus(t, "same participant again", reporters[0].report("comment", cid, "spam"), http.StatusConflict)
		wantStatus(t, "second report", reporters[1].report("comment", cid, "offensive"), http.StatusSeeOther)
		if c, _ := s.Comment(ctx, cid); c.Status != gs.StatusVisible {
			t.Fatalf("hidden after 2 distinct reports (threshold 3): %s", c.Status)
		}
		wantStatus(t, "third report", reporters[2].report("comment", cid, "offensive"), http.StatusSeeOther)
		if c, _ := s.Comment(ctx, cid); c.Status != gs.StatusPending {
			t.Fatalf("status after 3 reports = %s, want pending", c.Status)
		}
		if got, _ := s.Idea(ctx, idea.ID); got.Comments != 0 || got.Implementations != 0 {
			t.Errorf("hidden comment still counted: %d comments, %d implementations", got.Comments, got.Implementations)
		}
		page := a.participant().get(ideaPath)
		if strings.Contains(page.body, "rude remark") || !strings.Contains(page.body, "Removed pending review") {
			t.Error("the page shows the hidden comment instead of a placeholder")
		}
		var api struct{ Comments []struct{ ID int64 } }
		a.participant().getJSON("/api/v1"+ideaPath, &api)
		if len(api.Comments) != 0 {
			t.Errorf("the API lists %d comments, want the hidden one left out", len(api.Comments))
		}
		own := author.get(ideaPath)
		if !strings.Contains(own.body, "rude remark") || !strings.Contains(own.body, "hidden while a moderator reviews") {
			t.Error("the author cannot see what happened to their comment")
		}

		// Personal data hides an idea at once; it leaves lists, search and the API.
		wantStatus(t, "personal data", a.participant().report("idea", idea.ID, "personal_data"), http.StatusSeeOther)
		if got, _ := s.Idea(ctx, idea.ID); got.Status != gs.StatusPending {
			t.Fatalf("idea after a personal-data report: %s", got.Status)
		}
		var list struct{ Total int }
		a.participant().getJSON("/api/v1/challenges/open-one/ideas?q=rotas", &list)
		if list.Total != 0 {
			t.Errorf("search still finds the hidden idea")
		}
		wantStatus(t, "API on the hidden idea", a.participant().getJSON("/api/v1"+ideaPath, nil), http.StatusNotFound)
		if r := a.participant().get(ideaPath); r.status != http.StatusNotFound || !strings.Contains(r.body, "reviews reports") {
			t.Errorf("hidden idea page: %d", r.status)
		}
		if r := a.participant().get("/c/open-one"); strings.Contains(r.body, "Reported idea about rotas") {
			t.Error("the challenge page lists the hidden idea")
		}

		// Safety escalates without hiding.
		other := a.seedIdea(a.open, "A worrying account of a near miss")
		wantStatus(t, "safety", a.participant().report("idea", other.ID, "safety"), http.StatusSeeOther)
		if got, _ := s.Idea(ctx, other.ID); got.Status != gs.StatusVisible {
			t.Errorf("a safety report hid the idea")
		}
		mod, _ := a.staffMember(gs.RoleModerator)
		queue := mod.get("/moderation").body
		safety, personal, offensive := strings.Index(queue, "near miss"), strings.Index(queue, "Personal data"), strings.Index(queue, "<strong>Offensive or abusive</strong>")
		if safety < 0 || personal < 0 || offensive < 0 || !(safety < personal && personal < offensive) {
			t.Errorf("queue order: safety at %d, personal data at %d, offensive at %d; want them in that order", safety, personal, offensive)
		}

		// Bad report input.
		wantStatus(t, "bogus reason", a.participant().report("idea", other.ID, "boring"), http.StatusUnprocessableEntity)
		r = a.participant().post("/ideas/"+id(other.ID)+"/report", vals("reason", "spam", "details", strings.Repeat("d", 501)))
		wantStatus(t, "long details", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, strings.Repeat("d", 501)) {
			t.Error("the refused report lost its details")
		}
		wantStatus(t, "unknown comment", a.participant().report("comment", 99999, "spam"), http.StatusNotFound)
	})
}

func regexpInt(pattern, s string) (int64, bool) {
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	return n, err == nil
}

func TestModeratorActionsConflictsAndAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ctx := context.Background()
		idea := a.seedIdea(a.open, "Idea that draws reports")
		for i := 0; i < 3; i++ {
			a.participant().report("idea", idea.ID, "offensive")
		}
		m1, u1 := a.staffMember(gs.RoleModerator)
		m2, _ := a.staffMember(gs.RoleModerator)
		queue := m1.get("/moderation")
		caseID, ok := regexpInt(`/moderation/cases/(\d+)`, queue.body)
		if !ok {
			t.Fatalf("the queue lists no case:\n%.500s", queue.body)
		}
		casePath := "/moderation/cases/" + id(caseID)
		v1 := versionField.FindStringSubmatch(m1.get(casePath).body)[1]
		v2 := versionField.FindStringSubmatch(m2.get(casePath).body)[1]

		r := m1.post(casePath, vals("action", "restore", "version", v1, "reason", "fair criticism"))
		wantStatus(t, "first moderator", r, http.StatusSeeOther)
		r = m2.post(casePath, vals("action", "hide", "version", v2, "reason", "rude"))
		wantStatus(t, "second moderator", r, http.StatusConflict)
		if !strings.Contains(r.body, "Another moderator acted") || !strings.Contains(r.body, "Decision: restored") {
			t.Error("the conflict does not explain itself or show the current state")
		}
		if got, _ := s.Idea(ctx, idea.ID); got.Status != gs.StatusVisible {
			t.Errorf("the losing action changed the idea: %s", got.Status)
		}
		wantStatus(t, "hide without a reason", m2.post(casePath, vals("action", "hide", "version", id(int64(mustAtoi(v1)+1)))), http.StatusUnprocessableEntity)

		entries, _, err := s.AuditLog(ctx, gs.AuditQuery{PerPage: 50})
		if err != nil {
			t.Fatal(err)
		}
		var restore *gs.AuditEntry
		for i, e := range entries {
			if e.Action == "moderation.restore" {
				restore = &entries[i]
			}
		}
		if restore == nil || restore.Actor.UserID != u1.ID || restore.Reason != "fair criticism" ||
			!strings.Contains(restore.Before, `"status":"pending"`) || !strings.Contains(restore.After, `"status":"visible"`) {
			t.Errorf("audit row for the restore: %+v", restore)
		}
		raw := storetest.Raw(t, dsn)
		if _, err := raw.Exec("UPDATE audit_log SET reason = 'changed'"); err == nil {
			t.Error("an audit row was updated")
		}
		if _, err := raw.Exec("DELETE FROM audit_log"); err == nil {
			t.Error("audit rows were deleted")
		}
		if n := len(storetest.Dump(t, raw, "audit_log")); n == 0 {
			t.Error("the audit log is empty, so the refusals above prove nothing")
		}
		admin, _ := a.staffMember(gs.RoleAdmin)
		if page := admin.get("/admin/audit?action=moderation.restore"); !strings.Contains(page.body, "fair criticism") {
			t.Error("the audit page does not show the restore")
		}
	})
}

func mustAtoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

func TestRedactSuspendBulkAndTransparency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ctx := context.Background()
		author := a.participant()
		mod, _ := a.staffMember(gs.RoleModerator)
		admin, _ := a.staffMember(gs.RoleAdmin)
		t.Run("redaction keeps the original for admins until it is purged", func(t *testing.T) {
			r := author.post("/c/open-one/ideas", vals("question", id(a.open.Questions[0].ID), "title", "Ward 7 rota", "body", "Nurse Jane Doe on ward 7 said it"))
			iid, ok := regexpInt(`/ideas/(\d+)`, r.header.Get("Location"))
			if !ok {
				t.Fatalf("post: status %d, nothing in the Location", r.status)
			}
			wantStatus(t, "personal data report", a.participant().report("idea", iid, "personal_data"), http.StatusSeeOther)
			caseID := caseFor(t, s, gs.TargetIdea, iid)
			casePath := "/moderation/cases/" + id(caseID)
			v := caseVersion(t, mod, caseID)
			r = mod.post(casePath, vals("action", "redact", "version", v, "text", "A nurse on ward 7 said it", "reason", "name removed"))
			wantStatus(t, "redact", r, http.StatusSeeOther)
			page := a.participant().get("/ideas/" + id(iid))
			if page.status != http.StatusOK || strings.Contains(page.body, "Jane Doe") || !strings.Contains(page.body, "A nurse on ward 7") {
				t.Errorf("redacted idea page: %d", page.status)
			}
			entries, _, _ := s.AuditLog(ctx, gs.AuditQuery{PerPage: 50})
			for _, e := range entries {
				if strings.Contains(e.Before+e.After+e.Reason, "Jane Doe") {
					t.Errorf("the audit log holds the redacted text: %+v", e)
				}
			}
			orig := admin.get("/admin/cases/" + id(caseID) + "/original")
			if !strings.Contains(orig.body, "Jane Doe") {
				t.Error("the admin cannot see the kept original")
			}
			wantStatus(t, "moderator cannot read originals", mod.get("/admin/cases/"+id(caseID)+"/original"), http.StatusForbidden)
			wantStatus(t, "purge", admin.post("/admin/cases/"+id(caseID)+"/purge", nil), http.StatusSeeOther)
			if _, _, kept, _ := s.OriginalText(ctx, caseID); kept {
				t.Error("the original survived the purge")
			}
			wantStatus(t, "purge twice", admin.post("/admin/cases/"+id(caseID)+"/purge", nil), http.StatusConflict)
		})

		t.Run("a suspended author keeps their typed text and can still vote", func(t *testing.T) {
			other := a.seedIdea(a.open, "Another idea")
			r := author.post("/ideas/"+id(other.ID)+"/comments", vals("body", "Buy cheap watches"))
			cid, ok := regexpInt(`#comment-(\d+)`, r.header.Get("Location"))
			if !ok {
				t.Fatalf("comment: status %d, nothing in the Location", r.status)
			}
			wantStatus(t, "report the comment", a.participant().report("comment", cid, "spam"), http.StatusSeeOther)
			caseID2 := caseFor(t, s, gs.TargetComment, cid)
			v := caseVersion(t, mod, caseID2)
			r = mod.post("/moderation/cases/"+id(caseID2), vals("action", "suspend", "version", v, "duration_days", "7", "reason", "spam"))
			wantStatus(t, "suspend", r, http.StatusSeeOther)
			r = author.post("/ideas/"+id(other.ID)+"/comments", vals("body", "Still here"))
			wantStatus(t, "suspended comment", r, http.StatusForbidden)
			if !strings.Contains(r.body, "Still here") || !strings.Contains(r.body, "paused your posting") {
				t.Error("the suspended participant's refused comment lost its text or its reason")
			}
			wantStatus(t, "suspended participant can vote", author.post("/ideas/"+id(other.ID)+"/vote", vals("value", "up")), http.StatusSeeOther)
			wantStatus(t, "bad duration", mod.post("/moderation/cases/"+id(caseID2), vals("action", "suspend", "version", id(int64(mustAtoi(v)+1)), "duration_days", "365", "reason", "x")), http.StatusUnprocessableEntity)
		})

		t.Run("bulk hides what did not change and counts the conflicts", func(t *testing.T) {
			x := a.seedIdea(a.open, "Bulk one")
			y := a.seedIdea(a.open, "Bulk two")
			wantStatus(t, "report x", a.participant().report("idea", x.ID, "off_topic"), http.StatusSeeOther)
			wantStatus(t, "report y", a.participant().report("idea", y.ID, "off_topic"), http.StatusSeeOther)
			cx, cy := caseFor(t, s, gs.TargetIdea, x.ID), caseFor(t, s, gs.TargetIdea, y.ID)
			vy := caseVersion(t, mod, cy)
			wantStatus(t, "escalate y", mod.post("/moderation/cases/"+id(cy), vals("action", "escalate", "version", vy)), http.StatusSeeOther)
			vx := caseVersion(t, mod, cx)
			form := vals("action", "hide", "reason", "off topic", "case", id(cx)+":"+vx, "case", id(cy)+":"+vy)
			r := mod.post("/moderation/bulk", form)
			wantStatus(t, "bulk", r, http.StatusSeeOther)
			if loc := r.header.Get("Location"); !strings.Contains(loc, "ok=1") || !strings.Contains(loc, "conflicts=1") {
				t.Errorf("bulk result: %s", loc)
			}
			if got, _ := s.Idea(ctx, x.ID); got.Status != gs.StatusHidden || got.StatusReason != "off topic" {
				t.Errorf("bulk-hidden idea: %s %q", got.Status, got.StatusReason)
			}
			if got, _ := s.Idea(ctx, y.ID); got.Status != gs.StatusVisible {
				t.Errorf("the conflicting case was changed by the bulk action")
			}
			r = mod.post("/moderation/bulk", vals("action", "hide", "reason", "typed bulk reason", "next", "/moderation?state=open"))
			wantStatus(t, "bulk with nothing selected", r, http.StatusUnprocessableEntity)
			if !strings.Contains(r.body, "Select at least one item") || !strings.Contains(r.body, "typed bulk reason") {
				t.Error("the refused bulk action lost the typed reason or gave no message")
			}
		})

		t.Run("the transparency page counts what was hidden and why", func(t *testing.T) {
			tp := a.participant().get("/c/open-one/moderation")
			if !strings.Contains(tp.body, "Off topic") || !strings.Contains(tp.body, "1 contribution was") {
				t.Errorf("transparency page:\n%.2000s", tp.body)
			}
		})
	})
}

// caseVersion reads the version a moderator's case page shows, which their actions must carry.
func caseVersion(t *testing.T, mod *participant, caseID int64) string {
	t.Helper()
	m := versionField.FindStringSubmatch(mod.get("/moderation/cases/" + id(caseID)).body)
	if m == nil {
		t.Fatalf("case %d: no version on the case page", caseID)
	}
	return m[1]
}

// caseFor finds the case id for a target through the queue API of the store.
func caseFor(t *testing.T, s *store.Store, kind gs.TargetKind, targetID int64) int64 {
	t.Helper()
	for _, state := range []gs.CaseState{gs.CaseOpen, gs.CaseClosed} {
		cases, _, err := s.Queue(context.Background(), gs.CaseQuery{State: state, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if c.TargetType == kind && c.TargetID == targetID {
				return c.ID
			}
		}
	}
	t.Fatalf("no case for %s %d", kind, targetID)
	return 0
}

func TestPreventionHoldsContributions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ctx := context.Background()
		admin, _ := a.staffMember(gs.RoleAdmin)
		r := admin.post("/admin/challenges/open-one", vals("report_threshold", "2", "held_words", "idiot\nsue"))
		wantStatus(t, "save settings", r, http.StatusSeeOther)
		wantStatus(t, "bad threshold", admin.post("/admin/challenges/open-one", vals("report_threshold", "zero", "held_words", "keep me")), http.StatusUnprocessableEntity)

		p := a.participant()
		idea := a.seedIdea(a.open, "A calm idea")
		r = p.post("/ideas/"+id(idea.ID)+"/comments", vals("body", "Only an idiot would disagree"))
		cid, _ := regexpInt(`#comment-(\d+)`, r.header.Get("Location"))
		if c, _ := s.Comment(ctx, cid); c.Status != gs.StatusHeld {
			t.Fatalf("a comment with a listed word: status %s, want held", c.Status)
		}
		if got, _ := s.Idea(ctx, idea.ID); got.Comments != 0 {
			t.Errorf("a held comment was counted")
		}
		if strings.Contains(a.participant().get("/ideas/"+id(idea.ID)).body, "Only an idiot") {
			t.Error("others can see a held comment")
		}
		if !strings.Contains(p.get("/ideas/"+id(idea.ID)).body, "waiting for a moderator") {
			t.Error("the author is not told their comment is waiting")
		}
		mod, _ := a.staffMember(gs.RoleModerator)
		caseID := caseFor(t, s, "comment", cid)
		v := versionField.FindStringSubmatch(mod.get("/moderation/cases/" + id(caseID)).body)[1]
		wantStatus(t, "publish", mod.post("/moderation/cases/"+id(caseID), vals("action", "restore", "version", v)), http.StatusSeeOther)
		if got, _ := s.Idea(ctx, idea.ID); got.Comments != 1 {
			t.Errorf("published comment not counted: %d", got.Comments)
		}

		admin.post("/admin/challenges/open-one", vals("report_threshold", "2", "premoderate", "on"))
		r = p.post("/c/open-one/ideas", vals("question", id(a.open.Questions[0].ID), "title", "Premoderated idea"))
		iid, _ := regexpInt(`/ideas/(\d+)`, r.header.Get("Location"))
		if got, _ := s.Idea(ctx, iid); got.Status != gs.StatusHeld {
			t.Errorf("pre-moderation did not hold the idea: %s", got.Status)
		}
		if r := p.get("/ideas/" + id(iid)); r.status != http.StatusOK || !strings.Contains(r.body, "waiting for a moderator") {
			t.Errorf("the author's view of a held idea: %d", r.status)
		}
		wantStatus(t, "others do not see held ideas", a.participant().get("/ideas/"+id(iid)), http.StatusNotFound)
	})
}
