// Package web is Groundswell's HTTP face: Echo routes, middleware, server-rendered pages, the
// read-only JSON API, and the one place errors become statuses.
package web

import (
	"context"
	"crypto/subtle"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/groundswell/groundswell/internal/accounts"
	"github.com/groundswell/groundswell/internal/anonymity"
	"github.com/groundswell/groundswell/internal/campaigns"
	"github.com/groundswell/groundswell/internal/config"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/i18n"
	"github.com/groundswell/groundswell/internal/moderation"
	"github.com/groundswell/groundswell/internal/panels"
	"github.com/groundswell/groundswell/internal/participation"
)

// Deps are what the web layer needs from the rest of the program.
type Deps struct {
	Config        config.Config
	Logger        *slog.Logger
	Keys          *anonymity.Keys
	Participation *participation.Service
	Accounts      *accounts.Service
	Moderation    *moderation.Service
	Panels        *panels.Service
	Campaigns     *campaigns.Service
	// Ping reports whether the database answers, for /healthz.
	Ping func(context.Context) error
	// CountQueries, when set, counts the database statements each request runs, for the
	// access log (store.CountQueries).
	CountQueries func(context.Context) (context.Context, func() int64)
	// SharedWrites, when set, counts participants' writes in the database, so that instances
	// sharing it share each participant's write limit (store.CountWrite). Without it each
	// instance keeps its own count in memory, which is right for the single SQLite process.
	SharedWrites func(ctx context.Context, bucket, window int64) (int, error)
	Templates    fs.FS
	Static       fs.FS
}

// Server is the HTTP application.
type Server struct {
	cfg      config.Config
	log      *slog.Logger
	keys     *anonymity.Keys
	part     *participation.Service
	accounts *accounts.Service
	mod      *moderation.Service
	panels   *panels.Service
	camp     *campaigns.Service
	ping     func(context.Context) error
	// countQueries counts each request's database statements for the access log.
	countQueries func(context.Context) (context.Context, func() int64)
	pages        *pages
	sessions     *sessions.CookieStore
	// staffSessions holds the staff cookie, separate from the participant cookie; devices
	// the cookie that marks a browser a staff member signed in from before.
	staffSessions *sessions.CookieStore
	devices       *sessions.CookieStore
	metrics       *metrics
	echo          *echo.Echo
	// loc writes the interface's words, numbers and dates in the configured language.
	loc          *i18n.Locale
	sharedWrites func(ctx context.Context, bucket, window int64) (int, error)
	// homes is where each POST-only route's form lives (see addresses.go).
	homes formHomes
}

// New builds the server and its routes; templates are parsed here so a broken one fails start-up.
func New(d Deps) (*Server, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	tag := d.Config.Locale
	if tag == "" {
		tag = i18n.Default
	}
	loc, err := cat.Locale(tag)
	if err != nil {
		return nil, err
	}
	pg, err := parsePages(d.Templates, loc)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: d.Config, log: d.Logger, keys: d.Keys, part: d.Participation, ping: d.Ping, pages: pg,
		accounts: d.Accounts, mod: d.Moderation, panels: d.Panels, camp: d.Campaigns, countQueries: d.CountQueries, sharedWrites: d.SharedWrites,
		sessions:      newParticipantStore(d.Keys, d.Config.SecureCookies),
		staffSessions: newStaffStore(d.Keys.StaffHash, d.Keys.StaffBlock, d.Config.SecureCookies),
		devices:       newDeviceStore(d.Keys.StaffHash, d.Keys.StaffBlock, d.Config.SecureCookies),
		metrics:       newMetrics(),
		loc:           loc,
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	s.echo = e

	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error { c.Set(localeKey, loc); return next(c) }
	})
	e.Use(middleware.RequestID())
	e.Use(s.accessLog())
	e.Use(s.metrics.middleware())
	e.Use(middleware.Recover())
	// The client address, for sign-in throttling only: the direct peer, unless a trusted proxy
	// forwarded the request, when it is the nearest untrusted hop of X-Forwarded-For. Echo
	// trusts private and loopback ranges by default; here only the configured ones count.
	e.IPExtractor = echo.ExtractIPDirect()
	if len(d.Config.TrustedProxies) > 0 {
		trust := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range d.Config.TrustedProxies {
			trust = append(trust, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(trust...)
	}
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		HSTSMaxAge:            hstsAge(d.Config.SecureCookies),
		ReferrerPolicy:        "same-origin",
		ContentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
	}))
	e.Use(middleware.BodyLimit("1M"))
	e.Use(bufferBody)
	e.Use(rejectNUL)
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{Level: 5, Skipper: func(c echo.Context) bool {
		return c.Path() == "/metrics"
	}}))

	e.GET("/healthz", s.healthz)
	e.GET("/metrics", s.metricsRoute)
	// Stylesheet and script addresses carry the build's version, so a browser may keep them
	// for a year: a new build asks for new addresses.
	e.Group("/static", func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if v := c.QueryParam("v"); v != "" && v == d.Config.Version {
				c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			}
			return next(c)
		}
	}).StaticFS("/", d.Static)

	// Middleware is attached per route rather than through prefix groups: an Echo group with
	// middleware claims every path under its prefix, which would turn 405s into 404s.
	// Participant pages do not look at the staff cookie at all: a staff session's activity
	// must never line up in time with anything its holder posts as a participant.
	site := []echo.MiddlewareFunc{s.participant, s.csrf()}
	// Votes over the limit are refused outright; posts that carry typed text are let through
	// flagged, and their handlers refuse them by drawing the form again with the text in it.
	limiter := s.writeLimiter()
	write := append(append([]echo.MiddlewareFunc{}, site...), limiter.strict)
	compose := append(append([]echo.MiddlewareFunc{}, site...), limiter.keepText)
	api := []echo.MiddlewareFunc{s.participantOptional}
	// Staff pages do not need the participant cookie: staff identity stays apart from it.
	staff := []echo.MiddlewareFunc{s.csrf(), s.staff}
	moderator := append(append([]echo.MiddlewareFunc{}, staff...), requireRole(gs.RoleModerator))
	expert := append(append([]echo.MiddlewareFunc{}, staff...), requireRole(gs.RoleExpert))
	admin := append(append([]echo.MiddlewareFunc{}, staff...), requireRole(gs.RoleAdmin))

	e.GET("/", s.home, site...)
	e.GET("/what-we-store", s.whatWeStore, site...)
	e.GET("/c/:slug", s.challengeShow, site...)
	e.GET("/c/:slug/moderation", s.transparency, site...)
	e.GET("/c/:slug/ideas/new", s.ideaNew, site...)
	e.GET("/ideas/:id", s.ideaShow, site...)
	e.POST("/c/:slug/ideas", s.ideaCreate, compose...)
	e.GET("/c/:slug/compare", s.compareShow, site...)
	e.POST("/c/:slug/compare", s.compareSubmit, write...)
	e.GET("/search", s.search, site...)
	e.GET("/c/:slug/summary", s.challengeSummary, site...)
	e.GET("/c/:slug/about-me", s.aboutMeShow, site...)
	e.POST("/c/:slug/about-me", s.aboutMeSubmit, write...)
	e.GET(joinPath, s.joinShow, site...)
	e.POST("/leave", s.leave, site...)
	e.POST(joinPath, s.joinSubmit(s.joinLimiter()), site...)
	e.POST("/ideas/:id/comments", s.commentCreate, compose...)
	e.POST("/ideas/:id/vote", s.ideaVote, write...)
	e.POST("/comments/:id/vote", s.commentVote, write...)
	e.POST("/ideas/:id/report", s.ideaReport, compose...)
	e.POST("/comments/:id/report", s.commentReport, compose...)
	e.GET("/c/:slug/mine", s.mineShow, site...)
	e.GET("/ideas/:id/edit", s.ideaEditShow, site...)
	e.POST("/ideas/:id/edit", s.ideaEditSubmit, compose...)
	e.POST("/ideas/:id/withdraw", s.ideaWithdraw, write...)
	e.GET("/comments/:id/edit", s.commentEditShow, site...)
	e.POST("/comments/:id/edit", s.commentEditSubmit, compose...)
	e.POST("/comments/:id/withdraw", s.commentWithdraw, write...)

	e.GET(loginPath, s.loginShow, staff...)
	e.POST(loginPath, s.loginSubmit, staff...)
	e.POST("/logout", s.logout, staff...)
	e.GET("/setup/:token", s.setupShow, staff...)
	e.POST("/setup/:token", s.setupSubmit, staff...)

	e.GET(queuePath, s.queue, moderator...)
	e.GET("/moderation/cases/:id", s.caseShow, moderator...)
	e.POST("/moderation/cases/:id", s.caseAct, moderator...)
	e.POST("/moderation/bulk", s.caseBulk, moderator...)
	e.POST("/moderation/cases/:id/nominate", s.caseNominate, moderator...)
	e.GET(panelsPath, s.panelsHome, expert...)
	e.GET(panelsPath+"/:id", s.panelShow, expert...)
	e.GET(panelsPath+"/:id/ideas/:idea", s.panelReview, expert...)
	e.POST(panelsPath+"/:id/ideas/:idea", s.panelReviewSubmit, expert...)
	e.POST(panelsPath+"/:id/nominations", s.panelNominate, expert...)
	// The chair's desk, the same for an admin and for an expert who chairs the panel (the
	// service checks the appointment): the panel's results, its shortlist and its proposals.
	for _, d := range []struct {
		panel, proposals string
		mw               []echo.MiddlewareFunc
	}{{panelsPath + "/:id/chair", chairProposalsPath, expert}, {adminPanelsPath + "/:id", "/admin/proposals", admin}} {
		e.GET(d.panel, s.adminPanel, d.mw...)
		e.POST(d.panel+"/shortlist", s.adminShortlist, d.mw...)
		e.POST(d.panel+"/proposals", s.adminProposalCreate, d.mw...)
		e.GET(d.proposals+"/:id", s.adminProposal, d.mw...)
		e.POST(d.proposals+"/:id/status", s.adminProposalMove, d.mw...)
	}
	e.GET("/invite/:token", s.inviteShow, staff...)
	e.POST("/invite/:token", s.inviteAccept, staff...)
	e.GET(adminPanelsPath, s.adminPanels, admin...)
	e.POST(adminPanelsPath, s.adminPanelCreate, admin...)
	e.POST(adminPanelsPath+"/:id/experts", s.adminPanelExpert, admin...)
	e.POST(adminPanelsPath+"/:id/longlist", s.adminPanelLonglist, admin...)
	e.POST(adminPanelsPath+"/:id/chair", s.adminPanelChair, admin...)
	e.GET("/admin/challenges/:slug/export/:name", s.adminExport, admin...)
	e.GET("/guide/:slug", s.guideShow, site...)
	// Feeds are read by feed readers, without cookies.
	e.GET("/c/:slug/feed.atom", s.challengeFeed)
	e.GET("/guide/:slug/feed.atom", s.guideFeed)
	e.GET("/api/v1/proposals", s.apiProposals, api...)
	e.GET(adminPath, s.adminHome, admin...)
	e.GET(staffUsersPath, s.adminUsers, admin...)
	e.POST(staffUsersPath, s.adminUserCreate, admin...)
	e.POST(staffUsersPath+"/invite", s.adminUserInvite, admin...)
	e.POST("/admin/users/:id/disable", s.adminUserDisable, admin...)
	e.POST("/admin/users/:id/enable", s.adminUserEnable, admin...)
	e.POST("/admin/users/:id/role", s.adminUserRole, admin...)
	e.GET(auditPath, s.adminAudit, admin...)
	e.GET(newChallengePath, s.challengeNew, admin...)
	e.POST(challengesPath, s.challengeCreate, admin...)
	e.GET("/admin/challenges/:slug/edit", s.challengeEdit, admin...)
	e.POST("/admin/challenges/:slug/edit", s.challengeUpdate, admin...)
	e.POST("/admin/challenges/:slug/phase", s.challengePhase, admin...)
	e.GET("/admin/challenges/:slug/preview", s.challengePreview, admin...)
	e.GET("/admin/challenges/:slug/analytics", s.adminAnalytics, admin...)
	e.GET("/admin/challenges/:slug/invites", s.invites, admin...)
	e.POST("/admin/challenges/:slug/invites", s.invitesMint, admin...)
	e.GET("/admin/challenges/:slug/invites/:id", s.inviteSheet, admin...)
	e.GET("/admin/challenges/:slug/invites/:id/codes.csv", s.inviteCSV, admin...)
	e.GET("/admin/challenges/:slug", s.adminSettings, admin...)
	e.POST("/admin/challenges/:slug", s.adminSettingsSave, admin...)
	e.GET("/admin/cases/:id/original", s.adminOriginal, admin...)
	e.POST("/admin/cases/:id/purge", s.adminPurge, admin...)

	e.GET("/api/v1/challenges", s.apiChallenges, api...)
	e.GET("/api/v1/challenges/:slug/ideas", s.apiIdeas, api...)
	e.GET("/api/v1/challenges/:slug/similar", s.apiSimilar, api...)
	e.GET("/api/v1/ideas/:id", s.apiIdea, api...)

	// Every address a form posts to also opens with GET, on the page the form lives on.
	e.GET("/comments/:id", s.commentAddress, site...)
	s.homes = findFormHomes(e.Routes())
	for route := range s.homes {
		e.GET(route, s.addressOfForm)
	}
	return s, nil
}

// ServeHTTP makes the server an http.Handler. HEAD is answered as GET: Echo routes on the
// request it is given, while net/http, which still holds the original HEAD request, sends the
// headers and drops the body.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		g := r.Clone(r.Context())
		g.Method = http.MethodGet
		r = g
	}
	s.echo.ServeHTTP(w, r)
}

// Routes lists every registered route, for tests that must cover them all.
func (s *Server) Routes() []*echo.Route { return s.echo.Routes() }

// MetricsHandler serves the Prometheus metrics, for a separate listener on a private address.
func (s *Server) MetricsHandler() http.Handler { return s.metrics.handler() }

// metricsRoute serves /metrics on the main address only to a scraper with the bearer token.
// Without a token configured it is not there at all: its counters would show when staff work.
func (s *Server) metricsRoute(c echo.Context) error {
	token := s.cfg.MetricsToken
	if token == "" {
		return gs.Errorf(gs.ENOTFOUND, "There is no page at this address.")
	}
	got, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
		return c.String(http.StatusUnauthorized, "A bearer token is needed to read the metrics.")
	}
	s.metrics.handler().ServeHTTP(c.Response(), c.Request())
	return nil
}

func hstsAge(tls bool) int {
	if tls {
		return 31536000
	}
	return 0
}
