package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

var criterionRadio = regexp.MustCompile(`name="(score_\d+)" value="4"`)

// TestPanelInTheBrowserForms runs a panel through its forms: an admin sets it up, adds two
// experts and builds the longlist; each expert reviews an idea, blind to the other until they
// have submitted; the admin sees the result.
func TestPanelInTheBrowserForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "Shared handover notes for every ward")
		admin, _ := a.staffMember(gs.RoleAdmin)
		ann, annUser := a.staffMember(gs.RoleExpert)
		bob, bobUser := a.staffMember(gs.RoleExpert)

		r := admin.post("/admin/panels", vals("challenge", "open-one", "name", "No", "longlist_size", "many"))
		wantStatus(t, "a refused panel", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, `value="No"`) || !strings.Contains(r.body, "at least 3 characters") || !strings.Contains(r.body, "from 1 to 200") {
			t.Error("the refused panel form lost the name or did not say what is wrong")
		}
		r = admin.post("/admin/panels", vals("challenge", "open-one", "name", "Workforce panel", "longlist_size", "10"))
		wantStatus(t, "set up a panel", r, http.StatusSeeOther)
		panelURL := r.header.Get("Location")
		for _, u := range []*gs.StaffUser{annUser, bobUser} {
			wantStatus(t, "add an expert", admin.post(panelURL+"/experts", vals("email", u.Email)), http.StatusSeeOther)
		}
		if r := admin.post(panelURL+"/experts", vals("email", "nobody@example.org")); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "nobody@example.org") {
			t.Errorf("adding an unknown expert: %d; want 422 with the address kept", r.status)
		}
		wantStatus(t, "build the longlist", admin.post(panelURL+"/longlist", nil), http.StatusSeeOther)

		pid := strings.TrimPrefix(panelURL, "/admin/panels/")
		review := "/panels/" + pid + "/ideas/" + id(idea.ID)
		var fields [][]string
		form := func(p *participant, note string) response {
			page := p.get(review)
			fields = criterionRadio.FindAllStringSubmatch(page.body, -1)
			if len(fields) != 4 {
				t.Fatalf("the review form has %d criteria, want 4: status %d\n%s", len(fields), page.status, page.body[strings.Index(page.body, "<main"):])
			}
			v := vals("note", note)
			for _, f := range fields {
				v.Set(f[1], "4")
			}
			return p.post(review, v)
		}
		wantStatus(t, "ann reviews", form(ann, "ann's private reasoning"), http.StatusSeeOther)
		if page := bob.get(review); strings.Contains(page.body, "ann's private reasoning") || strings.Contains(page.body, annUser.Email) {
			t.Error("bob sees ann's review before submitting his own")
		}
		if r := bob.post(review, vals("note", "half done", "score_1", "9")); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "half done") {
			t.Errorf("a refused review: %d; want 422 with the note kept", r.status)
		}
		wantStatus(t, "bob reviews", form(bob, "bob's view"), http.StatusSeeOther)
		if page := bob.get(review); !strings.Contains(page.body, annUser.Email) || !strings.Contains(page.body, "The other experts") {
			t.Error("after submitting, bob does not see ann's scores")
		}
		again := vals("note", "changed my mind")
		for _, f := range fields {
			again.Set(f[1], "1")
		}
		if r := ann.post(review, again); r.status != http.StatusConflict || !strings.Contains(r.body, "already reviewed") {
			t.Errorf("reviewing twice: %d; want 409 saying the review is already in", r.status)
		}
		if page := admin.get(panelURL); !strings.Contains(page.body, "4.00") {
			t.Error("the admin's results do not show the weighted score")
		}
		entries, _, err := s.AuditLog(context.Background(), gs.AuditQuery{Action: "panel.longlist", Page: 1, PerPage: 5})
		if err != nil || len(entries) != 1 {
			t.Errorf("audit rows for building the longlist: %d (%v), want 1", len(entries), err)
		}
	})
}
