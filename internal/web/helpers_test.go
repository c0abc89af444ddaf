package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/groundswell/groundswell/internal/accounts"
	"github.com/groundswell/groundswell/internal/anonymity"
	"github.com/groundswell/groundswell/internal/campaigns"
	"github.com/groundswell/groundswell/internal/config"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/moderation"
	"github.com/groundswell/groundswell/internal/panels"
	"github.com/groundswell/groundswell/internal/participation"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/web"
	"github.com/groundswell/groundswell/static"
	"github.com/groundswell/groundswell/templates"
)

// syncBuffer collects log output from concurrent requests.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testApp is the whole application on a real database behind a real HTTP listener.
type testApp struct {
	t        *testing.T
	srv      *httptest.Server
	store    *store.Store
	part     *participation.Service
	accounts *accounts.Service
	keys     *anonymity.Keys
	logs     *syncBuffer
	server   *web.Server
	// open, voting and closed are fixture challenges in those phases.
	open, voting, closed *gs.Challenge
}

type appOption func(*config.Config)

func newApp(t *testing.T, dsn string, st *store.Store, opts ...appOption) *testApp {
	t.Helper()
	a := newServer(t, st, opts...)
	a.open = a.challenge("open-one", gs.PhaseOpen)
	a.voting = a.challenge("voting-one", gs.PhaseVoting)
	a.closed = a.challenge("closed-one", gs.PhaseClosed)
	return a
}

// newServer is the application on st without the fixture challenges.
func newServer(t *testing.T, st *store.Store, opts ...appOption) *testApp {
	t.Helper()
	keys, err := anonymity.DeriveKeys([]byte("a test master key that is long enough"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.WriteBurst = 1000
	cfg.WriteRate = 1000
	for _, o := range opts {
		o(&cfg)
	}
	logs := &syncBuffer{}
	md := markup.New()
	log := slog.New(slog.NewTextHandler(logs, nil))
	part := participation.New(st, md, keys)
	acc := accounts.New(st, log)
	srv, err := web.New(web.Deps{
		Config: cfg, Logger: log, Keys: keys, Participation: part, Accounts: acc, Moderation: moderation.New(st, md), Panels: panels.New(st),
		Campaigns: campaigns.New(st, md, keys), Ping: st.Ping, CountQueries: store.CountQueries, Templates: templates.FS, Static: static.FS,
	})
	if err != nil {
		t.Fatal(err)
	}
	a := &testApp{t: t, srv: httptest.NewServer(srv), store: st, part: part, accounts: acc, keys: keys, logs: logs, server: srv}
	t.Cleanup(a.srv.Close)
	return a
}

func (a *testApp) challenge(slug string, phase gs.Phase) *gs.Challenge {
	a.t.Helper()
	c := &gs.Challenge{
		Slug: slug, Title: "Challenge " + slug, Phase: phase, BriefMD: "A brief.", BriefHTML: "<p>A brief.</p>",
		Questions: []gs.Question{{Title: "What helps?", Prompt: "Tell us."}, {Title: "What blocks?"}, {Title: "What would you do?"}},
		Themes:    []gs.Theme{{Slug: "rotas", Name: "Rotas"}, {Slug: "tools", Name: "Tools"}},
	}
	if err := a.store.CreateChallenge(context.Background(), c); err != nil {
		a.t.Fatal(err)
	}
	// The older tests' reporters are fresh browsers: they run with the standing rule off, and
	// the tests of the rule turn it on.
	if err := a.store.Write(context.Background(), func(tx *store.Tx) error {
		return tx.SetModerationSettings(c.ID, store.ModerationSettings{ReportThreshold: c.ReportThreshold})
	}); err != nil {
		a.t.Fatal(err)
	}
	return c
}

// seedIdea posts an idea as a made-up participant, straight through the service.
func (a *testApp) seedIdea(c *gs.Challenge, title string) *gs.Idea {
	a.t.Helper()
	// Ideas can only be posted while open; move the phase for a moment if needed.
	if c.Phase != gs.PhaseOpen {
		a.setPhase(c, gs.PhaseOpen)
		defer a.setPhase(c, c.Phase)
	}
	i, err := a.part.PostIdea(context.Background(), a.keys.TokenHash("seed author"), c, gs.IdeaInput{QuestionID: c.Questions[0].ID, Title: title, Body: "Some *detail*."})
	if err != nil {
		a.t.Fatal(err)
	}
	return i
}

func (a *testApp) setPhase(c *gs.Challenge, p gs.Phase) {
	a.t.Helper()
	if err := a.store.SetPhase(context.Background(), c.ID, p); err != nil {
		a.t.Fatal(err)
	}
}

// participant is one browser: a cookie jar and the last CSRF token it saw.
type participant struct {
	a      *testApp
	c      *http.Client
	csrf   string
	header http.Header
}

func (a *testApp) participant() *participant {
	jar, _ := cookiejar.New(nil)
	return &participant{a: a, header: http.Header{}, c: &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

type response struct {
	status int
	header http.Header
	body   string
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, r.body)
	}
}

func (p *participant) do(req *http.Request) response {
	p.a.t.Helper()
	for k, v := range p.header {
		req.Header[k] = v
	}
	// Errorf, not Fatal: parallel tests send from goroutines, where Fatal must not be called.
	// The zero status then fails whatever the caller expected.
	res, err := p.c.Do(req)
	if err != nil {
		p.a.t.Errorf("%s %s: %v", req.Method, req.URL.Path, err)
		return response{body: err.Error()}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		p.a.t.Errorf("%s %s: read the answer: %v", req.Method, req.URL.Path, err)
	}
	dropped := false
	for _, ck := range res.Cookies() {
		if (ck.Name == "gs_csrf" || ck.Name == "__Host-gs_csrf") && ck.MaxAge < 0 {
			dropped = true
		}
	}
	if dropped {
		// Sign-in and sign-out end the token. A browser follows the redirect to a page that
		// brings a new one; so does the test's browser, before the caller sees the answer.
		p.csrf = ""
		if loc := res.Header.Get("Location"); strings.HasPrefix(loc, "/") && req.Method != http.MethodGet {
			p.get(loc)
		}
	} else if m := csrfRe.FindStringSubmatch(string(b)); m != nil {
		p.csrf = m[1]
	} else if p.csrf == "" {
		for _, ck := range p.c.Jar.Cookies(req.URL) {
			if ck.Name == "gs_csrf" || ck.Name == "__Host-gs_csrf" {
				p.csrf = ck.Value
			}
		}
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (p *participant) get(path string) response {
	p.a.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, p.a.srv.URL+path, nil)
	return p.do(req)
}

func (p *participant) getJSON(path string, v any) response {
	p.a.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, p.a.srv.URL+path, nil)
	req.Header.Set("Accept", "application/json")
	r := p.do(req)
	if v != nil && r.status == http.StatusOK {
		r.json(p.a.t, v)
	}
	return r
}

// post sends a form with the participant's CSRF token, fetching a page first if it has none.
func (p *participant) post(path string, form url.Values) response {
	p.a.t.Helper()
	if p.csrf == "" {
		p.get("/")
	}
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if _, ok := f["_csrf"]; !ok {
		f.Set("_csrf", p.csrf)
	}
	return p.postRaw(path, "application/x-www-form-urlencoded", f.Encode(), nil)
}

func (p *participant) postJSON(path string, form url.Values) response {
	p.a.t.Helper()
	if p.csrf == "" {
		p.get("/")
	}
	return p.postRaw(path, "application/x-www-form-urlencoded", form.Encode(),
		map[string]string{"Accept": "application/json", "X-CSRF-Token": p.csrf})
}

func (p *participant) postRaw(path, contentType, body string, headers map[string]string) response {
	p.a.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, p.a.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return p.do(req)
}

func vals(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func id(n int64) string { return fmt.Sprint(n) }

func wantStatus(t *testing.T, what string, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Errorf("%s: got status %d, want %d\n%.600s", what, r.status, want, r.body)
	}
}
