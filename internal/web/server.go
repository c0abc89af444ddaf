// Package web is Groundswell's HTTP face: Echo routes, middleware, server-rendered pages, the
// read-only JSON API, and the one place errors become statuses.
package web

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/groundswell/groundswell/internal/accounts"
	"github.com/groundswell/groundswell/internal/anonymity"
	"github.com/groundswell/groundswell/internal/config"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/moderation"
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
	// Ping reports whether the database answers, for /healthz.
	Ping func(context.Context) error
	// CountQueries, when set, counts the database statements each request runs, for the
	// access log (store.CountQueries).
	CountQueries func(context.Context) (context.Context, func() int64)
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
	ping     func(context.Context) error
	// countQueries counts each request's database statements for the access log.
	countQueries func(context.Context) (context.Context, func() int64)
	pages        *pages
	sessions     *sessions.CookieStore
	// staffSessions holds the staff cookie, separate from the participant cookie.
	staffSessions *sessions.CookieStore
	metrics       *metrics
	echo          *echo.Echo
}

// New builds the server and its routes; templates are parsed here so a broken one fails start-up.
func New(d Deps) (*Server, error) {
	pg, err := parsePages(d.Templates)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: d.Config, log: d.Logger, keys: d.Keys, part: d.Participation, ping: d.Ping, pages: pg,
		accounts: d.Accounts, mod: d.Moderation, countQueries: d.CountQueries,
		sessions:      newParticipantStore(d.Keys, d.Config.SecureCookies),
		staffSessions: newStaffStore(d.Keys.StaffHash, d.Keys.StaffBlock, d.Config.SecureCookies),
		metrics:       newMetrics(),
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	s.echo = e

	e.Use(middleware.RequestID())
	e.Use(s.accessLog())
	e.Use(s.metrics.middleware())
	e.Use(middleware.Recover())
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
	e.GET("/metrics", echo.WrapHandler(s.metrics.handler()))
	e.StaticFS("/static", d.Static)

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
	e.POST("/ideas/:id/comments", s.commentCreate, compose...)
	e.POST("/ideas/:id/vote", s.ideaVote, write...)
	e.POST("/comments/:id/vote", s.commentVote, write...)
	e.POST("/ideas/:id/report", s.ideaReport, compose...)
	e.POST("/comments/:id/report", s.commentReport, compose...)

	e.GET("/login", s.loginShow, staff...)
	e.POST("/login", s.loginSubmit, staff...)
	e.POST("/logout", s.logout, staff...)
	e.GET("/setup/:token", s.setupShow, staff...)
	e.POST("/setup/:token", s.setupSubmit, staff...)

	e.GET("/moderation", s.queue, moderator...)
	e.GET("/moderation/cases/:id", s.caseShow, moderator...)
	e.POST("/moderation/cases/:id", s.caseAct, moderator...)
	e.POST("/moderation/bulk", s.caseBulk, moderator...)
	e.GET("/panels", s.panels, expert...)
	e.GET("/admin", s.adminHome, admin...)
	e.GET("/admin/users", s.adminUsers, admin...)
	e.POST("/admin/users", s.adminUserCreate, admin...)
	e.POST("/admin/users/:id/disable", s.adminUserDisable, admin...)
	e.POST("/admin/users/:id/enable", s.adminUserEnable, admin...)
	e.GET("/admin/audit", s.adminAudit, admin...)
	e.GET("/admin/challenges/:slug", s.adminSettings, admin...)
	e.POST("/admin/challenges/:slug", s.adminSettingsSave, admin...)
	e.GET("/admin/cases/:id/original", s.adminOriginal, admin...)
	e.POST("/admin/cases/:id/purge", s.adminPurge, admin...)

	e.GET("/api/v1/challenges", s.apiChallenges, api...)
	e.GET("/api/v1/challenges/:slug/ideas", s.apiIdeas, api...)
	e.GET("/api/v1/challenges/:slug/similar", s.apiSimilar, api...)
	e.GET("/api/v1/ideas/:id", s.apiIdea, api...)
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

func hstsAge(tls bool) int {
	if tls {
		return 31536000
	}
	return 0
}

// queriesKey holds the request's database statement counter.
const queriesKey = "queries"

// accessLog writes one structured line per request. It records the route pattern, never the
// raw URL (search text can be personal), and never the IP address, user agent or participant;
// and how many database statements the request ran, so that a page whose queries grow with
// its rows shows up.
func (s *Server) accessLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogMethod: true, LogRoutePath: true, LogLatency: true, LogRequestID: true,
		HandleError: false,
		BeforeNextFunc: func(c echo.Context) {
			if s.countQueries == nil {
				return
			}
			ctx, queries := s.countQueries(c.Request().Context())
			c.SetRequest(c.Request().WithContext(ctx))
			c.Set(queriesKey, queries)
		},
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			route := v.RoutePath
			if route == "" || route == "/*" {
				route = "unmatched"
			}
			var queries int64
			if n, ok := c.Get(queriesKey).(func() int64); ok {
				queries = n()
			}
			s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
				slog.String("method", v.Method), slog.String("route", route), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.Int64("queries", queries), slog.String("request_id", v.RequestID))
			return nil
		},
	})
}

// writeLimits throttle each participant's writes with one token bucket shared by all write
// routes.
type writeLimits struct {
	strict   echo.MiddlewareFunc // over the limit: 429
	keepText echo.MiddlewareFunc // over the limit: flag the request; the handler refuses it
}

const throttledKey = "throttled"

func (s *Server) writeLimiter() writeLimits {
	r := s.cfg.WriteRate
	if r <= 0 {
		r = 1
	}
	burst := max(s.cfg.WriteBurst, 1)
	retry := strconv.Itoa(max(1, int(1/r+0.999)))
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(r), Burst: burst, ExpiresIn: 10 * time.Minute,
	})
	over := func(c echo.Context) bool {
		allow, err := store.Allow(string(participantHash(c)))
		if err != nil || allow {
			return false
		}
		c.Response().Header().Set("Retry-After", retry)
		return true
	}
	return writeLimits{
		strict: func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				if over(c) {
					return errTooMany
				}
				return next(c)
			}
		},
		keepText: func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				if over(c) {
					if wantsJSON(c) {
						return errTooMany
					}
					c.Set(throttledKey, true)
				}
				return next(c)
			}
		},
	}
}

// throttled is errTooMany when the participant is over their write limit; handlers of posts
// that carry typed text call it before writing, so they can draw the form again.
func throttled(c echo.Context) error {
	if t, _ := c.Get(throttledKey).(bool); t {
		return errTooMany
	}
	return nil
}
