package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// checkClientError fails t unless err maps to a 4xx status: bad input is never a 500.
func checkClientError(t *testing.T, in string, err error) {
	t.Helper()
	if status, _, _ := classify(err); status < 400 || status >= 500 {
		t.Fatalf("input %q: error %v maps to status %d; want 4xx", in, err, status)
	}
}

// FuzzQueryParams sends an arbitrary query string to the list's parser: it is read or refused
// with a 4xx, never a panic or a 500, and what it reads is in range. The same text as a next=
// target either stays on this site or is replaced by the fallback.
func FuzzQueryParams(f *testing.F) {
	for _, s := range []string{"", "sort=top&page=2", "sort=nope", "page=0", "page=-1", "page=99999999999999999999",
		"per_page=101", "question=abc", "question=%00", "q=%ff%fe", "theme=%E2%80%AE&q=" + strings.Repeat("x", 201),
		"sort=fair&question=3&theme=rotas&q=rota&page=3&per_page=50", "page=%201%20", "%zz=1", ";;&&==",
		"/ideas/1", "//evil.example", "/\\evil.example", "/%09/evil.example", "https://evil.example/"} {
		f.Add(s)
	}
	e := echo.New()
	base, _ := url.Parse("https://groundswell.example/c/rota")
	f.Fuzz(func(t *testing.T, raw string) {
		req := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/c/rota", RawQuery: raw}, Header: http.Header{}}
		c := e.NewContext(req, httptest.NewRecorder())
		fl, err := parseIdeaFilter(c)
		if err != nil {
			checkClientError(t, raw, err)
		} else {
			if fl.Page < 1 || fl.Page > 1_000_000 || fl.PerPage < 1 || fl.PerPage > gs.MaxPerPage || fl.QuestionID < 0 {
				t.Fatalf("parseIdeaFilter(%q) = %+v: out of range", raw, fl)
			}
			if !utf8.ValidString(fl.Text) || utf8.RuneCountInString(fl.Text) > gs.MaxSearchRunes {
				t.Fatalf("parseIdeaFilter(%q): search text %q", raw, fl.Text)
			}
		}

		const fallback = "/fallback"
		got := safeNext(raw, fallback)
		if got == fallback {
			return
		}
		if got != raw {
			t.Fatalf("safeNext(%q) = %q; want the target or the fallback", raw, got)
		}
		// Browsers read a backslash as a slash and drop tabs and line breaks.
		browser := strings.NewReplacer("\\", "/", "\t", "", "\n", "", "\r", "").Replace(raw)
		if !strings.HasPrefix(browser, "/") || strings.HasPrefix(browser, "//") {
			t.Fatalf("safeNext(%q) let through a target a browser reads as %q", raw, browser)
		}
		u, err := url.Parse(raw)
		if err != nil || base.ResolveReference(u).Host != base.Host {
			t.Fatalf("safeNext(%q) let through a target that leaves the site", raw)
		}
	})
}

// FuzzReadForm posts an arbitrary body as a form: it is read, or refused with a 4xx, and what
// is read is valid UTF-8 without NUL characters, as the database needs.
func FuzzReadForm(f *testing.F) {
	for _, s := range []string{"", "value=up", "value=up&value=down", "body=%ff", "body=a%00b", "%ff=1", "a=%zz",
		"title=Hello+world&body=**bold**&_csrf=x", strings.Repeat("a=b&", 100), "=&=&=", "x"} {
		f.Add(s)
	}
	e := echo.New()
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/ideas/1/vote", strings.NewReader(body))
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
		c := e.NewContext(req, httptest.NewRecorder())
		vals, err := readForm(c)
		if err != nil {
			checkClientError(t, body, err)
			return
		}
		for k, vs := range vals {
			for _, v := range append([]string{k}, vs...) {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					t.Fatalf("readForm(%q) let through %q", body, v)
				}
			}
		}
	})
}
