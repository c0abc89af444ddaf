package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestBrowserRunChallenge sets up a challenge entirely in the browser: an admin creates it as an
// invite-only draft, opens it and mints codes, and reads one off the printable sheet; a
// participant in another browser finds they must join, joins with the code typed in small
// letters, and posts an idea.
func TestBrowserRunChallenge(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		storetest.SkipOrFail(t, "chromium is not installed, so the browser test is skipped")
	}
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		if _, err := a.accounts.CreateUser(context.Background(), "boss@example.org", gs.RoleAdmin, staffPassword, gs.Actor{Name: "test"}); err != nil {
			t.Fatal(err)
		}
		allocCtx := startChromium(t, chromium)
		boss := newTab(t, a, "admin", allocCtx)
		defer boss.close()
		boss.signIn("boss@example.org", "Administration")
		boss.do("start a new challenge",
			chromedp.Click(withText("a.button", "New challenge")),
			chromedp.WaitVisible(withText("h1", "New challenge")), pageLoaded(),
			chromedp.SendKeys(chromedp.CSS("#title"), "Better handovers"),
			chromedp.SendKeys(chromedp.CSS("#brief"), "Handovers are where things slip. Tell us what would help."),
			chromedp.SendKeys(chromedp.CSS("#question_1"), "What would make handovers safer?"),
			chromedp.SendKeys(chromedp.CSS("#new_themes"), "Tools\nTime"),
			chromedp.Click(chromedp.CSS("#access-invite")),
			chromedp.Click(withText("form button", "Create the draft")),
			chromedp.WaitVisible(withText(".notice", "Created as a draft")), pageLoaded(),
		)
		if loc := boss.location(); !strings.HasSuffix(loc, "/admin/challenges/better-handovers/edit?saved=created") {
			t.Fatalf("after creating, the admin is at %s", loc)
		}
		boss.do("open it",
			chromedp.SetValue(chromedp.CSS("#phase"), string(gs.PhaseOpen)),
			chromedp.Click(withText("form button", "Change the phase")),
			chromedp.WaitVisible(withText(".notice", "The phase has changed")), pageLoaded(),
		)
		boss.do("make two codes",
			chromedp.Click(withText("a", "Invite codes")),
			chromedp.WaitVisible(chromedp.CSS("#count")), pageLoaded(),
			chromedp.Clear(chromedp.CSS("#count")),
			chromedp.SendKeys(chromedp.CSS("#count"), "2"),
			chromedp.SendKeys(chromedp.CSS("#label"), "Ward 3"),
			chromedp.Click(withText("form button", "Make the codes")),
			chromedp.WaitVisible(withText(".notice", "The codes are ready")), pageLoaded(),
			chromedp.Click(withText("a", "Printable sheet")),
			chromedp.WaitVisible(chromedp.CSS(".invite-code")), pageLoaded(),
		)
		boss.screenshot("invite-sheet")
		code := boss.text(".invite-code")
		if _, err := gs.NormalizeInviteCode(code); err != nil || len(code) != 14 {
			t.Fatalf("the printed code %q: %v", code, err)
		}

		p := newTab(t, a, "participant", boss.ctx, chromedp.WithNewBrowserContext())
		defer p.close()
		p.do("visit the challenge",
			chromedp.Navigate(a.srv.URL+"/c/better-handovers"),
			chromedp.WaitVisible(withText(".notice", "This challenge is for invited staff")), pageLoaded(),
		)
		p.screenshot("must-join")
		p.checkConsole() // before the refused code below, whose 422 the browser logs
		p.do("join",
			chromedp.Click(withText("a.button", "Join with your invite code")),
			chromedp.WaitVisible(chromedp.CSS("#code")), pageLoaded(),
			chromedp.SendKeys(chromedp.CSS("#code"), "nonsense"),
			chromedp.Click(withText("form button", "Join")),
			chromedp.WaitVisible(chromedp.CSS(".error-summary")), pageLoaded(),
		)
		p.screenshot("join-refused")
		p.do("join with the real code",
			chromedp.Clear(chromedp.CSS("#code")),
			chromedp.SendKeys(chromedp.CSS("#code"), strings.ToLower(code)),
			chromedp.Click(withText("form button", "Join")),
			chromedp.WaitVisible(withText(".notice", "You have joined")), pageLoaded(),
		)
		p.do("post an idea",
			chromedp.Click(withText("a.button--start", "Share an idea")),
			chromedp.WaitVisible(chromedp.CSS(`form.idea-form #question-0`)), pageLoaded(),
			chromedp.Click(chromedp.CSS(`#question-0`)),
			chromedp.SendKeys(chromedp.CSS(`#title`), "A printed checklist at every bed"),
			chromedp.Click(chromedp.CSS(`form.idea-form button.button--start`)),
			chromedp.WaitVisible(chromedp.CSS(`h1#idea-title`)),
		)
		if got := p.text("h1#idea-title"); got != "A printed checklist at every bed" {
			t.Errorf("the idea page: %q", got)
		}
		boss.checkConsole()
	})
}
