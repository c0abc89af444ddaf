package web_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// axeScript is axe-core, pinned in testdata/a11y/package.json and installed there by `npm ci`
// (make test and CI do it).
var axeScript = filepath.Join("testdata", "a11y", "node_modules", "axe-core", "axe.min.js")

// axeFinding is one rule a page breaks, with a few of the elements that break it.
type axeFinding struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// TestBrowserAccessibility runs the axe checker on every page template at a phone's width and a
// laptop's, and fails on any serious or critical finding; and it checks that no page is wider
// than a 320 px screen, so that nothing needs scrolling sideways (WCAG's reflow rule). The pages
// are those of TestEveryPageRenders, each seen by the browser it is meant for.
func TestBrowserAccessibility(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		storetest.SkipOrFail(t, "chromium is not installed, so the accessibility test is skipped")
	}
	axe, err := os.ReadFile(axeScript)
	if err != nil {
		storetest.SkipOrFail(t, "axe-core is not installed (run `npm ci --prefix internal/web/testdata/a11y`): "+err.Error())
	}
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		if strings.HasPrefix(dsn, "postgres") {
			return // the pages are drawn from the same templates; one database is enough here
		}
		a := newApp(t, dsn, s)
		pages, browsers := everyPage(t, a, s)
		root := newTab(t, a, "browser", startChromium(t, chromium))
		defer root.close()
		base, _ := url.Parse(a.srv.URL)

		whos := map[string]bool{}
		for _, pg := range pages {
			whos[pg.who] = true
		}
		for who := range whos {
			// Each browser of the handler test becomes a browser context holding its cookies, so
			// that it sees the pages as that participant or staff member.
			tab := newTab(t, a, who, root.ctx, chromedp.WithNewBrowserContext())
			for _, ck := range browsers[who].c.Jar.Cookies(base) {
				tab.do("carry the cookie "+ck.Name, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: ck.Name, Value: ck.Value, URL: a.srv.URL, Path: "/"})
					return err
				}))
			}
			var names []string
			for name, pg := range pages {
				if pg.who == who {
					names = append(names, name)
				}
			}
			slices.Sort(names)
			for _, name := range names {
				path := pages[name].path
				for _, width := range []int64{375, 1366} {
					tab.do(fmt.Sprintf("open %s at %d px", path, width), chromedp.EmulateViewport(width, 900),
						chromedp.Navigate(a.srv.URL+path), pageLoaded())
					run(tab, "load axe", chromedp.Evaluate[bool](string(axe)+";true"))
					found := run(tab, "run axe on "+path, chromedp.Evaluate[[]axeFinding](`axe.run(document, {
						runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
						resultTypes: ["violations"]
					}).then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
						id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))
					})))`, chromedp.EvalAwaitPromise))
					for _, f := range found {
						t.Errorf("%s (%s) at %d px: %s %s: %s, at %s", name, path, width, f.Impact, f.ID, f.Help, strings.Join(f.Targets, " | "))
					}
				}
				tab.do("open "+path+" at 320 px", chromedp.EmulateViewport(320, 700), chromedp.Navigate(a.srv.URL+path), pageLoaded())
				wide := run(tab, "measure "+path, chromedp.Evaluate[string](`document.documentElement.scrollWidth > 320 ?
					document.documentElement.scrollWidth + " px: " + Array.from(document.querySelectorAll("body *"))
						.filter(e => e.getBoundingClientRect().right > 321).slice(-3)
						.map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : "")).join(", ") : ""`))
				if wide != "" {
					t.Errorf("%s (%s) is wider than a 320 px screen: %s", name, path, wide)
				}
			}
			tab.close()
		}
	})
}
