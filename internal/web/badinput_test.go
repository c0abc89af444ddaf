package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

func TestBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "An idea to poke at")
		votingIdea := a.seedIdea(a.voting, "An idea in voting")
		closedIdea := a.seedIdea(a.closed, "An idea in a closed challenge")
		p := a.participant()
		p.get("/c/open-one")
		ip := "/ideas/" + id(idea.ID)
		q := id(a.open.Questions[0].ID)
		long := strings.Repeat("x", 141)

		tests := []struct {
			name   string
			send   func() response
			status int
			says   string // a phrase the response must contain
		}{
			{"no CSRF token", func() response {
				return p.postRaw(ip+"/vote", "application/x-www-form-urlencoded", "value=up", nil)
			}, 403, "security token"},
			{"CSRF token in the address, not the form", func() response {
				return p.postRaw(ip+"/vote?_csrf="+p.csrf, "application/x-www-form-urlencoded", "value=up", nil)
			}, 403, "security token"},
			{"CSRF token in the address as well as the form", func() response {
				return p.postRaw(ip+"/vote?_csrf="+p.csrf, "application/x-www-form-urlencoded", "value=up&_csrf="+p.csrf, nil)
			}, 403, "security token"},
			{"wrong CSRF token", func() response { return p.post(ip+"/vote", vals("value", "up", "_csrf", "forged")) }, 403, "security token"},
			{"cross-site request with a token", func() response {
				return p.postRaw(ip+"/vote", "application/x-www-form-urlencoded", "value=up&_csrf="+p.csrf,
					map[string]string{"Sec-Fetch-Site": "cross-site"})
			}, 403, "security token"},
			{"body over 1 MiB", func() response {
				return p.post("/c/open-one/ideas", vals("question", q, "title", "Big", "body", strings.Repeat("a", 1<<20+10)))
			}, 413, "1 MiB"},
			{"invalid UTF-8", func() response {
				return p.postRaw("/c/open-one/ideas", "application/x-www-form-urlencoded",
					"_csrf="+p.csrf+"&question="+q+"&title=Bad%ff%fetitle", nil)
			}, 400, "UTF-8"},
			{"title too long keeps the text", func() response {
				return p.post("/c/open-one/ideas", vals("question", q, "title", long, "body", "kept body text"))
			}, 422, "kept body text"},
			{"empty title", func() response {
				return p.post("/c/open-one/ideas", vals("question", q, "title", "  ", "body", "my words"))
			}, 422, "Please write a title"},
			{"title too short", func() response { return p.post("/c/open-one/ideas", vals("question", q, "title", "ab")) }, 422, "too short"},
			{"no question", func() response { return p.post("/c/open-one/ideas", vals("title", "A fine title")) }, 422, "Choose which question"},
			{"non-numeric question", func() response {
				return p.post("/c/open-one/ideas", vals("question", "abc", "title", "A fine title"))
			}, 422, "Choose which question"},
			{"another challenge's question", func() response {
				return p.post("/c/open-one/ideas", vals("question", id(a.voting.Questions[0].ID), "title", "A fine title"))
			}, 422, "Choose which question"},
			{"unknown theme", func() response {
				return p.post("/c/open-one/ideas", vals("question", q, "title", "A fine title", "theme", "nope"))
			}, 422, "listed themes"},
			{"control characters", func() response {
				return p.post("/c/open-one/ideas", vals("question", q, "title", "Bell \x07 title"))
			}, 422, "control characters"},
			{"body too long", func() response {
				return p.post("/c/open-one/ideas", vals("question", q, "title", "A fine title", "body", strings.Repeat("é", 5001)))
			}, 422, "too long"},
			{"empty comment keeps the form", func() response { return p.post(ip+"/comments", vals("body", "   ")) }, 422, "Please write a comment"},
			{"comment too long", func() response {
				return p.post(ip+"/comments", vals("body", strings.Repeat("y", 3001)))
			}, 422, strings.Repeat("y", 3001)},
			{"bogus comment kind", func() response {
				return p.post(ip+"/comments", vals("body", "hello there", "kind", "rant"))
			}, 422, "hello there"},
			{"reply to a missing comment", func() response {
				return p.post(ip+"/comments", vals("body", "orphan text", "parent", "999999"))
			}, 422, "orphan text"},
			{"non-numeric parent", func() response { return p.post(ip+"/comments", vals("body", "x", "parent", "abc")) }, 400, "not a comment number"},
			{"unknown idea", func() response { return p.get("/ideas/999999") }, 404, "no idea number"},
			{"non-numeric idea id", func() response { return p.get("/ideas/abc") }, 404, "not a idea number"},
			{"negative idea id", func() response { return p.get("/ideas/-3") }, 404, ""},
			{"huge idea id", func() response { return p.get("/ideas/99999999999999999999999") }, 404, ""},
			{"vote on unknown idea", func() response { return p.post("/ideas/999999/vote", vals("value", "up")) }, 404, ""},
			{"vote on unknown comment", func() response { return p.post("/comments/999999/vote", vals("value", "up")) }, 404, ""},
			{"comment on unknown idea", func() response { return p.post("/ideas/999999/comments", vals("body", "hi")) }, 404, ""},
			{"unknown challenge", func() response { return p.get("/c/no-such-thing") }, 404, "no challenge"},
			{"post to unknown challenge", func() response { return p.post("/c/no-such-thing/ideas", vals("title", "x")) }, 404, ""},
			// GET on a form's address sends the browser to the form's page (addresses.go); other
			// methods are refused.
			{"wrong method on vote", func() response {
				req, _ := http.NewRequest(http.MethodPut, a.srv.URL+ip+"/vote", nil)
				return p.do(req)
			}, 405, "does not accept"},
			{"bogus vote value", func() response { return p.post(ip+"/vote", vals("value", "sideways")) }, 422, "up, down or clear"},
			{"missing vote value", func() response { return p.post(ip+"/vote", vals()) }, 422, "up, down or clear"},
			{"idea in voting phase", func() response {
				return p.post("/c/voting-one/ideas", vals("question", id(a.voting.Questions[0].ID), "title", "Too late now", "body", "late words"))
			}, 409, "late words"},
			{"idea in closed phase as JSON", func() response {
				return p.postJSON("/c/closed-one/ideas", vals("question", id(a.closed.Questions[0].ID), "title", "Too late now"))
			}, 409, `"code":"conflict"`},
			{"comment in closed phase keeps the text", func() response {
				return p.post("/ideas/"+id(closedIdea.ID)+"/comments", vals("body", "closed words"))
			}, 409, "closed words"},
			{"vote in closed phase", func() response { return p.post("/ideas/"+id(closedIdea.ID)+"/vote", vals("value", "up")) }, 409, "voting is closed"},
			{"unknown sort", func() response { return p.get("/c/open-one?sort=sideways") }, 400, "Unknown sort"},
			{"page not a number", func() response { return p.get("/c/open-one?page=two") }, 400, "whole number"},
			{"page zero", func() response { return p.get("/c/open-one?page=0") }, 400, "at least 1"},
			{"per_page over 100", func() response {
				return p.getJSON("/api/v1/challenges/open-one/ideas?per_page=101", nil)
			}, 400, "at most 100"},
			{"unknown theme filter", func() response { return p.get("/c/open-one?theme=nope") }, 400, "no theme"},
			{"unknown question filter", func() response { return p.get("/c/open-one?question=99999") }, 400, "no question"},
			{"search too long", func() response { return p.get("/c/open-one?q=" + strings.Repeat("z", 201)) }, 400, "too long"},
			{"API unknown idea is JSON", func() response { return p.getJSON("/api/v1/ideas/999999", nil) }, 404, `"code":"not_found"`},
			{"API unknown path is JSON", func() response { return p.getJSON("/api/v1/nothing", nil) }, 404, `"error"`},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := tt.send()
				wantStatus(t, tt.name, r, tt.status)
				if tt.says != "" && !strings.Contains(r.body, tt.says) &&
					!strings.Contains(r.body, strings.ReplaceAll(tt.says, `"`, "&#34;")) {
					t.Errorf("%s: response lacks %q\n%.400s", tt.name, tt.says, r.body)
				}
			})
		}

		// Nothing above changed anything.
		got, err := s.Idea(context.Background(), idea.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Up != 0 || got.Down != 0 || got.Comments != 0 {
			t.Errorf("refused requests changed the idea: %d up %d down %d comments", got.Up, got.Down, got.Comments)
		}
		page, _ := s.Ideas(context.Background(), gs.IdeaQuery{ChallengeID: a.open.ID, Sort: gs.SortNew, Page: 1, PerPage: 50})
		if page.Total != 1 {
			t.Errorf("refused posts created ideas: %d ideas, want 1", page.Total)
		}
		// Voting is allowed in the voting phase, ideas are not; double votes are harmless.
		for i := 0; i < 2; i++ {
			wantStatus(t, "vote in voting phase", p.post("/ideas/"+id(votingIdea.ID)+"/vote", vals("value", "up")), http.StatusSeeOther)
		}
		if got, _ := s.Idea(context.Background(), votingIdea.ID); got.Up != 1 {
			t.Errorf("double vote: up = %d, want 1", got.Up)
		}
	})
}

func TestNothingIsLoggedOrStoredAboutWho(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		p := a.participant()
		const ua, fwd = "Canary-Agent/7.7 (unique-ua-marker)", "203.0.113.77"
		p.header.Set("User-Agent", ua)
		p.header.Set("X-Forwarded-For", fwd)
		p.header.Set("X-Real-IP", fwd)
		p.get("/c/open-one?q=my+private+search")
		r := p.post("/c/open-one/ideas", vals("question", id(a.open.Questions[0].ID), "title", "Canary idea", "body", "text"))
		wantStatus(t, "post", r, http.StatusSeeOther)
		ideaPath := r.header.Get("Location")
		wantStatus(t, "comment", p.post(ideaPath+"/comments", vals("body", "canary comment")), http.StatusSeeOther)
		wantStatus(t, "vote", p.post(ideaPath+"/vote", vals("value", "up")), http.StatusSeeOther)

		logs := a.logs.String()
		if !strings.Contains(logs, "route=/c/:slug/ideas") {
			t.Fatalf("the access log is missing: %q", logs)
		}
		for _, secret := range []string{ua, fwd, "127.0.0.1", "private", "Canary idea", "gs_p"} {
			if strings.Contains(logs, secret) {
				t.Errorf("the log contains %q:\n%s", secret, logs)
			}
		}
		dump := dumpDatabase(t, dsn)
		for _, secret := range []string{ua, "unique-ua-marker", fwd, "127.0.0.1"} {
			if strings.Contains(dump, secret) {
				t.Errorf("the database contains %q", secret)
			}
		}
		if !strings.Contains(dump, "Canary idea") {
			t.Error("the database dump did not include the idea; the check above proves nothing")
		}
	})
}

// dumpDatabase renders every row of every table as text, the full-text indexes included.
func dumpDatabase(t *testing.T, dsn string) string {
	t.Helper()
	raw := storetest.Raw(t, dsn)
	var b strings.Builder
	for _, table := range storetest.Tables(t, raw, dsn) {
		for _, r := range storetest.Dump(t, raw, table) {
			b.WriteString(r)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
