package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestRefusedFormsKeepAnAddressThatOpens: a refused form's page names the page its form lives
// on, for the script to put in the address bar, and every address a form posts to also opens
// with GET, so that a reload or a shared link without the script still lands somewhere useful.
func TestRefusedFormsKeepAnAddressThatOpens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "Rotas a month ahead")
		p := a.participant()
		ideaPath := "/ideas/" + strconv.FormatInt(idea.ID, 10)

		r := p.post("/c/open-one/ideas", vals("question", strconv.FormatInt(a.open.Questions[0].ID, 10), "title", "x", "body", "Keep me"))
		wantStatus(t, "refused idea", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, `data-address="/c/open-one/ideas/new"`) || !strings.Contains(r.body, "Keep me") {
			t.Error("the refused idea form should name /c/open-one/ideas/new and keep its text")
		}
		r = p.post(ideaPath+"/comments", vals("body", ""))
		wantStatus(t, "refused comment", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, `data-address="`+ideaPath+`"`) {
			t.Error("the refused comment form should name the idea's page")
		}
		r = p.post("/join", vals("code", "nonsense"))
		if r.status < 400 || !strings.Contains(r.body, `data-address="/join"`) {
			t.Errorf("a refused form on an address that opens keeps it: status %d", r.status)
		}

		for path, want := range map[string]string{
			"/c/open-one/ideas":      "/c/open-one/ideas/new",
			ideaPath + "/comments":   ideaPath,
			ideaPath + "/report":     ideaPath,
			ideaPath + "/vote":       ideaPath,
			"/moderation/bulk":       "/moderation",
			"/admin/users/3/disable": "/admin/users",
			"/leave":                 "/",
		} {
			r := p.get(path)
			if r.status != http.StatusSeeOther || r.header.Get("Location") != want {
				t.Errorf("GET %s: %d to %q, want 303 to %s", path, r.status, r.header.Get("Location"), want)
			}
		}
		// Every POST-only route opens: no GET on a form's address is a 404 or 405.
		fill := strings.NewReplacer(":id", strconv.FormatInt(idea.ID, 10), ":slug", "open-one", ":token", "x", ":idea", "1", ":name", "x")
		for _, rt := range a.server.Routes() {
			if rt.Method != http.MethodPost {
				continue
			}
			if r := p.get(fill.Replace(rt.Path)); r.status == http.StatusNotFound && !strings.Contains(rt.Path, ":") || r.status == http.StatusMethodNotAllowed {
				t.Errorf("GET %s answers %d: the form's address does not open", rt.Path, r.status)
			}
		}
	})
}

// TestPagesRevalidate: pages may be kept by the browser but are checked each time, never kept by
// shared caches, and an unchanged page comes back as 304 without its body.
func TestPagesRevalidate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		p := a.participant()
		p.get("/c/open-one") // the first visit issues the cookies
		first := p.get("/c/open-one")
		if cc := first.header.Get("Cache-Control"); cc != "private, no-cache" {
			t.Errorf("Cache-Control %q, want private, no-cache", cc)
		}
		etag := first.header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag on a page")
		}
		req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/c/open-one", nil)
		req.Header.Set("If-None-Match", etag)
		if r := p.do(req); r.status != http.StatusNotModified || r.body != "" {
			t.Errorf("an unchanged page: %d with %d bytes, want 304 and no body", r.status, len(r.body))
		}
		a.seedIdea(a.open, "Rotas a month ahead")
		req, _ = http.NewRequest(http.MethodGet, a.srv.URL+"/c/open-one", nil)
		req.Header.Set("If-None-Match", etag)
		if r := p.do(req); r.status != http.StatusOK || !strings.Contains(r.body, "Rotas a month ahead") {
			t.Errorf("a changed page: %d, want 200 with the new idea", r.status)
		}
		if r := p.post("/leave", nil); r.header.Get("Clear-Site-Data") != `"cache"` {
			t.Errorf("leaving this computer: Clear-Site-Data %q, want the cache cleared", r.header.Get("Clear-Site-Data"))
		}
	})
}

// TestSetupShowsEveryProblem: the first admin's form lists every problem at once, in the summary
// and beside each field.
func TestSetupShowsEveryProblem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		token, err := a.accounts.SetupLink(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		link := "/setup/" + token
		p := a.participant()
		p.get(link)
		r := p.post(link, vals("email", "not an address", "password", "short", "confirm", "different"))
		wantStatus(t, "setup with three problems", r, http.StatusUnprocessableEntity)
		for _, field := range []string{"email", "password", "confirm"} {
			if !strings.Contains(r.body, `href="#`+field+`"`) || !strings.Contains(r.body, `id="`+field+`-error"`) {
				t.Errorf("the %s problem is missing from the summary or beside its field", field)
			}
		}
		if !strings.Contains(r.body, `value="not an address"`) {
			t.Error("the typed email address was lost")
		}
	})
}
