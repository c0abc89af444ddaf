package markup

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// allowedTags are the elements rendered Markdown may contain; anything else in the output means
// that markup typed by a participant got through.
var allowedTags = map[string]bool{
	"p": true, "br": true, "em": true, "strong": true, "del": true, "code": true, "pre": true,
	"blockquote": true, "ul": true, "ol": true, "li": true, "hr": true, "a": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
}

// allowedAttrs are the attributes each of those elements may carry.
var allowedAttrs = map[string]map[string]bool{
	"a":  {"href": true, "rel": true, "target": true, "title": true},
	"ol": {"start": true},
}

// checkSafe fails t when h holds anything that could run or fetch in a reader's browser: an
// element outside the Markdown subset, an event handler or style attribute, or a link whose
// scheme is not http, https or mailto.
func checkSafe(t *testing.T, src string, h gs.HTML) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(string(h)))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt == html.CommentToken || tt == html.DoctypeToken {
			t.Fatalf("Render(%q) = %q: a %v got through", src, h, tt)
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			continue
		}
		tok := z.Token()
		if !allowedTags[tok.Data] {
			t.Fatalf("Render(%q) = %q: element <%s> is not in the Markdown subset", src, h, tok.Data)
		}
		for _, a := range tok.Attr {
			if !allowedAttrs[tok.Data][a.Key] {
				t.Fatalf("Render(%q) = %q: <%s> carries attribute %s", src, h, tok.Data, a.Key)
			}
			if a.Key != "href" {
				continue
			}
			u, err := url.Parse(a.Val)
			if err != nil {
				t.Fatalf("Render(%q) = %q: href %q does not parse: %v", src, h, a.Val, err)
			}
			switch strings.ToLower(u.Scheme) {
			case "", "http", "https", "mailto":
			default:
				t.Fatalf("Render(%q) = %q: a link with scheme %q", src, h, u.Scheme)
			}
		}
	}
}

// FuzzRender feeds arbitrary text to the Markdown renderer: whatever a participant types, the
// result is valid UTF-8 (for valid input), contains only the Markdown subset with safe links,
// and is left unchanged by the sanitizer, so sanitizing is idempotent and nothing is lost when
// stored HTML is sanitized again.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"", "plain words", "**bold** _em_ ~~gone~~ `code`", "# Title\n\n> quote\n\n- one\n- two\n\n1. a\n2. b",
		"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[click](javascript:alert(1))",
		"[x](JaVaScRiPt:alert(1))", "[x](java\tscript:alert(1))", "![pixel](https://tracker.example/p.gif)",
		"<a href=\"javascript:alert(1)\">x</a>", "https://example.org/a?b=c&d=<e>", "<svg onload=alert(1)>",
		"[x](data:text/html;base64,PHNjcmlwdD4=)", "<!-- comment -->", "```\n<script>\n```", "a\\\nb",
		"<style>body{}</style>", "[x](vbscript:msgbox)", "&lt;script&gt;", "<<script>script>", "[a](<javascript:x>)",
	} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		began := time.Now()
		h := r.Render(src)
		if took := time.Since(began); took > time.Second {
			t.Fatalf("Render of %d bytes took %v", len(src), took)
		}
		if utf8.ValidString(src) && !utf8.ValidString(string(h)) {
			t.Fatalf("Render(%q) = %q: not valid UTF-8", src, h)
		}
		checkSafe(t, src, h)
		if again := gs.HTML(strings.TrimSpace(r.policy.Sanitize(string(h)))); again != h {
			t.Fatalf("sanitizing Render(%q) again changed it:\n%q\n%q", src, h, again)
		}
	})
}

// FuzzMarked feeds arbitrary search excerpts to Marked: the only markup in the result is <mark>,
// balanced.
func FuzzMarked(f *testing.F) {
	for _, s := range []string{"", "a \x02word\x03 here", "\x02<script>\x03", "\x02\x02x\x03\x03\x03", "[link](url) **b**"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h := Marked(s)
		z := html.NewTokenizer(strings.NewReader(string(h)))
		depth := 0
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			switch tt {
			case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
				tok := z.Token()
				if tok.Data != "mark" || len(tok.Attr) > 0 {
					t.Fatalf("Marked(%q) = %q: element %q", s, h, tok.Data)
				}
				if tt == html.StartTagToken {
					depth++
				} else {
					depth--
				}
				if depth < 0 || depth > 1 {
					t.Fatalf("Marked(%q) = %q: <mark> is not balanced", s, h)
				}
			case html.CommentToken, html.DoctypeToken:
				t.Fatalf("Marked(%q) = %q: a %v", s, h, tt)
			}
		}
		if depth != 0 {
			t.Fatalf("Marked(%q) = %q: <mark> left open", s, h)
		}
	})
}
