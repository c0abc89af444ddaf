package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/groundswell/groundswell/internal/config"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

func TestRateLimitIsPerParticipant(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn), func(c *config.Config) { c.WriteRate, c.WriteBurst = 0.01, 3 })
	idea := a.seedIdea(a.open, "Rate limited idea")
	path := "/ideas/" + id(idea.ID) + "/vote"
	p, other := a.participant(), a.participant()
	for i := 0; i < 3; i++ {
		wantStatus(t, "within the burst", p.post(path, vals("value", "up")), http.StatusSeeOther)
	}
	r := p.post(path, vals("value", "down"))
	wantStatus(t, "over the limit", r, http.StatusTooManyRequests)
	if ra := r.header.Get("Retry-After"); ra != "100" {
		t.Errorf("Retry-After = %q, want 100 (seconds until the next token)", ra)
	}
	if !strings.Contains(r.body, "wait a moment") {
		t.Error("the 429 page does not say what to do")
	}
	// Someone else behind the same address is not affected.
	wantStatus(t, "another participant", other.post(path, vals("value", "up")), http.StatusSeeOther)
}

func TestHealthAndMetrics(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn), func(c *config.Config) { c.MetricsToken = "scrape-token-42" })
	p := a.participant()
	r := p.get("/healthz")
	if r.status != http.StatusOK || r.body != "ok" {
		t.Errorf("/healthz = %d %q, want 200 ok", r.status, r.body)
	}
	idea := a.seedIdea(a.open, "Counted idea")
	p.post("/ideas/"+id(idea.ID)+"/vote", vals("value", "up"))
	p.post("/c/open-one/ideas", vals("question", id(a.open.Questions[0].ID), "title", "Metric idea"))
	wantStatus(t, "metrics without the token", p.get("/metrics"), http.StatusUnauthorized)
	p.header.Set("Authorization", "Bearer wrong")
	wantStatus(t, "metrics with a wrong token", p.get("/metrics"), http.StatusUnauthorized)
	p.header.Set("Authorization", "Bearer scrape-token-42")
	m := p.get("/metrics").body
	p.header.Del("Authorization")
	for _, want := range []string{
		`groundswell_http_requests_total{method="POST",route="/ideas/:id/vote",status="303"} 1`,
		`groundswell_http_request_duration_seconds_bucket{method="GET",route="/healthz"`,
		`groundswell_votes_total{target="idea"} 1`,
		`groundswell_ideas_posted_total 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// Without a token, the main address does not serve metrics at all.
	dsn2 := storetest.DSN(t, store.SQLite)
	plain := newApp(t, dsn2, storetest.Open(t, dsn2))
	wantStatus(t, "metrics with no token configured", plain.participant().get("/metrics"), http.StatusNotFound)
	a.store.Close()
	if r := p.get("/healthz"); r.status != http.StatusServiceUnavailable {
		t.Errorf("/healthz with the database closed = %d, want 503", r.status)
	}
}

func TestCookiesAndHeaders(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn))
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/c/open-one", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	names := map[string]*http.Cookie{}
	for _, c := range res.Cookies() {
		names[c.Name] = c
	}
	for _, n := range []string{"gs_p", "gs_csrf"} {
		c := names[n]
		if c == nil {
			t.Errorf("cookie %s not set", n)
			continue
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
			t.Errorf("cookie %s: HttpOnly=%v SameSite=%v, want HttpOnly and Lax", n, c.HttpOnly, c.SameSite)
		}
	}
	if c := names["gs_p"]; c != nil && len(c.Value) < 40 {
		t.Errorf("participant cookie %q is too short to be sealed", c.Value)
	}
	for h, want := range map[string]string{
		"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
	} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	// The API never issues a participant cookie.
	res, err = http.Get(a.srv.URL + "/api/v1/challenges")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if len(res.Cookies()) != 0 {
		t.Errorf("the API set cookies: %v", res.Cookies())
	}
	// Static files are served, compressed when asked.
	req, _ = http.NewRequest(http.MethodGet, a.srv.URL+"/static/app.css", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("/static/app.css: %d, encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
}

func TestAPIShapes(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn))
	idea := a.seedIdea(a.open, "Shaped idea")
	p := a.participant()
	var list struct {
		Challenges []map[string]any
	}
	p.getJSON("/api/v1/challenges", &list)
	if len(list.Challenges) != 3 {
		t.Fatalf("challenges: %d, want 3", len(list.Challenges))
	}
	for _, k := range []string{"slug", "title", "phase", "questions", "themes"} {
		if _, ok := list.Challenges[0][k]; !ok {
			t.Errorf("challenge lacks %q", k)
		}
	}
	var one map[string]any
	p.getJSON("/api/v1/ideas/"+id(idea.ID), &one)
	for _, k := range []string{"id", "challenge", "question_id", "theme", "title", "body_html", "up", "down", "score", "comments", "created_at", "url"} {
		if _, ok := one[k]; !ok {
			t.Errorf("idea lacks %q: %v", k, one)
		}
	}
	if ts, _ := one["created_at"].(string); !strings.HasSuffix(ts, ":00:00Z") {
		t.Errorf("created_at = %q, want it rounded to the hour", ts)
	}
}
