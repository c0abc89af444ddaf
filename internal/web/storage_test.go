package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// readOnlyStore opens a second store on the PostgreSQL database at dsn whose sessions refuse
// every write, as a standby or a database its operator set read-only does.
func readOnlyStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("default_transaction_read_only", "on") // pgx sends unknown parameters to the server
	u.RawQuery = q.Encode()
	s, err := store.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestStorageThatRefusesWrites fills SQLite to its cap (SQLITE_FULL) and serves PostgreSQL
// through read-only sessions (25006): posts must come back as 503 with Retry-After, a plain
// message and the typed text in the form, change nothing, and /healthz must say writes are
// failing until a write succeeds again.
func TestStorageThatRefusesWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		ctx := context.Background()
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "An idea from before")
		b, says, health := a, "storage is full", "writes failing: disk full"
		if s.Dialect() == store.SQLite {
			if err := s.LimitPages(ctx, 1); err != nil {
				t.Fatal(err)
			}
		} else {
			b = newServer(t, readOnlyStore(t, dsn))
			b.open = a.open
			says, health = "storage is read-only", "writes failing: read only"
		}
		p := b.participant()
		wantStatus(t, "healthz before", p.get("/healthz"), http.StatusOK)
		q := id(a.open.Questions[0].ID)
		title, body := "Kept through the outage", strings.Repeat("Words I would hate to type again. ", 120)
		comment := strings.Repeat("A reply worth keeping. ", 120)
		ip := "/ideas/" + id(idea.ID)

		r := p.post("/c/open-one/ideas", vals("question", q, "title", title, "body", body))
		wantStatus(t, "idea", r, http.StatusServiceUnavailable)
		if ra := r.header.Get("Retry-After"); ra != "60" {
			t.Errorf("idea: Retry-After = %q, want 60", ra)
		}
		for _, want := range []string{says, "try again in a few minutes", `value="` + title + `"`, strings.TrimSpace(body[:200]), `name="question"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the refused idea form lacks %q", want)
			}
		}
		r = p.post(ip+"/comments", vals("body", comment))
		wantStatus(t, "comment", r, http.StatusServiceUnavailable)
		if !strings.Contains(r.body, says) || !strings.Contains(r.body, strings.TrimSpace(comment[:100])) {
			t.Errorf("the refused comment form lacks the message or the typed text\n%.600s", r.body)
		}
		r = p.postJSON("/c/open-one/ideas", vals("question", q, "title", title, "body", body))
		wantStatus(t, "idea from a script", r, http.StatusServiceUnavailable)
		if !strings.Contains(r.body, `"code":"unavailable"`) || r.header.Get("Retry-After") != "60" {
			t.Errorf("JSON refusal: %s, Retry-After %q", r.body, r.header.Get("Retry-After"))
		}
		if r := p.get("/healthz"); r.status != http.StatusServiceUnavailable || r.body != health {
			t.Errorf("/healthz while writes fail = %d %q, want 503 %q", r.status, r.body, health)
		}
		wantStatus(t, "reading a page while writes fail", p.get("/c/open-one"), http.StatusOK)

		// Nothing changed, and nothing people wrote reached the log.
		got, err := s.Idea(ctx, idea.ID)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := s.Ideas(ctx, gs.IdeaQuery{ChallengeID: a.open.ID, Sort: gs.SortNew, Page: 1, PerPage: 50})
		if page.Total != 1 || got.Comments != 0 {
			t.Errorf("refused writes changed something: %d ideas, %d comments; want 1 and 0", page.Total, got.Comments)
		}
		// Each refused request, form or script, is a warning with the database's words.
		if n := strings.Count(b.logs.String(), `level=WARN msg="writes failing"`); n != 3 {
			t.Errorf("the log has %d writes-failing warnings, want 3 (two forms, one script):\n%s", n, b.logs.String())
		}
		for _, secret := range []string{title, comment[:30]} {
			if strings.Contains(b.logs.String(), secret) {
				t.Errorf("the log contains %q", secret)
			}
		}
		if s.Dialect() != store.SQLite {
			return
		}
		// Room is made: the same post goes through, and /healthz recovers.
		if err := s.LimitPages(ctx, 0); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, "idea after making room", p.post("/c/open-one/ideas", vals("question", q, "title", title, "body", body)), http.StatusSeeOther)
		if r := p.get("/healthz"); r.status != http.StatusOK || r.body != "ok" {
			t.Errorf("/healthz after a write succeeded = %d %q, want 200 ok", r.status, r.body)
		}
	})
}
