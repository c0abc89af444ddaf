package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/groundswell/groundswell/internal/config"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// fakeClock is real time plus an offset that tests move forward, safe for concurrent reads.
type fakeClock struct{ offset atomic.Int64 }

func (f *fakeClock) Now() time.Time          { return time.Now().Add(time.Duration(f.offset.Load())) }
func (f *fakeClock) Advance(d time.Duration) { f.offset.Add(int64(d)) }

func cookieNamed(cs []*http.Cookie, name string) *http.Cookie {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestStaffCookieFlags(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn), func(c *config.Config) { c.SecureCookies = true })
	if _, err := a.accounts.CreateUser(context.Background(), "flags@example.org", gs.RoleModerator, staffPassword, gs.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	// The jar would drop Secure cookies over plain HTTP, so read Set-Cookie directly.
	r := a.participant().post("/login", vals("email", "flags@example.org", "password", staffPassword))
	wantStatus(t, "sign in", r, http.StatusSeeOther)
	var set *http.Cookie
	for _, line := range r.header.Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(line); err == nil && c.Name == "gs_staff" {
			set = c
		}
	}
	if set == nil || !set.HttpOnly || !set.Secure || set.SameSite != http.SameSiteLaxMode {
		t.Fatalf("staff cookie: %+v, want HttpOnly, Secure and SameSite=Lax", set)
	}
}

func TestSessionLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		clock := &fakeClock{}
		s.Now = clock.Now
		a := newApp(t, dsn, s)
		mod, user := a.staffMember(gs.RoleModerator)
		u, _ := url.Parse(a.srv.URL)
		before := cookieNamed(mod.c.Jar.Cookies(u), "gs_staff")
		if before == nil {
			t.Fatal("no staff cookie after sign-in")
		}
		wantStatus(t, "signed in", mod.get("/moderation"), http.StatusOK)

		// Signing in again renews the session: a new cookie, and the old one stops working.
		r := mod.post("/login", vals("email", user.Email, "password", staffPassword))
		wantStatus(t, "sign in again", r, http.StatusSeeOther)
		after := cookieNamed(mod.c.Jar.Cookies(u), "gs_staff")
		if after == nil || after.Value == before.Value {
			t.Fatal("the session was not renewed at sign-in")
		}
		replay := a.participant()
		replay.c.Jar.SetCookies(u, []*http.Cookie{{Name: "gs_staff", Value: before.Value, Path: "/"}})
		if r := replay.get("/moderation"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
			t.Errorf("the pre-renewal cookie still works: %d", r.status)
		}

		// A cookie copied before sign-out is rejected after it.
		copied := a.participant()
		copied.c.Jar.SetCookies(u, []*http.Cookie{{Name: "gs_staff", Value: after.Value, Path: "/"}})
		wantStatus(t, "copied cookie before sign-out", copied.get("/moderation"), http.StatusOK)
		wantStatus(t, "sign out", mod.post("/logout", nil), http.StatusSeeOther)
		if r := copied.get("/moderation"); r.status != http.StatusSeeOther {
			t.Errorf("a cookie replayed after sign-out was accepted: %d", r.status)
		}

		// Idle timeout: 29 minutes of quiet is fine, 31 more is not.
		mod2, _ := a.staffMember(gs.RoleModerator)
		clock.Advance(29 * time.Minute)
		wantStatus(t, "after 29 idle minutes", mod2.get("/moderation"), http.StatusOK)
		clock.Advance(31 * time.Minute)
		if r := mod2.get("/moderation"); r.status != http.StatusSeeOther {
			t.Errorf("after 31 idle minutes: %d, want a redirect to sign in", r.status)
		}

		// Absolute lifetime: active every 20 minutes, still out after 12 hours.
		mod3, _ := a.staffMember(gs.RoleModerator)
		for i := 0; i < 35; i++ {
			clock.Advance(20 * time.Minute)
			if r := mod3.get("/moderation"); r.status != http.StatusOK {
				t.Fatalf("active session ended early, after %d minutes", (i+1)*20)
			}
		}
		clock.Advance(20 * time.Minute)
		if r := mod3.get("/moderation"); r.status != http.StatusSeeOther {
			t.Errorf("a session older than 12 hours still works: %d", r.status)
		}

		// Disabling a user ends their sessions at once.
		mod4, u4 := a.staffMember(gs.RoleModerator)
		admin, _ := a.staffMember(gs.RoleAdmin)
		wantStatus(t, "disable", admin.post("/admin/users/"+id(u4.ID)+"/disable", nil), http.StatusSeeOther)
		if r := mod4.get("/moderation"); r.status != http.StatusSeeOther {
			t.Errorf("a disabled user's session still works: %d", r.status)
		}
		r = mod4.post("/login", vals("email", u4.Email, "password", staffPassword))
		wantStatus(t, "disabled user signs in", r, http.StatusUnprocessableEntity)
	})
}

func TestSignInThrottling(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	s := storetest.Open(t, dsn)
	clock := &fakeClock{}
	s.Now = clock.Now
	a := newApp(t, dsn, s)
	_, u := a.staffMember(gs.RoleModerator)
	p := a.participant()
	for i := 0; i < 5; i++ {
		r := p.post("/login", vals("email", u.Email, "password", "wrong password number one"))
		wantStatus(t, "wrong password", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, u.Email) {
			t.Error("the refused sign-in lost the typed email")
		}
	}
	r := p.post("/login", vals("email", u.Email, "password", staffPassword))
	wantStatus(t, "right password while throttled", r, http.StatusTooManyRequests)
	if ra := r.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After = %q", ra)
	}
	if strings.Contains(a.logs.String(), "wrong password") || strings.Contains(a.logs.String(), staffPassword) {
		t.Error("a password reached the log")
	}
	if !strings.Contains(a.logs.String(), "staff sign-in failed") {
		t.Error("failed sign-ins are not logged")
	}
	// Other accounts are not locked by one account's failures.
	a.staffMember(gs.RoleExpert)
	// Time heals: the real user gets back in without anyone's help.
	clock.Advance(2 * time.Minute)
	wantStatus(t, "after waiting", p.post("/login", vals("email", u.Email, "password", staffPassword)), http.StatusSeeOther)

	// Per client: many accounts guessed from one client are slowed too.
	q := a.participant()
	for i := 0; i < 20; i++ {
		q.post("/login", vals("email", "nobody"+id(int64(i))+"@example.org", "password", "guess guess guess"))
	}
	wantStatus(t, "21st guess from one client", q.post("/login", vals("email", "another@example.org", "password", "guess")), http.StatusTooManyRequests)
}

// TestTrustedProxy checks whose address the per-client sign-in throttle counts: behind a
// trusted proxy, the client it forwarded for; otherwise the direct peer, whatever a request
// claims in X-Forwarded-For.
func TestTrustedProxy(t *testing.T) {
	guess := func(p *participant, n int) response {
		var r response
		for i := 0; i < n; i++ {
			r = p.post("/login", vals("email", "nobody"+id(int64(i))+"@example.org", "password", "guess guess guess"))
		}
		return r
	}
	from := func(a *testApp, xff string) *participant {
		p := a.participant()
		p.header.Set("X-Forwarded-For", xff)
		return p
	}
	t.Run("behind a trusted proxy each client has its own budget", func(t *testing.T) {
		dsn := storetest.DSN(t, store.SQLite)
		a := newApp(t, dsn, storetest.Open(t, dsn), func(c *config.Config) {
			c.TrustedProxies, _ = config.ParseCIDRs("127.0.0.1")
		})
		wantStatus(t, "21st guess from one client", guess(from(a, "203.0.113.7"), 21), http.StatusTooManyRequests)
		wantStatus(t, "a guess from another client", guess(from(a, "203.0.113.8"), 1), http.StatusUnprocessableEntity)
		// A client cannot dodge the throttle by adding its own hop: the proxy appends the
		// address it saw, and that is the one counted.
		wantStatus(t, "a forged hop", guess(from(a, "198.51.100.1, 203.0.113.7"), 1), http.StatusTooManyRequests)
		if strings.Contains(a.logs.String(), "203.0.113") {
			t.Error("a client address reached the log")
		}
	})
	t.Run("without one the header is ignored", func(t *testing.T) {
		dsn := storetest.DSN(t, store.SQLite)
		a := newApp(t, dsn, storetest.Open(t, dsn))
		guess(from(a, "203.0.113.7"), 20)
		wantStatus(t, "a guess claiming another address", guess(from(a, "203.0.113.8"), 1), http.StatusTooManyRequests)
	})
}

func TestSetupLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ctx := context.Background()
		token, err := a.accounts.SetupLink(ctx)
		if err != nil || token == "" {
			t.Fatalf("SetupLink = %q, %v", token, err)
		}
		p := a.participant()
		wantStatus(t, "setup page", p.get("/setup/"+token), http.StatusOK)
		wantStatus(t, "wrong token", p.get("/setup/nonsense"), http.StatusNotFound)
		r := p.post("/setup/"+token, vals("email", "first@example.org", "password", "password1234", "confirm", "password1234"))
		wantStatus(t, "weak password", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, "first@example.org") || !strings.Contains(r.body, "too easy to guess") {
			t.Error("the refused setup form lost the email or gave no reason")
		}
		wantStatus(t, "mismatch", p.post("/setup/"+token, vals("email", "first@example.org", "password", staffPassword, "confirm", "x")), http.StatusUnprocessableEntity)
		wantStatus(t, "create", p.post("/setup/"+token, vals("email", "First@Example.org", "password", staffPassword, "confirm", staffPassword)), http.StatusSeeOther)
		wantStatus(t, "used link", p.get("/setup/"+token), http.StatusNotFound)
		wantStatus(t, "used link again", p.post("/setup/"+token, vals("email", "second@example.org", "password", staffPassword, "confirm", staffPassword)), http.StatusNotFound)
		if again, _ := a.accounts.SetupLink(ctx); again != "" {
			t.Error("a setup link was issued although an admin exists")
		}
		wantStatus(t, "sign in as the new admin", p.post("/login", vals("email", "first@example.org", "password", staffPassword)), http.StatusSeeOther)
		wantStatus(t, "admin area", p.get("/admin"), http.StatusOK)
	})
}

// TestRoleRouteMatrix tries every route Echo knows as every kind of visitor. A route that is in
// neither the public list nor the matrix fails the test, so new routes must be placed.
func TestRoleRouteMatrix(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn))
	idea := a.seedIdea(a.open, "Matrix idea")
	a.participant().report("idea", idea.ID, "spam")
	caseID := caseFor(t, a.store, gs.TargetIdea, idea.ID)

	public := map[string]bool{
		"GET /": true, "GET /what-we-store": true, "GET /c/:slug": true, "GET /c/:slug/moderation": true,
		"GET /c/:slug/ideas/new": true, "GET /ideas/:id": true, "POST /c/:slug/ideas": true,
		"POST /ideas/:id/comments": true, "POST /ideas/:id/vote": true, "POST /comments/:id/vote": true,
		"POST /ideas/:id/report": true, "POST /comments/:id/report": true,
		"GET /c/:slug/compare": true, "POST /c/:slug/compare": true, "GET /guide/:slug": true, "GET /guide/:slug/feed.atom": true, "GET /c/:slug/feed.atom": true, "GET /api/v1/proposals": true,
		"GET /login": true, "POST /login": true, "POST /logout": true, "GET /setup/:token": true, "POST /setup/:token": true,
		"GET /invite/:token": true, "POST /invite/:token": true,
		"GET /healthz": true, "GET /metrics": true, "GET /static/*": true,
		"GET /api/v1/challenges": true, "GET /api/v1/challenges/:slug/ideas": true,
		"GET /api/v1/challenges/:slug/similar": true, "GET /api/v1/ideas/:id": true,
		"GET /join": true, "POST /join": true, "POST /leave": true, "GET /search": true,
		"GET /c/:slug/summary": true, "GET /c/:slug/about-me": true, "POST /c/:slug/about-me": true,
		// The author's own: anyone may ask, and only the author's browser is let through.
		"GET /c/:slug/mine": true, "GET /ideas/:id/edit": true, "POST /ideas/:id/edit": true, "POST /ideas/:id/withdraw": true,
		"GET /comments/:id/edit": true, "GET /comments/:id": true, "POST /comments/:id/edit": true, "POST /comments/:id/withdraw": true,
	}
	// The role each staff route needs.
	matrix := map[string]gs.Role{
		"GET /moderation": gs.RoleModerator, "GET /moderation/cases/:id": gs.RoleModerator,
		"POST /moderation/cases/:id": gs.RoleModerator, "POST /moderation/bulk": gs.RoleModerator,
		"POST /moderation/cases/:id/nominate": gs.RoleModerator,
		"GET /panels":                         gs.RoleExpert, "GET /panels/:id": gs.RoleExpert,
		"GET /panels/:id/ideas/:idea": gs.RoleExpert, "POST /panels/:id/ideas/:idea": gs.RoleExpert,
		"POST /panels/:id/nominations": gs.RoleExpert,
		"GET /panels/:id/chair":        gs.RoleExpert, "POST /panels/:id/chair/shortlist": gs.RoleExpert,
		"POST /panels/:id/chair/proposals": gs.RoleExpert, "GET /panels/proposals/:id": gs.RoleExpert,
		"POST /panels/proposals/:id/status": gs.RoleExpert, "POST /admin/panels/:id/chair": gs.RoleAdmin,
		"GET /admin/panels": gs.RoleAdmin, "POST /admin/panels": gs.RoleAdmin, "GET /admin/panels/:id": gs.RoleAdmin,
		"POST /admin/panels/:id/experts": gs.RoleAdmin, "POST /admin/panels/:id/longlist": gs.RoleAdmin,
		"POST /admin/panels/:id/shortlist": gs.RoleAdmin, "POST /admin/panels/:id/proposals": gs.RoleAdmin,
		"GET /admin/proposals/:id": gs.RoleAdmin, "GET /admin/challenges/:slug/export/:name": gs.RoleAdmin, "POST /admin/proposals/:id/status": gs.RoleAdmin,
		"GET /admin": gs.RoleAdmin, "GET /admin/users": gs.RoleAdmin, "POST /admin/users": gs.RoleAdmin,
		"POST /admin/users/:id/disable": gs.RoleAdmin, "POST /admin/users/:id/enable": gs.RoleAdmin, "POST /admin/users/:id/role": gs.RoleAdmin,
		"POST /admin/users/invite": gs.RoleAdmin,
		"GET /admin/audit":         gs.RoleAdmin, "GET /admin/challenges/:slug": gs.RoleAdmin,
		"POST /admin/challenges/:slug": gs.RoleAdmin, "GET /admin/cases/:id/original": gs.RoleAdmin,
		"POST /admin/cases/:id/purge": gs.RoleAdmin,
		"GET /admin/challenges/new":   gs.RoleAdmin, "POST /admin/challenges": gs.RoleAdmin,
		"GET /admin/challenges/:slug/edit": gs.RoleAdmin, "POST /admin/challenges/:slug/edit": gs.RoleAdmin,
		"POST /admin/challenges/:slug/phase": gs.RoleAdmin, "GET /admin/challenges/:slug/preview": gs.RoleAdmin,
		"GET /admin/challenges/:slug/analytics": gs.RoleAdmin,
		"GET /admin/challenges/:slug/invites":   gs.RoleAdmin, "POST /admin/challenges/:slug/invites": gs.RoleAdmin,
		"GET /admin/challenges/:slug/invites/:id": gs.RoleAdmin, "GET /admin/challenges/:slug/invites/:id/codes.csv": gs.RoleAdmin,
	}
	visitors := map[string]*participant{"anonymous": a.participant(), "participant": a.participant()}
	visitors["participant"].post("/ideas/"+id(idea.ID)+"/vote", vals("value", "up"))
	for _, r := range []gs.Role{gs.RoleExpert, gs.RoleModerator, gs.RoleAdmin} {
		visitors[string(r)], _ = a.staffMember(r)
	}
	_, target := a.staffMember(gs.RoleExpert) // a user for the admin user routes to act on
	fill := strings.NewReplacer(":id", id(caseID), ":slug", "open-one")
	seen := 0
	for _, rt := range a.server.Routes() {
		key := rt.Method + " " + rt.Path
		if public[key] || rt.Method == "echo_route_not_found" || strings.Contains(rt.Name, "addressOfForm") {
			continue // a POST-only address answering GET sends the browser on; TestFormAddressesOpen covers them
		}
		need, ok := matrix[key]
		if !ok {
			t.Errorf("route %s is neither public nor in the role matrix", key)
			continue
		}
		seen++
		path := fill.Replace(rt.Path)
		if strings.HasPrefix(rt.Path, "/admin/users/:id") {
			path = strings.Replace(rt.Path, ":id", id(target.ID), 1)
		}
		for name, v := range visitors {
			var r response
			if rt.Method == http.MethodGet {
				r = v.get(path)
			} else {
				r = v.post(path, vals("version", "999"))
			}
			allowed := name != "anonymous" && name != "participant" && gs.Role(name).Can(need)
			switch {
			case name == "anonymous" || name == "participant":
				if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login?next=") {
					t.Errorf("%s as %s: %d to %q, want a redirect to sign in", key, name, r.status, r.header.Get("Location"))
				}
			case allowed:
				if r.status == http.StatusForbidden || r.status == http.StatusSeeOther && strings.HasPrefix(r.header.Get("Location"), "/login") || r.status >= 500 {
					t.Errorf("%s as %s: %d, want it allowed", key, name, r.status)
				}
			default:
				if r.status != http.StatusForbidden {
					t.Errorf("%s as %s: %d, want 403", key, name, r.status)
				}
			}
		}
	}
	if seen != len(matrix) {
		t.Errorf("checked %d staff routes, the matrix lists %d: a listed route is not registered", seen, len(matrix))
	}
}

// TestChangeRole has an admin move an expert to moderation: the expert's session ends, and
// signed in again they reach the moderation queue and no longer the panels. The last admin
// cannot step down, and a role that does not exist changes nothing.
func TestChangeRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		admin, adminUser := a.staffMember(gs.RoleAdmin)
		ex, exUser := a.staffMember(gs.RoleExpert)
		path := "/admin/users/" + id(exUser.ID) + "/role"
		if page := admin.get("/admin/users"); !strings.Contains(page.body, `action="`+path+`"`) {
			t.Fatal("the staff page offers no role change")
		}
		r := admin.post(path, vals("role", "overlord"))
		wantStatus(t, "a role that does not exist", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, "admin, moderator or expert") {
			t.Error("the refusal does not name the roles")
		}
		wantStatus(t, "the expert still reaches the panels", ex.get("/panels"), http.StatusOK)
		wantStatus(t, "make the expert a moderator", admin.post(path, vals("role", "moderator")), http.StatusSeeOther)
		if r := ex.get("/panels"); r.status == http.StatusOK {
			t.Error("the old session kept the old role")
		}
		again := a.participant()
		wantStatus(t, "sign in again", again.post("/login", vals("email", exUser.Email, "password", staffPassword)), http.StatusSeeOther)
		wantStatus(t, "the moderation queue", again.get("/moderation"), http.StatusOK)
		wantStatus(t, "no more panels", again.get("/panels"), http.StatusForbidden)
		wantStatus(t, "the last admin stays", admin.post("/admin/users/"+id(adminUser.ID)+"/role", vals("role", "expert")), http.StatusConflict)
		entries, _, err := s.AuditLog(context.Background(), gs.AuditQuery{Action: "staff.role", PerPage: 5})
		if err != nil || len(entries) != 1 || entries[0].TargetID != exUser.ID {
			t.Errorf("audit rows for role changes: %+v (%v); want one for the expert", entries, err)
		}
	})
}
