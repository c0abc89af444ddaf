package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/groundswell/groundswell/internal/config"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestTextCannotLie: a title that would reverse a queue line, or that has nothing visible, is
// refused with the typed text kept; every title and pseudonym on the moderation pages sits in
// its own bidi isolate, so right-to-left text cannot reorder the author or date beside it.
func TestTextCannotLie(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		p := a.participant()
		p.get("/c/open-one/ideas/new")
		q := id(a.open.Questions[0].ID)
		r := p.post("/c/open-one/ideas", vals("question", q, "title", "Good idea \u202e2026 ,1 naJ", "body", "kept words"))
		wantStatus(t, "a right-to-left override in a title", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, "kept words") || !strings.Contains(r.body, "change the direction of text") {
			t.Error("the refused idea lost its text or its reason")
		}
		r = p.post("/c/open-one/ideas", vals("question", q, "title", "\u200b\u200b\u200b\u200b"))
		wantStatus(t, "a title of zero-width spaces", r, http.StatusUnprocessableEntity)

		idea := a.seedIdea(a.open, "משמרות קצרות יותר")
		p.report("idea", idea.ID, "off_topic")
		mod, _ := a.staffMember(gs.RoleModerator)
		r = mod.get("/moderation")
		wantStatus(t, "the queue", r, http.StatusOK)
		if !strings.Contains(r.body, "<bdi>משמרות קצרות יותר</bdi>") {
			t.Errorf("the queue does not isolate the title:\n%.300s", r.body[strings.Index(r.body, "<main"):])
		}
		r = mod.get("/moderation/cases/" + id(caseFor(t, s, gs.TargetIdea, idea.ID)))
		if !strings.Contains(r.body, "<bdi>משמרות קצרות יותר</bdi>") || !strings.Contains(r.body, "by <bdi>") {
			t.Error("the case page does not isolate the title and the author")
		}
	})
}

// TestTypedTextSurvivesARefusal: a comment typed while its idea was hidden, and a post whose
// security token had expired, come back on the error page with the words in them.
func TestTypedTextSurvivesARefusal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "An idea about to be hidden")
		p := a.participant()
		p.get("/ideas/" + id(idea.ID))
		if err := s.Write(context.Background(), func(tx *store.Tx) error {
			return tx.SetStatus(gs.TargetIdea, idea.ID, gs.StatusHidden, "test")
		}); err != nil {
			t.Fatal(err)
		}
		r := p.post("/ideas/"+id(idea.ID)+"/comments", vals("body", "My careful reply, written slowly"))
		wantStatus(t, "a comment on an idea hidden meanwhile", r, http.StatusNotFound)
		if !strings.Contains(r.body, "My careful reply, written slowly") {
			t.Error("the comment's text is lost on the 404")
		}
		r = p.postRaw("/c/open-one/ideas", "application/x-www-form-urlencoded",
			"_csrf=stale&question="+id(a.open.Questions[0].ID)+"&title=A+title+I+typed&body=Words+I+typed", nil)
		wantStatus(t, "an idea with a stale token", r, http.StatusForbidden)
		if !strings.Contains(r.body, "Words I typed") || !strings.Contains(r.body, "A title I typed") {
			t.Error("the idea's text is lost on the 403")
		}
		// A report of an item out of view is a 404, as reading it would be.
		other := a.seedIdea(a.open, "Another idea")
		if err := s.Write(context.Background(), func(tx *store.Tx) error {
			return tx.SetStatus(gs.TargetIdea, other.ID, gs.StatusHeld, "test")
		}); err != nil {
			t.Fatal(err)
		}
		r = p.post("/ideas/"+id(other.ID)+"/report", vals("reason", "spam", "details", "my note"))
		wantStatus(t, "reporting a held idea", r, http.StatusNotFound)
		if strings.Contains(r.body, "waiting for a moderator") {
			t.Error("the answer reveals that the held idea exists")
		}
	})
}

// TestCSRFTokenRotatesAtSignIn: the token a browser held before signing in stops working once a
// staff member signs in, and under TLS the cookie carries the __Host- prefix.
func TestCSRFTokenRotatesAtSignIn(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn))
	if _, err := a.accounts.CreateUser(context.Background(), "rotate@example.org", gs.RoleModerator, staffPassword, gs.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	p := a.participant()
	p.get("/login")
	before := p.csrf
	r := p.post("/login", vals("email", "rotate@example.org", "password", staffPassword))
	wantStatus(t, "sign in", r, http.StatusSeeOther)
	cleared := false
	for _, ck := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(ck, "gs_csrf=;") && strings.Contains(ck, "Max-Age=0") {
			cleared = true
		}
	}
	if !cleared {
		t.Errorf("sign-in did not end the CSRF cookie: %v", r.header.Values("Set-Cookie"))
	}
	p.csrf = ""
	p.get("/moderation")
	if p.csrf == "" || p.csrf == before {
		t.Errorf("after sign-in the token is %q, want a new one (was %q)", p.csrf, before)
	}
	stale := p.postRaw("/logout", "application/x-www-form-urlencoded", "_csrf="+before, nil)
	wantStatus(t, "the token from before sign-in", stale, http.StatusForbidden)

	tls := newApp(t, storetest.DSN(t, store.SQLite), storetest.Open(t, storetest.DSN(t, store.SQLite)), func(c *config.Config) { c.SecureCookies = true })
	req, _ := http.NewRequest(http.MethodGet, tls.srv.URL+"/login", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var names []string
	for _, c := range res.Cookies() {
		names = append(names, c.Name)
		if c.Name == "__Host-gs_csrf" && (!c.Secure || c.Path != "/" || c.Domain != "") {
			t.Errorf("the __Host- cookie must be Secure, for the whole site, with no domain: %+v", c)
		}
	}
	if !slices.Contains(names, "__Host-gs_csrf") {
		t.Errorf("under TLS the CSRF cookie is not __Host-: %v", names)
	}
}

// TestOwnerSignsInDuringAGuessingAttack: a stranger's wrong guesses exhaust the account's and
// the address's allowance, yet the owner, on the browser they signed in from before, gets in at
// once; a browser without that device cookie is still made to wait.
func TestOwnerSignsInDuringAGuessingAttack(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn))
	const email = "owner@example.org"
	if _, err := a.accounts.CreateUser(context.Background(), email, gs.RoleModerator, staffPassword, gs.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	owner := a.participant()
	owner.get("/login")
	wantStatus(t, "the owner's first sign-in", owner.post("/login", vals("email", email, "password", staffPassword)), http.StatusSeeOther)
	owner.post("/logout", nil)

	attacker := a.participant()
	attacker.get("/login")
	throttled := false
	for i := 0; i < 30 && !throttled; i++ {
		r := attacker.post("/login", vals("email", email, "password", fmt.Sprintf("guess number %d", i)))
		throttled = r.status == http.StatusTooManyRequests
	}
	if !throttled {
		t.Fatal("thirty wrong guesses were never slowed down")
	}
	stranger := a.participant()
	stranger.get("/login")
	wantStatus(t, "the right password from a new browser during the attack", stranger.post("/login", vals("email", email, "password", staffPassword)),
		http.StatusTooManyRequests)
	owner.get("/login")
	wantStatus(t, "the owner on their own browser during the attack", owner.post("/login", vals("email", email, "password", staffPassword)),
		http.StatusSeeOther)
	// The device cookie does not help with another account's address.
	r := owner.post("/login", vals("email", "someone-else@example.org", "password", "guess"))
	if r.status == http.StatusSeeOther {
		t.Error("a wrong account signed in")
	}
}

// TestHeldWordsCannotBeDodged: an idea and a comment that hide a listed word behind markup, an
// entity, an invisible character or a look-alike letter are held for review all the same.
func TestHeldWordsCannotBeDodged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		if _, err := storetest.Raw(t, dsn).Exec("UPDATE challenges SET held_words = 'bastard' WHERE slug = 'open-one'"); err != nil {
			t.Fatal(err)
		}
		p := a.participant()
		p.get("/c/open-one/ideas/new")
		q := id(a.open.Questions[0].ID)
		for _, title := range []string{"You b\u0430stard manager", "You bas\u200btard manager"} {
			r := p.post("/c/open-one/ideas", vals("question", q, "title", title))
			wantStatus(t, title, r, http.StatusSeeOther)
			ideaID, _ := strconv.ParseInt(strings.TrimPrefix(r.header.Get("Location"), "/ideas/"), 10, 64)
			if got, err := s.Idea(context.Background(), ideaID); err != nil || got.Status != gs.StatusHeld {
				t.Errorf("%q: status %v, %v; want held", title, got.Status, err)
			}
		}
		idea := a.seedIdea(a.open, "Quieter wards")
		r := p.post("/ideas/"+id(idea.ID)+"/comments", vals("body", "Says the **bas**tard who never listens"))
		wantStatus(t, "a comment", r, http.StatusSeeOther)
		cs, err := s.Comments(context.Background(), idea.ID)
		if err != nil || len(cs) != 1 || cs[0].Status != gs.StatusHeld {
			t.Errorf("a comment with the word split by emphasis: %+v, %v; want held", cs, err)
		}
	})
}

// TestSockPuppetsCannotHide: with the standing rule on (the default), ten fresh browsers
// reporting an idea, or one reporting personal data, hide nothing: the reports wait in the
// queue, the personal-data one escalated to its top.
func TestSockPuppetsCannotHide(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		if _, err := storetest.Raw(t, dsn).Exec("UPDATE challenges SET standing_minutes = 10 WHERE slug = 'open-one'"); err != nil {
			t.Fatal(err)
		}
		target := a.seedIdea(a.open, "Fair criticism of the rota office")
		for i := 0; i < 10; i++ {
			puppet := a.participant()
			puppet.get("/ideas/" + id(target.ID))
			puppet.post("/ideas/"+id(target.ID)+"/vote", vals("value", "down")) // even voting first does not give standing at once
			wantStatus(t, "a puppet's report", puppet.report("idea", target.ID, "offensive"), http.StatusSeeOther)
		}
		got, err := s.Idea(context.Background(), target.ID)
		if err != nil || got.Status != gs.StatusVisible {
			t.Errorf("after ten fresh reports the idea is %v (%v), want still visible", got.Status, err)
		}
		other := a.seedIdea(a.open, "Another fair point")
		puppet := a.participant()
		puppet.get("/ideas/" + id(other.ID))
		wantStatus(t, "a fresh personal-data report", puppet.report("idea", other.ID, "personal_data"), http.StatusSeeOther)
		if got, _ := s.Idea(context.Background(), other.ID); got.Status != gs.StatusVisible {
			t.Errorf("a fresh personal-data report hid the idea: %v", got.Status)
		}
		c, err := s.Case(context.Background(), caseFor(t, s, gs.TargetIdea, other.ID))
		if err != nil || !c.Escalated {
			t.Errorf("the personal-data report is not escalated: %+v, %v", c, err)
		}
	})
}

// TestSurgeInTheQueue: twelve fresh browsers up-voting a quiet idea put it in the moderation
// queue as a vote surge, and a moderator discounts those votes from the case page.
func TestSurgeInTheQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		if _, err := storetest.Raw(t, dsn).Exec("UPDATE challenges SET standing_minutes = 10 WHERE slug = 'open-one'"); err != nil {
			t.Fatal(err)
		}
		s.Now = func() time.Time { return time.Now().Add(-72 * time.Hour) }
		idea := a.seedIdea(a.open, "Lockers for the night shift")
		s.Now = time.Now
		for i := 0; i < 12; i++ {
			p := a.participant()
			p.get("/ideas/" + id(idea.ID))
			wantStatus(t, "a fresh vote", p.post("/ideas/"+id(idea.ID)+"/vote", vals("value", "up")), http.StatusSeeOther)
		}
		mod, _ := a.staffMember(gs.RoleModerator)
		if r := mod.get("/moderation"); !strings.Contains(r.body, "Vote surge: 10 votes from new browsers") {
			t.Fatalf("the queue does not show the surge:\n%.400s", r.body[strings.Index(r.body, "<main"):])
		}
		caseID := caseFor(t, s, gs.TargetIdea, idea.ID)
		r := mod.get("/moderation/cases/" + id(caseID))
		m := versionField.FindStringSubmatch(r.body)
		if m == nil || !strings.Contains(r.body, "Discount the surge") {
			t.Fatal("the case page offers no discount")
		}
		wantStatus(t, "discount", mod.post("/moderation/cases/"+id(caseID), vals("action", "discount", "version", m[1])), http.StatusSeeOther)
		if got, _ := s.Idea(context.Background(), idea.ID); got.Up != 0 {
			t.Errorf("after the discount the idea has %d up, want 0", got.Up)
		}
	})
}

// TestLeaveThisComputer: after "Leave this computer", the browser is a new participant: another
// pseudonym, and the last person's held idea is no longer shown to it as its own.
func TestLeaveThisComputer(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	s := storetest.Open(t, dsn)
	a := newApp(t, dsn, s)
	if _, err := storetest.Raw(t, dsn).Exec("UPDATE challenges SET premoderate = TRUE WHERE slug = 'open-one'"); err != nil {
		t.Fatal(err)
	}
	p := a.participant()
	p.get("/c/open-one/ideas/new")
	r := p.post("/c/open-one/ideas", vals("question", id(a.open.Questions[0].ID), "title", "Night rota worries"))
	wantStatus(t, "post", r, http.StatusSeeOther)
	ideaPath := r.header.Get("Location")
	if page := p.get(ideaPath); !strings.Contains(page.body, "Only you can see this") {
		t.Fatal("the author does not see their held idea")
	}
	r = p.post("/leave", nil)
	wantStatus(t, "leave", r, http.StatusSeeOther)
	if r.header.Get("Location") != "/?left=1" {
		t.Errorf("after leaving: %q", r.header.Get("Location"))
	}
	if page := p.get("/?left=1"); !strings.Contains(page.body, "This browser has forgotten you") {
		t.Error("no word that the browser forgot its participant")
	}
	if page := p.get(ideaPath); page.status != http.StatusNotFound || strings.Contains(page.body, "Only you can see this") {
		t.Errorf("the next person still sees the held idea as theirs: %d", page.status)
	}
	wantStatus(t, "leave without a token", p.postRaw("/leave", "application/x-www-form-urlencoded", "", nil), http.StatusForbidden)
}

// TestVersionedAssetsAreCached: the stylesheet at its versioned address may be kept for a year;
// unversioned, it is fetched fresh.
func TestVersionedAssetsAreCached(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn), func(c *config.Config) { c.Version = "v123" })
	p := a.participant()
	r := p.get("/static/app.css?v=v123")
	wantStatus(t, "the stylesheet", r, http.StatusOK)
	if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("versioned stylesheet: Cache-Control %q", cc)
	}
	if cc := p.get("/static/app.css?v=old").header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
		t.Errorf("a stale version is cached for a year: %q", cc)
	}
	if page := p.get("/"); !strings.Contains(page.body, "/static/app.css?v=v123") {
		t.Error("pages do not ask for the versioned stylesheet")
	}
}

// TestReportFeedback: once you have reported an idea or a comment, its page says so in place of
// the report control, so there is no second report to send.
func TestReportFeedback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "An idea to report")
		p := a.participant()
		p.get("/ideas/" + id(idea.ID))
		wantStatus(t, "a comment", p.post("/ideas/"+id(idea.ID)+"/comments", vals("body", "A comment someone reports")), http.StatusSeeOther)
		r := a.participant()
		page := r.get("/ideas/" + id(idea.ID))
		if strings.Count(page.body, "You reported this") != 0 || strings.Count(page.body, "Send report") != 2 {
			t.Fatalf("before reporting: %d report forms", strings.Count(page.body, "Send report"))
		}
		wantStatus(t, "report the idea", r.report("idea", idea.ID, "off_topic"), http.StatusSeeOther)
		page = r.get("/ideas/" + id(idea.ID))
		if strings.Count(page.body, "You reported this") != 1 || strings.Count(page.body, "Send report") != 1 {
			t.Errorf("after reporting the idea: %d thanks, %d forms", strings.Count(page.body, "You reported this"), strings.Count(page.body, "Send report"))
		}
		if other := a.participant().get("/ideas/" + id(idea.ID)); strings.Contains(other.body, "You reported this") {
			t.Error("someone else is told they reported it")
		}
	})
}

// TestRefusedPagesSayErrorInTheTitle: a form that comes back refused, and an error page, are
// titled "Error: …", so the tab and a screen reader's first words say what happened.
func TestRefusedPagesSayErrorInTheTitle(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn))
	p := a.participant()
	p.get("/join")
	if r := p.post("/join", vals("code", "nope")); !strings.Contains(r.body, "<title>Error: Join a challenge · Groundswell</title>") {
		t.Errorf("a refused join is not titled as an error: %.200s", r.body[strings.Index(r.body, "<title>"):])
	}
	if r := p.get("/c/open-one"); strings.Contains(r.body, "<title>Error:") {
		t.Error("a page drawn normally is titled as an error")
	}
	if r := p.get("/nowhere"); !strings.Contains(r.body, "<title>Error: Page not found") {
		t.Error("the 404 page is not titled as an error")
	}
}
