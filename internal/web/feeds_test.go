package web_test

import (
	"context"
	"encoding/xml"
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

type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Entries []struct {
		Title   string `xml:"title"`
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
		Content string `xml:"content"`
		Author  []struct {
			Name string `xml:"name"`
		} `xml:"author"`
	} `xml:"entry"`
}

// TestAtomFeeds reads a challenge's feed of new ideas and a guide's feed of published
// proposals as XML: newest first, never hidden content, no author names, times to the day.
func TestAtomFeeds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		old := a.seedIdea(a.open, "Quiet rooms on every ward")
		hidden := a.seedIdea(a.open, "An idea a moderator took down")
		fresh := a.seedIdea(a.open, "Lunch <together> & once a month")
		wantStatus(t, "report", a.participant().report("idea", hidden.ID, "off_topic"), http.StatusSeeOther)
		mod, _ := a.staffMember(gs.RoleModerator)
		caseID := caseFor(t, s, gs.TargetIdea, hidden.ID)
		wantStatus(t, "hide", mod.post("/moderation/cases/"+id(caseID), vals("action", "hide", "reason", "off topic",
			"version", caseVersion(t, mod, caseID))), http.StatusSeeOther)

		reader := a.participant()
		r := reader.get("/c/open-one/feed.atom")
		wantStatus(t, "the challenge feed", r, http.StatusOK)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
			t.Errorf("content type %q", ct)
		}
		var f atomFeed
		if err := xml.Unmarshal([]byte(r.body), &f); err != nil {
			t.Fatalf("the feed is not Atom XML: %v\n%s", err, r.body)
		}
		if len(f.Entries) != 2 || f.Entries[0].Title != fresh.Title || f.Entries[1].Title != old.Title {
			t.Fatalf("entries: %+v; want the fresh idea, then the old one, without the hidden one", f.Entries)
		}
		for _, e := range f.Entries {
			at, err := time.Parse(time.RFC3339, e.Updated)
			if err != nil || !at.Equal(at.Truncate(24*time.Hour)) {
				t.Errorf("entry time %q (%v); want a day", e.Updated, err)
			}
			if len(e.Author) != 0 {
				t.Errorf("an entry names its author: %+v", e.Author)
			}
		}
		if strings.Contains(r.body, hidden.Title) || strings.Contains(r.body, "<together>") {
			t.Error("the feed carries the hidden idea or unescaped text")
		}
		if page := reader.get("/c/open-one"); !strings.Contains(page.body, `type="application/atom+xml"`) {
			t.Error("the challenge page does not announce its feed")
		}
		wantStatus(t, "no feed for a missing challenge", reader.get("/c/nowhere/feed.atom"), http.StatusNotFound)

		g := reader.get("/guide/open-one/feed.atom")
		wantStatus(t, "an empty guide feed", g, http.StatusOK)
		f = atomFeed{} // Unmarshal appends to a slice it is given
		if err := xml.Unmarshal([]byte(g.body), &f); err != nil || len(f.Entries) != 0 {
			t.Fatalf("the empty guide feed: %v, %d entries", err, len(f.Entries))
		}
		admin, _ := a.staffMember(gs.RoleAdmin)
		panelURL := admin.post("/admin/panels", vals("challenge", "open-one", "name", "Workforce panel", "longlist_size", "10")).header.Get("Location")
		wantStatus(t, "longlist", admin.post(panelURL+"/longlist", nil), http.StatusSeeOther)
		wantStatus(t, "shortlist", admin.post(panelURL+"/shortlist", vals("idea", id(old.ID), "on", "1")), http.StatusSeeOther)
		prop := admin.post(panelURL+"/proposals", vals("title", "Quiet rooms", "change", "A quiet room on every ward by spring.", "ideas", id(old.ID))).header.Get("Location")
		for _, to := range []string{"shortlisted", "accepted"} {
			wantStatus(t, "move to "+to, admin.post(prop+"/status", vals("to", to)), http.StatusSeeOther)
		}
		f = atomFeed{}
		if err := xml.Unmarshal([]byte(reader.get("/guide/open-one/feed.atom").body), &f); err != nil || len(f.Entries) != 0 {
			t.Errorf("an accepted, unpublished proposal is in the feed: %v, %+v", err, f.Entries)
		}
		wantStatus(t, "publish", admin.post(prop+"/status", vals("to", "published")), http.StatusSeeOther)
		f = atomFeed{}
		if err := xml.Unmarshal([]byte(reader.get("/guide/open-one/feed.atom").body), &f); err != nil || len(f.Entries) != 1 ||
			f.Entries[0].Title != "Quiet rooms" || !strings.HasSuffix(f.Entries[0].ID, "/guide/open-one#proposal-"+strings.TrimPrefix(prop, "/admin/proposals/")) {
			t.Errorf("the guide feed after publishing: %v, %+v", err, f.Entries)
		}
	})
}

// TestLinkPreviews checks the Open Graph and Twitter-card tags of public pages: the page's own
// title and words, cut short, and nothing on pages that are not public.
func TestLinkPreviews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea, err := a.part.PostIdea(context.Background(), a.keys.TokenHash("author"), a.open,
			gs.IdeaInput{QuestionID: a.open.Questions[0].ID, Title: "Quiet rooms", Body: "A **quiet** room & a kettle on every ward. " + strings.Repeat("More words here. ", 30)})
		if err != nil {
			t.Fatal(err)
		}
		reader := a.participant()
		page := reader.get("/ideas/" + id(idea.ID))
		for _, want := range []string{`<meta property="og:title" content="Quiet rooms">`, `<meta name="twitter:card" content="summary">`,
			`<meta property="og:description" content="A quiet room &amp; a kettle on every ward. More words here.`, `…">`,
			`<meta property="og:url" content="http://` + strings.TrimPrefix(a.srv.URL, "http://") + `/ideas/` + id(idea.ID) + `">`} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the idea page lacks %s", want)
			}
		}
		if m := regexp.MustCompile(`og:description" content="([^"]*)"`).FindStringSubmatch(page.body); m == nil || len([]rune(html.UnescapeString(m[1]))) > 200 {
			t.Errorf("the description is missing or longer than 200 characters: %v", m)
		}
		if g := reader.get("/guide/open-one"); !strings.Contains(g.body, `og:description" content="0 changes chosen by expert panels`) {
			t.Error("the guide has no link preview")
		}
		if p := reader.get("/what-we-store"); strings.Contains(p.body, "og:title") {
			t.Error("a page with nothing to share has link-preview tags")
		}
		if p := reader.get("/nowhere"); strings.Contains(p.body, "og:") {
			t.Error("the error page has link-preview tags")
		}
	})
}
