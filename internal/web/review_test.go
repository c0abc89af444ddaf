package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/groundswell/groundswell/internal/config"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

func TestSignInRedirectStaysOnSite(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn))
	_, u := a.staffMember(gs.RoleModerator)
	for _, next := range []string{"/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/\n/evil.example"} {
		p := a.participant()
		r := p.post("/login", vals("email", u.Email, "password", staffPassword, "next", next))
		if loc := r.header.Get("Location"); strings.Contains(loc, "evil") || !strings.HasPrefix(loc, "/") {
			t.Errorf("next=%q: redirected to %q", next, loc)
		}
	}
}

func TestParallelGuessesAreThrottled(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn))
	_, u := a.staffMember(gs.RoleModerator)
	// One browser each, so no test state is shared between goroutines; the account is the same.
	guessers := make([]*participant, 15)
	for i := range guessers {
		guessers[i] = a.participant()
		guessers[i].get("/login")
	}
	before := strings.Count(a.logs.String(), "staff sign-in failed")
	statuses := make([]int, len(guessers))
	var wg sync.WaitGroup
	for i, p := range guessers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = p.post("/login", vals("email", u.Email, "password", "a wrong guess, tried in parallel")).status
		}()
	}
	wg.Wait()
	counts := map[int]int{}
	for _, st := range statuses {
		counts[st]++
	}
	// Every password check that fails logs one line, so the log counts the checks made.
	checks := strings.Count(a.logs.String(), "staff sign-in failed") - before
	if checks != 5 || counts[http.StatusUnprocessableEntity] != 5 || counts[http.StatusTooManyRequests] != 10 {
		t.Errorf("15 parallel guesses: %d password checks, statuses %v; want exactly 5 checks answered 422 and 10 refused with 429",
			checks, counts)
	}
}

func TestNULAndBadBytesNeverReachTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "An idea")
		p := a.participant()
		for _, tt := range []struct {
			name string
			send func() response
		}{
			{"NUL in report details", func() response {
				return p.post("/ideas/"+id(idea.ID)+"/report", vals("reason", "spam", "details", "a\x00b"))
			}},
			{"NUL in a comment", func() response { return p.post("/ideas/"+id(idea.ID)+"/comments", vals("body", "a\x00b")) }},
			{"NUL in the slug", func() response { return p.get("/c/open%00one") }},
			{"NUL in a search", func() response { return p.get("/c/open-one?q=a%00b") }},
			{"NUL in an API search", func() response { return p.getJSON("/api/v1/challenges/open-one/ideas?q=%00", nil) }},
			{"bad UTF-8 in the slug", func() response { return p.get("/c/%ff%fe") }},
			{"NUL in a sign-in", func() response { return p.post("/login", vals("email", "a\x00@b.org", "password", "x")) }},
		} {
			before := dumpDatabase(t, dsn)
			if r := tt.send(); r.status != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400", tt.name, r.status)
			}
			if after := dumpDatabase(t, dsn); after != before {
				t.Errorf("%s: the database changed", tt.name)
			}
			if !strings.Contains(before, "An idea") {
				t.Fatal("the dump does not show the seeded idea, so comparing dumps proves nothing")
			}
		}
	})
}

func TestLastAdminStays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		admin, me := a.staffMember(gs.RoleAdmin)
		if err := a.accounts.SetDisabled(context.Background(), me.ID, true, gs.Actor{Name: "command line"}); gs.ErrorReason(err) != gs.ReasonLastAdmin {
			t.Errorf("disabling the last admin: %v, want reason %s", err, gs.ReasonLastAdmin)
		}
		wantStatus(t, "disable yourself", admin.post("/admin/users/"+id(me.ID)+"/disable", nil), http.StatusConflict)
		_, other := a.staffMember(gs.RoleAdmin)
		wantStatus(t, "disable another admin", admin.post("/admin/users/"+id(other.ID)+"/disable", nil), http.StatusSeeOther)
		r := admin.post("/admin/users", vals("email", other.Email, "role", "moderator", "password", staffPassword))
		wantStatus(t, "duplicate account", r, http.StatusConflict)
		if !strings.Contains(r.body, "already a staff account") || !strings.Contains(r.body, `value="`+other.Email+`"`) {
			t.Error("the refused account form lost the email or gave no reason")
		}
	})
}

func TestHiddenIdeaFreezesItsComments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "Soon hidden")
		cm, err := a.part.PostComment(context.Background(), a.keys.TokenHash("x"), idea.ID, gs.CommentInput{Body: "a comment"})
		if err != nil {
			t.Fatal(err)
		}
		a.participant().report("idea", idea.ID, "personal_data")
		wantStatus(t, "vote on a comment of a hidden idea", a.participant().post("/comments/"+id(cm.ID)+"/vote", vals("value", "up")), http.StatusNotFound)
	})
}

func TestStaffSessionUntouchedByParticipantPages(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn))
	mod, _ := a.staffMember(gs.RoleModerator)
	page := mod.get("/c/open-one")
	if strings.Contains(page.body, "Signed in as staff") || !strings.Contains(page.body, "You are anonymous here") {
		t.Error("a participant page looked at the staff session")
	}
	if page := mod.get("/moderation"); !strings.Contains(page.body, "Signed in as staff") {
		t.Error("staff pages do not show who is signed in")
	}
}

// TestRequestEdges covers what a second review of the participation loop found, one behaviour
// per subtest.
func TestRequestEdges(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn), func(c *config.Config) { c.WriteRate, c.WriteBurst = 0.01, 2 })
	idea := a.seedIdea(a.open, "An idea for the second review")
	ideaPath := "/ideas/" + id(idea.ID)

	t.Run("HEAD works wherever GET does", func(t *testing.T) {
		for _, path := range []string{"/", "/c/open-one", ideaPath, "/healthz", "/static/app.css", "/api/v1/challenges"} {
			req, _ := http.NewRequest(http.MethodHead, a.srv.URL+path, nil)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("HEAD %s: %d, want 200", path, res.StatusCode)
			}
		}

	})

	t.Run("a chunked body over 1 MiB is a 413 with or without the token", func(t *testing.T) {
		p := a.participant()
		p.get(ideaPath)
		for _, hdr := range []map[string]string{nil, {"X-CSRF-Token": p.csrf}} {
			body := io.MultiReader(strings.NewReader("body="), strings.NewReader(strings.Repeat("a", 1<<20+100)))
			req, _ := http.NewRequest(http.MethodPost, a.srv.URL+ideaPath+"/comments", body)
			req.ContentLength = -1 // sent chunked, with no length up front
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			res, err := p.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("chunked 1 MiB body (headers %v): %d, want 413", hdr, res.StatusCode)
			}
		}

	})

	t.Run("a browser that lists JSON last gets HTML errors", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/ideas/999999", nil)
		req.Header.Set("Accept", "text/html,application/xhtml+xml,application/json;q=0.1")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "<!doctype html>") {
			t.Error("a browser preferring HTML got a JSON error")
		}

	})

	t.Run("over the write limit a typed comment comes back with a 429", func(t *testing.T) {
		w := a.participant()
		wantStatus(t, "first comment", w.post(ideaPath+"/comments", vals("body", "first")), http.StatusSeeOther)
		wantStatus(t, "second comment", w.post(ideaPath+"/comments", vals("body", "second")), http.StatusSeeOther)
		r := w.post(ideaPath+"/comments", vals("body", "my carefully typed third comment"))
		wantStatus(t, "third comment over the limit", r, http.StatusTooManyRequests)
		if !strings.Contains(r.body, "my carefully typed third comment") || r.header.Get("Retry-After") == "" {
			t.Error("the throttled comment lost its text or its Retry-After")
		}
		wantStatus(t, "vote over the limit", w.post(ideaPath+"/vote", vals("value", "up")), http.StatusTooManyRequests)

	})

	t.Run("page links keep a non-default per_page", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			a.seedIdea(a.open, "Filler idea "+id(int64(i)))
		}
		if page := a.participant().get("/c/open-one?per_page=2"); !strings.Contains(page.body, "per_page=2") {
			t.Error("the next-page link forgot per_page")
		}
	})
}

func TestRefusedReplyKeepsItsText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "Reply keeper")
		cm, err := a.part.PostComment(context.Background(), a.keys.TokenHash("x"), idea.ID, gs.CommentInput{Body: "parent"})
		if err != nil {
			t.Fatal(err)
		}
		p := a.participant()
		p.get("/ideas/" + id(idea.ID))
		a.setPhase(a.open, gs.PhaseReview)
		r := p.post("/ideas/"+id(idea.ID)+"/comments", vals("body", "a reply typed as the phase closed", "parent", id(cm.ID)))
		wantStatus(t, "reply after the phase closed", r, http.StatusConflict)
		if !strings.Contains(r.body, "a reply typed as the phase closed") {
			t.Error("the refused reply lost its text")
		}
		a.setPhase(a.open, gs.PhaseOpen)
		a.participant().report("comment", cm.ID, "personal_data")
		r = p.post("/ideas/"+id(idea.ID)+"/comments", vals("body", "a reply to a removed comment", "parent", id(cm.ID)))
		wantStatus(t, "reply to a hidden comment", r, http.StatusConflict)
		if !strings.Contains(r.body, "a reply to a removed comment") {
			t.Error("the reply to a hidden comment lost its text")
		}
	})
}
