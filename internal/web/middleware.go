package web

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/groundswell/groundswell/internal/anonymity"
	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// The middleware: the participant cookie, CSRF, the staff session and role wall, the access log,
// write limits, and the checks that refuse malformed requests before any handler runs.

// participant makes sure every browser carries a participant token, issuing one on first visit,
// and puts the token's keyed hash (never the token) in the request context.
func (s *Server) participant(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sess, _ := s.sessions.Get(c.Request(), participantCookie) // a bad cookie yields a new session
		token, _ := sess.Values[tokenField].(string)
		if !anonymity.ValidToken(token) {
			token = anonymity.NewToken()
			sess.Values[tokenField] = token
			sess.Values[sinceField] = time.Now().Unix()
			delete(sess.Values, untilField)
			if err := saveParticipant(c, sess); err != nil {
				return err
			}
		}
		since, _ := sess.Values[sinceField].(int64) // 0 for tokens issued before browsers' ages were kept
		c.Set(participantKey, s.keys.TokenHash(token))
		c.Set(sinceKey, since)
		return next(c)
	}
}

// participantOptional reads a participant token when the request has one, without issuing one:
// the API never sets cookies.
func (s *Server) participantOptional(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if sess, err := s.sessions.Get(c.Request(), participantCookie); err == nil {
			if token, _ := sess.Values[tokenField].(string); anonymity.ValidToken(token) {
				c.Set(participantKey, s.keys.TokenHash(token))
			}
		}
		return next(c)
	}
}

// cookieAge is how long the participant's browser has been known, from the issue time sealed in
// its cookie. A cookie from before issue times were kept counts as old.
func cookieAge(c echo.Context) time.Duration {
	since, _ := c.Get(sinceKey).(int64)
	if since <= 0 {
		return 365 * 24 * time.Hour
	}
	return time.Since(time.Unix(since, 0))
}

// participantHash is the keyed hash of the current participant's token, or "" if none.
func participantHash(c echo.Context) gs.TokenHash {
	h, _ := c.Get(participantKey).(gs.TokenHash)
	return h
}

const csrfKey = "csrf"

var errCSRF = gs.Errorf(gs.EFORBIDDEN,
	"This form could not be accepted because its security token was missing or out of date. Go back, reload the page and send it again.")

// csrf requires the token from the CSRF cookie on every unsafe request, as form field _csrf or
// header X-CSRF-Token, never in the address. Echo's middleware would also let a same-origin Sec-Fetch-Site header stand
// in for the token; Groundswell's contract asks for the token always, so cross-site requests are
// refused outright and the header is then hidden from Echo's check.
func (s *Server) csrf() echo.MiddlewareFunc {
	inner := middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		ContextKey:     csrfKey,
		CookieName:     s.csrfCookie(),
		CookiePath:     "/",
		CookieMaxAge:   400 * 24 * 3600,
		CookieHTTPOnly: true,
		CookieSecure:   s.cfg.SecureCookies,
		CookieSameSite: http.SameSiteLaxMode,
		ErrorHandler:   func(error, echo.Context) error { return errCSRF },
	})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		h := inner(next)
		return func(c echo.Context) error {
			r := c.Request()
			// Echo's form lookup also reads the query string, where a token could leak into
			// logs, history and Referer headers: there it is refused.
			if !isSafeMethod(r.Method) && r.URL.Query().Has("_csrf") {
				return errCSRF
			}
			if r.Header.Get("Sec-Fetch-Site") != "" {
				if r.Header.Get("Sec-Fetch-Site") == "cross-site" && !isSafeMethod(r.Method) {
					return errCSRF
				}
				r.Header.Del("Sec-Fetch-Site")
			}
			return h(c)
		}
	}
}

// csrfCookie names the CSRF cookie: under TLS with the __Host- prefix, which browsers accept
// only from a secure origin, for the whole site and no other domain.
func (s *Server) csrfCookie() string {
	if s.cfg.SecureCookies {
		return "__Host-gs_csrf"
	}
	return "gs_csrf"
}

// dropCSRF ends the CSRF token, so the next page draws a fresh one: at sign-in and sign-out,
// when who is behind the browser changes.
func (s *Server) dropCSRF(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: s.csrfCookie(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfToken is the token to embed in forms on this page.
func csrfToken(c echo.Context) string {
	t, _ := c.Get(csrfKey).(string)
	return t
}

// staff loads the signed-in staff member, if any. The session is checked on the server every
// time, so signing out or being disabled takes effect at once.
func (s *Server) staff(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sess, _ := s.staffSessions.Get(c.Request(), staffCookie)
		token, _ := sess.Values[tokenField].(string)
		if token != "" {
			c.Set(staffToken, token)
			u, err := s.accounts.Authenticate(c.Request().Context(), token)
			switch gs.ErrorCode(err) {
			case "":
				c.Set(staffKey, u)
			case gs.ENOTFOUND:
				sess.Options.MaxAge = -1
				_ = sess.Save(c.Request(), c.Response())
			default:
				return err
			}
		}
		return next(c)
	}
}

// staffUser is the signed-in staff member, or nil.
func staffUser(c echo.Context) *gs.StaffUser {
	u, _ := c.Get(staffKey).(*gs.StaffUser)
	return u
}

// actor names the signed-in staff member for the audit log.
func actor(c echo.Context) gs.Actor {
	u := staffUser(c)
	if u == nil {
		return gs.Actor{Name: "unknown"}
	}
	return gs.Actor{UserID: u.ID, Name: u.Email}
}

// requireRole guards a staff area: someone not signed in is sent to sign in, someone signed in
// without the role is refused with 403. Admins may enter every area.
func requireRole(role gs.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := staffUser(c)
			if u == nil {
				if wantsJSON(c) {
					return gs.Errorf(gs.EFORBIDDEN, "Sign in as staff to do that.")
				}
				target := c.Request().URL.RequestURI()
				if c.Request().Method != http.MethodGet {
					target = c.Request().URL.Path
				}
				return c.Redirect(http.StatusSeeOther, loginPath+"?next="+url.QueryEscape(target))
			}
			if !u.Role.Can(role) {
				return gs.Errorf(gs.EFORBIDDEN, "Your account (%s) cannot open this area. It is for %ss.", u.Role, role)
			}
			return next(c)
		}
	}
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
			if err, ok := c.Get(writesFailingKey).(error); ok {
				s.log.LogAttrs(c.Request().Context(), slog.LevelWarn, "writes failing",
					slog.String("route", route), slog.String("request_id", v.RequestID), slog.Any("err", err))
			}
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
	if s.sharedWrites != nil {
		over = s.sharedLimit(r, burst)
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

// sharedLimit is the write limit kept in the database, for instances that share it: each
// participant may write burst times per window of burst/rate seconds (30 in 30 s as shipped),
// counted under a keyed hash of the participant and the window, so that no row names a
// participant and one participant's rows do not line up from one window to the next. When the
// count cannot be read the write goes ahead: the limit guards against floods, and refusing
// everyone while the database hiccups would be worse.
func (s *Server) sharedLimit(rate float64, burst int) func(echo.Context) bool {
	window := max(time.Second, time.Duration(float64(burst)/rate*float64(time.Second)))
	return func(c echo.Context) bool {
		now := time.Now()
		w := now.UnixNano() / int64(window)
		h := s.keys.TokenHash("write-limit:" + string(participantHash(c)) + ":" + strconv.FormatInt(w, 10))
		bucket, _ := strconv.ParseInt(string(h[:15]), 16, 64)
		n, err := s.sharedWrites(c.Request().Context(), bucket, w)
		if err != nil {
			s.log.Warn("shared write limit unavailable", "err", err)
			return false
		}
		if n <= burst {
			return false
		}
		left := time.Duration((w+1)*int64(window) - now.UnixNano())
		c.Response().Header().Set("Retry-After", strconv.Itoa(max(1, int(left.Seconds()+0.999))))
		return true
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

// rejectNUL refuses requests whose path or query holds a NUL character or invalid UTF-8 before
// any handler can pass them to the database, which would refuse them with an internal error.
func rejectNUL(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		for _, part := range []string{r.URL.Path, r.URL.RawQuery} {
			if strings.ContainsRune(part, 0) || strings.Contains(strings.ToLower(part), "%00") {
				return gs.Errorf(gs.EMALFORMED, "The address contains a NUL character.")
			}
		}
		if p, err := url.PathUnescape(r.URL.EscapedPath()); err != nil || !utf8.ValidString(p) {
			return gs.Errorf(gs.EMALFORMED, "The address is not valid UTF-8.")
		}
		for _, vs := range c.QueryParams() {
			for _, v := range vs {
				if !utf8.ValidString(v) {
					return gs.Errorf(gs.EMALFORMED, "The address is not valid UTF-8.")
				}
			}
		}
		return next(c)
	}
}

// bufferBody reads a request body once, under the 1 MiB limit, before anything parses it. A
// body sent without a length would otherwise only overflow deep inside form parsing, where the
// CSRF check swallows the error; here it becomes a clear 413.
func bufferBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Body == nil || r.Body == http.NoBody || isSafeMethod(r.Method) {
			return next(c)
		}
		b, err := io.ReadAll(r.Body)
		if err != nil {
			var he *echo.HTTPError
			if errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge {
				return he
			}
			return gs.Errorf(gs.EMALFORMED, "The request body could not be read.")
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		return next(c)
	}
}
