package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestBrowserPanelToGuide runs a panel in a real browser: an admin sets it up, adds two experts,
// makes one the chair and builds the longlist; both experts score both ideas; the chair
// shortlists them, merges them into a proposal, publishes it, and the proposal appears in the
// public guide with its sources.
func TestBrowserPanelToGuide(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		storetest.SkipOrFail(t, "chromium is not installed, so the browser test is skipped")
	}
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ctx := context.Background()
		one := a.seedIdea(a.open, "Protected time for improvement work")
		two := a.seedIdea(a.open, "An hour a fortnight to fix what annoys us")
		for _, email := range []string{"boss@example.org", "ann@example.org", "bob@example.org"} {
			role := gs.RoleExpert
			if email == "boss@example.org" {
				role = gs.RoleAdmin
			}
			if _, err := a.accounts.CreateUser(ctx, email, role, staffPassword, gs.Actor{Name: "test"}); err != nil {
				t.Fatal(err)
			}
		}
		allocCtx := startChromium(t, chromium)
		boss := newTab(t, a, "admin", allocCtx)
		defer boss.close()
		boss.signIn("boss@example.org", "Administration")
		boss.do("set up a panel",
			chromedp.Navigate(a.srv.URL+"/admin/panels"), pageLoaded(),
			chromedp.SetValue(chromedp.CSS("#challenge"), "open-one"),
			chromedp.SendKeys(chromedp.CSS("#name"), "Workforce panel"),
			chromedp.Click(withText("form button", "Set up the panel")),
			chromedp.WaitVisible(withText("h1", "Workforce panel")), pageLoaded(),
		)
		panelURL := boss.location()
		for _, email := range []string{"ann@example.org", "bob@example.org"} {
			boss.do("add "+email,
				chromedp.Navigate(panelURL), chromedp.WaitVisible(chromedp.CSS("#email")), pageLoaded(),
				chromedp.SendKeys(chromedp.CSS("#email"), email),
				chromedp.Click(withText("form button", "Add to the panel")),
				chromedp.WaitVisible(withText(".notice", "The expert is on the panel")), pageLoaded(),
			)
		}
		boss.do("make ann the chair", chromedp.Click(withText("form button", "Make chair: ann@example.org")),
			chromedp.WaitVisible(withText(".notice", "chairs are updated")), pageLoaded())
		boss.do("build the longlist", chromedp.Click(withText("form button", "Build the longlist")),
			chromedp.WaitVisible(withText(".notice", "The longlist is built")), pageLoaded())

		var chair *tab
		for _, email := range []string{"ann@example.org", "bob@example.org"} {
			ex := newTab(t, a, email, boss.ctx, chromedp.WithNewBrowserContext())
			ex.signIn(email, "Expert panels")
			ex.do("open the panel", chromedp.Click(withText("a", "Workforce panel")), chromedp.WaitVisible(chromedp.CSS("progress")), pageLoaded())
			for _, title := range []string{one.Title, two.Title} {
				ex.do("open "+title, chromedp.Click(withText("a", title)), chromedp.WaitVisible(chromedp.CSS("form.review-form")), pageLoaded())
				if email == "ann@example.org" && title == one.Title {
					ex.screenshot("review")
				}
				ex.do("score "+title,
					chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('.scale input[value="4"]').forEach(r => r.click())`),
					chromedp.Click(withText("form.review-form button", "Submit my scores")),
					chromedp.WaitVisible(withText(".notice", "Your review is saved")), pageLoaded(),
					chromedp.Click(chromedp.CSS(".breadcrumb a")), chromedp.WaitVisible(chromedp.CSS("progress")), pageLoaded(),
				)
			}
			if got := ex.text(`label[for="progress"]`); !strings.Contains(got, "2 of 2 reviewed") {
				t.Errorf("%s progress: %q", email, got)
			}
			ex.checkConsole()
			if email == "ann@example.org" {
				chair = ex
				defer chair.close()
				continue
			}
			ex.close()
		}

		boss.do("reload the panel", chromedp.Navigate(panelURL), pageLoaded())
		boss.screenshot("panel-results")
		// The chair, an expert, takes it from here at her own desk.
		chair.do("open the chair's desk", chromedp.Navigate(a.srv.URL+"/panels"), pageLoaded(),
			chromedp.Click(withText("a", "Workforce panel")), chromedp.WaitVisible(withText(".notice", "You chair this panel")), pageLoaded(),
			chromedp.Click(withText("a", "Open the chair’s desk")), chromedp.WaitVisible(chromedp.CSS("#results")), pageLoaded())
		chair.screenshot("chair-desk")
		for _, title := range []string{one.Title, two.Title} {
			q, _ := json.Marshal(title)
			row := `Array.from(document.querySelectorAll("#results tr")).filter(e => e.textContent.includes(` + string(q) + `))`
			button := chromedp.JSPath(row + `.map(e => e.querySelector("button"))`)
			removable := chromedp.JSPath(row + `.map(e => e.querySelector("button")).filter(b => b && b.textContent.includes("Remove"))`)
			chair.do("shortlist "+title, chromedp.Click(button), chromedp.WaitVisible(removable), pageLoaded())
		}
		chair.do("write the proposal",
			chromedp.Click(chromedp.CSS(`#ideas input[type=checkbox]`)),
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('#ideas input[type=checkbox]').forEach(b => b.checked = true)`),
			chromedp.SendKeys(chromedp.CSS("#title"), "Time to improve"),
			chromedp.SendKeys(chromedp.CSS("#theme"), "Time"),
			chromedp.SendKeys(chromedp.CSS("#change"), "Every team gets an hour a fortnight to fix one thing."),
			chromedp.Click(withText("form button", "Create the draft proposal")),
			chromedp.WaitVisible(withText("h1", "Time to improve")), pageLoaded(),
		)
		for _, step := range []string{"Shortlisted", "Accepted", "Published"} {
			chair.do("move to "+step, chromedp.Click(withText("form button", "Move to: "+step)),
				chromedp.WaitVisible(withText(".badge", step)), pageLoaded())
		}
		chair.checkConsole()
		boss.do("open the guide", chromedp.Navigate(a.srv.URL+"/guide/open-one"), chromedp.WaitVisible(withText("h3", "Time to improve")), pageLoaded())
		guide := boss.text("main")
		for _, want := range []string{one.Title, two.Title, "expert panel score 4.0 of 5", "Published proposals"} {
			if !strings.Contains(guide, want) {
				t.Errorf("the guide lacks %q", want)
			}
		}
		boss.screenshot("guide")
		boss.checkConsole()
	})
}
