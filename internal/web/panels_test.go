package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

var criterionRadio = regexp.MustCompile(`name="(score_\d+)" value="4"`)
var inviteLink = regexp.MustCompile(`https?://[^/<]+(/invite/[A-Za-z0-9_-]+)`)

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
		t.Run("criteria and questions of the admin's own", func(t *testing.T) {
			r := admin.post("/admin/panels", vals("challenge", "open-one", "name", "Custom panel", "longlist_size", "5",
				"criterion_name_0", "Reach", "criterion_weight_0", "heavy", "criterion_description_0", "How many staff it helps",
				"criterion_name_2", "Speed", "criterion_weight_2", "1,5"))
			wantStatus(t, "a bad weight", r, http.StatusUnprocessableEntity)
			for _, kept := range []string{`value="heavy"`, ">How many staff it helps</textarea>", `value="1,5"`, "weight from 0.1 to 10"} {
				if !strings.Contains(r.body, kept) {
					t.Errorf("the refused form lacks %s", kept)
				}
			}
			wantStatus(t, "a question of another challenge", admin.post("/admin/panels", vals("challenge", "open-one", "name", "Custom panel",
				"longlist_size", "5", "questions", id(a.voting.Questions[0].ID))), http.StatusUnprocessableEntity)
			wantStatus(t, "an unreadable question", admin.post("/admin/panels", vals("challenge", "open-one", "name", "Custom panel",
				"longlist_size", "5", "questions", "first")), http.StatusBadRequest)
			r = admin.post("/admin/panels", vals("challenge", "open-one", "name", "Custom panel", "longlist_size", "5",
				"questions", id(a.open.Questions[0].ID),
				"criterion_name_0", "Reach", "criterion_weight_0", "2.5", "criterion_description_0", "How many staff it helps",
				"criterion_name_3", "Speed", "criterion_weight_3", "1,5"))
			wantStatus(t, "a custom panel", r, http.StatusSeeOther)
			page := admin.get(r.header.Get("Location"))
			if !strings.Contains(page.body, "<strong>Reach</strong> (weight 2.5): How many staff it helps") || !strings.Contains(page.body, "<strong>Speed</strong> (weight 1.5)") ||
				strings.Contains(page.body, "Feasibility") {
				t.Error("the panel does not have the admin's two criteria")
			}
		})
		r = admin.post("/admin/panels", vals("challenge", "open-one", "name", "Workforce panel", "longlist_size", "10"))
		wantStatus(t, "set up a panel", r, http.StatusSeeOther)
		panelURL := r.header.Get("Location")
		for _, u := range []*gs.StaffUser{annUser, bobUser} {
			wantStatus(t, "add an expert", admin.post(panelURL+"/experts", vals("email", u.Email)), http.StatusSeeOther)
		}
		if r := admin.post(panelURL+"/experts", vals("email", "not an address")); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "not an address") {
			t.Errorf("adding a bad address: %d; want 422 with the address kept", r.status)
		}
		t.Run("a new expert joins through a one-time link", func(t *testing.T) {
			r := admin.post(panelURL+"/experts", vals("email", "newcomer@example.org"))
			m := inviteLink.FindStringSubmatch(r.body)
			if r.status != http.StatusOK || m == nil {
				t.Fatalf("inviting a new expert: %d, no link in the page", r.status)
			}
			guest := a.participant()
			if page := guest.get(m[1]); !strings.Contains(page.body, "newcomer@example.org") {
				t.Fatal("the invitation page does not name the address")
			}
			wantStatus(t, "weak password", guest.post(m[1], vals("password", "short", "confirm", "short")), http.StatusUnprocessableEntity)
			wantStatus(t, "accept", guest.post(m[1], vals("password", staffPassword, "confirm", staffPassword)), http.StatusSeeOther)
			wantStatus(t, "the link works once", guest.get(m[1]), http.StatusNotFound)
			newcomer := a.participant()
			wantStatus(t, "sign in", newcomer.post("/login", vals("email", "newcomer@example.org", "password", staffPassword)), http.StatusSeeOther)
			if page := newcomer.get("/panels"); !strings.Contains(page.body, "Workforce panel") {
				t.Error("the invited expert is not on the panel")
			}
		})
		wantStatus(t, "build the longlist", admin.post(panelURL+"/longlist", nil), http.StatusSeeOther)

		pid := strings.TrimPrefix(panelURL, "/admin/panels/")
		t.Run("experts nominate ideas with a reason", func(t *testing.T) {
			other := a.seedIdea(a.voting, "An idea of another challenge")
			r := ann.post("/panels/"+pid+"/nominations", vals("idea", id(other.ID), "reason", "worth a look"))
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "worth a look") {
				t.Errorf("nominating an idea of another challenge: %d; want 422 with the reason kept", r.status)
			}
			late := a.seedIdea(a.open, "A late idea the ranking missed")
			wantStatus(t, "nominate", ann.post("/panels/"+pid+"/nominations", vals("idea", "/ideas/"+id(late.ID), "reason", "a late arrival")), http.StatusSeeOther)
			if page := ann.get("/panels/" + pid); !strings.Contains(page.body, "Nominated: <bdi>a late arrival</bdi>") {
				t.Error("the nomination is not on the longlist")
			}
			wantStatus(t, "nominate twice", ann.post("/panels/"+pid+"/nominations", vals("idea", id(late.ID), "reason", "again")), http.StatusUnprocessableEntity)

			reported := a.seedIdea(a.open, "An idea a moderator met in a case")
			wantStatus(t, "report", a.participant().report("idea", reported.ID, "off_topic"), http.StatusSeeOther)
			mod, _ := a.staffMember(gs.RoleModerator)
			caseID := caseFor(t, s, gs.TargetIdea, reported.ID)
			if page := mod.get("/moderation/cases/" + id(caseID)); !strings.Contains(page.body, "Put this idea before an expert panel") {
				t.Error("the case page offers no nomination")
			}
			wantStatus(t, "a moderator nominates", mod.post("/moderation/cases/"+id(caseID)+"/nominate", vals("panel", pid, "reason", "fair point, badly put")), http.StatusSeeOther)
			if page := ann.get("/panels/" + pid); !strings.Contains(page.body, "Nominated: <bdi>fair point, badly put</bdi>") {
				t.Error("the moderator's nomination is not on the longlist")
			}
		})
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
		if page := admin.get(panelURL); !strings.Contains(page.body, "4.00") || !regexp.MustCompile(regexp.QuoteMeta(annUser.Email)+`: 1 of \d+ reviewed`).MatchString(page.body) {
			t.Errorf("the admin's results do not show the weighted score:\n%s", page.body)
		}
		entries, _, err := s.AuditLog(context.Background(), gs.AuditQuery{Action: "panel.longlist", PerPage: 5})
		if err != nil || len(entries) != 1 {
			t.Errorf("audit rows for building the longlist: %d (%v), want 1", len(entries), err)
		}
	})
}

var proposalLink = regexp.MustCompile(`/admin/proposals/(\d+)`)

// TestProposalToGuide takes two reviewed ideas through the shortlist into a proposal, moves it
// through its workflow to the public guide, and checks the evidence, the exports and the API.
func TestProposalToGuide(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ctx := context.Background()
		one := a.seedIdea(a.open, "Protected time for improvement")
		two := a.seedIdea(a.open, "=HYPERLINK(\"http://evil\") an hour a week")
		for k := 0; k < 3; k++ {
			if _, err := a.part.Vote(ctx, a.keys.TokenHash("v"+id(int64(k))), gs.TargetIdea, one.ID, 1); err != nil {
				t.Fatal(err)
			}
		}
		admin, _ := a.staffMember(gs.RoleAdmin)
		r := admin.post("/admin/panels", vals("challenge", "open-one", "name", "Workforce panel", "longlist_size", "10"))
		panelURL := r.header.Get("Location")
		wantStatus(t, "build the longlist", admin.post(panelURL+"/longlist", nil), http.StatusSeeOther)
		for _, i := range []*gs.Idea{one, two} {
			wantStatus(t, "shortlist", admin.post(panelURL+"/shortlist", vals("idea", id(i.ID), "on", "1")), http.StatusSeeOther)
		}
		r = admin.post(panelURL+"/proposals", vals("title", "Time to improve", "change", ""))
		wantStatus(t, "a refused proposal", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, `value="Time to improve"`) {
			t.Error("the refused proposal lost its title")
		}
		r = admin.post(panelURL+"/proposals", vals("title", "Time to improve", "theme", "Time", "change", "An hour a fortnight for every team.",
			"ideas", id(one.ID), "ideas", id(two.ID)))
		wantStatus(t, "create a proposal", r, http.StatusSeeOther)
		m := proposalLink.FindStringSubmatch(r.header.Get("Location"))
		if m == nil {
			t.Fatalf("no proposal in %q", r.header.Get("Location"))
		}
		prop := "/admin/proposals/" + m[1]
		// Votes after the merge do not change the evidence kept with the proposal.
		if _, err := a.part.Vote(ctx, a.keys.TokenHash("late voter"), gs.TargetIdea, one.ID, 1); err != nil {
			t.Fatal(err)
		}
		if g := a.participant().get("/guide/open-one"); !strings.Contains(g.body, "No change has been published yet") {
			t.Error("a draft proposal is in the public guide")
		}
		wantStatus(t, "skip a step", admin.post(prop+"/status", vals("to", "published")), http.StatusConflict)
		for _, to := range []string{"shortlisted", "accepted", "published"} {
			wantStatus(t, "move to "+to, admin.post(prop+"/status", vals("to", to)), http.StatusSeeOther)
		}
		wantStatus(t, "not taken forward without a reason", admin.post(prop+"/status", vals("to", "not_taken_forward")), http.StatusUnprocessableEntity)

		g := a.participant().get("/guide/open-one")
		wantStatus(t, "the guide", g, http.StatusOK)
		for _, want := range []string{"Time to improve", "Protected time for improvement", "3 up and 0 down when merged", "Published proposals"} {
			if !strings.Contains(g.body, want) {
				t.Errorf("the guide lacks %q", want)
			}
		}
		if page := a.participant().get("/ideas/" + id(one.ID)); !strings.Contains(page.body, "part of the change proposal") {
			t.Error("the merged idea does not say it is part of the proposal")
		}
		var api struct {
			Proposals []struct {
				Title string  `json:"title"`
				Ideas []int64 `json:"idea_ids"`
			} `json:"proposals"`
		}
		wantStatus(t, "the API", a.participant().getJSON("/api/v1/proposals?challenge=open-one", &api), http.StatusOK)
		if len(api.Proposals) != 1 || len(api.Proposals[0].Ideas) != 2 {
			t.Errorf("the API: %+v, want one proposal from two ideas", api)
		}
		wantStatus(t, "the API without a challenge", a.participant().getJSON("/api/v1/proposals", nil), http.StatusBadRequest)
		c := a.participant().get("/guide/open-one.csv")
		rows, err := csv.NewReader(strings.NewReader(c.body)).ReadAll()
		if err != nil || len(rows) < 3 {
			t.Fatalf("the CSV: %v, %d rows", err, len(rows))
		}
		for _, row := range rows {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
					t.Errorf("a CSV cell begins with %q, which a spreadsheet would run: %q", cell[:1], cell)
				}
			}
		}
		var j struct{ Proposals []any }
		if r := a.participant().get("/guide/open-one.json"); json.Unmarshal([]byte(r.body), &j) != nil || len(j.Proposals) != 1 {
			t.Errorf("the JSON guide: %.200s", r.body)
		}
		wantStatus(t, "no such guide", a.participant().get("/guide/nowhere"), http.StatusNotFound)

		t.Run("admin exports parse, stay anonymous and cannot run formulas", func(t *testing.T) {
			for _, name := range []string{"contributions", "votes", "reports", "scores"} {
				r := admin.get("/admin/challenges/open-one/export/" + name + ".csv")
				wantStatus(t, name, r, http.StatusOK)
				rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
				if err != nil || len(rows) < 1 {
					t.Fatalf("%s: %v", name, err)
				}
				for _, row := range rows {
					for _, cell := range row {
						if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
							t.Errorf("%s: a cell a spreadsheet would run: %q", name, cell)
						}
						if regexp.MustCompile(`\d{4}-\d\d-\d\d[ T]\d\d:`).MatchString(cell) {
							t.Errorf("%s: a time of day in %q; dates stay to the day", name, cell)
						}
					}
				}
				if name == "contributions" && (len(rows) < 3 || !strings.Contains(r.body, "Protected time for improvement")) {
					t.Errorf("contributions: %d rows, want the two ideas", len(rows))
				}
			}
			wantStatus(t, "no such export", admin.get("/admin/challenges/open-one/export/secrets.csv"), http.StatusNotFound)
			wantStatus(t, "not an admin", a.participant().get("/admin/challenges/open-one/export/votes.csv"), http.StatusSeeOther)
		})
	})
}

// TestMergeCandidateStartsAProposal shows two longlisted paraphrases to the chair as one merge
// candidate; taking it shortlists both and opens the proposal form with both chosen.
func TestMergeCandidateStartsAProposal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		post := func(title, body string) *gs.Idea {
			i, err := a.part.PostIdea(context.Background(), a.keys.TokenHash("author "+title), a.open,
				gs.IdeaInput{QuestionID: a.open.Questions[0].ID, Title: title, Body: body})
			if err != nil {
				t.Fatal(err)
			}
			return i
		}
		lead := post("Free night parking for ward staff", "Night shift staff need free parking near the ward entrance.")
		dupe := post("Free parking for night shift staff", "Give night staff free parking close to the ward.")
		other := post("Shared handover notes", "One electronic handover note per patient, shared by every team.")
		admin, _ := a.staffMember(gs.RoleAdmin)
		panelURL := admin.post("/admin/panels", vals("challenge", "open-one", "name", "Estates panel", "longlist_size", "10")).header.Get("Location")
		wantStatus(t, "build the longlist", admin.post(panelURL+"/longlist", nil), http.StatusSeeOther)
		page := admin.get(panelURL)
		if !strings.Contains(page.body, "Merge candidates") || !strings.Contains(page.body, "Shortlist these and start a proposal") {
			t.Fatal("the panel page shows no merge candidate for two paraphrases")
		}

		// Bad ids change nothing.
		r := admin.post(panelURL+"/shortlist", vals("idea", id(lead.ID), "idea", "two", "on", "1", "merge", "1"))
		wantStatus(t, "an unreadable idea", r, http.StatusBadRequest)
		r = admin.post(panelURL+"/shortlist", vals("idea", id(lead.ID), "idea", "999999", "on", "1", "merge", "1"))
		wantStatus(t, "an idea off the longlist", r, http.StatusNotFound)
		if page := admin.get(panelURL); strings.Contains(page.body, "Merge shortlisted ideas into a proposal") {
			t.Error("a refused batch shortlisted part of it")
		}

		r = admin.post(panelURL+"/shortlist", vals("idea", id(lead.ID), "idea", id(dupe.ID), "on", "1", "merge", "1"))
		wantStatus(t, "take the merge candidate", r, http.StatusSeeOther)
		page = admin.get(r.header.Get("Location"))
		for _, i := range []*gs.Idea{lead, dupe} {
			if !strings.Contains(page.body, `value="`+id(i.ID)+`" checked`) {
				t.Errorf("idea %d is not chosen in the proposal form", i.ID)
			}
		}
		if strings.Contains(page.body, `id="idea-`+id(other.ID)+`"`) {
			t.Error("the unrelated idea was shortlisted too")
		}
	})
}

// TestChairRunsTheirPanel has an admin make an expert the panel's chair; once the chair has
// reviewed every idea, they shortlist, write a proposal and move it on from their own desk,
// which the other expert cannot open.
func TestChairRunsTheirPanel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "Shared handover notes for every ward")
		admin, _ := a.staffMember(gs.RoleAdmin)
		ann, annUser := a.staffMember(gs.RoleExpert)
		bob, bobUser := a.staffMember(gs.RoleExpert)
		panelURL := admin.post("/admin/panels", vals("challenge", "open-one", "name", "Workforce panel", "longlist_size", "10")).header.Get("Location")
		for _, u := range []*gs.StaffUser{annUser, bobUser} {
			wantStatus(t, "add an expert", admin.post(panelURL+"/experts", vals("email", u.Email)), http.StatusSeeOther)
		}
		wantStatus(t, "build the longlist", admin.post(panelURL+"/longlist", nil), http.StatusSeeOther)
		pid := strings.TrimPrefix(panelURL, "/admin/panels/")
		desk := "/panels/" + pid + "/chair"

		wantStatus(t, "an unreadable expert", admin.post(panelURL+"/chair", vals("user", "ann", "on", "1")), http.StatusBadRequest)
		wantStatus(t, "make ann chair", admin.post(panelURL+"/chair", vals("user", id(annUser.ID), "on", "1")), http.StatusSeeOther)
		if page := admin.get(panelURL); !regexp.MustCompile(regexp.QuoteMeta(annUser.Email) + `: \d+ of \d+ reviewed <span class="badge">Chair</span>`).MatchString(page.body) {
			t.Error("the admin's page does not show who chairs")
		}
		if page := ann.get("/panels/" + pid); !strings.Contains(page.body, "You chair this panel") || strings.Contains(page.body, desk) {
			t.Error("ann's panel page should say she chairs, without the desk link before her reviews")
		}
		if r := ann.get(desk); r.status != http.StatusConflict || !strings.Contains(r.body, "Review every idea on the longlist") {
			t.Errorf("the desk before the chair's reviews: %d; want 409 saying to review first", r.status)
		}
		wantStatus(t, "bob does not chair", bob.get(desk), http.StatusForbidden)
		wantStatus(t, "bob cannot shortlist", bob.post(desk+"/shortlist", vals("idea", id(idea.ID), "on", "1")), http.StatusForbidden)

		// Ann reviews every idea on the longlist, then her desk opens.
		list := ann.get("/panels/" + pid)
		for _, m := range regexp.MustCompile(`/panels/`+pid+`/ideas/(\d+)`).FindAllStringSubmatch(list.body, -1) {
			page := ann.get(m[0])
			v := vals("recuse", "1")
			if !strings.Contains(page.body, "recuse me") {
				t.Fatalf("no recusal on the review form of %s", m[0])
			}
			wantStatus(t, "ann recuses", ann.post(m[0], v), http.StatusSeeOther)
		}
		page := ann.get(desk)
		wantStatus(t, "the chair's desk", page, http.StatusOK)
		if strings.Contains(page.body, "Build the longlist") || strings.Contains(page.body, "Add to the panel") {
			t.Error("the chair's desk offers the admin's set-up")
		}
		if !strings.Contains(page.body, `action="`+desk+`/shortlist"`) {
			t.Error("the chair's desk does not post to itself")
		}
		wantStatus(t, "the chair shortlists", ann.post(desk+"/shortlist", vals("idea", id(idea.ID), "on", "1")), http.StatusSeeOther)
		r := ann.post(desk+"/proposals", vals("title", "Handover notes", "change", "One shared note per patient.", "ideas", id(idea.ID)))
		wantStatus(t, "the chair writes a proposal", r, http.StatusSeeOther)
		prop := r.header.Get("Location")
		if !strings.HasPrefix(prop, "/panels/proposals/") {
			t.Fatalf("the chair's proposal is at %q; want it under /panels/proposals/", prop)
		}
		wantStatus(t, "the chair moves it on", ann.post(prop+"/status", vals("to", "shortlisted")), http.StatusSeeOther)
		wantStatus(t, "bob cannot open it", bob.get(prop), http.StatusForbidden)
		wantStatus(t, "bob cannot move it", bob.post(prop+"/status", vals("to", "accepted")), http.StatusForbidden)
		if page := admin.get("/admin/proposals/" + strings.TrimPrefix(prop, "/panels/proposals/")); !strings.Contains(page.body, "Shortlisted") {
			t.Error("the admin does not see the chair's move")
		}
		entries, _, err := s.AuditLog(context.Background(), gs.AuditQuery{Action: "proposal.status", PerPage: 5})
		if err != nil || len(entries) != 1 || entries[0].Actor.UserID != annUser.ID {
			t.Errorf("the audit log for the chair's move: %+v (%v); want one entry by ann", entries, err)
		}

		wantStatus(t, "stop ann chairing", admin.post(panelURL+"/chair", vals("user", id(annUser.ID), "on", "0")), http.StatusSeeOther)
		wantStatus(t, "a former chair", ann.get(desk), http.StatusForbidden)
	})
}
