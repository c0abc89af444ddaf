package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// EnvScreenshots names a directory where the browser test writes screenshots of the pages it
// sees. Without it, no screenshot is written.
const envScreenshots = "GROUNDSWELL_SCREENSHOTS"

// TestBrowserParticipation drives the whole participation loop through a real browser, with the
// real templates, CSS and script: two people, each with their own cookies, post an idea, a
// comment, a reply and a way to make it happen, and vote.
func TestBrowserParticipation(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		storetest.SkipOrFail(t, "chromium is not installed, so the browser test is skipped")
	}
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)

		allocCtx := startChromium(t, chromium)

		// Participant 1 starts the browser.
		p1 := newTab(t, a, "participant 1", allocCtx)
		defer p1.close()

		// Post an idea through the form.
		const title = "Let porters swap shifts from their phones"
		p1.do("open the challenge", chromedp.Navigate(a.srv.URL+"/c/open-one"))
		p1.do("follow the Share an idea link",
			chromedp.Click(chromedp.CSS(`.challenge-head a.button--start`)),
			chromedp.WaitVisible(chromedp.CSS(`form.idea-form #question-0`)),
			pageLoaded(),
		)
		p1.do("fill in the idea form",
			chromedp.Click(chromedp.CSS(`#question-0`)),
			chromedp.SendKeys(chromedp.CSS(`#title`), title),
			chromedp.SendKeys(chromedp.CSS(`#body`), "Swapping by **phone** would save the rota office hours each week."),
		)
		if got := p1.jsBool(`document.querySelector("#question-0").checked`); !got {
			t.Fatalf("first question radio: checked = %v, want true", got)
		}
		p1.do("post the idea",
			chromedp.Click(chromedp.CSS(`form.idea-form button.button--start`)),
			chromedp.WaitVisible(chromedp.CSS(`h1#idea-title`)),
		)
		if got := p1.text(`h1#idea-title`); got != title {
			t.Fatalf("idea page heading: got %q, want %q", got, title)
		}
		if got := p1.text(`.idea__body strong`); got != "phone" {
			t.Errorf("idea body: got bold text %q, want %q", got, "phone")
		}
		ideaURL := p1.location()
		if !strings.HasPrefix(ideaURL, a.srv.URL+"/ideas/") {
			t.Fatalf("after posting an idea the browser is at %q, want %s/ideas/{id}", ideaURL, a.srv.URL)
		}

		// A top-level comment.
		const comment = "Which system would we use for the swaps?"
		p1.do("post a comment",
			chromedp.SendKeys(chromedp.CSS(`.comment-new form.comment-form textarea`), comment),
			chromedp.Click(chromedp.CSS(`.comment-new form.comment-form button`)),
			chromedp.WaitVisible(withText(`li.comment.comment--level-1`, comment)), pageLoaded(),
		)
		commentID := attr(p1, withText(`li.comment.comment--level-1`, comment), "id")
		if !strings.HasPrefix(commentID, "comment-") {
			t.Fatalf("comment element id: got %q, want comment-{id}", commentID)
		}

		// A reply to it, through the Reply disclosure under the comment.
		const reply = "The existing rota app already has a swap screen."
		replyBox := `#` + commentID + ` > article details.reply`
		p1.do("open the Reply disclosure",
			chromedp.Click(chromedp.CSS(replyBox+` > summary`)),
			chromedp.WaitVisible(chromedp.CSS(replyBox+` textarea`)),
		)
		p1.do("post a reply",
			chromedp.SendKeys(chromedp.CSS(replyBox+` textarea`), reply),
			chromedp.Click(chromedp.CSS(replyBox+` button`)),
			chromedp.WaitVisible(withText(`#`+commentID+` > ol.thread > li.comment.comment--level-2`, reply)), pageLoaded(),
		)

		// A way to make it happen.
		const impl = "Ask the rota office to switch on the swap screen for one ward first."
		p1.do("post a way to make it happen",
			chromedp.Click(chromedp.CSS(`.comment-new form.comment-form input[name=kind][value=implementation]`)),
			chromedp.SendKeys(chromedp.CSS(`.comment-new form.comment-form textarea`), impl),
			chromedp.Click(chromedp.CSS(`.comment-new form.comment-form button`)),
			chromedp.WaitVisible(withText(`li.comment`, impl)), pageLoaded(),
		)
		if got := attr(p1, withText(`li.comment`, impl), "class"); !strings.Contains(" "+got+" ", " comment--impl ") {
			t.Errorf("implementation suggestion: got class %q, want it to include comment--impl", got)
		}
		if got := p1.text(`.idea__stats .impl-count`); got != "1 way to make it happen" {
			t.Errorf("idea stats: got %q, want %q", got, "1 way to make it happen")
		}

		// Vote the idea up. The script updates the box in place; a full round trip is also fine.
		const (
			up      = `.idea__head .vote__btn--up`
			down    = `.idea__head .vote__btn--down`
			count   = `.idea__head .vote__net`
			upOn    = up + `[aria-pressed="true"]`
			downOn  = down + `[aria-pressed="true"]`
			inPlace = `window.__groundswellNoReload`
		)
		p1.do("mark the page", chromedp.Evaluate[chromedp.Void](inPlace+` = true`))
		p1.do("vote the idea up",
			chromedp.Click(chromedp.CSS(up)),
			chromedp.WaitVisible(chromedp.CSS(upOn)),
		)
		if got := p1.text(count); got != "1" {
			t.Errorf("participant 1 after voting up: got count %q, want %q", got, "1")
		}
		if got := attr(p1, chromedp.CSS(up), "title"); got != "Press again to remove your up vote" {
			t.Errorf("participant 1 up button after voting: got title %q, want %q", got, "Press again to remove your up vote")
		}
		if !p1.jsBool(inPlace + ` === true`) {
			t.Error("the vote reloaded the page; want the box redrawn in place by the script")
		}
		if !p1.jsBool(`document.activeElement === document.querySelector("` + up + `")`) {
			t.Error("after voting in place the focus left the up button")
		}

		// Participant 2: a separate browser context, so separate cookies and a separate pseudonym.
		p2 := newTab(t, a, "participant 2", p1.ctx, chromedp.WithNewBrowserContext())
		defer p2.close()
		p2.do("open the idea", chromedp.Navigate(ideaURL), chromedp.WaitVisible(chromedp.CSS(`h1#idea-title`)))
		if got := p2.text(count); got != "1" {
			t.Errorf("participant 2 sees count %q, want %q", got, "1")
		}
		if got := attr(p2, chromedp.CSS(up), "aria-pressed"); got != "false" {
			t.Errorf("participant 2 up button: got aria-pressed %q, want %q (the vote is participant 1's)", got, "false")
		}
		for _, want := range []string{comment, reply, impl} {
			p2.do("see "+want, chromedp.WaitVisible(withText(`li.comment`, want)))
		}
		if author1, author2 := p1.text(`.idea .meta span bdi`), p2.text(`.idea .meta span bdi`); author1 != author2 {
			t.Errorf("idea author: participant 1 sees %q, participant 2 sees %q, want the same", author1, author2)
		}
		// Only the author is told the idea is theirs.
		if !p1.jsBool(`!!document.querySelector(".idea .meta .you")`) || p2.jsBool(`!!document.querySelector(".idea .meta .you")`) {
			t.Error(`the "you" marker: want it for the author only`)
		}
		p2.do("vote the idea down",
			chromedp.Click(chromedp.CSS(down)),
			chromedp.WaitVisible(chromedp.CSS(downOn)),
		)
		if got := p2.text(count); got != "0" {
			t.Errorf("participant 2 after voting down: got count %q, want %q", got, "0")
		}
		if got := attr(p2, chromedp.CSS(up), "aria-pressed"); got != "false" {
			t.Errorf("participant 2 up button after voting down: got aria-pressed %q, want %q", got, "false")
		}

		// Participant 1 reloads and sees both votes, and still their own.
		p1.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`h1#idea-title`)))
		if got := p1.text(count); got != "0" {
			t.Errorf("participant 1 after reload: got count %q, want %q", got, "0")
		}
		if got := attr(p1, chromedp.CSS(count), "title"); got != "1 up, 1 down" {
			t.Errorf("participant 1 after reload: got count title %q, want %q", got, "1 up, 1 down")
		}
		if got := attr(p1, chromedp.CSS(up), "aria-pressed"); got != "true" {
			t.Errorf("participant 1 up button after reload: got aria-pressed %q, want %q", got, "true")
		}
		if got := attr(p1, chromedp.CSS(down), "aria-pressed"); got != "false" {
			t.Errorf("participant 1 down button after reload: got aria-pressed %q, want %q", got, "false")
		}
		p1.screenshot("idea")

		p2.checkConsole()
		p1.checkConsole()
	})
}

// startChromium returns an allocator for a headless Chromium with a fresh profile, closed when
// the test ends, with the flags this closed network needs.
func startChromium(t *testing.T, path string) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	t.Cleanup(func() { cancelAlloc(); cancel() })
	return allocCtx
}

// pageLoaded waits until the document and its stylesheets have loaded, so that a click lands
// where the element will stay rather than where it was before the layout settled.
func pageLoaded() chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Poll[chromedp.Void](`document.readyState === "complete"`))
}

// chromiumPath returns the path of a Chromium binary, or "" when there is none.
func chromiumPath() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// withText selects the elements matching css whose text contains text.
func withText(css, text string) chromedp.JSPath {
	c, _ := json.Marshal(css)
	x, _ := json.Marshal(text)
	return chromedp.JSPath(fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).filter(e => e.textContent.includes(%s))`, c, x))
}

// tab is one participant's browser tab, with the console messages it has seen.
type tab struct {
	t    *testing.T
	a    *testApp
	name string
	ctx  context.Context
	stop context.CancelFunc

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	done    chan struct{}
}

// newTab opens a tab and starts it at once, so that the browser (or browser context) exists
// and is bound to this tab's lifetime rather than to a step's timeout.
func newTab(t *testing.T, a *testApp, name string, parent context.Context, opts ...chromedp.ContextOption) *tab {
	t.Helper()
	ctx, stop := chromedp.NewContext(parent, opts...)
	b := &tab{t: t, a: a, name: name, ctx: ctx, stop: stop, done: make(chan struct{})}
	if err := chromedp.Do(ctx); err != nil {
		stop()
		t.Fatalf("%s: start the browser: %v", name, err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		defer close(b.done)
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	return b
}

// signIn signs the tab in as a staff member with the test password and waits for the page whose
// heading is lands.
func (b *tab) signIn(email, lands string) {
	b.t.Helper()
	b.do("sign in as "+email,
		chromedp.Navigate(b.a.srv.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), staffPassword),
		chromedp.Click(chromedp.CSS("form.card button")),
		chromedp.WaitVisible(withText("h1", lands)), pageLoaded(),
	)
}

func (b *tab) close() {
	b.stop()
	<-b.done
}

// fail ends the test with what went wrong, where the browser was, and the server's recent log.
func (b *tab) fail(format string, args ...any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	logs := b.a.logs.String()
	if len(logs) > 2000 {
		logs = "…" + logs[len(logs)-2000:]
	}
	b.t.Fatalf("%s: %s\nbrowser at: %s\nserver log:\n%s", b.name, fmt.Sprintf(format, args...), loc, logs)
}

// run runs an action with a time limit, so that a missing element fails the step rather
// than the whole test's deadline.
func run[T any](b *tab, what string, action chromedp.Action[T]) T {
	b.t.Helper()
	const limit = 20 * time.Second
	ctx, cancel := context.WithTimeout(b.ctx, limit)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		b.fail("%s: %v (each step may take up to %s)", what, err, limit)
	}
	return v
}

func (b *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	run(b, what, chromedp.Steps(actions...))
}

// The readers below query the page with JavaScript and poll until the element exists, rather
// than holding DevTools node ids, which go stale when a navigation replaces the document between
// finding a node and reading it.

// firstElement is a JavaScript expression for the first element sel selects, or undefined.
func firstElement[S chromedp.Selectable](sel S) string {
	switch v := any(sel).(type) {
	case chromedp.CSS:
		c, _ := json.Marshal(string(v))
		return "document.querySelector(" + string(c) + ")"
	case chromedp.JSPath:
		return "[].concat(" + string(v) + ")[0]"
	}
	panic(fmt.Sprintf("firstElement: unsupported selector %T", sel))
}

func (b *tab) text(css string) string {
	b.t.Helper()
	expr := fmt.Sprintf(`(() => { const e = %s; return e ? {v: e.textContent} : null })()`, firstElement(chromedp.CSS(css)))
	r := run(b, "read the text of "+css, chromedp.Poll[struct {
		V string `json:"v"`
	}](expr))
	return strings.TrimSpace(r.V)
}

// attr reads an attribute of the first element sel selects, and fails when it has none.
func attr[S chromedp.Selectable](b *tab, sel S, name string) string {
	b.t.Helper()
	n, _ := json.Marshal(name)
	expr := fmt.Sprintf(`(() => { const e = %s; return e ? {has: e.hasAttribute(%s), v: e.getAttribute(%s) || ""} : null })()`,
		firstElement(sel), n, n)
	r := run(b, fmt.Sprintf("read %s of %s", name, fmt.Sprint(sel)), chromedp.Poll[struct {
		Has bool   `json:"has"`
		V   string `json:"v"`
	}](expr))
	if !r.Has {
		b.fail("%s has no attribute %q", fmt.Sprint(sel), name)
	}
	return r.V
}

func (b *tab) jsBool(expr string) bool {
	b.t.Helper()
	return run(b, "evaluate "+expr, chromedp.Evaluate[bool](expr))
}

func (b *tab) location() string {
	b.t.Helper()
	return run(b, "read the location", chromedp.Location())
}

// screenshot writes a full-page screenshot when GROUNDSWELL_SCREENSHOTS names a directory.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv(envScreenshots)
	if dir == "" {
		return
	}
	// A phone's width and a laptop's, the two every page is checked at.
	for _, width := range []int64{375, 1366} {
		b.do("set the width", chromedp.EmulateViewport(width, 900))
		png := run(b, "take a screenshot", chromedp.FullScreenshot(100))
		file := filepath.Join(dir, fmt.Sprintf("%s-%s-%d.png", strings.NewReplacer("/", "-", " ", "-").Replace(b.t.Name()), name, width))
		if err := os.WriteFile(file, png, 0o644); err != nil {
			b.t.Errorf("write screenshot: %v", err)
			return
		}
		b.t.Logf("screenshot: %s", file)
	}
}

// checkConsole fails the test for any script error or error the browser logged, such as a
// Content-Security-Policy violation or a failed request.
func (b *tab) checkConsole() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.console {
		// The layout links no icon and the server has no /favicon.ico, so Chromium's own
		// request for it 404s. That is not the page's doing; everything else counts.
		if strings.HasSuffix(m.URL, "/favicon.ico") {
			continue
		}
		if m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleError {
			b.t.Errorf("%s: browser console: got %s (at %s), want no errors", b.name, m, m.URL)
		}
	}
}
