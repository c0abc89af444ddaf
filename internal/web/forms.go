package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// readForm parses the request body and refuses any name or value that is not valid UTF-8 or holds
// a NUL, so no handler ever sees bytes that would be mangled on the way to the database.
func readForm(c echo.Context) (url.Values, error) {
	vals, err := c.FormParams()
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return nil, he
		}
		return nil, gs.Errorf(gs.EMALFORMED, "The form could not be read. Please send it again from the page.")
	}
	for k, vs := range vals {
		if !utf8.ValidString(k) {
			return nil, gs.Errorf(gs.EMALFORMED, "The form contained text that is not valid UTF-8.")
		}
		if strings.ContainsRune(k, 0) {
			return nil, gs.Errorf(gs.EMALFORMED, "The form field %q contained a NUL character, which no keyboard types.", k)
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return nil, gs.Errorf(gs.EMALFORMED, "The form field %q contained text that is not valid UTF-8.", k)
			}
			if strings.ContainsRune(v, 0) {
				return nil, gs.Errorf(gs.EMALFORMED, "The form field %q contained a NUL character, which no keyboard types.", k)
			}
		}
	}
	return vals, nil
}

// pathID reads a positive numeric id from the path; anything else names nothing, so it is 404.
func pathID(c echo.Context, noun string) (int64, error) {
	raw := c.Param("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, gs.Errorf(gs.ENOTFOUND, "There is no %s at this address: %q is not a %s number.", noun, truncate(raw, 40), noun)
	}
	return id, nil
}

// pathForm reads the id in the path, then the form: what a handler that posts to one thing needs.
func pathForm(c echo.Context, noun string) (int64, url.Values, error) {
	id, err := pathID(c, noun)
	if err != nil {
		return 0, nil, err
	}
	vals, err := readForm(c)
	return id, vals, err
}

// queryInt reads an optional positive integer query parameter.
func queryInt(c echo.Context, name string, def, max int) (int, error) {
	raw := strings.TrimSpace(c.QueryParam(name))
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, gs.Errorf(gs.EMALFORMED, "The %s must be a whole number of at least 1, not %q.", name, truncate(raw, 40))
	}
	if max > 0 && n > max {
		return 0, gs.Errorf(gs.EMALFORMED, "The %s can be at most %d.", name, max)
	}
	return n, nil
}

// queryID reads an optional id query parameter; 0 means absent.
func queryID(c echo.Context, name string) (int64, error) {
	raw := strings.TrimSpace(c.QueryParam(name))
	if raw == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 {
		return 0, gs.Errorf(gs.EMALFORMED, "The %s must be a number, not %q.", name, truncate(raw, 40))
	}
	return id, nil
}

// safeNext returns target when it is a path on this site, else fallback; it keeps redirects
// from being turned against participants and staff. Browsers drop tabs and line breaks from
// URLs, so any control character disqualifies a target, as does anything with a host.
func safeNext(target, fallback string) string {
	if target == "" || !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") ||
		strings.HasPrefix(target, "/\\") || strings.IndexFunc(target, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return fallback
	}
	u, err := url.Parse(target)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return fallback
	}
	return target
}

func truncate(s string, n int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "?")
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
