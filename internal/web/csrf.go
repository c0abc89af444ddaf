package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

const csrfKey = "csrf"

var errCSRF = gs.Errorf(gs.EFORBIDDEN,
	"This form could not be accepted because its security token was missing or out of date. Go back, reload the page and send it again.")

// csrf requires the token from the CSRF cookie on every unsafe request, as form field _csrf or
// header X-CSRF-Token. Echo's middleware would also let a same-origin Sec-Fetch-Site header stand
// in for the token; Groundswell's contract asks for the token always, so cross-site requests are
// refused outright and the header is then hidden from Echo's check.
func (s *Server) csrf() echo.MiddlewareFunc {
	inner := middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		ContextKey:     csrfKey,
		CookieName:     "gs_csrf",
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

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfToken is the token to embed in forms on this page.
func csrfToken(c echo.Context) string {
	t, _ := c.Get(csrfKey).(string)
	return t
}
